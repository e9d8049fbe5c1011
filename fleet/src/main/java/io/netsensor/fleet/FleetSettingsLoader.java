package io.netsensor.fleet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netsensor.config.ConfigException;
import io.netsensor.config.Units;
import io.netsensor.events.IpRanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads {@link FleetSettings} from YAML: every failure one line, "file:line:column: key: reason" for what the
 * parser places, "file: key: reason" for range checks. Durations as the agent's config spells them (30s, 24h).
 */
public final class FleetSettingsLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("fleet-units").addDeserializer(Duration.class, new DurationText()));

    /** Stream properties that carry the application's guarantees or are set from the settings. */
    static final Set<String> RESERVED = Set.of("application.id", "bootstrap.servers", "processing.guarantee", "state.dir",
            "num.stream.threads", "commit.interval.ms", "replication.factor", "default.key.serde", "default.value.serde");

    private FleetSettingsLoader() {}

    public static FleetSettings load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        FleetSettings s;
        try {
            s = text.isBlank() ? new FleetSettings() : YAML.readValue(text, FleetSettings.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + bindingError(e));
        }
        if (s == null) s = new FleetSettings();
        validate(s, file.toString());
        return s;
    }

    /** Checks defaults or settings changed in code (tests); {@code origin} names them in errors. */
    public static FleetSettings validated(FleetSettings s, String origin) {
        validate(s, origin);
        return s;
    }

    private static String bindingError(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        String where = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
        String key = "";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            key = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[") + ": ";
        }
        String msg = e.getOriginalMessage();
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) msg = "unknown key '" + u.getPropertyName() + "'";
        return where + ": " + key + (msg == null ? "invalid" : msg.split("\n")[0]);
    }

    private static void validate(FleetSettings s, String origin) {
        check(origin, "application_id", s.applicationId != null && s.applicationId.matches("[A-Za-z0-9._-]{1,200}"),
                "must be 1-200 of letters, digits, . _ -");
        check(origin, "state_dir", s.stateDir != null && !s.stateDir.isBlank(), "is required");
        range(origin, "threads", s.threads, 1, 64);
        check(origin, "replication", s.replication == -1 || (s.replication >= 1 && s.replication <= 32), "must be -1 (broker default) or 1..32");
        positive(origin, "commit_interval", s.commitInterval);
        for (String[] t : new String[][] {{"topics.telemetry", s.topics.telemetry}, {"topics.alerts", s.topics.alerts},
                {"topics.prevalence", s.topics.prevalence}, {"topics.fleet_alerts", s.topics.fleetAlerts}})
            check(origin, t[0], t[1] != null && t[1].matches("[A-Za-z0-9._-]{1,249}"), "must be a Kafka topic name");
        range(origin, "prevalence.max_hosts_per_destination", s.prevalence.maxHostsPerDestination, 8, 100_000);
        positive(origin, "prevalence.retention", s.prevalence.retention);
        positive(origin, "prevalence.purge_interval", s.prevalence.purgeInterval);
        check(origin, "learning", s.learning != null && !s.learning.isNegative(), "must be 0 or longer");
        range(origin, "beacon.min_intervals", s.beacon.minIntervals, 3, 10_000);
        check(origin, "beacon.max_gap_cv", s.beacon.maxGapCv >= 0 && s.beacon.maxGapCv <= 5, "must be 0..5");
        check(origin, "beacon.max_count_cv", s.beacon.maxCountCv >= 0 && s.beacon.maxCountCv <= 5, "must be 0..5");
        for (String svc : s.beacon.ignoredServices)
            check(origin, "beacon.ignored_services", svc != null && svc.matches("((tcp|udp)/)?[0-9]{1,5}"), "entries are PORT or tcp/PORT or udp/PORT, got '" + svc + "'");
        range(origin, "rare.max_hosts", s.rare.maxHosts, 1, 1000);
        positive(origin, "rare.new_within", s.rare.newWithin);
        range(origin, "botnet.min_hosts", s.botnet.minHosts, 2, 100_000);
        check(origin, "botnet.period_tolerance", s.botnet.periodTolerance > 0 && s.botnet.periodTolerance < 1, "must be between 0 and 1");
        range(origin, "shared_names.min_hosts", s.sharedNames.minHosts, 2, 100_000);
        check(origin, "shared_names.min_score", s.sharedNames.minScore == -1 || (s.sharedNames.minScore >= 0 && s.sharedNames.minScore <= 1),
                "must be -1 (the model's threshold) or 0..1");
        range(origin, "spreader.min_hosts", s.spreader.minHosts, 2, 100_000);
        positive(origin, "spreader.window", s.spreader.window);
        for (String c : s.allowlist.cidrs) {
            try {
                IpRanges.of(java.util.List.of(c));
            } catch (RuntimeException e) {
                throw new ConfigException(origin + ": allowlist.cidrs: not a CIDR range: '" + c + "'");
            }
        }
        check(origin, "log_summary_interval", s.logSummaryInterval != null && !s.logSummaryInterval.isNegative(), "must be 0 (off) or longer");
        for (String k : s.streamsProperties.keySet())
            check(origin, "streams_properties", !RESERVED.contains(k), k + " is set by the fleet itself and cannot be overridden");
    }

    private static void check(String origin, String key, boolean ok, String reason) {
        if (!ok) throw new ConfigException(origin + ": " + key + ": " + reason);
    }

    private static void range(String origin, String key, long v, long lo, long hi) {
        check(origin, key, v >= lo && v <= hi, "must be " + lo + ".." + hi + ", got " + v);
    }

    private static void positive(String origin, String key, Duration d) {
        check(origin, key, d != null && !d.isNegative() && !d.isZero(), "must be a positive duration");
    }

    /** A duration in the agent config's spelling; a bare number is refused (seconds or milliseconds would be a guess). */
    private static final class DurationText extends StdScalarDeserializer<Duration> {
        DurationText() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getText();
            try {
                return Units.duration(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }
}
