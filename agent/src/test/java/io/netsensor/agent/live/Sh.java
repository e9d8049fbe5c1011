package io.netsensor.agent.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real commands (ip, nc, dig, dnsmasq) for the live tests, failing loudly with their output. */
public final class Sh {
    private Sh() {}

    public static String run(String... cmd) {
        return run(30, cmd);
    }

    public static String run(int timeoutSeconds, String... cmd) {
        Result r = exec(timeoutSeconds, cmd);
        if (r.exit != 0) {
            throw new IllegalStateException("command failed (" + r.exit + "): " + String.join(" ", cmd) + "\n" + r.output);
        }
        return r.output;
    }

    /** Runs a command and returns its exit code and combined output, whatever the exit code. */
    public static Result exec(int timeoutSeconds, String... cmd) {
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
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public static boolean available(String tool) {
        return exec(5, "sh", "-c", "command -v " + tool).exit == 0;
    }

    public static boolean isRoot() {
        return "0".equals(exec(5, "id", "-u").output.trim());
    }

    public static List<String> inNs(String ns, String... cmd) {
        List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        l.addAll(Arrays.asList(cmd));
        return l;
    }

    public static final class Result {
        public final int exit;
        public final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }
}
