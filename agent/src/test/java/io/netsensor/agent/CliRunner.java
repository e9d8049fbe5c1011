package io.netsensor.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the real `netsensor` command line in this JVM (much faster than starting ./netsensor per test) with
 * stdout and stderr captured, so tests assert exactly what a user would see.
 */
public final class CliRunner {
    private CliRunner() {}

    /** What one command printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Non-empty stdout lines. */
        public List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
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
