package io.netsensor.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netsensor.events.IpRanges;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads and validates {@link Settings} from YAML. Every failure is one line naming the file, the line and
 * column, the key and the reason: binding errors (unknown key, wrong type, a bad duration or size) carry
 * the parser's position; range checks made after binding find the key's position in the file again.
 */
public final class SettingsLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // "journal:" with nothing under it is YAML's null: keep the defaults rather than null sections;
            // a null inside a list ("home_net: [~]") is a mistake and fails where it is.
            .setDefaultSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.FAIL))
            .registerModule(new SimpleModule("netsensor-units").addDeserializer(Duration.class, new Units.DurationDeserializer()));

    private SettingsLoader() {}

    /**
     * A check of loaded settings made by a module this one cannot depend on (the sinks build and check
     * their own settings), reporting as the loader does.
     */
    @FunctionalInterface
    public interface Check {
        void check(Settings settings, Problems problems);
    }

    /** Makes the one-line error of a key, placed where the key (or, when the file leaves it out, its section) is. */
    @FunctionalInterface
    public interface Problems {
        /** @param key as the README names it: "sinks[1].port" */
        ConfigException at(String key, String reason);
    }

    /** Defaults, validated. */
    public static Settings defaults() {
        Settings s = new Settings();
        validate(s, key -> "<defaults>");
        return s;
    }

    public static Settings load(Path file) {
        return load(file, new Check[0]);
    }

    /** Loads and validates the file, then runs the checks, whose errors also name the file, line and column. */
    public static Settings load(Path file, Check... checks) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Settings s;
        try {
            s = text.isBlank() ? new Settings() : YAML.readValue(text, Settings.class);
        } catch (JsonProcessingException e) {
            throw bindingError(file, text, e);
        }
        if (s == null) s = new Settings(); // a file holding only comments
        Where where = key -> where(file, locateOrSection(text, key));
        validate(s, where);
        for (Check c : checks) c.check(s, problems(where));
        return s;
    }

    /** Validates settings changed after loading (command-line overrides); returns them. */
    public static Settings validated(Settings s, String origin) {
        return validated(s, origin, new Check[0]);
    }

    /** As {@link #validated(Settings, String)}, running the checks too (errors then name the origin). */
    public static Settings validated(Settings s, String origin, Check... checks) {
        validate(s, key -> origin);
        for (Check c : checks) c.check(s, problems(key -> origin));
        return s;
    }

    private static Problems problems(Where where) {
        return (key, reason) -> new ConfigException(where.of(key) + ": " + key + ": " + reason);
    }

    /** Where a key's value is, as the prefix of an error ("file:line:column", or the origin without a file). */
    private interface Where {
        String of(String key);
    }

    private static void validate(Settings s, Where where) {
        range(where, "snaplen", s.snaplen, 64, 262_144);
        if (s.metrics.listen != null) listen(where, "metrics.listen", s.metrics.listen);
        if (s.logSummaryInterval.isNegative()) fail(where, "log_summary_interval", "must be 0 (off) or longer");
        // the flow table is preallocated: beyond 2^26 slots (~20 GiB) it is a typo, not a busy gateway
        range(where, "conntrack.max_flows", s.conntrack.maxFlows, 16, 1 << 26);
        range(where, "dns.max_pending", s.dns.maxPending, 16, 1 << 24);
        positive(where, "conntrack.tcp_inactivity", s.conntrack.tcpInactivity);
        positive(where, "conntrack.udp_inactivity", s.conntrack.udpInactivity);
        positive(where, "conntrack.tcp_close_delay", s.conntrack.tcpCloseDelay);
        positive(where, "dns.timeout", s.dns.timeout);
        cidrs(where, "home_net", s.homeNet);
        cidrs(where, "detectors.allowlist.remote_cidrs", s.detectors.allowlist.remoteCidrs);
        ports(where, "detectors.allowlist.ports", s.detectors.allowlist.ports, 0);
        if (s.detectors.c2Ports != null) ports(where, "detectors.c2_ports", s.detectors.c2Ports, 1);
        positive(where, "telemetry.interval", s.telemetry.interval);
        for (int i = 0; i < s.detectors.disabled.size(); i++) {
            String d = s.detectors.disabled.get(i);
            if (!Settings.Detectors.NETWORK_DETECTORS.contains(d)) {
                fail(where, "detectors.disabled[" + i + "]", "not a detector: " + d + " (one of "
                        + String.join(", ", Settings.Detectors.NETWORK_DETECTORS) + ")");
            }
        }
    }

    /** host:port, [v6]:port: the address part must be an IP address or localhost (no lookup at start). */
    private static void listen(Where where, String key, String value) {
        try {
            Units.listenAddress(value);
        } catch (IllegalArgumentException e) {
            fail(where, key, e.getMessage());
        }
    }

    private static void range(Where where, String key, long value, long min, long max) {
        if (value < min || value > max) fail(where, key, "must be between " + min + " and " + max + ", not " + value);
    }

    private static void positive(Where where, String key, Duration d) {
        if (d.isZero()) fail(where, key, "must be longer than 0");
    }

    private static void cidrs(Where where, String key, List<String> cidrs) {
        for (int i = 0; i < cidrs.size(); i++) {
            try {
                IpRanges.of(List.of(cidrs.get(i)));
            } catch (IllegalArgumentException e) {
                fail(where, key + "[" + i + "]", e.getMessage());
            }
        }
    }

    private static void ports(Where where, String key, List<Integer> ports, int min) {
        for (int i = 0; i < ports.size(); i++) {
            int p = ports.get(i);
            if (p < min || p > 65_535) fail(where, key + "[" + i + "]", "not a port: " + p);
        }
    }

    private static void fail(Where where, String key, String reason) {
        throw new ConfigException(where.of(key) + ": " + key + ": " + reason);
    }

    private static String where(Path file, JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? file.toString() : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }

    /**
     * Where the value of {@code key} is, else where its closest enclosing section is: a required key the file
     * leaves out ("sinks[0].host") is reported at the sink that lacks it.
     */
    static JsonLocation locateOrSection(String text, String key) {
        String k = key;
        while (true) {
            JsonLocation loc = locate(text, k, false);
            if (loc != null) return loc;
            String section = k.replaceFirst("(\\.[^.\\[]*|\\[\\d+])$", "");
            if (section.equals(k) || section.isEmpty()) return null;
            k = section;
        }
    }

    /**
     * Where the value of {@code key} ("conntrack.max_flows", "home_net[2]") starts in the YAML text (or the
     * key itself, with {@code keyItself}), by walking its tokens; null when the file does not set it (the
     * value came from a default).
     */
    static JsonLocation locate(String text, String key, boolean keyItself) {
        String pointer = "/" + key.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY || (t == JsonToken.FIELD_NAME) != keyItself) continue;
                JsonStreamContext ctx = p.getParsingContext();
                // a structure's own context is the one it opens; its place is in the enclosing one
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) ctx = ctx.getParent();
                if (ctx != null && ctx.pathAsPointer().toString().equals(pointer)) return p.currentTokenLocation();
            }
        } catch (IOException e) {
            return null; // the text bound without error, so this cannot happen; without a position the file is still named
        }
        return null;
    }

    private static ConfigException bindingError(Path file, String text, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException y) { // YAML syntax, with SnakeYAML's own position
            Mark m = y.getProblemMark();
            String at = m == null ? file.toString() : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            return new ConfigException(at + ": not valid YAML: " + oneLine(Objects.toString(y.getProblem(), y.getMessage())), e);
        }
        String key = e instanceof JsonMappingException m ? path(m) : "";
        JsonLocation at = e.getLocation();
        if (e instanceof UnrecognizedPropertyException) { // Jackson points past the key, at its value
            JsonLocation k = locate(text, key, true);
            if (k != null) at = k;
        } else if (e instanceof InvalidTypeIdException) { // a sink's type: Jackson points at the end of its section
            key = key + ".type";
            JsonLocation k = locateOrSection(text, key);
            if (k != null) at = k;
        }
        return new ConfigException(where(file, at) + ": " + (key.isEmpty() ? "" : key + ": ") + reason(e), e);
    }

    /** The reason in the file's terms (keys and YAML kinds), not Jackson's (classes). */
    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            if (known == null || known.isEmpty()) return "unknown key";
            TreeSet<String> names = new TreeSet<>(known.stream().map(String::valueOf).collect(Collectors.toList()));
            String close = closest(u.getPropertyName(), names);
            return "unknown key (" + (close != null ? "did you mean " + close + "?" : "expected one of " + String.join(", ", names)) + ")";
        }
        if (e instanceof InvalidTypeIdException t) {
            String types = String.join(", ", SinkSettings.TYPES.subList(0, SinkSettings.TYPES.size() - 1)) + " or "
                    + SinkSettings.TYPES.get(SinkSettings.TYPES.size() - 1);
            return t.getTypeId() == null ? "required: one of " + types : "'" + t.getTypeId() + "' is not one of " + types;
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            Class<?> type = f.getTargetType();
            if (type.isEnum()) return "'" + f.getValue() + "' is not one of " + Settings.names(type);
            if (type == Duration.class || type == long.class && !f.getOriginalMessage().startsWith("Cannot")) {
                return f.getOriginalMessage(); // our deserializers' own reasons
            }
            return "'" + f.getValue() + "' is not " + kind(type);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            if (m.getOriginalMessage().contains("null")) return "must not be empty (null)";
            return "expected " + kind(m.getTargetType());
        }
        return oneLine(e.getOriginalMessage().replaceAll("\\s*\\(class [^)]*\\)", "").replace("`", ""));
    }

    /** The known key a typo most likely meant (at most 2 edits, fewer than its length; else a key it is a word of), or null. */
    static String closest(String typed, Collection<String> known) {
        if (typed == null) return null;
        LevenshteinDistance distance = new LevenshteinDistance(2);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance.apply(typed, k); // -1 beyond the threshold
            if (d >= 0 && d < bestD && d < Math.min(typed.length(), k.length())) {
                best = k;
                bestD = d;
            }
        }
        if (best == null && typed.length() >= 3) { // a word of a longer key: "token" for token_file
            for (String k : known) {
                if (k.startsWith(typed + "_") || k.endsWith("_" + typed)) return k;
            }
        }
        return best;
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "a whole number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "text";
        if (type == Duration.class) return "a duration (e.g. 90s, 5m, 2h, 7d)";
        if (Collection.class.isAssignableFrom(type)) return "a list";
        if (type.isEnum()) return "one of " + Settings.names(type);
        return "a section of keys";
    }

    /** "conntrack.max_flows", "home_net[2]": the key as the README names it. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) b.append('.');
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
