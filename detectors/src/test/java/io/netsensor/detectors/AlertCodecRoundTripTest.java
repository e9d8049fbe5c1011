package io.netsensor.detectors;

import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.dga.DgaDetector;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnState;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.codec.AlertCodec;
import io.netsensor.testkit.events.Conns;
import io.netsensor.testkit.events.Queries;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Alerts the real detectors raise come back from the journal codec identical: every field, and every
 * evidence value with its Java type (Integer stays Integer, List stays List), so whatever renders them
 * (format.AlertJson, AlertTable) renders the decoded alert exactly as the original.
 */
class AlertCodecRoundTripTest {
    static final String HOST = "10.0.0.5";

    /** Alerts of all seven detectors, from the scenarios their own tests use. */
    static List<Alert> realAlerts() {
        CollectingSink sink = new CollectingSink();
        DetectorEngine engine = DetectorEngine.standard(DetectorSettings.defaults(), sink);
        Random rnd = new Random(42);
        long t = T0;
        for (int i = 0; i < 150; i++) { // beacon, jittered 60 s, up to Critical
            engine.onConn(Conns.out(HOST, "198.51.100.7", 8443).at(t).bytes(300 + rnd.nextInt(8)).build());
            t += (long) (60 * SEC * (1 + 0.3 * (2 * rnd.nextDouble() - 1)));
        }
        long r = T0 + 3 * HOUR;
        engine.onConn(Conns.in("198.51.100.20", HOST, 19876).at(r).open().build()); // relay
        engine.onConn(Conns.out(HOST, "8.8.8.8", 53).at(r + 10 * SEC).open().build());
        engine.onConn(Conns.out(HOST, "198.51.100.66", 6667).at(r + 20 * SEC).open().build()); // c2 port
        for (int i = 1; i <= 70; i++) { // fanout, Medium then High
            ConnState s = i % 3 == 0 ? ConnState.REJ : ConnState.S0;
            engine.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(r + (30 + i) * SEC).state(s).bytes(0).build());
        }
        for (int port = 1; port <= 60; port++) { // scan: one peer, many ports
            engine.onConn(Conns.out(HOST, "198.51.100.99", port).at(r + 200 * SEC + port * SEC / 10).state(ConnState.REJ).bytes(0).build());
        }
        for (int i = 0; i < 40; i++) { // dns_tunnel: NULL queries with encoded labels
            StringBuilder label = new StringBuilder();
            for (int k = 0; k < 50; k++) label.append("abcdefghijklmnopqrstuvwxyz234567".charAt(rnd.nextInt(32)));
            engine.onDns(Queries.from(HOST).at(r + 300 * SEC + i * SEC).name(label + ".t.tunnel-example.com").qtype(10).build());
        }
        List<Alert> alerts = new ArrayList<>(sink.alerts);

        DgaDetector dga = new DgaDetector();
        Random names = new Random(7);
        String[] tlds = {".com", ".net", ".biz", ".info", ".org"};
        long d = T0;
        for (int i = 0; i < 50; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 12 + names.nextInt(8); k > 0; k--) sb.append((char) ('a' + names.nextInt(26)));
            dga.onDns(Queries.from("192.168.1.23").at(d).name(sb + tlds[names.nextInt(tlds.length)]).rcode(3).build(), alerts::add);
            d += 2 * SEC;
        }
        return alerts;
    }

    @Test
    void everyRealDetectorsAlertRoundTripsIdentically() {
        List<Alert> alerts = realAlerts();
        assertThat(alerts).extracting(a -> a.detector).contains(DetectorKind.values());
        ByteBuffer buf = ByteBuffer.allocate(AlertCodec.MAX_SIZE);
        ProcessInfo curl = new ProcessInfo(0x1234_5678_9ABC_DEF0L, 4242, 1, 1000, T0 - HOUR, "curl", "/usr/bin/curl",
                "curl -s https://example.org/", "alice");
        for (Alert raised : alerts) {
            for (Alert a : List.of(raised, raised.withProcess(curl))) {
                buf.clear();
                int n = AlertCodec.encode(a, buf);
                assertThat(n).as("%s", a).isPositive();
                buf.flip();
                Alert back = AlertCodec.decode(buf);
                assertThat(back).as("%s", a).isNotNull();
                assertThat(back).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(a);
                assertThat(back.evidence).isEqualTo(a.evidence);
                assertSameTypes(back.evidence, a.evidence);
                assertThat(back.evidence).doesNotContainKey(AlertCodec.EVIDENCE_CUT_KEY);
            }
        }
    }

    private static void assertSameTypes(Object got, Object want) {
        if (want == null) {
            assertThat(got).isNull();
        } else if (want instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) want).entrySet()) {
                assertSameTypes(((Map<?, ?>) got).get(String.valueOf(e.getKey())), e.getValue());
            }
        } else if (want instanceof Collection) {
            List<?> g = (List<?>) got;
            int i = 0;
            for (Object o : (Collection<?>) want) assertSameTypes(g.get(i++), o);
        } else {
            assertThat(got).isInstanceOf(want.getClass());
        }
    }
}
