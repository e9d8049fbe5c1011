package io.netsensor.journal;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import io.netsensor.events.codec.AlertCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Alerts go through the journal like every record: written with onAlert, read back into onAlert, intact. */
class JournalAlertTest {
    @TempDir
    Path dir;

    static Alert alert(int i) {
        Alert.Draft d = new Alert.Draft();
        DetectorKind[] kinds = DetectorKind.values();
        d.detector = kinds[i % kinds.length];
        d.severity = Severity.values()[i % Severity.values().length];
        d.id = d.detector.label + "-" + Integer.toHexString(0x1000 + i);
        d.score = i / 100.0 + 0.001;
        d.hostIp = "10.0.0." + (i % 250);
        d.hostMac = i % 2 == 0 ? null : "02-00-0A-00-00-05";
        d.process = i % 3 == 0 ? null : new ProcessInfo(i * 31L, 4000 + i, 1, i % 4 == 0 ? -1 : 1000, TestEvents.timeOf(i) - 5,
                "proc" + i, "/usr/bin/proc" + i, i % 5 == 0 ? null : "proc --flag " + i, i % 4 == 0 ? null : "alice");
        d.remoteIp = i % 4 == 1 ? null : "198.51.100." + i % 256;
        d.remotePort = i % 4 == 1 ? null : 1024 + i;
        d.firstSeenNanos = TestEvents.timeOf(i) - 1_000_000;
        d.lastSeenNanos = TestEvents.timeOf(i);
        d.count = i;
        d.summary = "alert " + i + " \u00e9";
        d.evidence.put("n", i);
        d.evidence.put("big", (long) i << 40);
        d.evidence.put("ratio", i / 7.0);
        d.evidence.put("flag", i % 2 == 0);
        d.evidence.put("histogram", List.of(i % 3, 5, 9, 2));
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("samples", List.of(Map.of("domain", "x" + i + ".example", "nxdomain", true)));
        sub.put("none", null);
        d.evidence.put("sub", sub);
        return d.build();
    }

    @Test
    void alertsInterleavedWithConnAndDnsReadBackIntact() {
        int n = 3_000;
        List<Alert> written = new ArrayList<>();
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < n; i++) {
                gen.emit(i, writer);
                if (i % 10 == 3) {
                    Alert a = alert(i);
                    writer.onAlert(a);
                    written.add(a);
                }
            }
            assertThat(writer.rejected()).isZero();
            assertThat(writer.appended()).isEqualTo(n + written.size());

            try (JournalReader reader = journal.reader()) {
                Collecting handler = new Collecting();
                assertThat(TestEvents.drain(reader, handler)).isEqualTo(n + written.size());
                assertThat(handler.checker.received).isEqualTo(n);
                assertThat(handler.checker.mismatches).isZero();
                assertThat(handler.checker.gaps).isZero();
                assertThat(reader.alerts()).isEqualTo(written.size());
                assertThat(reader.damaged()).isZero();
                assertThat(reader.unknownTypes()).isZero();
                assertThat(handler.alerts).hasSameSizeAs(written);
                for (int i = 0; i < written.size(); i++) {
                    assertThat(handler.alerts.get(i)).usingRecursiveComparison().withStrictTypeChecking()
                            .isEqualTo(written.get(i));
                }
                assertThat(handler.order).as("each alert right after the record it followed").isEqualTo(expectedOrder(n));
            }
        }
    }

    @Test
    void anOversizedAlertIsJournaledCutAndTimeSearchSeesItsLastSeen() {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            gen.emit(0, writer);
            Alert.Draft d = alert(1).toDraft();
            List<Integer> huge = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) huge.add(i);
            d.evidence.put("huge", huge);
            d.summary = "s".repeat(100_000);
            writer.onAlert(d.build());
            Alert.Draft bad = alert(2).toDraft();
            bad.detector = null;
            writer.onAlert(bad.build());
            gen.emit(2, writer);
            assertThat(writer.rejected()).as("only the alert without a detector").isEqualTo(1);
            try (JournalReader reader = journal.reader()) {
                Collecting handler = new Collecting();
                assertThat(TestEvents.drain(reader, handler)).isEqualTo(3);
                assertThat(handler.alerts).hasSize(1);
                Alert a = handler.alerts.get(0);
                assertThat(a.evidence).containsEntry(AlertCodec.EVIDENCE_CUT_KEY, true);
                assertThat(a.summary).hasSize(AlertCodec.STRING_CUT);
                assertThat(a.id).isEqualTo(d.id);

                assertThat(reader.seekToTime(TestEvents.timeOf(1))).isTrue();
                Collecting after = new Collecting();
                reader.poll(after, 1);
                assertThat(after.alerts).as("the ALERT record's header time is its lastSeen").hasSize(1);
            }
        }
    }

    private static List<String> expectedOrder(int n) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(TestEvents.isConn(i) ? "conn" : "dns");
            if (i % 10 == 3) order.add("alert");
        }
        return order;
    }

    /** Checks CONN/DNS against the generator, keeps alerts, and records the order of everything. */
    static final class Collecting implements EventHandler {
        final TestEvents.Checker checker = new TestEvents.Checker().startingAt(0);
        final List<Alert> alerts = new ArrayList<>();
        final List<String> order = new ArrayList<>();

        @Override
        public void onConn(ConnEvent event) {
            order.add("conn");
            checker.onConn(event);
        }

        @Override
        public void onDns(DnsEvent event) {
            order.add("dns");
            checker.onDns(event);
        }

        @Override
        public void onAlert(Alert alert) {
            order.add("alert");
            alerts.add(alert);
        }
    }
}
