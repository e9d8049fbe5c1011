package io.netsensor.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /**
     * Binds the config. A key given twice is an error (at its second place), not the last one silently
     * winning; 1.5 for a whole number and 1 for true/false are errors, not rounded or guessed.
     */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // "journal:" with nothing under it is YAML's null: keep the defaults rather than null sections;
            // a null inside a list ("home_net: [~]") is a mistake and fails where it is.
            .setDefaultSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.FAIL))
            .registerModule(new SimpleModule("netsensor-units").addDeserializer(Duration.class, new Units.DurationDeserializer()));
    /** For finding keys in the text again: lenient, so it also walks a file that failed (a duplicate key). */
    private static final YAMLFactory PLAIN = new YAMLFactory();

    static {
        YAML.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

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

    /**
     * The defaults with the environment's settings ({@code NETSENSOR_...}, see {@link EnvOverrides}), when no
     * file is given; checked as a file is.
     */
    public static Settings defaults(Map<String, String> env, Check... checks) {
        return bind(null, "", env, checks);
    }

    public static Settings load(Path file) {
        return load(file, new Check[0]);
    }

    /** Loads and validates the file, then runs the checks, whose errors also name the file, line and column. */
    public static Settings load(Path file, Check... checks) {
        return load(file, Map.of(), checks);
    }

    /**
     * As {@link #load(Path, Check...)}, with the environment's settings ({@code NETSENSOR_...}) over the
     * file's; a bad value from the environment is reported under its variable's name.
     *
     * @throws ConfigException every problem found, one line each
     */
    public static Settings load(Path file, Map<String, String> env, Check... checks) {
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
        return bind(file, text, env, checks);
    }

    /** Binds the file's text (null file: none) with the environment over it, then checks the whole. */
    private static Settings bind(Path file, String text, Map<String, String> env, Check[] checks) {
        boolean overridden = !EnvOverrides.settingVariables(env).isEmpty();
        Map<String, String> origins = new LinkedHashMap<>();
        Settings s;
        try {
            if (!overridden) {
                s = text.isBlank() ? new Settings() : YAML.readValue(text, Settings.class);
            } else {
                // through the tree: the environment's values are set in it, then bound as the file's are
                JsonNode tree = text.isBlank() ? null : YAML.readTree(text);
                if (tree == null || tree.isMissingNode() || tree.isNull()) tree = YAML.createObjectNode();
                if (tree instanceof ObjectNode root) origins.putAll(EnvOverrides.apply(YAML, root, env));
                s = YAML.treeToValue(tree, Settings.class); // a file that is not a section of keys fails here
            }
        } catch (JsonProcessingException e) {
            throw bindingError(file, text, e, origins, overridden);
        }
        Settings bound = s != null ? s : new Settings(); // null: a file holding only comments
        Where where = key -> {
            String var = origin(origins, key);
            if (var != null) return var;
            return file == null ? "<defaults>" : where(file, locateOrSection(text, key));
        };
        List<String> problems = new ArrayList<>();
        collect(problems, () -> validate(bound, where));
        for (Check c : checks) collect(problems, () -> c.check(bound, problems(where)));
        if (!problems.isEmpty()) throw new ConfigException(inFileOrder(problems, file));
        bound.environment(origins);
        return bound;
    }

    /** The problems at a line of the file by line and column; the environment's after, as found. */
    private static List<String> inFileOrder(List<String> problems, Path file) {
        if (file == null) return problems;
        Pattern at = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+):(\\d+):.*");
        List<String> sorted = new ArrayList<>(problems);
        sorted.sort(java.util.Comparator.comparingLong(p -> {
            Matcher m = at.matcher(p);
            return m.matches() ? Long.parseLong(m.group(1)) * 100_000 + Long.parseLong(m.group(2)) : Long.MAX_VALUE;
        }));
        return sorted;
    }

    private static void collect(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }

    /** The variable that set {@code key} or a section or list entry holding it, or null. */
    private static String origin(Map<String, String> origins, String key) {
        for (String k = key; !k.isEmpty(); ) {
            String var = origins.get(k);
            if (var != null) return var;
            String up = k.replaceFirst("(\\.[^.\\[]*|\\[\\d+])$", "");
            if (up.equals(k)) break;
            k = up;
        }
        return null;
    }

    /** Validates settings changed after loading (command-line overrides); returns them. */
    public static Settings validated(Settings s, String origin) {
        return validated(s, origin, new Check[0]);
    }

    /** As {@link #validated(Settings, String)}, running the checks too (errors then name the origin). */
    public static Settings validated(Settings s, String origin, Check... checks) {
        List<String> problems = new ArrayList<>();
        collect(problems, () -> validate(s, key -> origin));
        for (Check c : checks) collect(problems, () -> c.check(s, problems(key -> origin)));
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return s;
    }

    private static Problems problems(Where where) {
        return (key, reason) -> new ConfigException(where.of(key) + ": " + printable(key) + ": " + printable(reason));
    }

    /** Where a key's value is, as the prefix of an error ("file:line:column", or the origin without a file). */
    private interface Where {
        String of(String key);
    }

    /** Every range and format check of the bound settings; throws all the problems found, in one exception. */
    private static void validate(Settings settings, Where where) {
        List<String> problems = new ArrayList<>();
        Found f = new Found(where, problems);
        Settings s = settings;
        f.range("snaplen", s.snaplen, 64, 262_144);
        if (s.captureBuffer < 1L << 20 || s.captureBuffer > 4L << 30) f.fail("capture_buffer", "must be 1MiB to 4GiB");
        if (s.metrics.listen != null) listen(f, "metrics.listen", s.metrics.listen);
        if (s.logSummaryInterval.isNegative()) f.fail("log_summary_interval", "must be 0 (off) or longer");
        // the flow table is preallocated: beyond 2^26 slots (~20 GiB) it is a typo, not a busy gateway
        f.range("conntrack.max_flows", s.conntrack.maxFlows, 16, 1 << 26);
        f.range("dns.max_pending", s.dns.maxPending, 16, 1 << 24);
        f.positive("conntrack.tcp_inactivity", s.conntrack.tcpInactivity);
        f.positive("conntrack.udp_inactivity", s.conntrack.udpInactivity);
        f.positive("conntrack.tcp_close_delay", s.conntrack.tcpCloseDelay);
        f.positive("dns.timeout", s.dns.timeout);
        f.cidrs("home_net", s.homeNet);
        f.cidrs("detectors.allowlist.remote_cidrs", s.detectors.allowlist.remoteCidrs);
        f.ports("detectors.allowlist.ports", s.detectors.allowlist.ports, 0);
        if (s.detectors.c2Ports != null) f.ports("detectors.c2_ports", s.detectors.c2Ports, 1);
        f.positive("telemetry.interval", s.telemetry.interval);
        f.range("detectors.max_keys", s.detectors.maxKeys, 16, 1 << 22);
        Settings.Beacon b = s.detectors.beacon;
        if (b.minConnections != null) f.range("detectors.beacon.min_connections", b.minConnections, 3, 100_000);
        if (b.minScore != null && !(b.minScore >= 0 && b.minScore <= 1)) f.fail("detectors.beacon.min_score", "must be between 0 and 1, not " + b.minScore);
        if (b.minPerHour != null && !(b.minPerHour > 0)) f.fail("detectors.beacon.min_per_hour", "must be more than 0, not " + b.minPerHour);
        if (b.maxPerHour != null && !(b.maxPerHour > 0)) f.fail("detectors.beacon.max_per_hour", "must be more than 0, not " + b.maxPerHour);
        if (s.detectors.fanout.minUnique != null) f.range("detectors.fanout.min_unique", s.detectors.fanout.minUnique, 2, 1_000_000);
        if (s.detectors.fanout.busyMinUnique != null) f.range("detectors.fanout.busy_min_unique", s.detectors.fanout.busyMinUnique, 2, 1_000_000);
        if (s.detectors.relay.minOutbound != null) f.range("detectors.relay.min_outbound", s.detectors.relay.minOutbound, 1, 10_000);
        for (int i = 0; i < s.detectors.disabled.size(); i++) {
            String d = s.detectors.disabled.get(i);
            if (!Settings.Detectors.NETWORK_DETECTORS.contains(d)) {
                f.fail("detectors.disabled[" + i + "]", "not a detector: " + d + " (one of "
                        + String.join(", ", Settings.Detectors.NETWORK_DETECTORS) + ")");
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    /** The problems of one validation, each where its key is. */
    private record Found(Where where, List<String> problems) {
        void fail(String key, String reason) {
            problems.add(where.of(key) + ": " + printable(key) + ": " + printable(reason));
        }

        void range(String key, long value, long min, long max) {
            if (value < min || value > max) fail(key, "must be between " + min + " and " + max + ", not " + value);
        }

        void positive(String key, Duration d) {
            if (d.isZero()) fail(key, "must be longer than 0");
        }

        void cidrs(String key, List<String> cidrs) {
            for (int i = 0; i < cidrs.size(); i++) {
                try {
                    IpRanges.of(List.of(cidrs.get(i)));
                } catch (IllegalArgumentException e) {
                    fail(key + "[" + i + "]", e.getMessage());
                }
            }
        }

        void ports(String key, List<Integer> ports, int min) {
            for (int i = 0; i < ports.size(); i++) {
                int p = ports.get(i);
                if (p < min || p > 65_535) fail(key + "[" + i + "]", "not a port: " + p + " (" + min + "-65535)");
            }
        }
    }

    /** host:port, [v6]:port: the address part must be an IP address or localhost (no lookup at start). */
    private static void listen(Found f, String key, String value) {
        try {
            Units.listenAddress(value);
        } catch (IllegalArgumentException e) {
            f.fail(key, e.getMessage());
        }
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
        try (JsonParser p = PLAIN.createParser(text)) {
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

    /**
     * Where a YAML syntax error is, as an editor, sed or grep count lines: by line feeds (and lone carriage
     * returns) only. SnakeYAML counts as YAML 1.1 does, NEL, U+2028 and U+2029 breaking lines too, so its own
     * line (a fuzzed file: line 4 of a two-line file) can point past the end; its mark's character index
     * (code points from the start) is what is counted again here.
     */
    static String lineAndColumn(String text, Mark m) {
        int index = m.getIndex();
        if (text == null || index < 0 || index > text.codePointCount(0, text.length())) {
            return (m.getLine() + 1) + ":" + (m.getColumn() + 1);
        }
        int end = text.offsetByCodePoints(0, index);
        int line = 1, column = 1;
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n' || (cp == '\r' && (i >= text.length() || text.charAt(i) != '\n'))) {
                line++;
                column = 1;
            } else if (cp != '\r') {
                column++;
            }
        }
        return line + ":" + column;
    }

    /**
     * The binding error as one line at its key: from the file (its position), or from the environment (the
     * variable). {@code fromTree}: bound from the YAML tree (the environment applied), whose parser knows no
     * position, so the key is found in the text again.
     */
    private static ConfigException bindingError(Path file, String text, JsonProcessingException e, Map<String, String> origins,
                                                boolean fromTree) {
        if (e.getCause() instanceof MarkedYAMLException y) { // YAML syntax, with SnakeYAML's own position
            Mark m = y.getProblemMark();
            String at = m == null ? file.toString() : file + ":" + lineAndColumn(text, m);
            return new ConfigException(at + ": not valid YAML: " + oneLine(Objects.toString(y.getProblem(), y.getMessage())), e);
        }
        ConfigException duplicate = duplicateKey(file, text, e);
        if (duplicate != null) return duplicate;
        String key = e instanceof JsonMappingException m ? path(m) : "";
        String var = origin(origins, key);
        if (var != null || file == null) {
            return new ConfigException((var != null ? var : "environment") + ": " + (key.isEmpty() ? "" : key + ": ") + reason(e), e);
        }
        JsonLocation at = fromTree ? locateOrSection(text, key) : e.getLocation();
        if (e instanceof UnrecognizedPropertyException) { // Jackson points past the key, at its value
            JsonLocation k = locate(text, key, true);
            if (k != null) at = k;
        } else if (e instanceof InvalidTypeIdException) { // a sink's type: Jackson points at the end of its section
            key = key + ".type";
            JsonLocation k = locateOrSection(text, key);
            if (k != null) at = k;
        } else if (e.getOriginalMessage() != null && OUT_OF_RANGE.matcher(oneLine(e.getOriginalMessage())).matches()) {
            JsonLocation k = locate(text, key, false); // Jackson points past the number
            if (k != null) at = k;
        }
        return new ConfigException(where(file, at) + ": " + printable((key.isEmpty() ? "" : key + ": ") + reason(e)), e);
    }

    /**
     * A key set twice in one section, at its second place: YAML says the file is wrong, and silently
     * keeping one of the two values would run with a setting the operator did not mean.
     */
    private static ConfigException duplicateKey(Path file, String text, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof StreamReadException r) || r.getOriginalMessage() == null
                    || !r.getOriginalMessage().startsWith("Duplicate field")) continue;
            JsonParser p = r.getProcessor();
            String pointer = p == null ? "" : p.getParsingContext().pathAsPointer().toString();
            String key = pointer.replaceFirst("^/", "").replaceAll("/(\\d+)(?=/|$)", "[$1]").replace('/', '.');
            List<JsonLocation> places = keyPlaces(text, pointer);
            String first = places.isEmpty() ? "" : " (first at line " + places.get(0).getLineNr() + ")";
            JsonLocation second = places.size() > 1 ? places.get(1) : r.getLocation();
            return new ConfigException(where(file, second) + ": " + key + ": set twice" + first + "; keep one", e);
        }
        return null;
    }

    /** Where each occurrence of the key at {@code pointer} is, in the order of the text. */
    private static List<JsonLocation> keyPlaces(String text, String pointer) {
        List<JsonLocation> out = new ArrayList<>();
        try (JsonParser p = PLAIN.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().toString().equals(pointer)) {
                    out.add(p.currentTokenLocation());
                }
            }
        } catch (IOException ignored) {
            // the lenient parser read the file up to here; what was found is all there is to say
        }
        return out;
    }

    /** Jackson's "Numeric value (99999999999) out of range of int (-2147483648 - 2147483647)". */
    private static final Pattern OUT_OF_RANGE = Pattern.compile("Numeric value \\((.*)\\) out of range of \\w+ \\((-?\\d+) - (-?\\d+)\\).*");

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
            Object v = f.getValue();
            return (v instanceof String || v instanceof Number || v instanceof Boolean ? "'" + v + "'" : "the value") + " is not " + kind(type);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            if (m.getOriginalMessage().contains("null")) return "must not be empty (null)";
            return "expected " + kind(m.getTargetType());
        }
        Matcher range = OUT_OF_RANGE.matcher(oneLine(e.getOriginalMessage()));
        if (range.matches()) return "'" + range.group(1) + "' is too large (at most " + range.group(3) + ")";
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
        if (type == double.class || type == Double.class) return "a number (e.g. 0.7)";
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

    /**
     * Keys and values quoted in an error as they are, but on one line: YAML lets a key or a value hold line
     * breaks and other control characters (a plain scalar folded over an empty line, "\n" in a quoted one),
     * which would break the one-line error; they are shown escaped, as in the YAML source.
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f && c != '\u2028' && c != '\u2029' && c != 0x85) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }

    /** Also NEL, U+2028 and U+2029, which SnakeYAML quotes raw and which end a line for many readers. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\s\u0085\u2028\u2029]+", " ").trim();
    }
}
