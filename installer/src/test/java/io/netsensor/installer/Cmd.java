package io.netsensor.installer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion, its output in temporary files (no pipe to fill up and block it). */
final class Cmd {
    record Result(List<String> command, int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** The command, its exit code and its output: what a failure message needs. */
        String describe() {
            return String.join(" ", command) + " -> exit " + exit
                    + (out.isBlank() ? "" : "\n--- stdout\n" + tail(out)) + (err.isBlank() ? "" : "\n--- stderr\n" + tail(err));
        }

        private static String tail(String s) {
            return s.length() <= 4000 ? s : "...\n" + s.substring(s.length() - 4000);
        }
    }

    private Cmd() {}

    static Result run(Duration timeout, String... command) {
        return run(timeout, Arrays.asList(command));
    }

    static Result run(Duration timeout, List<String> command) {
        try {
            File out = File.createTempFile("netsensor-cmd-", ".out"), err = File.createTempFile("netsensor-cmd-", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out).redirectError(err).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    return new Result(command, -1, Files.readString(out.toPath()),
                            Files.readString(err.toPath()) + "\n(killed after " + timeout.toSeconds() + " s)");
                }
                return new Result(command, p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
            } finally {
                Files.deleteIfExists(out.toPath());
                Files.deleteIfExists(err.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code tool} is an executable on PATH. */
    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(Arrays.asList(b));
        return l;
    }
}
