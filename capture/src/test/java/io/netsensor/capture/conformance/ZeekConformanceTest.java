package io.netsensor.capture.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.conformance.KnownDifferences.Difference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our DNS transactions and connection records against every Zeek dns.log / conn.log baseline in the
 * corpus, compared as multisets on the key fields a user reads. By-design differences are projected away
 * only where {@link KnownDifferences} lists them for that file; everything else must match exactly.
 * Prints one summary line per file ("CONFORMANCE ...") for CONFORMANCE.md.
 */
class ZeekConformanceTest {
    static final List<String> DNS_FIELDS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
            "trans_id", "query", "qtype", "rcode", "answers", "TTLs");
    static final List<String> CONN_FIELDS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
            "conn_state", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "orig_bytes", "resp_bytes");

    private static final Map<Path, Replay> REPLAYS = new HashMap<>();

    static synchronized Replay replay(Path pcap) throws IOException {
        Replay r = REPLAYS.get(pcap);
        if (r == null) {
            r = Replay.of(pcap);
            REPLAYS.put(pcap, r);
        }
        return r;
    }

    @TestFactory
    Stream<DynamicTest> dnsLogs() throws IOException {
        return Corpus.pairs("dns.log").stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> {
            ZeekLog log = ZeekLog.read(p.log());
            List<String> fields = comparedFields(log, DNS_FIELDS);
            if (!fields.contains("qtype") && log.has("qtype_name")) fields.add("qtype_name"); // zeek-cut subsets
            List<Row> ours = replay(p.pcap()).dns.stream().map(e -> OurRows.dns(e, fields)).collect(Collectors.toList());
            check("dns", p, log, fields, ours);
        }));
    }

    @TestFactory
    Stream<DynamicTest> connLogs() throws IOException {
        return Corpus.pairs("conn.log").stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> {
            ZeekLog log = ZeekLog.read(p.log());
            List<String> fields = comparedFields(log, CONN_FIELDS);
            List<Row> ours = replay(p.pcap()).conns.stream().map(e -> OurRows.conn(e, fields)).collect(Collectors.toList());
            check("conn", p, log, fields, ours);
        }));
    }

    private static List<String> comparedFields(ZeekLog log, List<String> wanted) {
        List<String> f = new ArrayList<>();
        for (String w : wanted) if (log.has(w)) f.add(w);
        return f;
    }

    private static void check(String kind, Corpus.Pair p, ZeekLog log, List<String> fields, List<Row> oursRaw) {
        List<Row> zeekRaw = log.rows.stream().map(r -> Row.zeek(r, fields)).collect(Collectors.toList());
        Multiset raw = new Multiset(zeekRaw, oursRaw);
        List<Row> zeek = zeekRaw, ours = oursRaw;
        List<String> stale = new ArrayList<>();
        for (Difference d : KnownDifferences.forFile(p.name())) {
            List<Row> z = d.zeek.apply(zeek), o = d.ours.apply(ours);
            if (z.equals(zeek) && o.equals(ours)) stale.add(d.name());
            zeek = z;
            ours = o;
        }
        Multiset after = new Multiset(zeek, ours);
        System.out.printf("CONFORMANCE %s %s: matched %d / zeek %d / ours %d; with listed differences %s: %d / %d / %d%n",
                kind, p.name(), raw.matched, zeekRaw.size(), oursRaw.size(), KnownDifferences.forFile(p.name()),
                after.matched, zeek.size(), ours.size());
        assertThat(stale).as("listed differences that change nothing for %s (remove them)", p.name()).isEmpty();
        assertThat(after.same())
                .as("%s %s on %s%n only in Zeek:%n  %s%n only ours:%n  %s", kind, p.name(), fields,
                        after.onlyZeek.stream().map(Row::key).collect(Collectors.joining("\n  ")),
                        after.onlyOurs.stream().map(Row::key).collect(Collectors.joining("\n  ")))
                .isTrue();
    }
}
