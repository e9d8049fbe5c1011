package io.netsensor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real `netsensor` command line in this JVM (much faster than starting ./netsensor or a child JVM
 * per test) with stdout and stderr captured, so tests assert exactly what a user would see: results on
 * stdout, the summary and errors on stderr. The agent's one CLI runner (it needs {@link Main}, so it lives
 * in the agent's tests, not in the shared test kit).
 */
public final class CliRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliRunner() {}

    /** What one command printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Non-empty stdout lines. */
        public List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        /** Each non-empty stdout line parsed as JSON (the alert lines of `replay`). */
        public List<JsonNode> jsonLines() {
            List<JsonNode> out = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (line.isBlank()) continue;
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + line, e);
                }
            }
            return out;
        }

        /** For failure messages: the exit code and both streams. */
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** System.out/err are process-wide, so runs are serialised. */
    public static synchronized Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code;
        System.setOut(o);
        System.setErr(e);
        try {
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            code = cl.execute(args);
        } finally {
            o.flush();
            e.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
