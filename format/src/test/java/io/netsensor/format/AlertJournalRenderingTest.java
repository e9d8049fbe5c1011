package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import io.netsensor.events.codec.AlertCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An alert read back from the journal renders byte for byte as the alert that was written, through
 * AlertJson and AlertTable: alerts shaped like each detector's (the evidence keys and Java types
 * detectors/src/main put there), and the other types AlertJson knows (arrays, floats, NaN, sets).
 */
class AlertJournalRenderingTest {
    static final long T0 = 1_704_067_200_000_000_000L;
    static final ProcessInfo CURL = new ProcessInfo(0x1234_5678_9ABC_DEF0L, 4242, 1, 1000, T0 - 3_600_000_000_000L,
            "curl", "/usr/bin/curl", "curl -s https://example.org/", "alice");

    static Alert.Draft draft(DetectorKind k, Severity s, double score, String remoteIp, Integer port) {
        Alert.Draft d = new Alert.Draft();
        d.id = k.label + "-0123456789abcdef";
        d.detector = k;
        d.severity = s;
        d.score = score;
        d.hostIp = "10.0.0.5";
        d.hostMac = "02-00-0A-00-00-05";
        d.remoteIp = remoteIp;
        d.remotePort = port;
        d.firstSeenNanos = T0;
        d.lastSeenNanos = T0 + 150L * 60 * 1_000_000_000L + 123_456_789;
        d.count = 150;
        d.summary = k.label + " summary \u00e9 to " + remoteIp + ":" + port;
        return d;
    }

    static List<Alert> detectorShaped() {
        List<Alert> out = new ArrayList<>();

        Alert.Draft b = draft(DetectorKind.BEACON, Severity.CRITICAL, 0.9612345, "198.51.100.7", 8443);
        b.evidence.put("subject", "tcp");
        b.evidence.put("transport", "tcp");
        b.evidence.put("path", "seed");
        b.evidence.put("connection_count", 150L);
        b.evidence.put("beacon_events", 150L);
        b.evidence.put("duration_minutes", 149.87);
        b.evidence.put("connections_per_hour", 60.1);
        b.evidence.put("interval_median_s", 59.874);
        b.evidence.put("interval_mad_s", 8.123);
        b.evidence.put("interval_skew", -0.031);
        b.evidence.put("interval_relative_mad", 0.136);
        b.evidence.put("interval_histogram", List.of(0, 2, 9, 21, 30, 33, 25, 17, 8, 3, 1, 0));
        b.evidence.put("interval_histogram_max_s", 119.748);
        b.evidence.put("sample_intervals_s", List.of(61.2, 47.003, 70.1, 59.999));
        b.evidence.put("size_median_bytes", 303L);
        b.evidence.put("size_mad_bytes", 2L);
        b.evidence.put("size_skew", 0.0);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("interval_skew", 0.969);
        sub.put("interval_dispersion", 0.8);
        sub.put("time_spread", 1.0);
        sub.put("size_regularity", 0.993);
        b.evidence.put("sub_scores", sub);
        b.evidence.put("score_threshold", 0.7);
        b.evidence.put("samples", 150);
        out.add(b.build());
        out.add(b.build().withProcess(CURL));

        Alert.Draft r = draft(DetectorKind.RELAY, Severity.MEDIUM, 0.66, "8.8.8.8", 53);
        r.evidence.put("inbound_count", 1);
        r.evidence.put("outbound_count", 1);
        r.evidence.put("inbound_sources", new ArrayList<>(List.of("198.51.100.20")));
        r.evidence.put("inbound_ports", new ArrayList<>(List.of(19876)));
        r.evidence.put("outbound_targets", new ArrayList<>(List.of("8.8.8.8:53")));
        r.evidence.put("window_minutes", 5.0);
        r.evidence.put("follow_gap_s", 10.0);
        out.add(r.build());

        Alert.Draft f = draft(DetectorKind.FANOUT, Severity.HIGH, 0.7814, null, 22);
        f.evidence.put("subject", "tcp");
        f.evidence.put("transport", "tcp");
        f.evidence.put("unique_external_ips", 60);
        f.evidence.put("threshold", 30);
        f.evidence.put("window_minutes", 10.0);
        f.evidence.put("attempts", 60L);
        f.evidence.put("established", 0L);
        f.evidence.put("rejected", 20L);
        f.evidence.put("no_answer", 40L);
        f.evidence.put("failed", 60L);
        f.evidence.put("untracked_new_peers", 0);
        f.evidence.put("sample_targets", List.of("203.0.113.1", "2001:db8::1"));
        out.add(f.build());

        Alert.Draft c = draft(DetectorKind.C2_PORT, Severity.HIGH, 0.8, "198.51.100.66", 6667);
        c.evidence.put("transport", "tcp");
        c.evidence.put("attempts", 1);
        c.evidence.put("established", 1);
        c.evidence.put("port_class", "IRC");
        out.add(c.build());

        Alert.Draft g = draft(DetectorKind.DGA, Severity.CRITICAL, 0.93, null, null);
        g.hostMac = null;
        g.evidence.put("window_seconds", 600L);
        g.evidence.put("unique_domains", 50);
        g.evidence.put("improbable_domains", 41);
        g.evidence.put("improbable_threshold", 0.512);
        g.evidence.put("nxdomain_domains", 50);
        g.evidence.put("new_nxdomain_domains", 50);
        g.evidence.put("nxdomain_ratio", 1.0);
        g.evidence.put("queries", 50);
        g.evidence.put("long_name_queries", 50);
        g.evidence.put("long_name_domains", 50);
        g.evidence.put("seed_rule", true);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", "qxkzjvw" + i + "lmn.biz");
            m.put("score", 0.99 - i * 0.01);
            m.put("nxdomain", i % 2 == 0);
            samples.add(m);
        }
        g.evidence.put("samples", samples);
        out.add(g.build());
        return out;
    }

    static Alert otherTypes() {
        Alert.Draft d = draft(DetectorKind.BEACON, Severity.LOW, Double.NaN, "2001:db8::7", null);
        d.summary = null;
        d.process = new ProcessInfo(0, 7, 0, -1, 0, null, "", null, "");
        d.evidence.put("interval_histogram", new long[] {1, 0, 5, 9, 3}); // a primitive histogram, as sparkline takes
        d.evidence.put("ints", new int[] {3, -1});
        d.evidence.put("doubles", new double[] {0.123456789, Double.NaN, Double.POSITIVE_INFINITY});
        d.evidence.put("float", 0.1f);
        d.evidence.put("nan", Double.NaN);
        d.evidence.put("short", (short) 12);
        d.evidence.put("set", new LinkedHashSet<>(List.of(3, 1, 2)));
        d.evidence.put("null", null);
        Map<Integer, Object> byPort = new LinkedHashMap<>();
        byPort.put(443, List.of());
        byPort.put(80, Map.of());
        d.evidence.put("by_port", byPort);
        d.evidence.put("enum", Severity.HIGH);
        return d.build();
    }

    @Test
    void decodedAlertsRenderIdenticallyAsJsonAndInTheTable() {
        List<Alert> in = new ArrayList<>(detectorShaped());
        in.add(otherTypes());
        List<Alert> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(AlertCodec.MAX_SIZE);
        for (Alert a : in) {
            buf.clear();
            assertThat(AlertCodec.encode(a, buf)).isPositive();
            buf.flip();
            Alert back = AlertCodec.decode(buf);
            assertThat(back).isNotNull();
            out.add(back);
            assertThat(json(back)).isEqualTo(json(a));
            assertThat(json(back, "sensor-1")).isEqualTo(json(a, "sensor-1"));
        }
        assertThat(table(out)).isEqualTo(table(in));
        assertThat(table(in)).contains("▁"); // the beacon's histogram was drawn, from a List and from a long[]
        assertThat(AlertTable.sparkline(out.get(0).evidence.get("interval_histogram")))
                .isEqualTo(AlertTable.sparkline(in.get(0).evidence.get("interval_histogram"))).hasSize(12);
        assertThat(AlertTable.sparkline(out.get(out.size() - 1).evidence.get("interval_histogram"))).hasSize(5);
    }

    private static String json(Alert a) {
        return json(a, null);
    }

    private static String json(Alert a, String hostName) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator gen = new JsonFactory().createGenerator(bytes)) {
            gen.setRootValueSeparator(null);
            new AlertJson(gen, hostName).write(a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String table(List<Alert> alerts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            AlertTable.print(ps, alerts);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
