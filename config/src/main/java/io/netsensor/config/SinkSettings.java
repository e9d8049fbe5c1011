package io.netsensor.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code sinks:} in the config, typed by its {@code type} (syslog, hec, kafka, file), as bound
 * from YAML. The config module only holds and binds these (it does not depend on the sinks); the sinks
 * module builds each sink from its settings and validates them ({@code io.netsensor.sinks.SinkFactory}),
 * as Vector's sinks are built from their config.
 *
 * <p>A key left out is null here: the sink type's own default applies, written once, in its options class
 * in the sinks module (e.g. {@code SyslogOptions}: alerts and telemetry; {@code HecOptions}: alerts only).
 * So this class carries no default that could drift from the one the sink uses; {@code config show} prints
 * the effective values.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SinkSettings.Syslog.class, name = "syslog"),
        @JsonSubTypes.Type(value = SinkSettings.Hec.class, name = "hec"),
        @JsonSubTypes.Type(value = SinkSettings.Kafka.class, name = "kafka"),
        @JsonSubTypes.Type(value = SinkSettings.File.class, name = "file")})
public abstract class SinkSettings {
    /** The type names, as the config spells them (for messages). */
    public static final List<String> TYPES = List.of("syslog", "hec", "kafka", "file");

    /** Required: names the sink's position file (DATA_DIR/sinks/NAME.pos), its status lines and metrics. */
    public String name;
    /** What it forwards; null = the type's default. */
    public List<Kind> kinds;
    /** The document format; null = ecs. cef only for syslog. */
    public Format format;

    /** syslog, hec, kafka or file. */
    @JsonIgnore
    public abstract String type();

    /** What a sink forwards. */
    public enum Kind implements Settings.Named {
        /** The detectors' alerts (every severity step of an alert). */
        @JsonProperty("alerts") ALERTS("alerts"),
        /** The summarized telemetry rows. */
        @JsonProperty("telemetry") TELEMETRY("telemetry"),
        /** Raw events: connection, DNS and burst records. */
        @JsonProperty("events") EVENTS("events"),
        /** Only the bursts (request/response exchanges inside a connection), without connection and DNS records. */
        @JsonProperty("bursts") BURSTS("bursts");

        private final String name;

        Kind(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }

    /** The body of what is sent: ECS JSON, or CEF (ArcSight, QRadar; syslog only). */
    public enum Format implements Settings.Named {
        @JsonProperty("ecs") ECS("ecs"),
        @JsonProperty("cef") CEF("cef");

        private final String name;

        Format(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }

    /** RFC 5424 syslog over TCP (RFC 6587 octet counting), TLS (RFC 5425) or, lossy, UDP (RFC 5426). */
    public static final class Syslog extends SinkSettings {
        /** Required: the collector's host name or address. */
        public String host;
        /** null = 514 (tcp, udp) or 6514 (tls). */
        public Integer port;
        public Transport transport;
        /** PEM CA certificates to verify the collector with (tls; null = the JVM's trust store). */
        public String caFile;
        /** PEM client certificate and unencrypted PKCS#8 key, for collectors that require one (tls). */
        public String clientCert;
        public String clientKey;
        /** The name the collector's certificate must carry; null = host. */
        public String serverName;
        public String facility;
        /** RFC 5424 HOSTNAME and ECS host.name; null = this machine's name. */
        public String hostName;
        public Integer maxBatch;

        @Override
        public String type() {
            return "syslog";
        }

        public enum Transport implements Settings.Named {
            @JsonProperty("tcp") TCP("tcp"),
            @JsonProperty("tls") TLS("tls"),
            @JsonProperty("udp") UDP("udp");

            private final String name;

            Transport(String name) {
                this.name = name;
            }

            @Override
            public String configName() {
                return name;
            }
        }
    }

    /** HTTP Event Collector: CrowdStrike LogScale or Splunk. */
    public static final class Hec extends SinkSettings {
        /** Required: logscale or splunk. */
        public Flavor flavor;
        /** Required: the collector's base URL. */
        public String url;
        /** Required: the file holding the ingest token (never the token itself: secrets only from files). */
        public String tokenFile;
        public String caFile;
        public String host;
        public String sourcetype;
        public String index;
        public Integer maxBatchEvents;
        @JsonDeserialize(using = Units.SizeDeserializer.class)
        public Long maxBatchBytes;
        public Boolean gzip;
        public Boolean ack;
        public Duration ackPollInterval;
        public Duration ackTimeout;
        public Duration connectTimeout;
        public Duration requestTimeout;

        @Override
        public String type() {
            return "hec";
        }

        public enum Flavor implements Settings.Named {
            @JsonProperty("logscale") LOGSCALE("logscale"),
            @JsonProperty("splunk") SPLUNK("splunk");

            private final String name;

            Flavor(String name) {
                this.name = name;
            }

            @Override
            public String configName() {
                return name;
            }
        }
    }

    /** Kafka, through an idempotent acks=all producer. */
    public static final class Kafka extends SinkSettings {
        /** Required: host:port of one or more brokers. */
        public List<String> bootstrapServers;
        public String hostId;
        public String alertsTopic;
        public String telemetryTopic;
        public String eventsTopic;
        public Compression compression;
        public String clientId;
        public Integer maxBatch;
        public Duration linger;
        public Duration requestTimeout;
        public Duration deliveryTimeout;
        /** Extra producer settings (TLS, SASL); secrets as ${file:...} references of Kafka's FileConfigProvider. */
        public Map<String, String> producerProperties;

        @Override
        public String type() {
            return "kafka";
        }

        public enum Compression implements Settings.Named {
            @JsonProperty("zstd") ZSTD("zstd"),
            @JsonProperty("lz4") LZ4("lz4");

            private final String name;

            Compression(String name) {
                this.name = name;
            }

            @Override
            public String configName() {
                return name;
            }
        }
    }

    /** A rotating JSON-lines file, for local alerting. */
    public static final class File extends SinkSettings {
        /** Required: the file; rotated ones are PATH.1, PATH.2, ... */
        public String path;
        @JsonDeserialize(using = Units.SizeDeserializer.class)
        public Long maxBytes;
        public Integer maxFiles;

        @Override
        public String type() {
            return "file";
        }
    }
}
