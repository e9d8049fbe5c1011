package io.netsensor.agent.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (no Java library here parses it: the
 * client library writes only), by the format's rules: '# HELP name text' and '# TYPE name type' at most
 * once per family and TYPE before its samples; sample lines 'name{label="value",...} value [timestamp]'
 * with valid metric and label names, escaped label values (\\, \", \n only), no duplicate labels, no
 * duplicate series, a value that parses as a float (or NaN, +Inf, -Inf); a family's samples contiguous;
 * counters only through name_total (or _created), summaries through name, name_sum and name_count. Any
 * violation throws, naming the line.
 */
public final class PromText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One series: its name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** The parsed text: families' types and every sample. */
    public record Parsed(Map<String, String> types, List<Sample> samples) {
        /** The value of the one sample with this name and these labels (a subset match on labels). */
        public double value(String name, String... labels) {
            List<Sample> m = find(name, labels);
            if (m.size() != 1) throw new AssertionError(m.size() + " samples of " + name + " " + String.join(",", labels) + ": " + m);
            return m.get(0).value();
        }

        /** Samples of a name whose labels include the given key, value pairs. */
        public List<Sample> find(String name, String... labels) {
            List<Sample> out = new ArrayList<>();
            for (Sample s : samples) {
                if (!s.name().equals(name)) continue;
                boolean ok = true;
                for (int i = 0; i < labels.length; i += 2) ok &= labels[i + 1].equals(s.labels().get(labels[i]));
                if (ok) out.add(s);
            }
            return out;
        }

        /** The sum over a name's samples. */
        public double sum(String name) {
            return find(name).stream().mapToDouble(Sample::value).sum();
        }
    }

    private PromText() {}

    public static Parsed parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("the text must end with a newline");
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> seriesSeen = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + ": '" + line + "': ";
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(where + "bad metric name");
                    if (parts[1].equals("HELP")) {
                        if (!helped.add(name)) throw new IllegalArgumentException(where + "second HELP for " + name);
                        if (parts.length == 4) checkHelpEscapes(parts[3], where);
                    } else {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) throw new IllegalArgumentException(where + "bad TYPE");
                        if (types.containsKey(name)) throw new IllegalArgumentException(where + "second TYPE for " + name);
                        if (samples.stream().anyMatch(s -> family(s.name(), types).equals(name) || s.name().equals(name))) {
                            throw new IllegalArgumentException(where + "TYPE after samples of " + name);
                        }
                        types.put(name, parts[3]);
                    }
                }
                continue; // other comments are allowed
            }
            Sample s = sample(line, where);
            String fam = family(s.name(), types);
            String type = types.getOrDefault(fam, "untyped");
            checkSuffix(s.name(), fam, type, where);
            if (!fam.equals(currentFamily)) {
                if (closedFamilies.contains(fam)) throw new IllegalArgumentException(where + "samples of " + fam + " are not contiguous");
                if (currentFamily != null) closedFamilies.add(currentFamily);
                currentFamily = fam;
            }
            String series = s.name() + new TreeMap<>(s.labels());
            if (!seriesSeen.add(series)) throw new IllegalArgumentException(where + "duplicate series " + series);
            if (type.equals("counter") && (s.value() < 0 || Double.isNaN(s.value()))) {
                throw new IllegalArgumentException(where + "a counter must not be negative or NaN");
            }
            samples.add(s);
        }
        return new Parsed(types, samples);
    }

    /** The family a sample name belongs to: the declared name it extends with a type's suffix, else itself. */
    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) return name;
        for (String suffix : new String[] {"_total", "_created", "_sum", "_count", "_bucket"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(base)) return base;
            }
        }
        return name;
    }

    private static void checkSuffix(String name, String fam, String type, String where) {
        String suffix = name.substring(fam.length());
        boolean ok = switch (type) {
            case "counter" -> suffix.isEmpty() && fam.endsWith("_total") || suffix.equals("_total") || suffix.equals("_created");
            case "summary" -> suffix.isEmpty() || suffix.equals("_sum") || suffix.equals("_count") || suffix.equals("_created");
            case "histogram" -> suffix.equals("_bucket") || suffix.equals("_sum") || suffix.equals("_count") || suffix.equals("_created");
            default -> suffix.isEmpty();
        };
        if (!ok) throw new IllegalArgumentException(where + "'" + name + "' does not belong to its " + type + " family " + fam);
    }

    private static void checkHelpEscapes(String help, String where) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                if (i + 1 >= help.length() || (help.charAt(i + 1) != '\\' && help.charAt(i + 1) != 'n')) {
                    throw new IllegalArgumentException(where + "bad escape in HELP");
                }
                i++;
            }
        }
    }

    private static Sample sample(String line, String where) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) throw new IllegalArgumentException(where + "no metric name");
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new HashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                Matcher l = LABEL.matcher(line).region(i, line.length());
                if (!l.lookingAt()) throw new IllegalArgumentException(where + "bad label name at " + i);
                String label = l.group();
                i = l.end();
                if (i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                    throw new IllegalArgumentException(where + "expected =\" after " + label);
                }
                i += 2;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (i >= line.length()) throw new IllegalArgumentException(where + "unterminated label value");
                    char c = line.charAt(i++);
                    if (c == '"') break;
                    if (c == '\\') {
                        if (i >= line.length()) throw new IllegalArgumentException(where + "bad escape");
                        char e = line.charAt(i++);
                        if (e == '\\') v.append('\\');
                        else if (e == '"') v.append('"');
                        else if (e == 'n') v.append('\n');
                        else throw new IllegalArgumentException(where + "bad escape \\" + e);
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) throw new IllegalArgumentException(where + "label twice: " + label);
                if (i < line.length() && line.charAt(i) == ',') i++;
                else if (i >= line.length() || line.charAt(i) != '}') throw new IllegalArgumentException(where + "expected , or }");
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') throw new IllegalArgumentException(where + "expected a space before the value");
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) throw new IllegalArgumentException(where + "expected a value and at most a timestamp");
        double value = value(rest[0], where);
        if (rest.length == 2 && !rest[1].matches("-?\\d+")) throw new IllegalArgumentException(where + "bad timestamp");
        return new Sample(name, labels, value);
    }

    private static double value(String v, String where) {
        switch (v) {
            case "NaN": return Double.NaN;
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                if (!v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) throw new IllegalArgumentException(where + "bad value " + v);
                return Double.parseDouble(v);
        }
    }
}
