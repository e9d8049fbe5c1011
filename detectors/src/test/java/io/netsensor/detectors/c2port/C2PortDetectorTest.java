package io.netsensor.detectors.c2port;

import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.MIN;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.testkit.events.Conns;
import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.events.Severity;
import io.netsensor.events.ConnState;
import java.util.List;
import org.junit.jupiter.api.Test;

class C2PortDetectorTest {
    static final String HOST = "10.0.0.5";
    final CollectingSink sink = new CollectingSink();
    final C2PortDetector d = new C2PortDetector(DetectorSettings.defaults().c2Port);

    @Test
    void seedAtomicTest3EstablishedIrcAlertsHighAtOpenAndNotAgainAtEnd() {
        d.onConn(Conns.out(HOST, "198.51.100.66", 6667).at(T0).open().build(), sink);
        assertThat(sink.alerts).hasSize(1);
        assertThat(sink.last().severity).isEqualTo(Severity.HIGH);
        assertThat(sink.last().evidence.get("port_class")).isEqualTo("IRC");
        d.onConn(Conns.out(HOST, "198.51.100.66", 6667).at(T0).build(), sink);
        assertThat(sink.alerts).hasSize(1);
    }

    @Test
    void failedAttemptIsMediumAndASuccessLaterRaisesIt() {
        d.onConn(Conns.out(HOST, "198.51.100.66", 4444).at(T0).state(ConnState.REJ).build(), sink);
        d.onConn(Conns.out(HOST, "198.51.100.66", 4444).at(T0 + MIN).state(ConnState.REJ).build(), sink);
        d.onConn(Conns.out(HOST, "198.51.100.66", 4444).at(T0 + 2 * MIN).open().build(), sink);
        assertThat(sink.alerts).extracting(a -> a.severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
    }

    @Test
    void oneAlertPerDestinationPerWindow() {
        for (int i = 0; i < 10; i++) d.onConn(Conns.out(HOST, "198.51.100.66", 6697).at(T0 + i * MIN).open().build(), sink);
        d.onConn(Conns.out(HOST, "198.51.100.67", 6697).at(T0 + 11 * MIN).open().build(), sink);
        d.onConn(Conns.out(HOST, "198.51.100.66", 6697).at(T0 + 2 * HOUR).open().build(), sink);
        assertThat(sink.alerts).extracting(a -> a.remoteIp).containsExactly("198.51.100.66", "198.51.100.67", "198.51.100.66");
    }

    @Test
    void loopbackNeverCountsAndInternalOnlyWhenConfigured() {
        d.onConn(Conns.out("127.0.0.1", "127.0.0.1", 6667).at(T0).open().build(), sink);
        d.onConn(Conns.internal(HOST, "10.0.0.9", 6667).at(T0).open().build(), sink);
        assertThat(sink.alerts).isEmpty();
        DetectorSettings.C2Port cfg = DetectorSettings.defaults().c2Port;
        cfg.includeInternal = true;
        C2PortDetector withInternal = new C2PortDetector(cfg);
        withInternal.onConn(Conns.out("127.0.0.1", "127.0.0.1", 6667).at(T0).open().build(), sink);
        withInternal.onConn(Conns.internal(HOST, "10.0.0.9", 6667).at(T0).open().build(), sink);
        assertThat(sink.alerts).extracting(a -> a.remoteIp).containsExactly("10.0.0.9");
    }

    @Test
    void ordinaryPortsUdpAndInboundDoNotAlert() {
        d.onConn(Conns.out(HOST, "198.51.100.66", 8080).at(T0).open().build(), sink);
        d.onConn(Conns.out(HOST, "198.51.100.66", 6667).udp().at(T0).build(), sink);
        d.onConn(Conns.in("198.51.100.66", HOST, 6667).at(T0).open().build(), sink);
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void portListParsesRanges() {
        java.util.BitSet b = C2PortDetector.parsePorts(List.of("6660-6669", " 4444 "));
        assertThat(b.cardinality()).isEqualTo(11);
        assertThat(b.get(6665)).isTrue();
        assertThat(b.get(6670)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> C2PortDetector.parsePorts(List.of("70000")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
