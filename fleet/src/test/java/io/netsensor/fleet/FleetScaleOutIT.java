package io.netsensor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.sinks.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out and exactly-once on a real broker: two `netsensor fleet` processes share the partitions; one is
 * killed with SIGKILL while telemetry streams in; the other takes its tasks over (restoring their RocksDB
 * stores from the changelogs) and the final prevalence of every destination equals the truth: no row
 * counted twice (the dead instance's open transaction is aborted, its uncommitted input re-read once) and
 * none lost.
 */
class FleetScaleOutIT {
    @TempDir
    static Path dir;
    static KafkaTestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = FleetCluster.broker(dir.resolve("broker"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    static Path config(Path dir, String appId, String prefix) throws Exception {
        Path cfg = dir.resolve(appId + ".yaml");
        Files.writeString(cfg, String.join("\n",
                "application_id: " + appId,
                "commit_interval: 100ms",
                "log_summary_interval: 2s",
                "topics:",
                "  telemetry: " + prefix + ".telemetry",
                "  alerts: " + prefix + ".alerts",
                "  prevalence: " + prefix + ".prevalence",
                "  fleet_alerts: " + prefix + ".fleet-alerts",
                "streams_properties:",
                "  session.timeout.ms: '3000'",
                "  heartbeat.interval.ms: '500'",
                "  transaction.timeout.ms: '4000'",
                ""));
        return cfg;
    }

    /** Members of the group that own at least one partition. */
    static int activeMembers(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(Set.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
        int n = 0;
        for (MemberDescription m : d.members()) if (!m.assignment().topicPartitions().isEmpty()) n++;
        return n;
    }

    static void await(String what, Duration max, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    @Test
    void twoInstancesShareThePartitionsAndAKill9LosesAndDoublesNothing() throws Exception {
        String prefix = "scale", appId = "fleet-scale";
        broker.createTopics(4, prefix + ".telemetry", prefix + ".alerts");
        Path cfg = config(dir, appId, prefix);
        long t0 = System.nanoTime();
        try (Admin admin = broker.admin();
             FleetFeed feed = new FleetFeed(broker.bootstrap(), prefix + ".telemetry", 40, 300, 7);
             FleetProcess a = FleetProcess.start(broker.bootstrap(), cfg, dir.resolve("state-a"), dir.resolve("a.log"));
             FleetProcess b = FleetProcess.start(broker.bootstrap(), cfg, dir.resolve("state-b"), dir.resolve("b.log"))) {
            for (int i = 0; i < 10; i++) feed.interval(300);
            await("both instances to own partitions", Duration.ofSeconds(60), () -> activeMembers(admin, appId) == 2);
            for (int i = 0; i < 10; i++) feed.interval(300);
            // mid-stream: A has processed some of its share and has a transaction open on the rest
            await("the fleet to make progress", Duration.ofSeconds(60), () -> committed(admin, appId) > 2000);
            for (int i = 0; i < 5; i++) feed.interval(300);
            assertThat(a.alive()).as("instance A running before the kill:\n%s", a.output()).isTrue();
            a.kill9();
            for (int i = 0; i < 15; i++) feed.interval(300);
            await("B alone to own every partition", Duration.ofSeconds(60), () -> activeMembers(admin, appId) == 1);
            FleetCluster.awaitCaughtUp(admin, appId, Set.of(prefix + ".telemetry", prefix + ".alerts"), Duration.ofSeconds(90));
            assertThat(b.alive()).as("instance B:\n%s", b.output()).isTrue();

            Map<String, JsonNode> prevalence = FleetCluster.latest(FleetCluster.readAll(broker.bootstrap(), prefix + ".prevalence",
                    Duration.ofSeconds(3), Duration.ofSeconds(30)));
            Map<String, FleetFeed.Truth> truth = feed.truth();
            assertThat(feed.sent).isEqualTo(40 * 300);
            assertThat(prevalence.keySet()).isEqualTo(truth.keySet());
            for (var e : truth.entrySet()) {
                JsonNode p = prevalence.get(e.getKey());
                assertThat(p.get("contacts").asLong()).as("rows of %s", e.getKey()).isEqualTo(e.getValue().rows());
                assertThat(p.get("connections").asLong()).as("connections of %s", e.getKey()).isEqualTo(e.getValue().connections());
                assertThat(p.get("hosts_7d").asInt()).as("hosts of %s", e.getKey()).isEqualTo(e.getValue().hosts().size());
            }
            System.out.printf("scale-out: %d rows, %d destinations exact after kill -9 of one of two instances, in %.1f s%n",
                    feed.sent, truth.size(), (System.nanoTime() - t0) / 1e9);
            // SIGTERM: the shutdown hook closes Streams (commit, leave the group); the JVM exits 128 + 15
            assertThat(b.stop()).as("B's exit on SIGTERM:\n%s", b.output()).isEqualTo(0);
            assertThat(b.output()).contains("netsensor fleet: " + appId + " reading").containsPattern("netsensor fleet: \\d+ telemetry and 0 alert records read \\(0 unreadable\\)");
        }
    }

    /** Input records the group has committed, over the input topic's partitions. */
    static long committed(Admin admin, String group) throws Exception {
        long n = 0;
        for (var e : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).entrySet())
            if (e.getKey().topic().endsWith(".telemetry") && e.getValue() != null) n += e.getValue().offset();
        return n;
    }
}
