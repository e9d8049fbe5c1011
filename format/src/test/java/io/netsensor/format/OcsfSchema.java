package io.netsensor.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsensor.testkit.Shared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * OCSF 1.8.0 from its schema sources (../shared/schemas/ocsf-1.8.0), compiled the way the OCSF server does it,
 * as a checker of our documents. A class's attributes are its own, those of the classes it extends
 * (recursively) and those its {@code $include}d profiles add; an object's likewise. Each attribute's
 * definition is the dictionary's, overlaid by each class from the base down (so a class can change a type,
 * a requirement, or add enum values). A document must then:
 * <ul>
 *   <li>use only attributes of its class (at every level, of the object type the attribute has);</li>
 *   <li>use a profile's attributes only when {@code metadata.profiles} names the profile;</li>
 *   <li>have every {@code required} attribute (a profile's only when the profile is applied);</li>
 *   <li>give each value its type (string, integer in range, long, float, boolean; ip, mac, port, uuid and
 *       datetime by their regex or range; arrays exactly where {@code is_array}), and enum attributes a value of
 *       the enum, with the sibling caption matching (except 99 Other);</li>
 *   <li>meet the {@code at_least_one}/{@code just_one} constraints of its class and objects;</li>
 *   <li>and the event rules: class_uid = category uid * 1000 + class uid, category_uid the category's,
 *       type_uid = class_uid * 100 + activity_id, time in epoch milliseconds, metadata.version the schema's.</li>
 * </ul>
 */
final class OcsfSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OcsfSchema loaded;

    private final Path root;
    private final JsonNode dictionary, types, categories;
    final String version;
    private final Map<String, JsonNode> classSources = new HashMap<>(), objectSources = new HashMap<>();
    private final Map<String, Compiled> compiledClasses = new HashMap<>(), compiledObjects = new HashMap<>();

    /** An attribute as compiled: its merged definition and the profile that adds it (null when always there). */
    record Attr(String name, ObjectNode def, String profile) {
        boolean required() {
            return "required".equals(def.path("requirement").asText());
        }
    }

    /** A class or object compiled: attributes by name, constraints, and (classes) uid and category. */
    record Compiled(String name, String caption, Map<String, Attr> attributes, JsonNode constraints, int uid, String category) {}

    private OcsfSchema(Path root) throws IOException {
        this.root = root;
        dictionary = read(root.resolve("dictionary.json")).path("attributes");
        types = read(root.resolve("dictionary.json")).path("types").path("attributes");
        categories = read(root.resolve("categories.json")).path("attributes");
        version = read(root.resolve("version.json")).path("version").asText();
        try (Stream<Path> s = Files.walk(root.resolve("events"))) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json"))::iterator) {
                JsonNode n = read(p);
                classSources.put(n.path("name").asText(), n);
            }
        }
        try (Stream<Path> s = Files.list(root.resolve("objects"))) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json"))::iterator) {
                JsonNode n = read(p);
                objectSources.put(n.path("name").asText(), n);
            }
        }
    }

    static synchronized OcsfSchema load() throws IOException {
        if (loaded == null) loaded = new OcsfSchema(Shared.require("schemas/ocsf-1.8.0"));
        return loaded;
    }

    private static JsonNode read(Path p) throws IOException {
        return JSON.readTree(p.toFile());
    }

    /** The event class by its name (e.g. network_activity). */
    Compiled eventClass(String name) {
        return compiledClasses.computeIfAbsent(name, n -> compile(n, classSources, true));
    }

    Compiled object(String name) {
        return compiledObjects.computeIfAbsent(name, n -> compile(n, objectSources, false));
    }

    /** The class whose class_uid this is, or null. */
    Compiled classByUid(int classUid) {
        for (Map.Entry<String, JsonNode> e : classSources.entrySet()) {
            String category = categoryOf(e.getKey());
            if (e.getValue().has("uid") && category != null && categoryUid(category) * 1000 + e.getValue().path("uid").asInt() == classUid) {
                return eventClass(e.getKey());
            }
        }
        return null;
    }

    /** A class's category, its own or the nearest class it extends'. */
    private String categoryOf(String name) {
        for (JsonNode src = classSources.get(name); src != null; src = classSources.get(src.path("extends").asText(null))) {
            if (src.has("category")) return src.path("category").asText();
            if (!src.has("extends")) return null;
        }
        return null;
    }

    int categoryUid(String category) {
        return categories.path(category).path("uid").asInt(-1);
    }

    String categoryCaption(String category) {
        return categories.path(category).path("caption").asText();
    }

    private Compiled compile(String name, Map<String, JsonNode> sources, boolean isClass) {
        JsonNode src = sources.get(name);
        if (src == null) throw new IllegalArgumentException("no OCSF " + (isClass ? "class" : "object") + " " + name);
        Map<String, Attr> attrs = new LinkedHashMap<>();
        JsonNode constraints = null;
        String category = null;
        if (src.has("extends")) {
            Compiled parent = compile(src.path("extends").asText(), sources, isClass);
            attrs.putAll(parent.attributes());
            constraints = parent.constraints();
            category = parent.category();
        }
        JsonNode own = src.path("attributes");
        // profiles first, then the source's own definitions over them (a class may take a profile's attribute as its own)
        for (JsonNode inc : own.path("$include")) {
            JsonNode profile = readQuietly(root.resolve(inc.asText()));
            String profileName = profile.path("name").asText();
            profile.path("attributes").fields().forEachRemaining(e -> overlay(attrs, e.getKey(), e.getValue(), profileName));
        }
        own.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("$include")) overlay(attrs, e.getKey(), e.getValue(), null);
        });
        if (src.has("constraints")) constraints = src.path("constraints");
        if (src.has("category")) category = src.path("category").asText();
        if (isClass && src.has("uid") && category != null) {
            // as the server compiles a class: its class_uid and category_uid enums are its own uid and category
            int cat = categoryUid(category);
            enumOf(attrs, "class_uid", cat * 1000 + src.path("uid").asInt(), src.path("caption").asText());
            enumOf(attrs, "category_uid", cat, categoryCaption(category));
        }
        return new Compiled(name, src.path("caption").asText(), attrs, constraints, src.path("uid").asInt(-1), category);
    }

    private static void enumOf(Map<String, Attr> attrs, String name, int value, String caption) {
        Attr a = attrs.get(name);
        ObjectNode def = a.def().deepCopy();
        ObjectNode en = def.putObject("enum");
        en.putObject(Integer.toString(value)).put("caption", caption);
        attrs.put(name, new Attr(name, def, a.profile()));
    }

    /** Merges a definition over what the attribute has so far (or the dictionary's), enums merged. */
    private void overlay(Map<String, Attr> attrs, String name, JsonNode def, String profile) {
        Attr before = attrs.get(name);
        ObjectNode merged;
        if (before != null) {
            merged = before.def().deepCopy();
        } else {
            JsonNode d = dictionary.get(name);
            if (d == null) throw new IllegalStateException("attribute " + name + " is not in the dictionary");
            merged = d.deepCopy();
        }
        String prof = before != null ? before.profile() : profile;
        Iterator<Map.Entry<String, JsonNode>> it = def.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("enum") && merged.has("enum")) {
                ((ObjectNode) merged.get("enum")).setAll((ObjectNode) f.getValue().deepCopy());
            } else if (f.getKey().equals("profile")) {
                prof = f.getValue().isNull() ? null : f.getValue().asText(); // "profile": null makes it the class's own
            } else if (!f.getValue().isNull()) {
                merged.set(f.getKey(), f.getValue().deepCopy());
            }
        }
        if (profile != null && before == null) prof = profile;
        attrs.put(name, new Attr(name, merged, prof));
    }

    private static JsonNode readQuietly(Path p) {
        try {
            return read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Problems of one event document, one line each; empty when it conforms. */
    List<String> problems(JsonNode doc) {
        List<String> out = new ArrayList<>();
        int classUid = doc.path("class_uid").asInt(-1);
        Compiled c = classByUid(classUid);
        if (c == null) {
            out.add("class_uid: " + doc.path("class_uid") + " is no OCSF class");
            return out;
        }
        Set<String> profiles = new HashSet<>();
        doc.path("metadata").path("profiles").forEach(p -> profiles.add(p.asText()));
        checkObject("", doc, c, profiles, out);
        int category = categoryUid(c.category());
        if (doc.path("category_uid").asInt(-1) != category) out.add("category_uid: " + doc.path("category_uid") + ", the class's category is " + category);
        if (doc.has("category_name") && !doc.path("category_name").asText().equals(categoryCaption(c.category()))) {
            out.add("category_name: " + doc.path("category_name") + " is not " + categoryCaption(c.category()));
        }
        if (doc.has("class_name") && !doc.path("class_name").asText().equals(c.caption())) {
            out.add("class_name: " + doc.path("class_name") + " is not " + c.caption());
        }
        long activity = doc.path("activity_id").asLong(-1);
        if (doc.path("type_uid").asLong(-1) != classUid * 100L + activity) {
            out.add("type_uid: " + doc.path("type_uid") + " is not class_uid * 100 + activity_id = " + (classUid * 100L + activity));
        }
        if (doc.has("type_name") && doc.has("activity_name")
                && !doc.path("type_name").asText().equals(c.caption() + ": " + doc.path("activity_name").asText())) {
            out.add("type_name: " + doc.path("type_name") + " is not \"" + c.caption() + ": " + doc.path("activity_name").asText() + "\"");
        }
        for (String t : List.of("time", "start_time", "end_time")) {
            JsonNode v = doc.get(t);
            // epoch milliseconds: 2001..2100 (seconds or nanoseconds fall far outside)
            if (v != null && (v.asLong() < 1_000_000_000_000L || v.asLong() > 4_102_444_800_000L)) out.add(t + ": " + v + " is not epoch milliseconds");
        }
        if (!version.equals(doc.path("metadata").path("version").asText())) out.add("metadata.version: not " + version);
        return out;
    }

    private void checkObject(String path, JsonNode node, Compiled type, Set<String> profiles, List<String> out) {
        if (!node.isObject()) {
            out.add(path + ": " + node + " is not an object (" + type.name() + ")");
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            Attr a = type.attributes().get(f.getKey());
            if (a == null) {
                out.add(p + ": not an attribute of " + type.name());
                continue;
            }
            if (a.profile() != null && !profiles.contains(a.profile())) {
                out.add(p + ": belongs to profile " + a.profile() + ", which metadata.profiles does not apply");
            }
            checkValue(p, f.getValue(), a, profiles, out);
        }
        for (Attr a : type.attributes().values()) {
            if (a.required() && (a.profile() == null || profiles.contains(a.profile())) && !node.has(a.name())) {
                out.add((path.isEmpty() ? "" : path + ".") + a.name() + ": required by " + type.name() + ", missing");
            }
        }
        JsonNode cons = type.constraints();
        if (cons != null) {
            for (String kind : List.of("at_least_one", "just_one")) {
                if (!cons.has(kind)) continue;
                int present = 0;
                for (JsonNode n : cons.path(kind)) if (node.has(n.asText())) present++;
                if (present == 0 || (kind.equals("just_one") && present != 1)) {
                    out.add((path.isEmpty() ? type.name() : path) + ": " + kind + " of " + cons.path(kind) + " (has " + present + ")");
                }
            }
        }
    }

    private void checkValue(String path, JsonNode v, Attr a, Set<String> profiles, List<String> out) {
        boolean array = a.def().path("is_array").asBoolean(false);
        if (array) {
            if (!v.isArray()) {
                out.add(path + ": " + v + " is not an array");
                return;
            }
            for (int i = 0; i < v.size(); i++) checkOne(path + "[" + i + "]", v.get(i), a, profiles, out);
        } else if (v.isArray()) {
            out.add(path + ": an array, the attribute is not");
        } else {
            checkOne(path, v, a, profiles, out);
        }
    }

    private void checkOne(String path, JsonNode v, Attr a, Set<String> profiles, List<String> out) {
        String type = a.def().path("type").asText();
        if (type.equals("object")) { // free-form (unmapped)
            if (!v.isObject()) out.add(path + ": not an object");
            return;
        }
        if (!type.endsWith("_t")) {
            checkObject(path, v, object(type), profiles, out);
            return;
        }
        String problem = scalar(type, v);
        if (problem != null) out.add(path + ": " + v + " " + problem);
        JsonNode en = a.def().get("enum");
        if (en != null && problem == null) {
            String key = v.asText();
            if (!en.has(key)) {
                out.add(path + ": " + v + " is not one of " + iterable(en.fieldNames()));
            }
        }
    }

    /** Why a value does not fit a scalar type (following the type's base types), or null when it does. */
    private String scalar(String type, JsonNode v) {
        JsonNode t = types.path(type);
        if (t.has("regex") && v.isTextual() && !Pattern.compile(t.path("regex").asText()).matcher(v.asText()).find()) {
            return "does not match " + type;
        }
        if (t.has("max_len") && v.isTextual() && v.asText().length() > t.path("max_len").asInt()) return "is longer than " + type + " allows";
        if (t.has("range") && v.isNumber()) {
            long x = v.asLong();
            if (x < t.path("range").get(0).asLong() || x > t.path("range").get(1).asLong()) return "is outside " + type + "'s range";
        }
        if (t.has("type")) return scalar(t.path("type").asText(), v);
        switch (type) {
            case "string_t": return v.isTextual() ? null : "is not a string";
            case "integer_t": return v.isIntegralNumber() && v.canConvertToInt() ? null : "is not an integer";
            case "long_t": return v.isIntegralNumber() && v.canConvertToLong() ? null : "is not a long";
            case "float_t": return v.isNumber() ? null : "is not a number";
            case "boolean_t": return v.isBoolean() ? null : "is not a boolean";
            case "json_t": return null;
            default: return "has unknown type " + type;
        }
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /** Sibling captions: an enum id's name attribute must say the enum's caption (99 Other says its own). */
    List<String> siblingProblems(JsonNode doc) {
        List<String> out = new ArrayList<>();
        Compiled c = classByUid(doc.path("class_uid").asInt(-1));
        if (c != null) siblings("", doc, c, out);
        return out;
    }

    private void siblings(String path, JsonNode node, Compiled type, List<String> out) {
        for (Attr a : type.attributes().values()) {
            JsonNode v = node.get(a.name());
            if (v == null) continue;
            String p = path.isEmpty() ? a.name() : path + "." + a.name();
            String t = a.def().path("type").asText();
            if (!t.endsWith("_t") && !t.equals("object")) {
                Compiled o = object(t);
                if (v.isArray()) for (JsonNode e : v) siblings(p, e, o, out);
                else if (v.isObject()) siblings(p, v, o, out);
                continue;
            }
            String sibling = a.def().path("sibling").asText(null);
            JsonNode en = a.def().get("enum");
            if (sibling == null || en == null || !node.has(sibling)) continue;
            JsonNode sv = node.get(sibling);
            if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    String want = en.path(v.get(i).asText()).path("caption").asText();
                    if (!v.get(i).asText().equals("99") && !want.equals(sv.path(i).asText())) out.add(p + "[" + i + "]: " + sibling + " is not " + want);
                }
            } else if (!v.asText().equals("99")) {
                String want = en.path(v.asText()).path("caption").asText();
                if (!want.equals(sv.asText())) out.add(p + ": " + sibling + " " + sv + " is not \"" + want + "\"");
            }
        }
    }
}
