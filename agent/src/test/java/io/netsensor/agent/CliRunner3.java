package io.netsensor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real `netsensor` command line in this JVM (a child JVM per run would cost ~2 s each) and
 * captures what it prints: results on stdout, the summary on stderr. Not thread-safe: System.err and
 * the command's stdout are process-wide.
 */
public final class CliRunner3 {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // `replay` opens the journal writer on the calling thread and appends on its capture thread (the
        // thread start orders the handoff). Chronicle flags such a handoff only with assertions on, as
        // under Surefire; the shipped agent runs without them. Must be set before Chronicle loads.
        System.setProperty("disable.single.threaded.check", "true");
    }

    private CliRunner3() {}

    /** What one command printed and returned. */
    public static final class Result {
        public final int exitCode;
        public final String stdout;
        public final String stderr;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
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

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        java.util.function.Supplier<OutputStream> oldOut = Main.stdout;
        // the command closes its output stream when done; the buffer must survive that
        Main.stdout = () -> new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
            }
        };
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(errStream);
        int rc;
        try {
            picocli.CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(errStream, true));
            rc = cl.execute(args);
        } finally {
            System.setErr(oldErr);
            Main.stdout = oldOut;
        }
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
