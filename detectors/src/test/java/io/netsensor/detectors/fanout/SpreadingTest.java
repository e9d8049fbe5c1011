package io.netsensor.detectors.fanout;

import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.MIN;
import static io.netsensor.testkit.events.Times.MS;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.Registered;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnState;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.testkit.events.Conns;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Slow and fast spreading, and vertical scans, through the engine as the agent runs them. */
class SpreadingTest {
    private static final String HOST = "10.9.8.7";
    private final Random rnd = new Random(5);
    private final CollectingSink sink = new CollectingSink();
    private final DetectorEngine engine = DetectorEngine.standard(DetectorSettings.defaults(), sink);

    private String randomExternal() {
        return (11 + rnd.nextInt(100)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    }

    /** n attempts to random external peers on port, {@code every} apart, in state s. */
    private long attempts(long t, int n, long every, int port, ConnState s) {
        for (int i = 0; i < n; i++, t += every) {
            engine.onConn(Conns.out(HOST, randomExternal(), port).at(t).state(s).bytes(0).build());
        }
        return t;
    }

    private java.util.List<Alert> of(DetectorKind k) {
        return sink.alerts.stream().filter(a -> a.detector == k).toList();
    }

    @Test
    void aScanOfThreeAttemptsAMinuteForHoursIsFoundOnItsLongWindow() {
        long t = attempts(T0, 90, 20 * SEC, 22, ConnState.S0); // 30 min: 90 peers, 15 per 5 min
        assertThat(sink.alerts).as("below every threshold so far").isEmpty();
        t = attempts(t, 30, 20 * SEC, 22, ConnState.REJ);
        Alert a = of(DetectorKind.FANOUT).get(0);
        assertThat(a.severity).isEqualTo(Severity.MEDIUM);
        assertThat(a.evidence).containsEntry("pattern", "slow").containsEntry("threshold", 100);
        assertThat((Integer) a.evidence.get("unique_failed_external_ips")).isBetween(95, 110);
        assertThat(a.summary).startsWith("slow scan: ").contains("tcp/22");
        attempts(t, 250, 20 * SEC, 22, ConnState.S0); // 83 more minutes: ~370 peers
        assertThat(of(DetectorKind.FANOUT)).extracting(x -> x.severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        assertThat(of(DetectorKind.FANOUT)).extracting(x -> x.id).containsOnly(a.id);
    }

    @Test
    void anHourlyTrickleThatNeverReachesTheLongThresholdStaysQuiet() {
        attempts(T0, 90, 4 * MIN, 23, ConnState.S0); // 15 per hour over 6 h
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void aMailServerDeliveringToHundredsOfMxHostsIsNotSpreading() {
        long t = attempts(T0, 400, 30 * SEC, 25, ConnState.SF); // answered, 3 h
        attempts(t, 20, 30 * SEC, 25, ConnState.S0); // a few dead MX hosts
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void failuresOnBusyWebPortsDoNotFeedTheSlowPath() {
        attempts(T0, 600, 20 * SEC, 443, ConnState.S0); // 3 h of failing HTTPS (a captive portal, a dead proxy)
        assertThat(of(DetectorKind.FANOUT)).isEmpty();
    }

    @Test
    void aFastTelnetWormScanIsRaisedAboveAnOrdinaryFanout() {
        attempts(T0, 300, 100 * MS, 23, ConnState.S0); // Mirai: SYNs to random addresses, unanswered
        java.util.List<Alert> f = of(DetectorKind.FANOUT);
        assertThat(f).isNotEmpty();
        assertThat(f.get(0).severity).isEqualTo(Severity.HIGH);
        assertThat(f.get(f.size() - 1).severity).isEqualTo(Severity.CRITICAL);
        assertThat(f.get(0).evidence).containsEntry("iot_worm_port", true);

        CollectingSink ssh = new CollectingSink();
        DetectorEngine other = DetectorEngine.standard(DetectorSettings.defaults(), ssh);
        for (int i = 0; i < 30; i++) other.onConn(Conns.out(HOST, randomExternal(), 22).at(T0 + i * 100 * MS).state(ConnState.S0).bytes(0).build());
        assertThat(ssh.alerts).extracting(a -> a.severity).containsExactly(Severity.MEDIUM);
    }

    @Test
    void aVerticalPortScanOfOneHostIsAScanNotAFanout() {
        long t = T0;
        for (int port = 1; port <= 1024; port++, t += 20 * MS) {
            engine.onConn(Conns.out(HOST, "45.33.32.156", port).at(t).state(port % 10 == 0 ? ConnState.S0 : ConnState.REJ).bytes(0).build());
        }
        assertThat(of(DetectorKind.FANOUT)).isEmpty();
        java.util.List<Alert> s = of(DetectorKind.SCAN);
        assertThat(s).extracting(a -> a.severity).containsExactly(Severity.LOW, Severity.MEDIUM);
        Alert a = s.get(0);
        assertThat(a.remoteIp).isEqualTo("45.33.32.156");
        assertThat(a.evidence).containsEntry("pattern", "vertical").containsEntry("distinct_ports", 50).containsEntry("lowest_port", 1);
        assertThat(a.summary).startsWith("port scan of 45.33.32.156: 50 distinct tcp ports");
    }

    @Test
    void passiveFtpDataConnectionsToManyPortsOfOneServerAreNotAScan() {
        long t = T0;
        for (int i = 0; i < 200; i++, t += SEC) {
            engine.onConn(Conns.out(HOST, "45.33.32.156", 50000 + i).at(t).state(ConnState.SF).build());
        }
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void slowStateIsBoundedWithEvictionsCounted() {
        DetectorSettings.Fanout cfg = new DetectorSettings.Fanout();
        cfg.slowMaxKeys = 10;
        FanoutDetector f = new FanoutDetector(cfg);
        for (int port = 1000; port < 1100; port++) {
            f.onConn(Conns.out(HOST, randomExternal(), port).at(T0 + port * SEC).state(ConnState.S0).bytes(0).build(), sink);
        }
        assertThat(Registered.value(f, "detector.fanout.slow_keys")).isEqualTo(10);
        assertThat(Registered.value(f, "detector.fanout.slow_evictions")).isEqualTo(90);
        f.onConn(Conns.out(HOST, randomExternal(), 7).at(T0 + 8 * HOUR).state(ConnState.S0).bytes(0).build(), sink);
        assertThat(Registered.value(f, "detector.fanout.slow_keys")).isEqualTo(1);
    }

    @Test
    void slowPeersCountsDistinctPeersOverItsBuckets() {
        SlowPeers p = new SlowPeers(6, HOUR);
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) p.add(r.nextLong(), T0 + i * 40 * SEC); // ~5.5 h
        assertThat(p.distinct(T0 + 500 * 40 * SEC)).isBetween(470, 530);
        assertThat(p.distinct(T0 + 20 * HOUR)).isZero(); // the window has moved past them
    }
}
