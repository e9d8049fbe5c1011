package io.netsensor.capture.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The explicit exception table: for each corpus baseline, the differences from Zeek that are by design,
 * each with its reason. A difference is a projection of Zeek's rows and/or ours onto what both can say;
 * it applies only to the files listed for it, and a listed difference that changes nothing fails the
 * test, so the table cannot go stale. Everything not listed here must match exactly.
 */
final class KnownDifferences {
    enum Difference {
        RETRANSMITTED_QUERY_ROWS(
                "Zeek logs one extra unanswered row per retransmitted query (same 5-tuple and id); we report one "
                        + "transaction and count the retransmissions in queryCount. Projection: our event becomes "
                        + "queryCount rows, all but one unanswered.",
                rows -> rows, KnownDifferences::expandRetransmissions),
        RESPONSE_ONLY_QTYPE(
                "For a response whose query was not seen Zeek leaves qtype unset; we fill it from the response's "
                        + "question section (detectors want it). Projection: qtype unset on our response-only rows.",
                rows -> rows, rows -> map(rows, r -> r.dns() != null && !r.dns().queried ? r.with("qtype", ZeekLog.UNSET) : r)),
        ICMP_NOT_TRACKED(
                "Zeek logs ICMP/ICMPv6 as connections; the sensor tracks TCP and UDP only. Projection: Zeek's icmp rows dropped.",
                rows -> filter(rows, r -> !"icmp".equals(r.get("proto"))), rows -> rows);

        final String reason;
        final UnaryOperator<List<Row>> zeek, ours;

        Difference(String reason, UnaryOperator<List<Row>> zeek, UnaryOperator<List<Row>> ours) {
            this.reason = reason;
            this.zeek = zeek;
            this.ours = ours;
        }
    }

    private static final Map<String, List<Difference>> TABLE = new LinkedHashMap<>();

    static {
        // filled in as the comparison reveals by-design differences (see CONFORMANCE.md)
    }

    private KnownDifferences() {}

    private static void on(Difference d, String... files) {
        for (String f : files) TABLE.computeIfAbsent(f, k -> new ArrayList<>()).add(d);
    }

    static List<Difference> forFile(String file) {
        return TABLE.getOrDefault(file, List.of());
    }

    static Map<String, List<Difference>> table() {
        return TABLE;
    }

    private static List<Row> expandRetransmissions(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r);
            int extra = r.dns() == null ? 0 : r.dns().queryCount - 1;
            for (int i = 0; i < extra; i++) {
                Row u = r.with("rcode", ZeekLog.UNSET);
                if (u.values().containsKey("answers")) u = u.with("answers", ZeekLog.UNSET);
                if (u.values().containsKey("TTLs")) u = u.with("TTLs", ZeekLog.UNSET);
                out.add(new Row(u.values(), null, null));
            }
        }
        return out;
    }

    private static List<Row> map(List<Row> rows, UnaryOperator<Row> f) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) out.add(f.apply(r));
        return out;
    }

    private static List<Row> filter(List<Row> rows, java.util.function.Predicate<Row> keep) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) if (keep.test(r)) out.add(r);
        return out;
    }
}
