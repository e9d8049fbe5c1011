package io.netsensor.detectors.relay;

import static io.netsensor.testkit.events.Times.MIN;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Alert;
import io.netsensor.testkit.events.Conns;
import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.Registered;
import io.netsensor.events.Severity;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayDetectorTest {
    static final String HOST = "10.0.0.5";
    final RelayDetector d = new RelayDetector(DetectorSettings.defaults().relay);
    final CollectingSink sink = new CollectingSink();

    void feed(ConnEvent e) {
        d.onConn(e, sink);
    }

    @Test
    void seedAtomicTest2InboundThenOutboundToTcp53Alerts() {
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build());
        feed(Conns.out(HOST, "8.8.8.8", 53).at(T0 + 10 * SEC).open().build());

        assertThat(sink.alerts).hasSize(1);
        Alert a = sink.last();
        assertThat(a.severity).isEqualTo(Severity.MEDIUM);
        assertThat(a.evidence.get("follow_gap_s")).isEqualTo(10.0);
        assertThat(a.evidence.get("inbound_sources")).isEqualTo(List.of("198.51.100.20"));
        assertThat(a.evidence.get("outbound_targets")).isEqualTo(List.of("8.8.8.8:53"));
        assertThat(a.score).isGreaterThan(0.6);
    }

    @Test
    void legsJoinWhenOnlyOneCarriesTheHostMac() {
        // Linux "any" capture: cooked headers carry only the sender's MAC, so the inbound leg lacks the host's
        long mac = 0x0200_0a00_0005L;
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build());
        feed(Conns.out(HOST, "8.8.8.8", 53).mac(mac).at(T0 + 10 * SEC).open().build());
        assertThat(sink.alerts).hasSize(1);
        assertThat(sink.last().hostMac).isEqualTo("02-00-0A-00-00-05");
        assertThat(sink.last().id).isEqualTo(io.netsensor.detectors.AlertIds.of(withoutMac(sink.last())));
    }

    private static Alert withoutMac(Alert a) {
        Alert.Draft c = new Alert.Draft();
        c.detector = a.detector;
        c.hostIp = a.hostIp;
        return c.build();
    }

    @Test
    void closerFollowScoresHigher() {
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build());
        feed(Conns.out(HOST, "203.0.113.9", 9001).at(T0 + 2 * SEC).open().build());
        RelayDetector other = new RelayDetector(DetectorSettings.defaults().relay);
        CollectingSink s2 = new CollectingSink();
        other.onConn(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build(), s2);
        other.onConn(Conns.out(HOST, "203.0.113.9", 9001).at(T0 + 50 * SEC).open().build(), s2);
        assertThat(sink.last().score).isGreaterThan(s2.last().score);
    }

    @Test
    void udpDnsAfterInboundIsNotARelayLeg() {
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build());
        feed(Conns.out(HOST, "8.8.8.8", 53).udp().at(T0 + 10 * SEC).build());
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void ordinaryWebServerStaysQuiet() {
        for (int i = 0; i < 200; i++) {
            feed(Conns.in("198.51.100." + (i % 250), HOST, 443).at(T0 + i * SEC).open().build());
            if (i % 20 == 0) {
                feed(Conns.out(HOST, "203.0.113.80", 443).at(T0 + i * SEC + 1).open().build());
                feed(Conns.out(HOST, "1.1.1.1", 53).udp().at(T0 + i * SEC + 2).build());
            }
        }
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void volumeEscalatesBySeedTableOnceEach() {
        // outbound legs first (no close follow), then inbound ones: the seed's join, no timing bonus
        for (int i = 0; i < 12; i++) feed(Conns.out(HOST, "203.0.113." + i, 9001).at(T0 + i * SEC).state(ConnState.S0).build());
        assertThat(sink.alerts).isEmpty(); // no inbound yet
        for (int i = 0; i < 12; i++) feed(Conns.in("198.51.100." + i, HOST, 8000).at(T0 + (20 + i) * SEC).open().build());
        assertThat(sink.alerts).extracting(a -> a.severity).containsExactly(Severity.HIGH, Severity.CRITICAL);
        assertThat(sink.last().evidence).doesNotContainKey("follow_gap_s");
        assertThat(sink.last().evidence.get("inbound_count")).isEqualTo(11);
    }

    @Test
    void outboundOnlyCountsWithAnInboundInTheWindow() {
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build());
        for (int i = 0; i < 5; i++) feed(Conns.out(HOST, "203.0.113.9", 9001).at(T0 + 6 * MIN + i * SEC).open().build());
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void rejectedInboundIsNotAnAcceptedLeg() {
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).state(ConnState.REJ).build());
        feed(Conns.out(HOST, "203.0.113.9", 9001).at(T0 + SEC).open().build());
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void endOfAnAlreadyCountedFlowIsNotCountedAgain() {
        feed(Conns.in("198.51.100.20", HOST, 19876).at(T0).open().build());
        ConnEvent end = Conns.in("198.51.100.20", HOST, 19876).at(T0).build();
        feed(end);
        assertThat(Registered.value(d, "detector.relay.inbound_legs")).isEqualTo(1);
    }

    @Test
    void hostsAreBounded() {
        DetectorSettings.Relay cfg = DetectorSettings.defaults().relay;
        cfg.maxKeys = 10;
        RelayDetector small = new RelayDetector(cfg);
        for (int i = 0; i < 50; i++) small.onConn(Conns.in("198.51.100.20", "10.0.1." + i, 22).at(T0 + i).open().build(), sink);
        assertThat(Registered.value(small, "detector.keys{detector=relay}")).isEqualTo(10);
        assertThat(Registered.value(small, "detector.evictions{detector=relay}")).isEqualTo(40);
    }
}
