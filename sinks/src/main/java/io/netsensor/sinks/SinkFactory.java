package io.netsensor.sinks;

import io.netsensor.config.ConfigException;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.config.SinkSettings;
import io.netsensor.config.Units;
import io.netsensor.sinks.file.FileSink;
import io.netsensor.sinks.hec.HecFlavor;
import io.netsensor.sinks.hec.HecOptions;
import io.netsensor.sinks.hec.HecSink;
import io.netsensor.sinks.kafka.KafkaOptions;
import io.netsensor.sinks.kafka.KafkaSink;
import io.netsensor.sinks.syslog.SyslogOptions;
import io.netsensor.sinks.syslog.SyslogSink;
import io.netsensor.sinks.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds each configured sink from its settings ({@code sinks:} in the config), as Vector builds a sink
 * from its config: checks them, fills in the type's defaults (those of its options class), and makes the
 * sink when the agent starts. Every problem is one config error at the key it concerns
 * ({@code file:line:column: sinks[1].token_file: ... is readable by group or others; ...}), found when the
 * config is loaded, before anything starts.
 */
public final class SinkFactory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Names of the built-in outputs, which keep no position: a configured sink must not look like one. */
    private static final Set<String> RESERVED = Set.of("stdout", "stderr");
    /** Producer settings that hold credentials: only as a reference to a file (Kafka's FileConfigProvider). */
    private static final Pattern SECRET_PROPERTY = Pattern.compile("(?i).*(password|secret|token|sasl\\.jaas\\.config).*");
    private static final Pattern CONFIG_REFERENCE = Pattern.compile("\\$\\{[^}]+}");

    private SinkFactory() {}

    /** A configured sink, checked, with its defaults filled in, ready to be made. */
    public interface Spec {
        String name();

        /** What and where, for a status line: "syslog tcp 127.0.0.1:6514". */
        String describe();

        Set<RecordKind> kinds();

        /** The effective settings as config keys, defaults filled in (for {@code config show}); never a secret. */
        Map<String, Object> effective();

        /** Makes the sink (a HEC sink reads its token file now). */
        Sink open() throws IOException;
    }

    /** The check of {@code sinks:} for {@link SettingsLoader#load(Path, SettingsLoader.Check...)}. */
    public static void check(Settings settings, SettingsLoader.Problems problems) {
        specs(settings, problems, null);
    }

    /**
     * The configured sinks, in config order.
     *
     * @param hostName this machine's name (RFC 5424 HOSTNAME, ECS host.name), null when unknown
     * @throws ConfigException the first problem, at its key
     */
    public static List<Spec> specs(Settings settings, SettingsLoader.Problems problems, String hostName) {
        List<Spec> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < settings.sinks.size(); i++) {
            SinkSettings s = settings.sinks.get(i);
            Ctx c = new Ctx("sinks[" + i + "]", problems, s);
            if (s.name == null || s.name.isBlank()) throw c.at("name", "required: a name of letters, digits or _.- (it names the sink's position file)");
            if (!NAME.matcher(s.name).matches()) throw c.at("name", "'" + s.name + "' must be 1-64 letters, digits or _.-");
            if (RESERVED.contains(s.name)) throw c.at("name", "'" + s.name + "' is the name of a built-in output; choose another");
            Integer first = names.putIfAbsent(s.name, i);
            if (first != null) {
                throw c.at("name", "'" + s.name + "' is already the name of sinks[" + first + "]; each sink needs its own (it names its position file)");
            }
            if (s.format == SinkSettings.Format.CEF && !(s instanceof SinkSettings.Syslog)) {
                throw c.at("format", "cef is for syslog sinks only (ArcSight, QRadar); use ecs");
            }
            if (s.kinds != null && s.kinds.isEmpty()) throw c.at("kinds", "must name at least one of alerts, telemetry, events or bursts");
            if (s instanceof SinkSettings.Syslog y) out.add(syslog(y, c, hostName));
            else if (s instanceof SinkSettings.Hec h) out.add(hec(h, c));
            else if (s instanceof SinkSettings.Kafka k) out.add(kafka(k, c));
            else out.add(file((SinkSettings.File) s, c, hostName));
        }
        return out;
    }

    private static Spec syslog(SinkSettings.Syslog s, Ctx c, String hostName) {
        if (blank(s.host)) throw c.at("host", "required: the collector's host name or address");
        SyslogOptions.Transport transport = s.transport == null ? SyslogOptions.Transport.TCP
                : SyslogOptions.Transport.valueOf(s.transport.name());
        int port = s.port == null ? SyslogOptions.defaultPort(transport) : s.port;
        c.port("port", port);
        Path ca = c.readable("ca_file", s.caFile), cert = c.readable("client_cert", s.clientCert), key = c.readable("client_key", s.clientKey);
        if (transport != SyslogOptions.Transport.TLS) {
            for (String k : new String[] {"ca_file", "client_cert", "client_key"}) {
                if (c.isSet(k)) throw c.at(k, "needs transport: tls (it is " + transport.name().toLowerCase(Locale.ROOT) + ")");
            }
        }
        if ((cert == null) != (key == null)) throw c.at(cert == null ? "client_key" : "client_cert", "client_cert and client_key go together");
        if (transport == SyslogOptions.Transport.TLS) c.tls(ca, cert, key);
        SyslogOptions.Facility facility = SyslogOptions.Facility.LOCAL0;
        if (s.facility != null) {
            try {
                facility = SyslogOptions.Facility.valueOf(s.facility.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw c.at("facility", "'" + s.facility + "' is not one of " + Arrays.stream(SyslogOptions.Facility.values())
                        .map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
        Set<RecordKind> kinds = c.kinds();
        SyslogOptions.Body body = SyslogOptions.Body.ECS;
        if (s.format == SinkSettings.Format.CEF) {
            Set<RecordKind> k = kinds != null ? kinds : EnumSet.of(RecordKind.ALERT, RecordKind.TELEMETRY);
            if (k.contains(RecordKind.EVENT) || k.contains(RecordKind.BURST)) {
                throw c.at("kinds", "a cef sink forwards alerts and telemetry, not events or bursts; use format: ecs for them");
            }
            body = SyslogOptions.Body.CEF;
        }
        if (s.maxBatch != null && (s.maxBatch < 1 || s.maxBatch > 100_000)) throw c.at("max_batch", "must be between 1 and 100000, not " + s.maxBatch);
        String host = s.hostName != null ? s.hostName : hostName;
        SyslogOptions.Body b = body;
        SyslogOptions.Facility f = facility;
        SyslogOptions o = c.build(() -> new SyslogOptions(s.name, s.host, port, transport, ca, cert, key, s.serverName, f,
                host, b, kinds, s.maxBatch == null ? 0 : s.maxBatch));
        Map<String, Object> e = c.effective("syslog", o.kinds(), o.body() == SyslogOptions.Body.CEF ? "cef" : "ecs");
        e.put("host", o.host());
        e.put("port", o.port());
        e.put("transport", lower(o.transport()));
        put(e, "ca_file", o.caFile());
        put(e, "client_cert", o.clientCert());
        put(e, "client_key", o.clientKey());
        if (o.transport() == SyslogOptions.Transport.TLS) e.put("server_name", o.serverName());
        e.put("facility", lower(o.facility()));
        put(e, "host_name", o.hostName());
        e.put("max_batch", o.maxBatch());
        String what = "syslog " + lower(o.transport()) + " " + hostPort(o.host(), o.port()) + (o.body() == SyslogOptions.Body.CEF ? " cef" : "");
        return new Built(o.name(), what, o.kinds(), e, () -> new SyslogSink(o));
    }

    private static Spec hec(SinkSettings.Hec s, Ctx c) {
        if (s.flavor == null) throw c.at("flavor", "required: logscale or splunk");
        if (blank(s.url)) throw c.at("url", "required: the collector's URL, e.g. https://collector.example:8088");
        URI url;
        try {
            url = new URI(s.url);
        } catch (URISyntaxException e) {
            throw c.at("url", "not a URL: " + e.getMessage());
        }
        if (blank(s.tokenFile)) throw c.at("token_file", "required: the file holding the ingest token (owner-only, chmod 600)");
        Path token = Path.of(s.tokenFile);
        try {
            HecSink.checkTokenFile(token);
        } catch (IOException e) {
            throw c.at("token_file", e.getMessage());
        }
        Path ca = c.readable("ca_file", s.caFile);
        if (ca != null) c.tls(ca, null, null);
        if (s.maxBatchBytes != null && (s.maxBatchBytes < 0 || s.maxBatchBytes > Integer.MAX_VALUE)) {
            throw c.at("max_batch_bytes", "must be " + HecOptions.MIN_BYTES_PER_REQUEST + ".." + HecOptions.MAX_BYTES_PER_REQUEST + ", not " + s.maxBatchBytes);
        }
        HecOptions o = c.build(() -> {
            HecOptions.Builder b = HecOptions.builder(s.name, HecFlavor.valueOf(s.flavor.name()), url, token).caFile(ca);
            Set<RecordKind> kinds = c.kinds();
            if (kinds != null) b.kinds(kinds);
            if (s.host != null) b.host(s.host);
            if (s.sourcetype != null) b.sourcetype(s.sourcetype);
            if (s.index != null) b.index(s.index);
            if (s.maxBatchEvents != null) b.maxBatchEvents(s.maxBatchEvents);
            if (s.maxBatchBytes != null) b.maxBatchBytes(s.maxBatchBytes.intValue());
            if (s.gzip != null) b.gzip(s.gzip);
            if (s.ack != null) b.ack(s.ack);
            if (s.ackPollInterval != null) b.ackPollInterval(s.ackPollInterval);
            if (s.ackTimeout != null) b.ackTimeout(s.ackTimeout);
            if (s.connectTimeout != null) b.connectTimeout(s.connectTimeout);
            if (s.requestTimeout != null) b.requestTimeout(s.requestTimeout);
            return b.build();
        });
        Map<String, Object> e = c.effective("hec", o.kinds(), "ecs");
        e.put("flavor", lower(o.flavor()));
        e.put("url", o.url().toString());
        e.put("token_file", o.tokenFile().toString()); // the path; the token itself is read only by the sink
        put(e, "ca_file", o.caFile());
        put(e, "host", o.host());
        e.put("sourcetype", o.sourcetype());
        put(e, "index", o.index());
        e.put("max_batch_events", o.maxBatchEvents());
        e.put("max_batch_bytes", o.maxBatchBytes());
        e.put("gzip", o.gzip());
        e.put("ack", o.ack());
        e.put("ack_poll_interval", Units.format(o.ackPollInterval()));
        e.put("ack_timeout", Units.format(o.ackTimeout()));
        e.put("connect_timeout", Units.format(o.connectTimeout()));
        e.put("request_timeout", Units.format(o.requestTimeout()));
        return new Built(o.name(), "hec " + lower(o.flavor()) + " " + o.eventUri(), o.kinds(), e, () -> new HecSink(o));
    }

    private static Spec kafka(SinkSettings.Kafka s, Ctx c) {
        if (s.bootstrapServers == null || s.bootstrapServers.isEmpty()) {
            throw c.at("bootstrap_servers", "required: host:port of one or more brokers, e.g. [kafka-1.example:9092]");
        }
        Map<String, String> props = s.producerProperties == null ? Map.of() : s.producerProperties;
        for (Map.Entry<String, String> p : new TreeMap<>(props).entrySet()) {
            if (SECRET_PROPERTY.matcher(p.getKey()).matches() && (p.getValue() == null || !CONFIG_REFERENCE.matcher(p.getValue()).find())) {
                throw c.at("producer_properties", p.getKey() + " holds a secret: give it as a reference to a file of the "
                        + "producer's FileConfigProvider (config.providers: file, " + p.getKey() + ": ${file:/etc/netsensor/kafka.secrets:" + p.getKey() + "})");
            }
        }
        KafkaOptions o = c.build(() -> {
            KafkaOptions.Builder b = KafkaOptions.builder(s.name, s.bootstrapServers);
            Set<RecordKind> kinds = c.kinds();
            if (kinds != null) b.kinds(kinds);
            if (s.hostId != null) b.hostId(s.hostId);
            if (s.alertsTopic != null) b.alertsTopic(s.alertsTopic);
            if (s.telemetryTopic != null) b.telemetryTopic(s.telemetryTopic);
            if (s.eventsTopic != null) b.eventsTopic(s.eventsTopic);
            if (s.compression != null) b.compression(KafkaOptions.Compression.valueOf(s.compression.name()));
            if (s.clientId != null) b.clientId(s.clientId);
            if (s.maxBatch != null) b.maxBatch(s.maxBatch);
            if (s.linger != null) b.linger(s.linger);
            if (s.requestTimeout != null) b.requestTimeout(s.requestTimeout);
            if (s.deliveryTimeout != null) b.deliveryTimeout(s.deliveryTimeout);
            b.producerProperties(props);
            return b.build();
        });
        Map<String, Object> e = c.effective("kafka", o.kinds(), "ecs");
        e.put("bootstrap_servers", o.bootstrapServers());
        put(e, "host_id", o.hostId());
        e.put("alerts_topic", o.alertsTopic());
        e.put("telemetry_topic", o.telemetryTopic());
        e.put("events_topic", o.eventsTopic());
        e.put("compression", lower(o.compression()));
        e.put("client_id", o.clientId() != null ? o.clientId() : "netsensor-" + o.name());
        e.put("max_batch", o.maxBatch());
        e.put("linger", Units.format(o.linger()));
        e.put("request_timeout", Units.format(o.requestTimeout()));
        e.put("delivery_timeout", Units.format(o.deliveryTimeout()));
        if (!o.producerProperties().isEmpty()) e.put("producer_properties", new TreeMap<>(o.producerProperties()));
        return new Built(o.name(), "kafka " + String.join(",", o.bootstrapServers()), o.kinds(), e, () -> new KafkaSink(o));
    }

    private static Spec file(SinkSettings.File s, Ctx c, String hostName) {
        if (blank(s.path)) throw c.at("path", "required: the file to write, e.g. /var/log/netsensor/alerts.json");
        Path path = Path.of(s.path);
        if (Files.isDirectory(path)) throw c.at("path", s.path + " is a directory; name a file in it");
        long maxBytes = s.maxBytes == null ? FileSink.DEFAULT_MAX_BYTES : s.maxBytes;
        if (maxBytes < 4096) throw c.at("max_bytes", "must be at least 4KiB, not " + maxBytes);
        int maxFiles = s.maxFiles == null ? FileSink.DEFAULT_MAX_FILES : s.maxFiles;
        if (maxFiles < 0 || maxFiles > 1000) throw c.at("max_files", "must be between 0 and 1000, not " + maxFiles);
        Set<RecordKind> kinds = c.kinds() != null ? c.kinds() : EnumSet.of(RecordKind.ALERT);
        Map<String, Object> e = c.effective("file", kinds, "ecs");
        e.put("path", path.toString());
        e.put("max_bytes", maxBytes);
        e.put("max_files", maxFiles);
        return new Built(s.name, "file " + path, kinds, e, () -> new FileSink(s.name, path, maxBytes, maxFiles, kinds, hostName));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value.toString());
    }

    /** The config name of a record kind. */
    public static String configName(RecordKind k) {
        switch (k) {
            case ALERT: return "alerts";
            case TELEMETRY: return "telemetry";
            case BURST: return "bursts";
            default: return "events";
        }
    }

    /**
     * The config names of a set of kinds, as the config would spell it: {@code events} already takes the
     * bursts, so they are named only when forwarded without the connection and DNS records.
     */
    public static List<String> configNames(Set<RecordKind> kinds) {
        return kinds.stream().sorted().filter(k -> k != RecordKind.BURST || !kinds.contains(RecordKind.EVENT))
                .map(SinkFactory::configName).collect(Collectors.toList());
    }

    private interface Opener {
        Sink open() throws IOException;
    }

    private record Built(String name, String describe, Set<RecordKind> kinds, Map<String, Object> effective, Opener opener)
            implements Spec {
        @Override
        public Sink open() throws IOException {
            return opener.open();
        }
    }

    /** One sink's checks: its place in the config ("sinks[2]"), its keys, and how to report. */
    private static final class Ctx {
        /** "hec sink 'siem': " and the like, which the options classes put before their reasons. */
        private static final Pattern WHO = Pattern.compile("^(?:(?:hec|kafka|syslog) )?sink(?: '[^']*'| [^ :]+)?: ");
        private final String at;
        private final SettingsLoader.Problems problems;
        private final SinkSettings settings;
        /** The type's keys, longest first, so "ack_poll_interval" is found before "ack". */
        private final List<String> keys;

        Ctx(String at, SettingsLoader.Problems problems, SinkSettings settings) {
            this.at = at;
            this.problems = problems;
            this.settings = settings;
            this.keys = Arrays.stream(settings.getClass().getFields()).map(f -> snake(f.getName()))
                    .sorted((a, b) -> b.length() - a.length()).collect(Collectors.toList());
        }

        ConfigException at(String key, String reason) {
            return problems.at(at + "." + key, reason);
        }

        boolean isSet(String key) {
            try {
                return settings.getClass().getField(camel(key)).get(settings) != null;
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }

        Set<RecordKind> kinds() {
            if (settings.kinds == null) return null;
            Set<RecordKind> k = EnumSet.noneOf(RecordKind.class);
            for (SinkSettings.Kind kind : settings.kinds) {
                switch (kind) {
                    case ALERTS: k.add(RecordKind.ALERT); break;
                    case TELEMETRY: k.add(RecordKind.TELEMETRY); break;
                    case BURSTS: k.add(RecordKind.BURST); break;
                    default: k.add(RecordKind.EVENT); k.add(RecordKind.BURST); // raw events: every raw record
                }
            }
            return k;
        }

        void port(String key, int port) {
            if (port < 1 || port > 65_535) throw at(key, "not a port: " + port + " (1-65535)");
        }

        /** The path of a file the agent will read, checked now; null when not set. */
        Path readable(String key, String file) {
            if (file == null) return null;
            Path p = Path.of(file);
            if (!Files.exists(p)) throw at(key, file + ": no such file");
            if (!Files.isRegularFile(p)) throw at(key, file + ": not a file");
            if (!Files.isReadable(p)) throw at(key, file + ": cannot be read (permission denied)");
            return p;
        }

        /** Builds the TLS context now, so a file that is not PEM (or a key that does not load) is a config error. */
        void tls(Path ca, Path cert, Path key) {
            try {
                TlsContexts.client(ca, cert, key);
            } catch (IOException | RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                String k = key != null && m.startsWith(key.toString()) ? "client_key"
                        : cert != null && (ca == null || m.startsWith(cert.toString())) ? "client_cert" : "ca_file";
                throw at(k, m);
            }
        }

        /** Builds the options; their own checks' reasons are reported at the key they name. */
        <T> T build(Supplier<T> options) {
            try {
                return options.get();
            } catch (IllegalArgumentException e) {
                String reason = WHO.matcher(String.valueOf(e.getMessage())).replaceFirst("");
                String key = null;
                int first = Integer.MAX_VALUE;
                for (String k : keys) {
                    // the key as written, or in words ("producer property" for producer_properties)
                    String words = k.replace('_', ' ').replaceFirst("ies$", "y");
                    Matcher m = Pattern.compile("(?<![a-z_])(" + Pattern.quote(k) + "|" + Pattern.quote(words) + ")(?![a-z_])").matcher(reason);
                    if (m.find() && m.start() < first) {
                        first = m.start();
                        key = k;
                    }
                }
                if (key != null && reason.startsWith(key + " must ")) reason = reason.substring(key.length() + 1);
                throw key != null ? at(key, reason) : problems.at(at, reason);
            }
        }

        /** The keys every sink has, first in its effective settings. */
        Map<String, Object> effective(String type, Set<RecordKind> kinds, String format) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", settings.name);
            e.put("type", type);
            e.put("kinds", configNames(kinds));
            e.put("format", format);
            return e;
        }

        private static String snake(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }

        private static String camel(String snake) {
            Matcher m = Pattern.compile("_([a-z])").matcher(snake);
            StringBuilder b = new StringBuilder();
            while (m.find()) m.appendReplacement(b, m.group(1).toUpperCase(Locale.ROOT));
            return m.appendTail(b).toString();
        }
    }
}
