package io.netsensor.sinks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.sinks.RecordKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka sink's contract without a broker (Kafka's MockProducer), and its options. */
@Timeout(60)
class KafkaSinkTest {
    static {
        // the producer's and consumer's INFO lines (a full config dump per client) drown the test output
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    static final ObjectMapper JSON = new ObjectMapper();

    static KafkaOptions.Builder options() {
        return KafkaOptions.builder("k", List.of("127.0.0.1:9092")).hostId("sensor-1")
                .kinds(EnumSet.of(RecordKind.ALERT, RecordKind.EVENT));
    }

    static ConnEvent conn(long id) {
        ConnEvent e = new ConnEvent();
        e.flowId = id;
        e.state = ConnState.SF;
        e.origIpLo = Ip.v4Lo(0x0a000001);
        e.respIpLo = Ip.v4Lo(0x08080808);
        e.startNanos = 1_700_000_000_000_000_000L;
        e.endNanos = e.startNanos + 1;
        return e;
    }

    /** A mock producer that fails the sends whose number (from 0) the test names. */
    static final class Flaky extends MockProducer<byte[], byte[]> {
        final AtomicInteger sends = new AtomicInteger();
        final java.util.Set<Integer> failing;

        Flaky(Integer... failing) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.failing = new java.util.HashSet<>(List.of(failing));
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> r, Callback cb) {
            if (failing.contains(sends.getAndIncrement())) {
                CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
                // not done yet, as a real send that fails later (after retries) would be
                CompletableFuture.delayedExecutor(20, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .execute(() -> f.completeExceptionally(new NotEnoughReplicasException("Messages are rejected since there are fewer in-sync replicas than required.")));
                return f;
            }
            return super.send(r, cb);
        }

        @Override
        public synchronized void flush() {
            super.flush();
            try {
                Thread.sleep(50); // the failing futures above complete meanwhile, as producer.flush() waits for them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void eachKindGoesToItsTopicKeyedByHostIdWithTheEcsDocumentAsValue() throws Exception {
        MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (KafkaSink sink = new KafkaSink(options().build(), () -> mock)) {
            sink.onConn(conn(1));
            DnsEvent d = new DnsEvent();
            d.setQname("example.org");
            sink.onDns(d);
            sink.onAlert(KafkaSinkBrokerTest.alert("a-1"));
            io.netsensor.events.TelemetryRow.Builder t = new io.netsensor.events.TelemetryRow.Builder(io.netsensor.events.TelemetryRow.Kind.CONN);
            t.localIp = "10.0.0.1";
            t.remoteIp = "198.51.100.7";
            t.transport = io.netsensor.events.Transport.TCP;
            sink.onTelemetry(t.build());
            io.netsensor.events.BurstEvent b = new io.netsensor.events.BurstEvent();
            b.flowId = 1;
            b.index = 3;
            b.origIpLo = Ip.v4Lo(0x0a000001);
            b.respIpLo = Ip.v4Lo(0x08080808);
            sink.onBurst(b);
            assertThat(sink.pending()).isEqualTo(5);
            sink.flush();
            assertThat(sink.pending()).isZero();
            assertThat(sink.delivered()).isEqualTo(5);
        }
        List<ProducerRecord<byte[], byte[]>> h = mock.history();
        assertThat(h).extracting(ProducerRecord::topic).containsExactly("netsensor.events", "netsensor.events", "netsensor.alerts",
                "netsensor.telemetry", "netsensor.events");
        assertThat(h).allSatisfy(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("sensor-1");
            assertThat(r.partition()).isNull(); // the key picks the partition
            assertThat(r.timestamp()).isNull();
            assertThat(JSON.readTree(r.value()).at("/host/name").asText()).isEqualTo("sensor-1");
        });
        assertThat(JSON.readTree(h.get(0).value()).at("/event/dataset").asText()).isEqualTo("netsensor.conn");
        assertThat(JSON.readTree(h.get(1).value()).at("/dns/question/name").asText()).isEqualTo("example.org");
        assertThat(JSON.readTree(h.get(2).value()).at("/netsensor/alert_id").asText()).isEqualTo("a-1");
        assertThat(JSON.readTree(h.get(4).value()).at("/event/dataset").asText()).as("a burst is an event").isEqualTo("netsensor.burst");
        assertThat(JSON.readTree(h.get(4).value()).at("/netsensor/burst/index").asInt()).isEqualTo(3);
        assertThat(mock.closed()).isTrue();
    }

    @Test
    void anyFailedSendFailsTheFlushAndTheWholeBatchIsSentAgain() throws Exception {
        Flaky mock = new Flaky(1);
        try (KafkaSink sink = new KafkaSink(options().build(), () -> mock)) {
            for (long i = 0; i < 3; i++) sink.onConn(conn(i));
            assertThatThrownBy(sink::flush).isInstanceOf(IOException.class).hasMessage("kafka sink 'k': 1 of 3 record(s) not acknowledged:"
                    + " NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required.;"
                    + " sending the batch again");
            assertThat(sink.pending()).isEqualTo(3);
            assertThat(sink.delivered()).isZero();
            sink.flush();
            assertThat(sink.pending()).isZero();
            assertThat(sink.delivered()).isEqualTo(3);
        }
        assertThat(mock.sends.get()).isEqualTo(6);
        // sends 0 and 2 landed twice: the duplicates a failed batch may leave, in order after the first copies
        assertThat(mock.history()).extracting(r -> JSON.readTree(r.value()).at("/netsensor/flow_id").asText())
                .containsExactly("0", "2", "0", "1", "2");
    }

    @Test
    void aProducerThatCannotBeMadeIsOneMoreRetriedFailure() throws Exception {
        AtomicInteger made = new AtomicInteger();
        MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (KafkaSink sink = new KafkaSink(options().build(), () -> {
            if (made.getAndIncrement() == 0)
                throw new org.apache.kafka.common.config.ConfigException("No resolvable bootstrap urls given in bootstrap.servers");
            return mock;
        })) {
            sink.onConn(conn(1));
            assertThatThrownBy(sink::flush).hasMessage("kafka sink 'k': cannot send to 127.0.0.1:9092: ConfigException:"
                    + " No resolvable bootstrap urls given in bootstrap.servers");
            sink.flush();
            assertThat(sink.delivered()).isEqualTo(1);
        }
        assertThat(made.get()).isEqualTo(2);
    }

    @Test
    void aProducerInAFatalStateIsReplaced() throws Exception {
        MockProducer<byte[], byte[]> broken = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        broken.flushException = new KafkaException("producer is in a fatal state");
        MockProducer<byte[], byte[]> fresh = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        List<MockProducer<byte[], byte[]>> producers = new java.util.ArrayList<>(List.of(broken, fresh));
        try (KafkaSink sink = new KafkaSink(options().build(), () -> producers.remove(0))) {
            sink.onConn(conn(1));
            assertThatThrownBy(sink::flush).hasMessageContaining("producer is in a fatal state");
            assertThat(broken.closed()).isTrue();
            sink.flush();
        }
        assertThat(fresh.history()).hasSize(1);
    }

    @Test
    void anUnreachableBrokerFailsTheFlushWithinTheTimeoutsAndKeepsTheBatch() throws Exception {
        KafkaOptions o = KafkaOptions.builder("k", List.of("127.0.0.1:1")).hostId("h").linger(Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(1)).deliveryTimeout(Duration.ofSeconds(2)).build();
        try (KafkaSink sink = new KafkaSink(o)) {
            sink.onAlert(KafkaSinkBrokerTest.alert("a"));
            sink.onAlert(KafkaSinkBrokerTest.alert("b"));
            long t0 = System.nanoTime();
            assertThatThrownBy(sink::flush).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("kafka sink 'k': 1 of 2 record(s) not acknowledged (1 not sent): TimeoutException:")
                    .hasMessageContaining("not present in metadata");
            assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
            assertThat(sink.pending()).isEqualTo(2);
        }
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndCompression() {
        Properties p = options().compression(KafkaOptions.Compression.LZ4)
                .producerProperties(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "secret-jaas")).build().producerConfig();
        assertThat(p).containsEntry("enable.idempotence", "true").containsEntry("acks", "all").containsEntry("compression.type", "lz4")
                .containsEntry("max.in.flight.requests.per.connection", "5").containsEntry("enable.metrics.push", "false")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092").containsEntry("client.id", "netsensor-k")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("delivery.timeout.ms", "120000")
                .containsEntry("max.block.ms", "30000");
        // constructing a real producer from it validates every key and value (it connects to nothing until used)
        new org.apache.kafka.clients.producer.KafkaProducer<>(options().build().producerConfig(), new ByteArraySerializer(),
                new ByteArraySerializer()).close(Duration.ZERO);
    }

    @Test
    void optionsHaveDefaultsAndExplainBadValuesInOneLine() {
        KafkaOptions d = KafkaOptions.builder("k", List.of("kafka-1.example:9092", "[::1]:9093")).build();
        assertThat(d.alertsTopic()).isEqualTo("netsensor.alerts");
        assertThat(d.telemetryTopic()).isEqualTo("netsensor.telemetry");
        assertThat(d.eventsTopic()).isEqualTo("netsensor.events");
        assertThat(d.topic(RecordKind.ALERT)).isEqualTo("netsensor.alerts");
        assertThat(d.topic(RecordKind.TELEMETRY)).isEqualTo("netsensor.telemetry");
        assertThat(d.topic(RecordKind.EVENT)).isEqualTo("netsensor.events");
        assertThat(d.topic(RecordKind.BURST)).isEqualTo("netsensor.events");
        assertThat(d.kinds()).containsExactly(RecordKind.ALERT);
        assertThat(d.compression()).isEqualTo(KafkaOptions.Compression.ZSTD);
        assertThat(d.maxBatch()).isEqualTo(10_000);
        assertThat(d.hostId()).isNull();

        assertThatThrownBy(() -> KafkaOptions.builder("k", List.of()).build())
                .hasMessage("kafka sink 'k': bootstrap_servers is required, e.g. [kafka-1.example:9092]");
        assertThatThrownBy(() -> KafkaOptions.builder("k", List.of("kafka-1.example")).build())
                .hasMessage("kafka sink 'k': bootstrap_servers entries must be host:port, got 'kafka-1.example'");
        assertThatThrownBy(() -> options().alertsTopic("bad topic").build())
                .hasMessage("kafka sink 'k': alerts_topic must be a Kafka topic name (1-249 of letters, digits, . _ -), got 'bad topic'");
        assertThatThrownBy(() -> options().maxBatch(0).build()).hasMessage("kafka sink 'k': max_batch must be 1..1000000, got 0");
        assertThatThrownBy(() -> options().requestTimeout(Duration.ofSeconds(30)).deliveryTimeout(Duration.ofSeconds(10)).build())
                .hasMessage("kafka sink 'k': delivery_timeout must be at least request_timeout + linger");
        assertThatThrownBy(() -> options().producerProperties(Map.of("acks", "1")).build())
                .hasMessage("kafka sink 'k': producer property acks is set by the sink itself and cannot be overridden");
        assertThatThrownBy(() -> options().producerProperties(Map.of("enable.idempotence", "false")).build())
                .hasMessageContaining("enable.idempotence is set by the sink itself");

        String shown = options().producerProperties(Map.of("sasl.jaas.config", "org.apache...PlainLoginModule password=\"hunter2\"")).build().toString();
        assertThat(shown).contains("producerProperties=[sasl.jaas.config]").doesNotContain("hunter2");
    }
}
