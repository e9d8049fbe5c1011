package io.netsensor.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netsensor.events.IpRanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads and validates Settings from YAML; every failure names the file, the line and the reason. */
public final class SettingsLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    private SettingsLoader() {}

    /** Defaults, validated. */
    public static Settings defaults() {
        Settings s = new Settings();
        validate(s, "<defaults>");
        return s;
    }

    public static Settings load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Settings s;
        try {
            s = text.isBlank() ? new Settings() : YAML.readValue(text, Settings.class);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? file.toString() : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new ConfigException(where + ": " + e.getOriginalMessage().replaceAll("\\s*\\(class [^)]*\\)", ""), e);
        }
        if (s == null) s = new Settings();
        validate(s, file.toString());
        return s;
    }

    /** Validates settings changed after loading (command-line overrides); returns them. */
    public static Settings validated(Settings s, String origin) {
        validate(s, origin);
        return s;
    }

    private static void validate(Settings s, String file) {
        check(file, "snaplen", s.snaplen >= 64 && s.snaplen <= 262_144, "must be between 64 and 262144");
        check(file, "conntrack.max_flows", s.conntrack.maxFlows >= 16, "must be at least 16");
        check(file, "dns.max_pending", s.dns.maxPending >= 16, "must be at least 16");
        check(file, "journal.roll_cycle", s.journal.rollCycle.equals("hourly") || s.journal.rollCycle.equals("daily")
                || s.journal.rollCycle.equals("five-minutely"), "must be hourly, daily or five-minutely");
        check(file, "detectors.profile", s.detectors.profile.equals("default") || s.detectors.profile.equals("short-window"),
                "must be default or short-window");
        parse(file, "journal.max_bytes", () -> Units.bytes(s.journal.maxBytes));
        parse(file, "journal.max_age", () -> Units.duration(s.journal.maxAge));
        parse(file, "conntrack.tcp_inactivity", () -> Units.duration(s.conntrack.tcpInactivity));
        parse(file, "conntrack.udp_inactivity", () -> Units.duration(s.conntrack.udpInactivity));
        parse(file, "conntrack.tcp_close_delay", () -> Units.duration(s.conntrack.tcpCloseDelay));
        parse(file, "dns.timeout", () -> Units.duration(s.dns.timeout));
        parse(file, "detectors.rebuild_window", () -> Units.duration(s.detectors.rebuildWindow));
        parse(file, "home_net", () -> IpRanges.of(s.homeNet));
        parse(file, "detectors.allowlist.remote_cidrs", () -> IpRanges.of(s.detectors.allowlist.remoteCidrs));
    }

    private static void check(String file, String key, boolean ok, String reason) {
        if (!ok) throw new ConfigException(file + ": " + key + ": " + reason);
    }

    private static void parse(String file, String key, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(file + ": " + key + ": " + e.getMessage(), e);
        }
    }

    private interface Runnable {
        Object run();
    }
}
