package io.netsensor.detectors.fanout;

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
import io.netsensor.events.ConnState;
import org.junit.jupiter.api.Test;

class FanoutDetectorTest {
    static final String HOST = "10.0.0.5";
    final FanoutDetector d = new FanoutDetector(DetectorSettings.defaults().fanout);
    final CollectingSink sink = new CollectingSink();

    @Test
    void seedAtomicTest4ThirtyTestNetHostsOnSshAlertAtTheThirtieth() {
        for (int i = 1; i <= 30; i++) {
            ConnState s = i % 3 == 0 ? ConnState.REJ : ConnState.S0;
            d.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(T0 + i * SEC).state(s).bytes(0).build(), sink);
            assertThat(sink.alerts).hasSize(i < 30 ? 0 : 1);
        }
        Alert a = sink.last();
        assertThat(a.severity).isEqualTo(Severity.MEDIUM);
        assertThat(a.remotePort).isEqualTo(22);
        assertThat(a.evidence.get("unique_external_ips")).isEqualTo(30);
        assertThat(a.evidence.get("rejected")).isEqualTo(10L);
        assertThat(a.evidence.get("no_answer")).isEqualTo(20L);
        assertThat(a.evidence.get("failed")).isEqualTo(30L);
        @SuppressWarnings("unchecked")
        java.util.List<String> samples = (java.util.List<String>) a.evidence.get("sample_targets");
        assertThat(samples).hasSize(10).contains("203.0.113.1");
    }

    @Test
    void escalatesToHighAtTwiceTheThresholdOnly() {
        for (int i = 1; i <= 70; i++) d.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(T0 + i * SEC).open().build(), sink);
        assertThat(sink.alerts).extracting(a -> a.severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
    }

    @Test
    void repeatedPeersAndSpreadOutPeersDoNotCount() {
        for (int i = 0; i < 100; i++) d.onConn(Conns.out(HOST, "203.0.113." + (i % 29), 22).at(T0 + i * SEC).open().build(), sink);
        assertThat(sink.alerts).isEmpty();
        FanoutDetector slow = new FanoutDetector(DetectorSettings.defaults().fanout);
        for (int i = 0; i < 40; i++) slow.onConn(Conns.out(HOST, "198.51.100." + i, 22).at(T0 + i * MIN).open().build(), sink);
        assertThat(sink.alerts).isEmpty(); // 40 peers, but never 30 within 5 minutes
    }

    @Test
    void busyWebPortNeedsMorePeers() {
        for (int i = 0; i < 100; i++) d.onConn(Conns.out(HOST, "198.51.100." + i, 443).at(T0 + i * SEC).open().build(), sink);
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void openAndEndOfOneFlowCountOnce() {
        for (int i = 1; i <= 29; i++) {
            d.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(T0 + i * SEC).open().build(), sink);
            d.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(T0 + i * SEC).build(), sink);
        }
        assertThat(Registered.value(d, "detector.fanout.attempts")).isEqualTo(29);
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void inboundAndLoopbackAreIgnored() {
        for (int i = 1; i <= 40; i++) {
            d.onConn(Conns.in("203.0.113." + i, HOST, 22).at(T0 + i * SEC).open().build(), sink);
            d.onConn(Conns.out("127.0.0.1", "127.0.0." + i, 22).at(T0 + i * SEC).open().build(), sink);
        }
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void aNewEpisodeAfterQuietAlertsAgain() {
        for (int i = 1; i <= 30; i++) d.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(T0 + i * SEC).open().build(), sink);
        for (int i = 1; i <= 30; i++) d.onConn(Conns.out(HOST, "198.51.100." + i, 22).at(T0 + 30 * MIN + i * SEC).open().build(), sink);
        assertThat(sink.alerts).hasSize(2);
    }

    @Test
    void keysAreBounded() {
        DetectorSettings.Fanout cfg = DetectorSettings.defaults().fanout;
        cfg.maxKeys = 5;
        FanoutDetector small = new FanoutDetector(cfg);
        for (int p = 0; p < 20; p++) small.onConn(Conns.out(HOST, "203.0.113.1", 2000 + p).at(T0 + p).open().build(), sink);
        assertThat(Registered.value(small, "detector.keys{detector=fanout}")).isEqualTo(5);
        assertThat(Registered.value(small, "detector.evictions{detector=fanout}")).isEqualTo(15);
    }
}
