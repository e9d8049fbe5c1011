package io.netsensor.config;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings from environment variables, for containers: {@code NETSENSOR_} then the key's path in capitals,
 * each level and list index joined by {@code _}: {@code NETSENSOR_CONNTRACK_MAX_FLOWS=8192},
 * {@code NETSENSOR_DETECTORS_ALLOWLIST_PORTS=123,5353} (a whole list, comma separated),
 * {@code NETSENSOR_SINKS_0_URL=https://...} (one key of list entry 0; the next free index adds an entry).
 * Keys hold underscores themselves, so a name is matched against the keys that exist, level by level, as
 * Spring's relaxed binding does: the mapping needs no table and cannot drift from the config.
 *
 * <p>Values are applied to the file's YAML tree before it is bound, so an environment value is checked
 * exactly as the same value in the file would be, and a bad one is reported under its variable's name.
 */
final class EnvOverrides {
    static final String PREFIX = "NETSENSOR_";
    /**
     * The launcher's, the build's and the tools' own variables, which are not settings (the launcher passes
     * its environment on, so NETSENSOR_JAVA_OPTS reaches the agent).
     */
    private static final Set<String> NOT_SETTINGS = Set.of("NETSENSOR_HOME", "NETSENSOR_DEBUG", "NETSENSOR_SHARED",
            "NETSENSOR_ATTRIBUTION", "NETSENSOR_ATTRIBUTION_DEBUG", "NETSENSOR_JAVA_OPTS", "NETSENSOR_BPF_DEBUG",
            "NETSENSOR_REQUIRE_BPF", "NETSENSOR_BTF", "NETSENSOR_CDS");
    private static final Map<String, Class<? extends SinkSettings>> SINK_TYPES = Map.of("syslog", SinkSettings.Syslog.class,
            "hec", SinkSettings.Hec.class, "kafka", SinkSettings.Kafka.class, "file", SinkSettings.File.class);

    private final ObjectMapper mapper;
    private final Map<String, String> env;
    /** Key path ("sinks[0].url", "home_net", "sinks[1]" for an entry the environment added) to its variable. */
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private EnvOverrides(ObjectMapper mapper, Map<String, String> env) {
        this.mapper = mapper;
        this.env = env;
    }

    /** The variables that are settings, in the order they apply (entry 2's before entry 10's). */
    static List<String> settingVariables(Map<String, String> env) {
        List<String> vars = new ArrayList<>();
        for (String name : env.keySet()) {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !NOT_SETTINGS.contains(name)) vars.add(name);
        }
        vars.sort(Comparator.comparing(EnvOverrides::words, EnvOverrides::compareWords));
        return vars;
    }

    /**
     * Applies the setting variables of {@code env} to {@code root} (the file's YAML, or an empty one).
     *
     * @return each overridden key's path and the variable that set it
     * @throws ConfigException every variable that names no key, one problem each
     */
    static Map<String, String> apply(ObjectMapper mapper, ObjectNode root, Map<String, String> env) {
        EnvOverrides o = new EnvOverrides(mapper, env);
        for (String var : settingVariables(env)) o.applyOne(var, env.get(var), root);
        if (!o.problems.isEmpty()) throw new ConfigException(o.problems);
        return o.origins;
    }

    private void applyOne(String var, String value, ObjectNode root) {
        try {
            section(var, value, root, mapper.constructType(Settings.class), "", words(var));
        } catch (Problem p) {
            problems.add(var + ": " + p.getMessage());
        }
    }

    /** A problem with one variable. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /** Sets the key that {@code w} names under a section of type {@code type}, at {@code target}. */
    private void section(String var, String value, ObjectNode target, JavaType type, String path, List<String> w) {
        Map<String, JavaType> keys = keys(type);
        if (w.isEmpty()) throw new Problem((path.isEmpty() ? "the config" : path) + " is a section: name one of its keys ("
                + String.join(", ", keys.keySet()) + ")");
        // longest key first: "max_bytes" before a key "max" could take its first word
        List<String> names = new ArrayList<>(keys.keySet());
        names.sort(Comparator.comparingInt((String k) -> k.split("_").length).reversed());
        for (String key : names) {
            List<String> kw = Arrays.asList(key.split("_"));
            if (w.size() < kw.size() || !w.subList(0, kw.size()).equals(kw)) continue;
            List<String> rest = w.subList(kw.size(), w.size());
            String p = path.isEmpty() ? key : path + "." + key;
            JavaType t = keys.get(key);
            if (t.isCollectionLikeType()) {
                list(var, value, target, key, t.getContentType(), p, rest);
            } else if (t.isMapLikeType()) {
                throw new Problem(p + " cannot be set from the environment (its keys hold dots): set it in the file");
            } else if (isSection(t)) {
                JsonNode child = target.get(key);
                section(var, value, child instanceof ObjectNode o ? o : target.putObject(key), t, p, rest);
            } else if (rest.isEmpty()) {
                target.put(key, value);
                origins.put(p, var);
            } else {
                continue; // "max" matched but the name goes on: another key may take more words
            }
            return;
        }
        String typed = String.join("_", w);
        String close = SettingsLoader.closest(typed, keys.keySet());
        throw new Problem("no setting " + (path.isEmpty() ? "" : path + ".") + typed
                + (close != null ? " (did you mean " + var.substring(0, var.length() - typed.length()) + close.toUpperCase(Locale.ROOT) + "?)"
                : " (" + (path.isEmpty() ? "top-level keys" : path + " has") + ": " + String.join(", ", keys.keySet()) + ")"));
    }

    /** A whole list (comma separated), or one entry of it by index. */
    private void list(String var, String value, ObjectNode target, String key, JavaType element, String path, List<String> rest) {
        boolean sections = SinkSettings.class.isAssignableFrom(element.getRawClass()) || isSection(element);
        if (rest.isEmpty()) {
            if (sections) throw new Problem(path + " is a list of sections: set one key of an entry, e.g. " + PREFIX
                    + path.toUpperCase(Locale.ROOT).replace('.', '_') + "_0_NAME");
            ArrayNode a = target.putArray(key);
            for (String item : value.split(",")) {
                if (!item.isBlank()) a.add(item.strip());
            }
            origins.put(path, var);
            return;
        }
        int index;
        try {
            index = Integer.parseInt(rest.get(0));
        } catch (NumberFormatException e) {
            throw new Problem(path + " is a list: give an entry's index after it, e.g. " + var.substring(0, var.length()
                    - String.join("_", rest).length()) + "0" + (sections ? "_" + String.join("_", rest).toUpperCase(Locale.ROOT) : ""));
        }
        JsonNode existing = target.get(key);
        ArrayNode a = existing instanceof ArrayNode arr ? arr : target.putArray(key);
        if (index > a.size()) {
            throw new Problem(path + " has " + a.size() + " entr" + (a.size() == 1 ? "y" : "ies") + ": the next one is index "
                    + a.size() + " (entries are numbered from 0, in order)");
        }
        String at = path + "[" + index + "]";
        List<String> after = rest.subList(1, rest.size());
        if (!sections) {
            if (!after.isEmpty()) throw new Problem(at + " is a single value: nothing goes after its index");
            if (index == a.size()) a.add(value); else a.set(index, a.textNode(value));
            origins.put(at, var);
            return;
        }
        if (index == a.size()) {
            a.addObject();
            origins.put(at, var); // an entry the environment added: its missing keys are the variable's to fix
        }
        if (!(a.get(index) instanceof ObjectNode entry)) throw new Problem(at + " in the file is not a section of keys");
        if (after.equals(List.of("type"))) {
            entry.put("type", value);
            origins.put(at + ".type", var);
            return;
        }
        String type = entry.hasNonNull("type") ? entry.get("type").asText()
                : env.get(var.substring(0, var.length() - String.join("_", after).length()) + "TYPE");
        Class<? extends SinkSettings> sinkType = type == null ? null : SINK_TYPES.get(type);
        if (sinkType == null) {
            throw new Problem(at + (type == null ? " has no type" : "'s type '" + type + "' is not a sink type")
                    + ": set " + var.substring(0, var.length() - String.join("_", after).length()) + "TYPE (syslog, hec, kafka or file)");
        }
        section(var, value, entry, mapper.constructType(sinkType), at, after);
    }

    /** The keys of a section, as the config spells them, with their types. */
    private Map<String, JavaType> keys(JavaType type) {
        Map<String, JavaType> out = new TreeMap<>();
        for (BeanPropertyDefinition p : mapper.getDeserializationConfig().introspect(type).findProperties()) {
            if (p.hasField() || p.hasSetter()) out.put(p.getName(), p.getPrimaryType());
        }
        return out;
    }

    /** One of the config's own sections (Journal, Detectors, ...), not a value. */
    private static boolean isSection(JavaType t) {
        Class<?> c = t.getRawClass();
        return !c.isEnum() && c.getName().startsWith(Settings.class.getName() + "$");
    }

    /** "NETSENSOR_SINKS_0_URL" as ["sinks", "0", "url"]. */
    private static List<String> words(String var) {
        return Arrays.asList(var.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_", -1));
    }

    /** Word by word, indexes as numbers: entry 2's variables before entry 10's. */
    private static int compareWords(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i), y = b.get(i);
            int c = x.matches("\\d{1,9}") && y.matches("\\d{1,9}") ? Integer.compare(Integer.parseInt(x), Integer.parseInt(y)) : x.compareTo(y);
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }
}
