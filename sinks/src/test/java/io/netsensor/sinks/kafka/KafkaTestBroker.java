package io.netsensor.sinks.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) from the kafka_2.13 artifact on the test
 * classpath, in a child JVM so a test can kill it and start it again on the same log directory and ports.
 * Listens on 127.0.0.1 only; its output goes to {@code broker.log} in its directory.
 */
public final class KafkaTestBroker implements AutoCloseable {
    /** Thrown when the broker cannot start here (the caller skips, or fails in CI). */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    public final Path dir;
    public final int port, controllerPort;
    private final Path config, log;
    private final Map<String, String> extra;
    private Process process;

    private KafkaTestBroker(Path dir, int port, int controllerPort, Map<String, String> extra) {
        this.dir = dir;
        this.extra = extra;
        this.port = port;
        this.controllerPort = controllerPort;
        this.config = dir.resolve("server.properties");
        this.log = dir.resolve("broker.log");
    }

    public static KafkaTestBroker start(Path dir) throws Unavailable, IOException, InterruptedException {
        return start(dir, Map.of());
    }

    /** With broker settings over the defaults (e.g. fleet's tests: faster session and transaction timeouts). */
    public static KafkaTestBroker start(Path dir, Map<String, String> extra) throws Unavailable, IOException, InterruptedException {
        Files.createDirectories(dir);
        KafkaTestBroker b = new KafkaTestBroker(dir, freePort(), freePort(), Map.copyOf(extra));
        b.writeConfig();
        b.format();
        b.launch();
        return b;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** Kills the broker as a crash would (SIGKILL), and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts it again on the same log directory and ports; returns once it serves requests. */
    public void restart() throws Unavailable, IOException, InterruptedException {
        launch();
    }

    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) topics.add(new NewTopic(n, partitions, (short) 1));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
    }

    private void writeConfig() throws IOException {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // two cores: keep the broker's thread pools small so the test JVM still gets its share
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.enable", "false");
        p.putAll(extra);
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, "netsensor test broker");
        }
    }

    private void format() throws Unavailable, IOException, InterruptedException {
        Process f = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--standalone");
        if (!f.waitFor(90, TimeUnit.SECONDS)) {
            f.destroyForcibly();
            throw new Unavailable("formatting the log directory took over 90 s; see " + log);
        }
        if (f.exitValue() != 0) throw new Unavailable("kafka.tools.StorageTool format exited " + f.exitValue() + ": " + tail());
    }

    private void launch() throws Unavailable, IOException, InterruptedException {
        process = java("kafka.Kafka", config.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new Unavailable("the broker exited " + process.exitValue() + ": " + tail());
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(250);
                }
            }
        }
        process.destroyForcibly();
        throw new Unavailable("the broker did not answer within 90 s: " + tail());
    }

    private Process java(String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms256m");
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC"); // two cores: no parallel GC threads competing with the test
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-cp");
        cmd.add(testClassPath());
        cmd.add(main);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Surefire's real test classpath (java.class.path may be a single manifest-only booter jar). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
        return cp;
    }

    /** The end of the broker's log, as one line, for a message. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>();
            for (int i = lines.size() - 1; i >= 0 && last.size() < 3; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty() && !l.startsWith("at ")) last.add(0, l);
            }
            return String.join(" | ", last) + " (log: " + log + ")";
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
