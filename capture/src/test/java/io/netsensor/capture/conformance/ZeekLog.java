package io.netsensor.capture.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Zeek ASCII (TSV) log as written by btest baselines: {@code #fields} names the columns; "-" is unset,
 * "(empty)" an empty set or vector, ',' separates set elements, and bytes that would break the format are
 * written as {@code \xhh}. Baselines produced with zeek-cut have no '#' header: their first line that is
 * not a "#" comment names the columns. Timestamps are masked (XXXXXXXXXX.XXXXXX) and not interpreted.
 */
final class ZeekLog {
    static final String UNSET = "-", EMPTY = "(empty)";

    final List<String> fields;
    final List<Map<String, String>> rows;

    private ZeekLog(List<String> fields, List<Map<String, String>> rows) {
        this.fields = fields;
        this.rows = rows;
    }

    static ZeekLog read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    static ZeekLog parse(List<String> lines) {
        List<String> fields = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty()) continue;
            if (line.startsWith("#fields\t")) {
                fields = List.of(line.substring("#fields\t".length()).split("\t", -1));
                continue;
            }
            if (line.startsWith("#")) continue;
            String[] cols = line.split("\t", -1);
            if (fields == null) { // zeek-cut output: the first data line is the header
                fields = List.of(cols);
                continue;
            }
            if (cols.length != fields.size()) {
                throw new IllegalArgumentException("row has " + cols.length + " columns, header " + fields.size() + ": " + line);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < cols.length; i++) row.putIfAbsent(fields.get(i), cols[i]);
            rows.add(Collections.unmodifiableMap(row));
        }
        if (fields == null) throw new IllegalArgumentException("no header line");
        return new ZeekLog(fields, rows);
    }

    boolean has(String field) {
        return fields.contains(field);
    }

    /** A scalar field, unescaped; null when unset. */
    static String scalar(Map<String, String> row, String field) {
        String v = row.get(field);
        if (v == null) throw new IllegalArgumentException("no field " + field + " in " + row.keySet());
        return UNSET.equals(v) ? null : unescape(v);
    }

    /** A set or vector field: its elements unescaped, empty when unset or "(empty)". */
    static List<String> list(Map<String, String> row, String field) {
        String v = row.get(field);
        if (v == null) throw new IllegalArgumentException("no field " + field + " in " + row.keySet());
        if (UNSET.equals(v) || EMPTY.equals(v)) return List.of();
        List<String> out = new ArrayList<>();
        for (String e : v.split(",", -1)) out.add(unescape(e)); // an escaped ',' inside an element is \x2c
        return out;
    }

    /** Undoes Zeek's \xhh escaping (and "\\"); the result holds one char per byte (ISO-8859-1). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x' && isHex(s.charAt(i + 2)) && isHex(s.charAt(i + 3))) {
                b.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                b.write('\\');
                i++;
            } else {
                b.write(c);
            }
        }
        return new String(b.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
