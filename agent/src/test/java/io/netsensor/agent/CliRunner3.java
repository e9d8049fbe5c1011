package io.netsensor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real `netsensor` command line in this JVM (a child JVM per run would cost ~2 s each) and
 * captures what it prints: results on stdout, the summary on stderr. Not thread-safe: System.err and
 * the command's stdout are process-wide.
 */
public final class CliRunner3 {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        CliRunner.Result r = CliRunner.run(args);
        return new Result(r.exitCode(), r.stdout(), r.stderr());
    }
}
