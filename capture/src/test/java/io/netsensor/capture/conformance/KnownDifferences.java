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
        QUERY_WITH_OFFLOADED_CHECKSUM(
                "The query was captured on the sending host before the NIC filled in its UDP checksum; Zeek "
                        + "(this test runs it without -C) discards it and logs a response-only row (qtype unset). "
                        + "We do not verify checksums: an on-host sensor sees all its own outgoing packets that way. "
                        + "Projection: qtype unset on our rows.",
                rows -> rows, rows -> map(rows, r -> r.dns() != null && r.dns().queried ? r.with("qtype", ZeekLog.UNSET) : r)),
        RESPONSE_ONLY_QUERY_FROM_ANSWERS(
                "For a response whose query was not seen Zeek takes the query name from the answer records, so "
                        + "a response with no answers (NODATA, SOA/NSEC in authority) has no query; we keep the "
                        + "question's name. Projection: query unset on our response-only rows without logged answers.",
                rows -> rows, rows -> map(rows, r -> r.dns() != null && !r.dns().queried
                        && ZeekLog.UNSET.equals(r.get("answers")) ? r.with("query", ZeekLog.UNSET) : r)),
        DNS_UPDATE_SECTIONS(
                "DNS UPDATE (opcode 5): Zeek logs the first updated name as query and the prerequisite/update "
                        + "records as answers ('pre: NoRRSet CNAME ...'); we record the message as it is framed "
                        + "(zone as question, no answers). rcode and the 5-tuple/id still compared. Projection: "
                        + "query, qtype, answers and TTLs of opcode-5 rows replaced by a marker on both sides.",
                rows -> map(rows, r -> "5".equals(r.zeekRow().get("opcode")) ? updateMarker(r) : r),
                rows -> map(rows, r -> r.dns() != null && r.dns().opcode == 5 ? updateMarker(r) : r)),
        TEREDO_ON_RELAY_PORT(
                "Zeek finds Teredo by content and decodes it on any UDP port (here a relay at 83.170.1.38:32900); "
                        + "we decode Teredo on udp/3544 only, so connections inside the relay flow are not seen "
                        + "(the relay flow itself is compared). Projection: Zeek rows whose tunnel parent is not "
                        + "on port 3544 dropped.",
                KnownDifferences::dropRelayTunnelled, rows -> rows),
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
        on(Difference.RETRANSMITTED_QUERY_ROWS,
                "zeek-dns-all/core.ipv6-frag/dns.log", "zeek-ipv6-frag-dns/core.ipv6-frag.dns.log",
                "zeek-dns-all/core.tunnels.gre/dns.log",
                "zeek-dns-all/opt.basic/dns.log", "zeek-wikipedia/opt.basic.dns.log");
        on(Difference.RESPONSE_ONLY_QTYPE,
                "zeek-dns-all/opt.basic/dns.log", "zeek-wikipedia/opt.basic.dns.log",
                "zeek-dns-all/scripts.base.protocols.dns.duplicate-reponses/dns.log",
                "zeek-dns-two-responses/scripts.base.protocols.dns.duplicate-reponses.dns.log",
                "zeek-dns-all/scripts.base.protocols.dns.flip/dns.log",
                "zeek-dns53-flip/scripts.base.protocols.dns.flip.dns.log",
                "zeek-dns-all/scripts.base.protocols.dns.mdns-no-assoc/dns.log",
                "zeek-dns-all/scripts.base.protocols.dns.notify/dns.log");
        on(Difference.QUERY_WITH_OFFLOADED_CHECKSUM,
                "zeek-dns-all/scripts.base.protocols.dns.multiple-txt-strings/dns.log",
                "zeek-dns-txt-multiple/scripts.base.protocols.dns.multiple-txt-strings.dns.log",
                "zeek-dns-all/scripts.base.protocols.dns.spf/dns.log");
        on(Difference.RESPONSE_ONLY_QUERY_FROM_ANSWERS, "zeek-dns-all/scripts.base.protocols.dns.notify/dns.log");
        on(Difference.DNS_UPDATE_SECTIONS, "zeek-dns-all/scripts.base.protocols.dns.dynamic-update/dns.log");
        on(Difference.ICMP_NOT_TRACKED, "zeek-teredo/core.tunnels.teredo.conn.log");
        on(Difference.TEREDO_ON_RELAY_PORT, "zeek-teredo/core.tunnels.teredo.conn.log");
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
                out.add(new Row(u.values(), null, null, null));
            }
        }
        return out;
    }

    private static Row updateMarker(Row r) {
        Row u = r;
        for (String f : List.of("query", "qtype", "answers", "TTLs")) if (u.values().containsKey(f)) u = u.with(f, "(update)");
        return u;
    }

    private static List<Row> dropRelayTunnelled(List<Row> rows) {
        Map<String, Map<String, String>> byUid = new java.util.HashMap<>();
        for (Row r : rows) byUid.put(r.zeekRow().get("uid"), r.zeekRow());
        return filter(rows, r -> {
            for (String parent : ZeekLog.list(r.zeekRow(), "tunnel_parents")) {
                Map<String, String> p = byUid.get(parent);
                if (p != null && !"3544".equals(p.get("id.orig_p")) && !"3544".equals(p.get("id.resp_p"))) return false;
            }
            return true;
        });
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
