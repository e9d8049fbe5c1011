package io.netsensor.sinks.kafka;

import io.netsensor.sinks.RecordKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka sink's settings, immutable and validated on construction: a bad value throws
 * {@link IllegalArgumentException} with one line naming the sink and the setting (snake_case, as the YAML
 * will spell it). Build with {@link #builder(String, List)}; defaults are on the builder's setters.
 *
 * <p>{@link #toString()} names the extra producer properties but never shows their values (SASL and
 * keystore passwords live there).
 *
 * @param name             the sink's name (position file, metrics, default client id): letters, digits, {@code _.-}
 * @param bootstrapServers {@code host:port} of one or more brokers
 * @param hostId           the record key, so one sensor's records stay in one partition, in order; also ECS
 *                         {@code host.name}. Null: this machine's host name
 * @param kinds            what to forward; default alerts only
 * @param alertsTopic      topic of alerts; default {@code netsensor.alerts}
 * @param telemetryTopic   topic of summarized telemetry; default {@code netsensor.telemetry}
 * @param eventsTopic      topic of connection, DNS and burst events; default {@code netsensor.events}
 * @param compression      zstd (default) or lz4
 * @param clientId         the producer's client.id; default {@code netsensor-NAME}
 * @param maxBatch         most records per flush; default 10,000
 * @param linger           producer linger.ms; default 20 ms
 * @param requestTimeout   one produce request, and the longest a send may wait for metadata; default 30 s
 * @param deliveryTimeout  how long the producer retries a record before the flush fails; default 2 min
 * @param producerProperties extra producer settings (TLS, SASL, ...) passed as they are; those that carry this
 *                         sink's guarantees (acks, idempotence, serializers, ...) are refused. Default none
 */
public record KafkaOptions(
        String name,
        List<String> bootstrapServers,
        String hostId,
        Set<RecordKind> kinds,
        String alertsTopic,
        String telemetryTopic,
        String eventsTopic,
        Compression compression,
        String clientId,
        int maxBatch,
        Duration linger,
        Duration requestTimeout,
        Duration deliveryTimeout,
        Map<String, String> producerProperties) {

    /** The producer compressions offered: both fast enough for a sensor, unlike gzip. */
    public enum Compression {
        ZSTD, LZ4;

        String kafkaName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Producer settings that carry the sink's guarantees or are set from these options. */
    static final Set<String> RESERVED = Set.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, ProducerConfig.CLIENT_ID_CONFIG, ProducerConfig.LINGER_MS_CONFIG,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, ProducerConfig.RETRIES_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.PARTITIONER_CLASS_CONFIG, "enable.metrics.push");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Kafka's legal topic names. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\s:\\[\\]]+):[0-9]{1,5}");

    public KafkaOptions {
        if (name == null || !NAME.matcher(name).matches())
            throw new IllegalArgumentException("kafka sink: name must be 1-64 letters, digits or _.- , got '" + name + "'");
        String who = "kafka sink '" + name + "': ";
        require(bootstrapServers != null && !bootstrapServers.isEmpty(), who + "bootstrap_servers is required, e.g. [kafka-1.example:9092]");
        bootstrapServers = List.copyOf(bootstrapServers);
        for (String s : bootstrapServers) {
            require(s != null && SERVER.matcher(s).matches(), who + "bootstrap_servers entries must be host:port, got '" + s + "'");
            int port = Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
            require(port >= 1 && port <= 65535, who + "bootstrap_servers port out of range in '" + s + "'");
        }
        require(hostId == null || !hostId.isBlank(), who + "host_id must not be blank (leave it out for this machine's name)");
        kinds = kinds == null ? EnumSet.of(RecordKind.ALERT) : Set.copyOf(kinds);
        require(!kinds.isEmpty(), who + "kinds must name at least one of alert, telemetry, event");
        topic(who, "alerts_topic", alertsTopic);
        topic(who, "telemetry_topic", telemetryTopic);
        topic(who, "events_topic", eventsTopic);
        require(compression != null, who + "compression must be zstd or lz4");
        require(clientId == null || !clientId.isBlank(), who + "client_id must not be blank");
        require(maxBatch >= 1 && maxBatch <= 1_000_000, who + "max_batch must be 1..1000000, got " + maxBatch);
        require(linger != null && !linger.isNegative() && linger.toMillis() <= 60_000, who + "linger must be 0..60 s, got " + linger);
        positive(who + "request_timeout", requestTimeout);
        positive(who + "delivery_timeout", deliveryTimeout);
        // the producer's own rule, said here in the sink's terms rather than as its ConfigException
        require(deliveryTimeout.toMillis() >= requestTimeout.toMillis() + linger.toMillis(),
                who + "delivery_timeout must be at least request_timeout + linger");
        producerProperties = producerProperties == null ? Map.of() : Map.copyOf(producerProperties);
        for (String k : new TreeMap<>(producerProperties).keySet()) {
            require(!RESERVED.contains(k), who + "producer property " + k + " is set by the sink itself and cannot be overridden");
        }
    }

    /** Starts options with the required settings; every other one has its documented default. */
    public static Builder builder(String name, List<String> bootstrapServers) {
        return new Builder(name, bootstrapServers);
    }

    /** The topic records of this kind go to. */
    public String topic(RecordKind kind) {
        switch (kind) {
            case ALERT: return alertsTopic;
            case TELEMETRY: return telemetryTopic;
            default: return eventsTopic;
        }
    }

    /** The producer's configuration: the extra properties, then the sink's guarantees over them. */
    Properties producerConfig() {
        Properties p = new Properties();
        p.putAll(producerProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId != null ? clientId : "netsensor-" + name);
        // Exactly one copy per send, in order per partition, written to every in-sync replica before it counts.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"); // the most idempotence keeps ordered
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE)); // bounded by delivery.timeout.ms
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.kafkaName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, p.getOrDefault(ProducerConfig.BATCH_SIZE_CONFIG, "262144"));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout.toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        // A send waits this long for metadata or buffer room, then fails the flush (the runner retries)
        // instead of stalling the sink's thread for the producer's default minute.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(requestTimeout.toMillis()));
        // KIP-714 client metrics push: a sensor reports to no one it was not told to.
        p.put("enable.metrics.push", "false");
        return p;
    }

    @Override
    public String toString() {
        return "KafkaOptions[name=" + name + ", bootstrapServers=" + bootstrapServers + ", hostId=" + hostId + ", kinds=" + kinds
                + ", alertsTopic=" + alertsTopic + ", telemetryTopic=" + telemetryTopic + ", eventsTopic=" + eventsTopic
                + ", compression=" + compression + ", clientId=" + clientId + ", maxBatch=" + maxBatch + ", linger=" + linger
                + ", requestTimeout=" + requestTimeout + ", deliveryTimeout=" + deliveryTimeout
                + ", producerProperties=" + new TreeMap<>(producerProperties).keySet() + "]";
    }

    private static void topic(String who, String what, String t) {
        require(t != null && TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
                who + what + " must be a Kafka topic name (1-249 of letters, digits, . _ -), got '" + t + "'");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    private static void positive(String what, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), what + " must be a positive duration, got " + d);
    }

    /** Builder with the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private final List<String> bootstrapServers;
        private String hostId;
        private Set<RecordKind> kinds = EnumSet.of(RecordKind.ALERT);
        private String alertsTopic = "netsensor.alerts";
        private String telemetryTopic = "netsensor.telemetry";
        private String eventsTopic = "netsensor.events";
        private Compression compression = Compression.ZSTD;
        private String clientId;
        private int maxBatch = 10_000;
        private Duration linger = Duration.ofMillis(20);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private Map<String, String> producerProperties = Map.of();

        private Builder(String name, List<String> bootstrapServers) {
            this.name = name;
            this.bootstrapServers = bootstrapServers;
        }

        /** Default: this machine's host name. */
        public Builder hostId(String v) { hostId = v; return this; }
        /** Default: alerts only. */
        public Builder kinds(Set<RecordKind> v) { kinds = v; return this; }
        /** Default: {@code netsensor.alerts}. */
        public Builder alertsTopic(String v) { alertsTopic = v; return this; }
        /** Default: {@code netsensor.telemetry}. */
        public Builder telemetryTopic(String v) { telemetryTopic = v; return this; }
        /** Default: {@code netsensor.events}. */
        public Builder eventsTopic(String v) { eventsTopic = v; return this; }
        /** Default: zstd. */
        public Builder compression(Compression v) { compression = v; return this; }
        /** Default: {@code netsensor-NAME}. */
        public Builder clientId(String v) { clientId = v; return this; }
        /** Default: 10,000. */
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        /** Default: 20 ms. */
        public Builder linger(Duration v) { linger = v; return this; }
        /** Default: 30 s. */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        /** Default: 2 min. */
        public Builder deliveryTimeout(Duration v) { deliveryTimeout = v; return this; }
        /** Default: none. */
        public Builder producerProperties(Map<String, String> v) { producerProperties = v; return this; }

        public KafkaOptions build() {
            return new KafkaOptions(name, bootstrapServers, hostId, kinds, alertsTopic, telemetryTopic, eventsTopic, compression,
                    clientId, maxBatch, linger, requestTimeout, deliveryTimeout, producerProperties);
        }
    }
}
