package io.netsensor.agent.atomic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.EventPump;
import io.netsensor.agent.Main;
import io.netsensor.agent.Sensor;
import io.netsensor.config.Settings;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.events.ProcessEvent;
import io.netsensor.format.EventJson;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real agent, `netsensor run`, in its own JVM inside the victim namespace (ip netns exec), so that
 * it captures on the victim's veth and attributes that namespace's sockets to processes exactly as it
 * would on a real host. It is started with this JVM's java, flags and class path; its stdout (JSON lines,
 * with --events) is read as it grows.
 */
final class AgentUnderTest implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path stdout, stderr, dataDir;
    private long readOffset;
    private final StringBuilder partial = new StringBuilder();

    private AgentUnderTest(Process process, Path stdout, Path stderr, Path dataDir) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.dataDir = dataDir;
    }

    static AgentUnderTest start(AtomicNet net, String profile) throws IOException {
        Path data = Files.createDirectories(net.workDir().resolve("data"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", net.victimNs));
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger or profiler agent of this JVM would clash with the child's (same port, same output).
            if (!flag.startsWith("-agentlib:") && !flag.startsWith("-javaagent:") && !flag.startsWith("-agentpath:")) cmd.add(flag);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--interface", net.victimIf, "--data-dir", data.toString(), "--profile", profile, "--events"));
        Path out = net.workDir().resolve("agent.stdout"), err = net.workDir().resolve("agent.stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        return new AgentUnderTest(p, out, err, data);
    }

    /** Waits until the agent captures (its "capturing on" line); fails with its own words if it exits first. */
    void awaitCapturing(int seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (stderrText().contains("capturing on")) return;
            if (!process.isAlive()) throw new AtomicSetupException("the agent exited (" + process.exitValue() + ") before capturing: " + lastLine(stderrText()));
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AtomicSetupException("the agent did not start capturing within " + seconds + " s: " + lastLine(stderrText()));
    }

    /** The attribution mode the agent reported ("kernel", "user space", "off"), or "unknown". */
    String attributionMode() throws IOException {
        for (String line : stderrText().split("\n")) {
            if (line.startsWith("netsensor: attribution: ")) {
                String rest = line.substring("netsensor: attribution: ".length());
                return rest.startsWith("kernel") ? "kernel" : rest.startsWith("user space") ? "user space" : "off";
            }
        }
        return "unknown";
    }

    /** The JSON lines printed since the last call (complete lines only). */
    List<JsonNode> newRecords() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(stdout)) return out;
        try (RandomAccessFile f = new RandomAccessFile(stdout.toFile(), "r")) {
            long len = f.length();
            if (len <= readOffset) return out;
            byte[] buf = new byte[(int) (len - readOffset)];
            f.seek(readOffset);
            f.readFully(buf);
            readOffset = len;
            partial.append(new String(buf, StandardCharsets.UTF_8));
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, nl);
            partial.delete(0, nl + 1);
            if (!line.isBlank() && line.startsWith("{")) out.add(JSON.readTree(line));
        }
        return out;
    }

    /**
     * The agent's BURST records (check-ins inside connections), as `netsensor events --type burst` prints
     * them, read from its journal once it has stopped (the console printer, --events, prints them too, but
     * a burst is written only when the next one starts or its flow ends: after the stop, every one is in).
     */
    List<JsonNode> journaledBursts() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProcessDirectory processes = new ProcessDirectory(4096);
        EventJson json = new EventJson(buf, null, processes);
        EventHandler bursts = new EventHandler() {
            @Override
            public void onConn(ConnEvent e) {}

            @Override
            public void onDns(DnsEvent e) {}

            @Override
            public void onProcess(ProcessEvent e) {
                processes.put(e);
            }

            @Override
            public void onBurst(BurstEvent e) {
                json.burst(e);
            }
        };
        try (Journal journal = Sensor.openJournal(new Settings(), dataDir, false); JournalReader reader = journal.reader()) {
            EventPump.drain(reader, bursts, () -> true);
        }
        json.close();
        List<JsonNode> out = new ArrayList<>();
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) out.add(JSON.readTree(line));
        }
        return out;
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (open flows are flushed as END records), bounded; returns the exit code, -1 when it had to be killed. */
    int stop(int seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    String stderrText() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "(no output)" : lines[lines.length - 1];
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
