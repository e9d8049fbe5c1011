package io.netsensor.agent.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small evaluator of the LogScale (CQL) the seed's queries use, over events as flat field maps, so the
 * seed's own query text runs on netsensor's Falcon-shaped output. The stages it knows, with LogScale's
 * semantics as documented, and what it approximates:
 * <ul>
 *   <li>filters: {@code F=V}, {@code F!=V}, {@code F=/re/flags}, {@code F!=/re/flags}, {@code F>=N} etc., several
 *       on one stage meaning AND. A regex matches anywhere in the value (as LogScale's, unanchored); {@code !=}
 *       passes events without the field. {@code #event_simpleName} is read as the FDR field
 *       {@code event_simpleName} (LogScale's Falcon parser makes the tag from it). Numbers compare as numbers
 *       when both sides are numeric (FDR's values are strings).</li>
 *   <li>{@code groupBy([fields], function=[...])} with {@code count}, {@code min}, {@code max},
 *       {@code collect(F, limit=N)} (distinct values, first N) and {@code countDistinct}; an event without one
 *       of the group fields is left out of the groups.</li>
 *   <li>{@code eval F = expr}: + - * / on numbers, {@code length(F)}, {@code case(cond, value, ..., true(), value)}
 *       with comparisons joined by AND/OR.</li>
 *   <li>{@code join({subquery}, field=F, include=[...])}: inner join on F with the subquery's rows over the same
 *       events, copying the included fields (the subquery's last row per key wins).</li>
 *   <li>{@code sort(F, order=desc|asc)}; {@code table([...])} keeps the rows (projection is not needed to judge).</li>
 * </ul>
 * Time ranges and live windows are not modelled: a query runs over all events given.
 */
final class LogScaleLite {
    private static final Pattern FILTER = Pattern.compile("(#?[A-Za-z_][\\w.]*)\\s*(!=|>=|<=|=|>|<)\\s*(/(?:\\\\.|[^/])*/[a-z]*|\"[^\"]*\"|[^\\s]+)");

    private final List<String> stages;

    private LogScaleLite(List<String> stages) {
        this.stages = stages;
    }

    /** A query from its text (comment lines, starting with //, already removed). */
    static LogScaleLite parse(String text) {
        return new LogScaleLite(splitTopLevel(text.strip(), '|'));
    }

    /** The stages, as written (trimmed). */
    List<String> stages() {
        return stages;
    }

    /** The query without the stages that are exactly these (to look at what its thresholds judge). */
    LogScaleLite without(String... exactStages) {
        List<String> keep = new ArrayList<>(stages);
        for (String s : exactStages) {
            if (!keep.remove(s)) throw new IllegalArgumentException("no stage " + s + " in " + stages);
        }
        return new LogScaleLite(keep);
    }

    List<Map<String, Object>> run(List<Map<String, String>> events) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, String> e : events) rows.add(new LinkedHashMap<>(e));
        for (String stage : stages) rows = stage(stage, rows, events);
        return rows;
    }

    private List<Map<String, Object>> stage(String s, List<Map<String, Object>> rows, List<Map<String, String>> events) {
        if (s.startsWith("groupBy(")) return groupBy(args(s, "groupBy"), rows);
        if (s.startsWith("eval ")) return eval(s.substring(5), rows);
        if (s.startsWith("join(")) return join(args(s, "join"), rows, events);
        if (s.startsWith("table(")) return rows;
        if (s.startsWith("sort(")) return sort(args(s, "sort"), rows);
        return filter(s, rows);
    }

    private static List<Map<String, Object>> filter(String s, List<Map<String, Object>> rows) {
        Matcher m = FILTER.matcher(s);
        List<String[]> terms = new ArrayList<>();
        int consumed = 0;
        while (m.find()) {
            if (!s.substring(consumed, m.start()).isBlank()) throw new IllegalArgumentException("cannot read filter " + s);
            terms.add(new String[] {m.group(1), m.group(2), m.group(3)});
            consumed = m.end();
        }
        if (terms.isEmpty() || !s.substring(consumed).isBlank()) throw new IllegalArgumentException("cannot read stage " + s);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            boolean all = true;
            for (String[] t : terms) all &= test(r, t[0].startsWith("#") ? t[0].substring(1) : t[0], t[1], t[2]);
            if (all) out.add(r);
        }
        return out;
    }

    private static boolean test(Map<String, Object> r, String field, String op, String literal) {
        Object v = r.get(field);
        if (literal.startsWith("/")) {
            int end = literal.lastIndexOf('/');
            String flags = literal.substring(end + 1);
            Pattern p = Pattern.compile(literal.substring(1, end), flags.contains("i") ? Pattern.CASE_INSENSITIVE : 0);
            boolean match = v != null && p.matcher(String.valueOf(v)).find();
            return op.equals("!=") ? !match : match;
        }
        String want = literal.startsWith("\"") ? literal.substring(1, literal.length() - 1) : literal;
        if (v == null) return op.equals("!=");
        Double a = number(v), b = number(want);
        int c = a != null && b != null ? Double.compare(a, b) : String.valueOf(v).compareTo(want);
        switch (op) {
            case "=": return c == 0;
            case "!=": return c != 0;
            case ">=": return c >= 0;
            case "<=": return c <= 0;
            case ">": return c > 0;
            default: return c < 0;
        }
    }

    private static List<Map<String, Object>> groupBy(Map<String, String> a, List<Map<String, Object>> rows) {
        List<String> fields = list(a.get("0"));
        List<String> functions = a.containsKey("function") ? list(a.get("function")) : List.of("count(as=_count)");
        Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            List<Object> key = new ArrayList<>();
            for (String f : fields) key.add(r.get(f));
            if (key.contains(null)) continue; // LogScale leaves out events without a group field
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<List<Object>, List<Map<String, Object>>> g : groups.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) row.put(fields.get(i), g.getKey().get(i));
            for (String fn : functions) aggregate(fn, g.getValue(), row);
            out.add(row);
        }
        return out;
    }

    private static void aggregate(String fn, List<Map<String, Object>> members, Map<String, Object> row) {
        String name = fn.substring(0, fn.indexOf('('));
        Map<String, String> a = args(fn, name);
        String as = a.get("as");
        String field = a.get("0");
        switch (name) {
            case "count":
                row.put(as != null ? as : "_count", (double) members.size());
                break;
            case "min": case "max": {
                Double best = null;
                for (Map<String, Object> m : members) {
                    Double x = number(m.get(field));
                    if (x != null && (best == null || (name.equals("min") ? x < best : x > best))) best = x;
                }
                row.put(as != null ? as : "_" + name, best);
                break;
            }
            case "collect": {
                int limit = a.containsKey("limit") ? Integer.parseInt(a.get("limit")) : Integer.MAX_VALUE;
                Set<Object> values = new LinkedHashSet<>();
                for (Map<String, Object> m : members) if (m.get(field) != null && values.size() < limit) values.add(m.get(field));
                row.put(as != null ? as : field, new ArrayList<>(values));
                break;
            }
            case "countDistinct": {
                Set<Object> values = new LinkedHashSet<>();
                for (Map<String, Object> m : members) if (m.get(field) != null) values.add(m.get(field));
                row.put(as != null ? as : "_count", (double) values.size());
                break;
            }
            default:
                throw new IllegalArgumentException("aggregate " + fn + " is not modelled");
        }
    }

    private static List<Map<String, Object>> eval(String s, List<Map<String, Object>> rows) {
        int eq = s.indexOf('=');
        String target = s.substring(0, eq).strip();
        String expr = s.substring(eq + 1).strip();
        for (Map<String, Object> r : rows) r.put(target, new Expr(expr, r).parse());
        return rows;
    }

    private LogScaleLite sub(String braced) {
        return parse(braced.strip().substring(1, braced.strip().length() - 1));
    }

    private List<Map<String, Object>> join(Map<String, String> a, List<Map<String, Object>> rows, List<Map<String, String>> events) {
        List<Map<String, Object>> right = sub(a.get("0")).run(events);
        String field = a.get("field");
        List<String> include = list(a.get("include"));
        Map<Object, Map<String, Object>> byKey = new HashMap<>();
        for (Map<String, Object> r : right) byKey.put(r.get(field), r);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> m = byKey.get(r.get(field));
            if (m == null) continue; // mode=inner, LogScale's default
            for (String f : include) r.put(f, m.get(f));
            out.add(r);
        }
        return out;
    }

    private static List<Map<String, Object>> sort(Map<String, String> a, List<Map<String, Object>> rows) {
        String field = a.get("0");
        Comparator<Map<String, Object>> c = Comparator.comparing(r -> number(r.get(field)), Comparator.nullsLast(Comparator.naturalOrder()));
        rows.sort("asc".equals(a.get("order")) ? c : c.reversed());
        return rows;
    }

    /** Arguments of name(...): positional ones as "0", "1", ..., named ones by name. */
    private static Map<String, String> args(String call, String name) {
        String inner = call.strip().substring(name.length() + 1, call.strip().length() - 1);
        Map<String, String> out = new LinkedHashMap<>();
        int pos = 0;
        for (String part : splitTopLevel(inner, ',')) {
            Matcher m = Pattern.compile("^([A-Za-z_]\\w*)\\s*=\\s*(.*)$", Pattern.DOTALL).matcher(part);
            if (m.matches() && !part.startsWith("{")) out.put(m.group(1), m.group(2).strip());
            else out.put(Integer.toString(pos++), part);
        }
        return out;
    }

    /** [a, b] or a as a list of items. */
    private static List<String> list(String s) {
        String t = s.strip();
        if (t.startsWith("[")) t = t.substring(1, t.length() - 1);
        List<String> out = new ArrayList<>();
        for (String p : splitTopLevel(t, ',')) if (!p.isEmpty()) out.add(p);
        return out;
    }

    /** Splits on sep outside (), [], {}, strings and escapes; trims the parts. */
    static List<String> splitTopLevel(String s, char sep) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') quoted = !quoted;
            if (!quoted) {
                if (c == '(' || c == '[' || c == '{') depth++;
                if (c == ')' || c == ']' || c == '}') depth--;
                if (c == sep && depth == 0) {
                    out.add(cur.toString().strip());
                    cur.setLength(0);
                    continue;
                }
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    static Double number(Object v) {
        if (v instanceof Number) return ((Number) v).doubleValue();
        if (v == null) return null;
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Recursive descent over eval's expressions: or, and, comparison, + -, * /, calls, fields, literals. */
    private static final class Expr {
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Object> row;
        private int p;

        Expr(String text, Map<String, Object> row) {
            this.row = row;
            Matcher m = Pattern.compile("\\s*(\"[^\"]*\"|\\d+(?:\\.\\d+)?|[A-Za-z_]\\w*|>=|<=|==|!=|[-+*/()<>,])").matcher(text);
            int at = 0;
            while (at < text.length() && m.find(at) && m.start() == at) {
                tokens.add(m.group(1));
                at = m.end();
            }
            if (!text.substring(at).isBlank()) throw new IllegalArgumentException("cannot read expression " + text);
        }

        Object parse() {
            Object v = or();
            if (p != tokens.size()) throw new IllegalArgumentException("trailing " + tokens.subList(p, tokens.size()));
            return v;
        }

        private String peek() {
            return p < tokens.size() ? tokens.get(p) : "";
        }

        private Object or() {
            Object v = and();
            while (peek().equals("OR")) {
                p++;
                Object w = and();
                v = truth(v) || truth(w);
            }
            return v;
        }

        private Object and() {
            Object v = cmp();
            while (peek().equals("AND")) {
                p++;
                Object w = cmp();
                v = truth(v) && truth(w);
            }
            return v;
        }

        private Object cmp() {
            Object v = add();
            String op = peek();
            if (List.of(">", "<", ">=", "<=", "==", "!=").contains(op)) {
                p++;
                Double a = number(v), b = number(add());
                if (a == null || b == null) return false;
                switch (op) {
                    case ">": return a > b;
                    case "<": return a < b;
                    case ">=": return a >= b;
                    case "<=": return a <= b;
                    case "==": return a.equals(b);
                    default: return !a.equals(b);
                }
            }
            return v;
        }

        private Object add() {
            Object v = mul();
            while (peek().equals("+") || peek().equals("-")) {
                String op = tokens.get(p++);
                double b = number(mul());
                v = op.equals("+") ? number(v) + b : number(v) - b;
            }
            return v;
        }

        private Object mul() {
            Object v = unary();
            while (peek().equals("*") || peek().equals("/")) {
                String op = tokens.get(p++);
                double b = number(unary());
                v = op.equals("*") ? number(v) * b : number(v) / b;
            }
            return v;
        }

        private Object unary() {
            String t = tokens.get(p++);
            if (t.equals("(")) {
                Object v = or();
                expect(")");
                return v;
            }
            if (t.startsWith("\"")) return t.substring(1, t.length() - 1);
            if (Character.isDigit(t.charAt(0))) return Double.parseDouble(t);
            if (peek().equals("(")) return call(t);
            return row.get(t);
        }

        private Object call(String fn) {
            expect("(");
            List<Object> args = new ArrayList<>();
            if (fn.equals("case")) {
                // case(cond, value, ...): the value of the first true condition; true() is always true
                Object result = null;
                boolean found = false;
                while (!peek().equals(")")) {
                    Object cond = or();
                    expect(",");
                    Object value = or();
                    if (!found && truth(cond)) {
                        result = value;
                        found = true;
                    }
                    if (peek().equals(",")) p++;
                }
                expect(")");
                return result;
            }
            while (!peek().equals(")")) {
                args.add(or());
                if (peek().equals(",")) p++;
            }
            expect(")");
            switch (fn) {
                case "true": return true;
                case "length": return args.get(0) == null ? null : (double) String.valueOf(args.get(0)).length();
                default: throw new IllegalArgumentException("function " + fn + " is not modelled");
            }
        }

        private void expect(String t) {
            if (!peek().equals(t)) throw new IllegalArgumentException("expected " + t + " at " + tokens.subList(p, tokens.size()));
            p++;
        }

        private static boolean truth(Object v) {
            return Boolean.TRUE.equals(v);
        }
    }
}
