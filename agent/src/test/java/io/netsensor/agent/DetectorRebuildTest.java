package io.netsensor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.journal.JournalWriter;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A beacon that began before a restart is still caught after it, because detectors re-read the journal. */
class DetectorRebuildTest {
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;

    @TempDir Path dir;

    @Test
    void beaconStartedBeforeRestartAlertsAfterIt() throws Exception {
        assertThat(runAcrossRestart(true)).as("alerts journaled after a restart with rebuild").isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.detector).isEqualTo(DetectorKind.BEACON);
                    assertThat(a.remoteIp).isEqualTo("198.51.100.10");
                    assertThat(a.count).isGreaterThan(20); // counts the pre-restart connections
                });
    }

    @Test
    void withoutRebuildTheSameTrafficAfterRestartIsBelowThreshold() throws Exception {
        // Control: the post-restart half alone spans 20 minutes, under the seed's 30-minute minimum.
        assertThat(runAcrossRestart(false)).isEmpty();
    }

    @Test
    void alertsRaisedBeforeTheRestartAreNotRepeated() throws Exception {
        Settings settings = SettingsLoader.defaults();
        try (Journal journal = Sensor.openJournal(settings, dir)) { // first run: one hour of beaconing, alerted
            JournalWriter w = journal.writer();
            for (int i = 0; i < 60; i++) w.onConn(beacon(i));
            w.flush();
            try (DetectionLoop first = new DetectionLoop(journal, settings)) {
                first.start(() -> true).join();
                assertThat(first.alerts()).isGreaterThan(0);
            }
        }
        List<Alert> before = journaledAlerts();
        try (Journal journal = Sensor.openJournal(settings, dir);
             DetectionLoop second = new DetectionLoop(journal, settings)) {
            long n = second.rebuild(Duration.ofHours(2));
            assertThat(n).isEqualTo(60 + before.size()); // the connections and the first run's ALERT records
            assertThat(second.rebuiltAlerts()).isGreaterThan(0);
            second.start(() -> true).join();
            assertThat(second.alerts()).isZero();
        }
        assertThat(journaledAlerts()).hasSameSizeAs(before);
    }

    /** The ALERT records in the journal, as every output reads them. */
    private List<Alert> journaledAlerts() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        try (Journal journal = Sensor.openJournal(SettingsLoader.defaults(), dir, false); JournalReader r = journal.reader()) {
            EventHandler collect = new EventHandler() {
                public void onConn(ConnEvent e) {}
                public void onDns(io.netsensor.events.DnsEvent e) {}
                public void onAlert(Alert a) {
                    alerts.add(a);
                }
            };
            while (r.poll(collect, 1000) > 0) {
                // drain
            }
        }
        return alerts;
    }

    private List<Alert> runAcrossRestart(boolean rebuild) throws Exception {
        Settings settings = SettingsLoader.defaults();
        try (Journal journal = Sensor.openJournal(settings, dir)) { // first run: 20 minutes of beaconing
            JournalWriter w = journal.writer();
            for (int i = 0; i < 20; i++) w.onConn(beacon(i));
            w.flush();
        }
        try (Journal journal = Sensor.openJournal(settings, dir);
             DetectionLoop detection = new DetectionLoop(journal, settings)) {
            if (rebuild) {
                detection.rebuild(Duration.ofHours(2));
            } else {
                detection.fromEnd();
            }
            JournalWriter w = journal.writer(); // second run: 20 more minutes
            for (int i = 20; i < 40; i++) w.onConn(beacon(i));
            detection.start(() -> true).join();
        }
        return journaledAlerts();
    }

    private static ConnEvent beacon(int i) {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.flowId = 1000 + i;
        e.startNanos = T0 + i * MINUTE + (i % 3) * 1_000_000_000L;
        e.endNanos = e.startNanos + 80_000_000L;
        e.transport = Transport.TCP;
        long[] src = Ip.parse("10.0.0.5"), dst = Ip.parse("198.51.100.10");
        e.origIpHi = src[0]; e.origIpLo = src[1]; e.origPort = 40000 + i;
        e.respIpHi = dst[0]; e.respIpLo = dst[1]; e.respPort = 8443;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.SF;
        e.setHistory("ShADadFf");
        e.origPkts = 6; e.respPkts = 5; e.origBytes = 310; e.respBytes = 1200;
        e.origIpBytes = 630; e.respIpBytes = 1460;
        return e;
    }
}
