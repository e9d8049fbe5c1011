package io.netsensor.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.sinks.kafka.KafkaTestBroker;
import io.netsensor.testkit.Shared;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A real KRaft broker tuned for the fleet's tests (fast group joins, fast aborts of a dead instance's transactions). */
final class FleetCluster {
    static final ObjectMapper JSON = new ObjectMapper();

    private FleetCluster() {}

    static KafkaTestBroker broker(Path dir) throws Exception {
        try {
            return KafkaTestBroker.start(dir, Map.of(
                    "group.min.session.timeout.ms", "2000",
                    // a kill -9'd instance's open transaction is aborted this soon after its timeout
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
                    "transaction.state.log.num.partitions", "4",
                    "offsets.topic.num.partitions", "4"));
        } catch (KafkaTestBroker.Unavailable e) {
            String msg = "the Kafka test broker could not start here: " + e.getMessage();
            if (Shared.inCi()) throw new AssertionError(msg + " (CI=true: this fails instead of skipping)");
            org.junit.jupiter.api.Assumptions.abort(msg + "; skipping");
            throw new AssertionError(msg);
        }
    }

    /** Fleet settings for a test: fast commits and failure detection, a state dir of its own. */
    static FleetSettings settings(String appId, Path stateDir, String prefix) {
        FleetSettings s = new FleetSettings();
        s.applicationId = appId;
        s.stateDir = stateDir.toString();
        s.commitInterval = Duration.ofMillis(100);
        s.learning = Duration.ofMinutes(10);
        s.topics.telemetry = prefix + ".telemetry";
        s.topics.alerts = prefix + ".alerts";
        s.topics.prevalence = prefix + ".prevalence";
        s.topics.fleetAlerts = prefix + ".fleet-alerts";
        s.streamsProperties.put("session.timeout.ms", "3000");
        s.streamsProperties.put("heartbeat.interval.ms", "500");
        s.streamsProperties.put("transaction.timeout.ms", "4000");
        s.streamsProperties.put("consumer.max.poll.records", "2000");
        s.logSummaryInterval = Duration.ZERO;
        return FleetSettingsLoader.validated(s, "test");
    }

    /** Every committed record of a topic, read from the start until it stays quiet for {@code quiet}. */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, Duration quiet, Duration max) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put("enable.metrics.push", "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + max.toNanos(), lastData = System.nanoTime();
            while (System.nanoTime() < deadline && System.nanoTime() - lastData < quiet.toNanos()) {
                var batch = c.poll(Duration.ofMillis(200));
                for (var r : batch) out.add(r);
                if (!batch.isEmpty()) lastData = System.nanoTime();
            }
        }
        return out;
    }

    /** The latest value per key (a compacted topic's view); tombstones remove. */
    static Map<String, JsonNode> latest(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        Map<String, JsonNode> m = new HashMap<>();
        for (var r : records) {
            if (r.value() == null) m.remove(r.key()); else m.put(r.key(), JSON.readTree(r.value()));
        }
        return m;
    }

    static List<JsonNode> json(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (var r : records) l.add(JSON.readTree(r.value()));
        return l;
    }

    /** Waits until the application's group has committed up to the end of the input topics (it has read everything). */
    static void awaitCaughtUp(Admin admin, String appId, Set<String> topics, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values())
                for (var p : d.partitions()) ask.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Predicate<TopicPartition> caughtUp = tp -> ends.get(tp).offset() == 0
                    || (done.get(tp) != null && done.get(tp).offset() >= ends.get(tp).offset());
            if (ask.keySet().stream().allMatch(caughtUp)) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the fleet did not catch up within " + max + ": committed " + done + ", ends " + ends);
            Thread.sleep(200);
        }
    }
}
