package io.netsensor.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netsensor.testkit.Shared;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ECS 9.4 (../shared/schemas/ecs/ecs_flat.yml: every field flat, with its type, normalization and allowed
 * values) as a checker of our documents: each leaf's flattened name must be an ECS field or live under
 * netsensor.*, its JSON value must fit the field's type, a list is only allowed where ECS normalizes the
 * field to an array, and the values of fields with allowed (or expected) values must be among them.
 */
final class EcsSchema {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Set<String> STRING_TYPES = Set.of("keyword", "wildcard", "match_only_text", "text", "constant_keyword");
    private static final Set<String> NUMBER_TYPES = Set.of("float", "scaled_float", "double", "half_float");
    private static final Set<String> INTEGER_TYPES = Set.of("long", "integer", "short", "byte", "unsigned_long");

    private static EcsSchema loaded;
    private final JsonNode fields;

    private EcsSchema(JsonNode fields) {
        this.fields = fields;
    }

    /** The schema from the shared data (skips without it; fails in CI). */
    static synchronized EcsSchema load() throws IOException {
        if (loaded == null) {
            loaded = new EcsSchema(new ObjectMapper(new YAMLFactory()).readTree(Shared.require("schemas/ecs/ecs_flat.yml").toFile()));
        }
        return loaded;
    }

    JsonNode field(String name) {
        return fields.get(name);
    }

    /** Problems of one document, one line each; empty when it conforms. */
    List<String> problems(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (String required : List.of("@timestamp", "ecs.version")) {
            if (flatValue(doc, required) == null) out.add(required + ": missing (ECS requires it)");
        }
        walk("", doc, false, out);
        out.addAll(categoryTypeProblems(doc));
        return out;
    }

    private void walk(String name, JsonNode v, boolean inList, List<String> out) {
        if (name.equals("netsensor") || name.startsWith("netsensor.")) return; // our own fields: any JSON
        if (v.isObject()) {
            if (!name.isEmpty()) {
                JsonNode f = fields.get(name);
                // an object where ECS has a leaf of a scalar type is wrong; object-typed ECS fields are descended into
                if (f != null && !Set.of("object", "nested", "flattened").contains(f.path("type").asText())) {
                    out.add(name + ": an object, but ECS type " + f.path("type").asText());
                    return;
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), e.getValue(), false, out);
            }
            return;
        }
        JsonNode f = fields.get(name);
        if (f == null) {
            out.add(name + ": not an ECS field (and not under netsensor.*)");
            return;
        }
        if (v.isArray()) {
            if (inList) {
                out.add(name + ": a list inside a list");
                return;
            }
            if (!normalizedToArray(f)) out.add(name + ": a list, but ECS does not normalize it to an array");
            for (JsonNode x : v) {
                if (x.isObject()) walk(name, x, true, out); // a list of objects (dns.answers): each one's fields
                else leaf(name, f, x, out);
            }
            return;
        }
        leaf(name, f, v, out);
    }

    private static boolean normalizedToArray(JsonNode f) {
        for (JsonNode n : f.path("normalize")) if (n.asText().equals("array")) return true;
        return false;
    }

    private void leaf(String name, JsonNode f, JsonNode v, List<String> out) {
        String type = f.path("type").asText();
        String why = typeMismatch(type, v);
        if (why != null) {
            out.add(name + ": " + v + " is " + why + " (ECS type " + type + ")");
            return;
        }
        for (String listName : List.of("allowed_values", "expected_values")) {
            JsonNode allowed = f.get(listName);
            if (allowed == null) continue;
            Set<String> names = new HashSet<>();
            for (JsonNode a : allowed) names.add(a.isObject() ? a.path("name").asText() : a.asText());
            if (!names.contains(v.asText())) out.add(name + ": " + v + " is not one of its " + listName + " " + names);
        }
    }

    /** Why the value does not fit the ECS type, null when it does. */
    static String typeMismatch(String type, JsonNode v) {
        if (v.isNull()) return "null";
        if (STRING_TYPES.contains(type)) return v.isTextual() ? null : "not a string";
        if (INTEGER_TYPES.contains(type)) return v.isIntegralNumber() ? null : "not an integral number";
        if (NUMBER_TYPES.contains(type)) return v.isNumber() ? null : "not a number";
        if (type.equals("boolean")) return v.isBoolean() ? null : "not a boolean";
        if (type.equals("ip")) return v.isTextual() && validIp(v.asText()) ? null : "not an IP address";
        if (type.equals("date")) {
            if (!v.isTextual()) return "not an RFC 3339 string";
            try {
                OffsetDateTime.parse(v.asText());
                return null;
            } catch (DateTimeParseException e) {
                return "not an RFC 3339 date";
            }
        }
        return "a value where ECS has a " + type;
    }

    static boolean validIp(String s) {
        if (IPV4.matcher(s).matches()) return true;
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) return false;
        try {
            InetAddress.getByName(s); // an IPv6 literal (checked above): parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Every event.type must be one the document's every event.category expects (ECS's categorization). */
    private List<String> categoryTypeProblems(JsonNode doc) {
        List<String> out = new ArrayList<>();
        JsonNode categories = doc.path("event").path("category"), types = doc.path("event").path("type");
        for (JsonNode c : categories) {
            for (JsonNode allowed : fields.path("event.category").path("allowed_values")) {
                if (!allowed.path("name").asText().equals(c.asText())) continue;
                Set<String> expected = new HashSet<>();
                for (JsonNode t : allowed.path("expected_event_types")) expected.add(t.asText());
                for (JsonNode t : types) {
                    if (!expected.contains(t.asText())) out.add("event.type " + t + " is not expected with event.category " + c + " " + expected);
                }
            }
        }
        return out;
    }

    private static JsonNode flatValue(JsonNode doc, String flatName) {
        if (doc.has(flatName)) return doc.get(flatName);
        JsonNode n = doc;
        for (String part : flatName.split("\\.")) {
            n = n.get(part);
            if (n == null) return null;
        }
        return n;
    }
}
