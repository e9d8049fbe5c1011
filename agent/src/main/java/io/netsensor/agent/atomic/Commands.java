package io.netsensor.agent.atomic;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system tools the atomic harness needs (ip, ss), bounded in time, with their output for errors. */
final class Commands {
    private Commands() {}

    record Result(int exit, String output) {}

    /** Runs a command to its end (or kills it after timeoutSeconds) and returns exit code and combined output. */
    static Result exec(int timeoutSeconds, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(done ? p.exitValue() : -1, out);
        } catch (IOException e) {
            return new Result(127, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** As exec, failing with the command and its output when it does not exit 0. */
    static String run(String... cmd) {
        Result r = exec(20, List.of(cmd));
        if (r.exit != 0) {
            throw new AtomicSetupException(String.join(" ", cmd) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
        return r.output;
    }

    /** The command prefixed to run inside network namespace ns. */
    static List<String> inNs(String ns, String... cmd) {
        List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        l.addAll(Arrays.asList(cmd));
        return l;
    }

    /** Whether an executable of this name is on PATH (looked up here: no shell needed). */
    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Effective uid 0: the owner of /proc/self is the process's effective user. */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
