package io.netsensor.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.events.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The real fleet topology on Kafka's TopologyTestDriver: documents in, prevalence and alerts out, no broker. */
final class FleetDriver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final AgentDocs docs = new AgentDocs();
    final FleetMetrics metrics = new FleetMetrics();
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> telemetry, alerts;
    private final TestOutputTopic<String, byte[]> prevalence, fleetAlerts;
    private final Map<String, JsonNode> latest = new TreeMap<>();
    private final List<JsonNode> raised = new ArrayList<>();

    FleetDriver(FleetSettings cfg, Path stateDir) {
        cfg.stateDir = stateDir.toString();
        FleetSettingsLoader.validated(cfg, "test");
        Properties p = new FleetApp(cfg, "unused:9092").properties();
        driver = new TopologyTestDriver(FleetTopology.build(cfg, metrics, false), p);
        telemetry = driver.createInputTopic(cfg.topics.telemetry, new ByteArraySerializer(), new ByteArraySerializer());
        alerts = driver.createInputTopic(cfg.topics.alerts, new ByteArraySerializer(), new ByteArraySerializer());
        prevalence = driver.createOutputTopic(cfg.topics.prevalence, new StringDeserializer(), new ByteArrayDeserializer());
        fleetAlerts = driver.createOutputTopic(cfg.topics.fleetAlerts, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Settings for tests: a 10 min learning period, everything else as shipped. */
    static FleetSettings settings() {
        FleetSettings s = new FleetSettings();
        s.learning = java.time.Duration.ofMinutes(10);
        return s;
    }

    void telemetry(String host, byte[] doc) {
        telemetry.pipeInput(host.getBytes(StandardCharsets.UTF_8), doc);
    }

    void alert(String host, byte[] doc) {
        alerts.pipeInput(host.getBytes(StandardCharsets.UTF_8), doc);
    }

    private record Pending(long time, String host, byte[] doc) {}

    private final List<Pending> pending = new ArrayList<>();

    /** One CONN row per minute that has connections, for connections at the given times (ms); sent by {@link #play}. */
    void connections(String host, String remote, int port, Transport t, List<Long> times, List<String> names) {
        Map<Long, List<Long>> byMinute = new LinkedHashMap<>();
        for (long x : times) byMinute.computeIfAbsent(Math.floorDiv(x, AgentDocs.MIN), k -> new ArrayList<>()).add(x);
        for (Map.Entry<Long, List<Long>> e : byMinute.entrySet())
            pending.add(new Pending((e.getKey() + 1) * AgentDocs.MIN, host,
                    docs.conn(host, remote, port, t, e.getValue().stream().mapToLong(Long::longValue).toArray(), names)));
    }

    /** A DNS row for the minute of t; sent by {@link #play}. */
    void dns(String host, String registered, long t, long queries, long nx) {
        pending.add(new Pending((Math.floorDiv(t, AgentDocs.MIN) + 1) * AgentDocs.MIN, host, docs.dns(host, registered, t, queries, nx)));
    }

    /** Sends the rows made so far in the order the agents would (by interval end; stable for equal times). */
    void play() {
        pending.sort(java.util.Comparator.comparingLong(Pending::time));
        for (Pending x : pending) telemetry(x.host, x.doc);
        pending.clear();
    }

    /** Connection times from start: every period s with uniform jitter of ±jitter s, n of them. */
    static List<Long> beacon(long start, double period, double jitter, int n, java.util.SplittableRandom r) {
        List<Long> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(start + Math.round((i * period + (r.nextDouble() * 2 - 1) * jitter) * 1000));
        l.sort(null);
        return l;
    }

    /** A person's connection times from start: exponential gaps of mean s, until end. */
    static List<Long> browsing(long start, long end, double mean, java.util.SplittableRandom r) {
        List<Long> l = new ArrayList<>();
        for (long t = start; t < end; t += Math.round(-Math.log(1 - r.nextDouble()) * mean * 1000) + 1) l.add(t);
        return l;
    }

    /** Reads what the topology wrote since the last call. */
    private void drain() {
        try {
            while (!prevalence.isEmpty()) {
                var r = prevalence.readRecord();
                if (r.value() == null) latest.remove(r.key()); else latest.put(r.key(), JSON.readTree(r.value()));
            }
            while (!fleetAlerts.isEmpty()) raised.add(JSON.readTree(fleetAlerts.readRecord().value()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Map<String, JsonNode> prevalence() {
        drain();
        return latest;
    }

    List<JsonNode> alerts() {
        drain();
        return raised;
    }

    List<String> rules() {
        return alerts().stream().map(a -> a.at("/rule/id").asText()).toList();
    }

    void advanceWallClock(java.time.Duration d) {
        driver.advanceWallClockTime(d);
    }

    @Override
    public void close() {
        driver.close();
    }
}
