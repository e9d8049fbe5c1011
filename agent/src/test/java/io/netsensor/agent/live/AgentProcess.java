package io.netsensor.agent.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real agent, started through the repository's ./netsensor launcher, as a user would run it. */
public final class AgentProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path stdout, stderr;

    private AgentProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("netsensor"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("launcher ./netsensor not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static AgentProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, java.util.Map.of(), args);
    }

    /** As above, with extra environment variables (e.g. NETSENSOR_ATTRIBUTION=user). */
    public static AgentProcess start(Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, List.of(), args);
    }

    /**
     * As above, the launcher run through a wrapper command that execs it (e.g. setpriv to another user
     * with capabilities), so the agent keeps the wrapper's pid.
     */
    public static AgentProcess start(Path workDir, java.util.Map<String, String> env, List<String> wrapper, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(repoRoot().resolve("netsensor").toString());
        cmd.addAll(List.of(args));
        Path out = workDir.resolve("agent.stdout"), err = workDir.resolve("agent.stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new AgentProcess(p, out, err);
    }

    /** Waits until the agent's stderr contains the text (e.g. its "capturing on" line). */
    public void awaitStderr(String text, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(stderr) && Files.readString(stderr).contains(text)) return;
            if (!process.isAlive()) throw new IllegalStateException("agent exited early:\n" + stderrText());
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("agent never printed '" + text + "':\n" + stderrText());
    }

    /** SIGTERM, as systemd would stop it; returns the exit code. */
    public int terminate(int seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** SIGKILL (kill -9): no shutdown hook, nothing flushed; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String stderrText() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    public String stdoutText() throws IOException {
        return Files.exists(stdout) ? Files.readString(stdout) : "";
    }

    public List<JsonNode> jsonLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(stdout)) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        return out;
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
