package io.netsensor.fleet;

import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.kafka.KafkaOptions;
import io.netsensor.sinks.kafka.KafkaSink;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A synthetic fleet's telemetry sent through the real Kafka sink (one sink per host, host_id its name): rows of
 * random hosts to random destinations, in interval order. Keeps the truth the fleet must arrive at: per
 * destination, its rows, connections and distinct hosts.
 */
final class FleetFeed implements AutoCloseable {
    static final long MIN_NS = 60_000_000_000L;
    /** 2026-03-02T00:00:00Z */
    static final long T0_NS = 1_772_409_600_000_000_000L;

    record Truth(long rows, long connections, Set<String> hosts) {}

    private final Map<String, KafkaSink> sinks = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<String, Set<String>> hosts = new HashMap<>();
    private final String bootstrap, topic;
    private final int hostCount, destinations;
    private final SplittableRandom random;
    private long interval;
    long sent;

    FleetFeed(String bootstrap, String topic, int hosts, int destinations, long seed) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.hostCount = hosts;
        this.destinations = destinations;
        this.random = new SplittableRandom(seed);
    }

    private KafkaSink sink(String host) {
        return sinks.computeIfAbsent(host, h -> new KafkaSink(KafkaOptions.builder("fleet", List.of(bootstrap)).hostId(h)
                .kinds(EnumSet.of(RecordKind.TELEMETRY)).telemetryTopic(topic).linger(Duration.ofMillis(5)).build()));
    }

    /** One more interval: {@code rows} rows of random hosts and destinations, then every sink flushes (acks=all). */
    void interval(int rows) throws IOException {
        long start = T0_NS + interval++ * MIN_NS;
        for (int i = 0; i < rows; i++) {
            String host = "host-" + random.nextInt(hostCount);
            int d = random.nextInt(destinations);
            String ip = "198.18." + (d / 250) + "." + (d % 250 + 1);
            TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.CONN);
            b.intervalStartNanos = start;
            b.intervalEndNanos = start + MIN_NS;
            b.localIp = "10.2.0.1";
            b.remoteIp = ip;
            b.remotePort = 443;
            b.transport = Transport.TCP;
            b.connections = 1 + random.nextInt(5);
            b.firstSeenNanos = start + random.nextInt(30) * 1_000_000_000L;
            b.lastSeenNanos = b.firstSeenNanos + 1_000_000_000L;
            sink(host).onTelemetry(b.build());
            String key = Observation.ipKey(ip);
            long[] c = counts.computeIfAbsent(key, k -> new long[2]);
            c[0]++;
            c[1] += b.connections;
            hosts.computeIfAbsent(key, k -> new HashSet<>()).add(host);
            sent++;
        }
        for (KafkaSink s : sinks.values()) s.flush();
    }

    Map<String, Truth> truth() {
        Map<String, Truth> m = new HashMap<>();
        for (var e : counts.entrySet()) m.put(e.getKey(), new Truth(e.getValue()[0], e.getValue()[1], hosts.get(e.getKey())));
        return m;
    }

    @Override
    public void close() {
        for (KafkaSink s : sinks.values()) s.close();
    }
}
