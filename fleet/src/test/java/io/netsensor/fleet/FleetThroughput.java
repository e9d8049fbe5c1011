package io.netsensor.fleet;

import io.netsensor.sinks.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;

/**
 * The fleet's throughput benchmark (benchmarks/fleet-throughput.sh runs it): a real single-node KRaft broker,
 * ROWS telemetry rows sent through the real Kafka sink (HOSTS hosts, DESTINATIONS addresses, 4 partitions),
 * then `netsensor fleet` processes over them from the start, once with one instance and once with two (each a
 * separate JVM, its own application id). Prints rows per second from the group's first commit to its having
 * committed the end of the input, so JVM start and the first rebalance are not counted.
 *
 * <p>Arguments: [ROWS [HOSTS [DESTINATIONS]]], default 200000 500 20000.
 */
public final class FleetThroughput {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int destinations = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Path dir = Files.createTempDirectory("netsensor-fleet-bench-");
        try (KafkaTestBroker broker = KafkaTestBroker.start(dir.resolve("broker"), java.util.Map.of("group.min.session.timeout.ms", "2000"));
             Admin admin = broker.admin()) {
            broker.createTopics(4, "bench.telemetry", "bench.alerts");
            long t = System.nanoTime();
            try (FleetFeed feed = new FleetFeed(broker.bootstrap(), "bench.telemetry", hosts, destinations, 1)) {
                for (int sent = 0; sent < rows; sent += 5_000) feed.interval(Math.min(5_000, rows - sent));
            }
            System.out.printf("sent %d telemetry rows through the Kafka sink in %.1f s (%d hosts, %d destinations, 4 partitions)%n",
                    rows, (System.nanoTime() - t) / 1e9, hosts, destinations);
            double reference = consumeAndParse(broker.bootstrap(), rows);
            double one = run(broker, admin, dir, "bench-1", 1, rows);
            double two = run(broker, admin, dir, "bench-2", 2, rows);
            System.out.printf("fleet throughput: one instance %.0f rows/s (%.2f of the reference), two instances %.0f rows/s (x%.2f); "
                            + "reference (one consumer reading and parsing, no state) %.0f rows/s; load average %s; %d cores%n",
                    one, one / reference, two, two / one, reference, loadAverage(), Runtime.getRuntime().availableProcessors());
        }
    }

    private static double run(KafkaTestBroker broker, Admin admin, Path dir, String appId, int instances, int rows) throws Exception {
        Path cfg = FleetScaleOutIT.config(dir, appId, "bench");
        // the shipped default commit interval, not the tests' 100 ms
        Files.writeString(cfg, Files.readString(cfg).replace("commit_interval: 100ms", "commit_interval: 200ms"));
        FleetProcess[] ps = new FleetProcess[instances];
        try {
            for (int i = 0; i < instances; i++)
                ps[i] = FleetProcess.start(broker.bootstrap(), cfg, dir.resolve(appId + "-state-" + i), dir.resolve(appId + "-" + i + ".log"));
            FleetScaleOutIT.await("the first commit of " + appId, Duration.ofMinutes(3), () -> committedOrZero(admin, appId) > 0);
            long started = System.nanoTime(), from = committedOrZero(admin, appId);
            FleetCluster.awaitCaughtUp(admin, appId, Set.of("bench.telemetry", "bench.alerts"), Duration.ofMinutes(30));
            double s = (System.nanoTime() - started) / 1e9;
            double rate = (rows - from) / s;
            System.out.printf("%d instance(s): %d rows in %.1f s after the first commit: %.0f rows/s%n", instances, rows - from, s, rate);
            return rate;
        } finally {
            for (FleetProcess p : ps) if (p != null) p.close();
        }
    }

    /** The reference in the same run: one plain consumer reading every row and parsing it as the fleet does, keeping nothing. */
    private static double consumeAndParse(String bootstrap, int rows) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("group.id", "bench-reference");
        p.put("enable.metrics.push", "false");
        AgentRecords parser = new AgentRecords(new FleetSettings().beacon.ignoredServices);
        long started = System.nanoTime(), n = 0, observations = 0;
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.subscribe(java.util.List.of("bench.telemetry"));
            while (n < rows && System.nanoTime() - started < 600e9) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    n++;
                    observations += parser.telemetry(r.key(), r.value()).size();
                }
            }
        }
        double rate = n / ((System.nanoTime() - started) / 1e9);
        System.out.printf("reference: one consumer read and parsed %d rows (%d observations): %.0f rows/s%n", n, observations, rate);
        return rate;
    }

    private static long committedOrZero(Admin admin, String group) {
        try {
            return FleetScaleOutIT.committed(admin, group);
        } catch (Exception e) {
            return 0; // the group does not exist yet
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
