package io.netsensor.capture.conformance;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One log row reduced to the compared fields, as Zeek would print them (unset is "-", list elements
 * joined by ','). Rows also keep what they came from (our event, or Zeek's whole row), for the exception
 * table's projections.
 */
record Row(Map<String, String> values, DnsEvent dns, ConnEvent conn, Map<String, String> zeekRow) {
    static Row zeek(Map<String, String> row, List<String> fields) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : fields) {
            if (isList(f)) v.put(f, join(ZeekLog.list(row, f)));
            else v.put(f, orUnset(ZeekLog.scalar(row, f)));
        }
        return new Row(v, null, null, row);
    }

    static boolean isList(String field) {
        return field.equals("answers") || field.equals("TTLs") || field.equals("tunnel_parents");
    }

    static String join(List<String> elements) {
        return elements.isEmpty() ? ZeekLog.UNSET : String.join(",", elements);
    }

    static String orUnset(String s) {
        return s == null ? ZeekLog.UNSET : s;
    }

    String get(String field) {
        return values.get(field);
    }

    /** A copy with one field replaced (rows are values: projections never edit in place). */
    Row with(String field, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(field, value);
        return new Row(v, dns, conn, zeekRow);
    }

    /** The compared key: field values in order (field names are the same on both sides). */
    String key() {
        return String.join(" | ", values.values());
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
