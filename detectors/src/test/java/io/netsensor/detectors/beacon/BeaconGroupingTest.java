package io.netsensor.detectors.beacon;

import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.AlertGate;
import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessInfo;
import io.netsensor.testkit.events.Conns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How check-ins are grouped into series: by program rather than process, by name, bursts with connections. */
class BeaconGroupingTest {
    static final String HOST = "10.0.0.5", C2 = "198.51.100.7";

    /** The "31 nc check-ins ~3 s apart, each a new process" case: one series per executable, not per pid. */
    @Test
    void aSchedulerSpawningANewProcessPerCheckInIsOneSeries() {
        BeaconDetector d = new BeaconDetector(DetectorSettings.shortWindow().beacon);
        Map<Long, ProcessInfo> processes = new HashMap<>();
        d.setProcessLookup(processes::get);
        CollectingSink sink = new CollectingSink();
        for (int i = 0; i < 31; i++) {
            long entity = 1000 + i;
            processes.put(entity, new ProcessInfo(entity, 4000 + i, 1, 0, T0 + i * 3 * SEC - SEC, "nc", "/usr/bin/nc.openbsd",
                    "nc 198.51.100.7 4444", "root"));
            ConnEvent e = Conns.out(HOST, C2, 4444).at(T0 + i * 3 * SEC).bytes(12).build();
            e.attribution = Attribution.RESOLVED;
            e.pid = 4000 + i;
            e.processStartNanos = T0 + i * 3 * SEC - SEC;
            e.processEntityId = entity;
            d.onConn(e, sink);
        }
        d.finish(sink);
        assertThat(sink.alerts).isNotEmpty();
        assertThat(sink.alerts.stream().map(a -> a.id).distinct()).hasSize(1);
        Alert last = sink.alerts.get(sink.alerts.size() - 1);
        assertThat(last.count).isEqualTo(31);
        assertThat(last.evidence.get("series_executable")).isEqualTo("/usr/bin/nc.openbsd");
        assertThat(last.evidence.get(AlertGate.PROGRESS)).isEqualTo(true);
        // raised by finish(), with no record being handled: it names the latest check-in's process itself
        assertThat(last.process).isNotNull();
        assertThat(last.process.pid).isEqualTo(4030);
        assertThat(last.process.executable).isEqualTo("/usr/bin/nc.openbsd");
        assertThat(sink.alerts.get(0).process.pid).as("the first alert: the check-in that made it").isBetween(4000, 4030);
    }

    /**
     * A series that ends because another record's time passed its idle expiry states its final count while
     * that other record is handled: the statement must name the series' process, not the other record's.
     */
    @Test
    void anAlertRaisedWhileAnotherProcesssRecordIsHandledNamesItsOwnSeriesProcess() {
        BeaconDetector d = new BeaconDetector(DetectorSettings.shortWindow().beacon);
        Map<Long, ProcessInfo> processes = Map.of(
                1L, new ProcessInfo(1, 10, 1, 0, T0, "implant", "/tmp/implant", "implant", "root"),
                2L, new ProcessInfo(2, 11, 1, 0, T0, "curl", "/usr/bin/curl", "curl", "root"));
        d.setProcessLookup(processes::get);
        CollectingSink sink = new CollectingSink();
        for (int i = 0; i < 30; i++) d.onConn(attributed(Conns.out(HOST, C2, 4444).at(T0 + i * 3 * SEC).bytes(12).build(), 10, 1), sink);
        int before = sink.alerts.size();
        assertThat(before).isPositive();
        // 11 min later (the short-window idle expiry is 10): curl's connection elsewhere ends the implant's series
        d.onConn(attributed(Conns.out(HOST, "198.51.100.99", 8000).at(T0 + 90 * SEC + 11 * 60 * SEC).bytes(12).build(), 11, 2), sink);
        assertThat(sink.alerts).hasSizeGreaterThan(before);
        Alert ended = sink.alerts.get(sink.alerts.size() - 1);
        assertThat(ended.count).isEqualTo(30);
        assertThat(ended.process.pid).isEqualTo(10);
        assertThat(ended.process.executable).isEqualTo("/tmp/implant");
    }

    /**
     * The first check-ins arrive before the process is known (the connection's record came before its process
     * record): they start a series keyed by the host; once the executable is known, that series becomes the
     * process's, so 24 check-ins are one series of 24 rather than 12 + 12, each below the 20 the alert needs.
     */
    @Test
    void checkInsSeenBeforeTheProcessWasKnownJoinTheProcesssSeries() {
        BeaconDetector d = new BeaconDetector(DetectorSettings.shortWindow().beacon);
        d.setProcessLookup(Map.of(1L, new ProcessInfo(1, 10, 1, 0, T0, "implant", "/tmp/implant", "implant", "root"))::get);
        CollectingSink sink = new CollectingSink();
        for (int i = 0; i < 24; i++) {
            ConnEvent e = Conns.out(HOST, C2, 4444).at(T0 + i * 3 * SEC).bytes(12).build();
            d.onConn(i < 12 ? e : attributed(e, 10, 1), sink);
        }
        d.finish(sink);
        assertThat(sink.alerts).isNotEmpty();
        assertThat(sink.alerts.stream().map(a -> a.id).distinct()).hasSize(1);
        Alert last = sink.alerts.get(sink.alerts.size() - 1);
        assertThat(last.count).isEqualTo(24);
        assertThat(last.evidence.get("series_executable")).isEqualTo("/tmp/implant");
    }

    private static ConnEvent attributed(ConnEvent e, int pid, long entity) {
        e.attribution = Attribution.RESOLVED;
        e.pid = pid;
        e.processStartNanos = T0;
        e.processEntityId = entity;
        return e;
    }

    @Test
    void differentProgramsToTheSameRemoteAreDifferentSeries() {
        BeaconDetector d = new BeaconDetector(DetectorSettings.shortWindow().beacon);
        Map<Long, ProcessInfo> processes = Map.of(
                1L, new ProcessInfo(1, 10, 1, 0, T0, "agent", "/opt/agent/bin/agent", "agent", "root"),
                2L, new ProcessInfo(2, 11, 1, 0, T0, "curl", "/usr/bin/curl", "curl", "root"));
        d.setProcessLookup(processes::get);
        CollectingSink sink = new CollectingSink();
        for (int i = 0; i < 40; i++) {
            ConnEvent e = Conns.out(HOST, C2, 9001).at(T0 + i * 5 * SEC).bytes(100).build();
            e.attribution = Attribution.RESOLVED;
            e.processEntityId = 1 + (i % 2); // alternating: each program checks in every 10 s
            e.pid = 10 + (i % 2);
            d.onConn(e, sink);
        }
        assertThat(sink.alerts.stream().map(a -> a.evidence.get("series_executable")).distinct())
                .containsExactlyInAnyOrder("/opt/agent/bin/agent", "/usr/bin/curl");
    }

    @Test
    void burstsAndConnectionsOfOneRemoteAreOneSeriesAndAFlowsFirstBurstIsNotCountedTwice() {
        BeaconDetector d = new BeaconDetector(DetectorSettings.shortWindow().beacon);
        CollectingSink sink = new CollectingSink();
        long[] host = Ip.parse(HOST), c2 = Ip.parse(C2);
        // one connection with a handshake carrying 40 bursts 10 s apart; its END comes at the end
        for (int i = 1; i <= 40; i++) {
            BurstEvent b = new BurstEvent();
            b.flowId = 77;
            b.flowStartNanos = T0;
            b.startNanos = T0 + i * 10 * SEC;
            b.endNanos = b.startNanos + SEC / 10;
            b.origIpHi = host[0]; b.origIpLo = host[1]; b.respIpHi = c2[0]; b.respIpLo = c2[1];
            b.origPort = 50000; b.respPort = 8443;
            b.direction = Direction.OUTBOUND;
            b.origBytes = 120; b.respBytes = 300;
            b.index = i;
            b.flags = (i == 1 ? BurstEvent.FIRST_IN_FLOW : 0) | BurstEvent.FLOW_START_SEEN;
            b.names.set(ConnNames.SNI, "Beacon.Example.NET");
            d.onBurst(b, sink);
        }
        d.finish(sink);
        assertThat(sink.alerts).isNotEmpty();
        Alert last = sink.alerts.get(sink.alerts.size() - 1);
        assertThat(last.count).isEqualTo(39); // the first burst is the connection's own start
        assertThat(last.evidence.get("remote_name")).isEqualTo("beacon.example.net");
        assertThat(last.evidence.get("pattern")).isEqualTo("bursts_in_connection");
        assertThat(last.summary).contains("inside one connection").contains("beacon.example.net:8443");
        @SuppressWarnings("unchecked")
        Map<String, Object> conn = (Map<String, Object>) last.evidence.get("connection");
        assertThat(conn.get("flow_id")).isEqualTo("4d");
        assertThat(conn.get("bursts")).isEqualTo(39L);
        // the connection's 5-tuple, for the analyst to find it (its Community ID is computed from it on output)
        assertThat(conn).containsEntry("transport", "tcp").containsEntry("source_ip", HOST).containsEntry("source_port", 50000)
                .containsEntry("destination_ip", C2).containsEntry("destination_port", 8443);
    }

    @Test
    void aSeriesThatWentQuietAndStartsAgainIsANewFindingWithItsFinalCountStated() {
        BeaconDetector d = new BeaconDetector(DetectorSettings.shortWindow().beacon);
        CollectingSink sink = new CollectingSink();
        for (int i = 0; i < 60; i++) d.onConn(Conns.out(HOST, C2, 9001).at(T0 + i * 2 * SEC).bytes(50).build(), sink);
        long later = T0 + 5L * 24 * 3600 * SEC; // five days later, the same loop again
        for (int i = 0; i < 30; i++) d.onConn(Conns.out(HOST, C2, 9001).at(later + i * 3 * SEC).bytes(50).build(), sink);
        d.finish(sink);
        List<String> ids = sink.alerts.stream().map(a -> a.id).distinct().toList();
        assertThat(ids).hasSize(2);
        Alert firstFinal = sink.alerts.stream().filter(a -> a.id.equals(ids.get(0))).reduce((a, b) -> b).orElseThrow();
        assertThat(firstFinal.count).isEqualTo(60);
        Alert secondFinal = sink.alerts.stream().filter(a -> a.id.equals(ids.get(1))).reduce((a, b) -> b).orElseThrow();
        assertThat(secondFinal.count).isEqualTo(30);
        assertThat(secondFinal.firstSeenNanos).isEqualTo(later);
    }
}
