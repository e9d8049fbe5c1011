package io.netsensor.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal full: retention deletes the oldest cycles, but never their alerts (copied forward first), and a
 * reader whose position fell behind retention learns exactly how many records it lost.
 */
class AlertSalvageTest {
    private static final int PER_CYCLE = 2000, CYCLES = 8;
    @TempDir Path dir;
    private final SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000_000_000L);

    static Alert alert(int i) {
        Alert.Draft d = new Alert.Draft();
        d.id = "c2_port-" + i;
        d.detector = DetectorKind.C2_PORT;
        d.severity = Severity.HIGH;
        d.score = 0.7;
        d.hostIp = "10.0.0.5";
        d.remoteIp = "198.51.100." + i;
        d.remotePort = 6667;
        d.firstSeenNanos = d.lastSeenNanos = 1_700_000_000_000_000_000L + i;
        d.count = 1;
        d.summary = "connection to 198.51.100." + i + ":6667 (IRC port)";
        return d.build();
    }

    static final class Collect implements EventHandler {
        final List<String> alertIds = new ArrayList<>();
        long conns;
        public void onConn(ConnEvent e) { conns++; }
        public void onDns(DnsEvent e) {}
        public void onAlert(Alert a) { alertIds.add(a.id); }
    }

    private long oneCycleBytes() {
        Path probeDir = dir.resolve("probe");
        try (Journal probe = Journal.builder(probeDir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock).open();
             JournalWriter w = probe.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < PER_CYCLE; i++) gen.emit(i, w);
            return probe.diskBytes();
        }
    }

    @Test
    void alertsSurviveRetentionExactlyOnceAndLaggingReadersCountTheirGap() {
        long limit = oneCycleBytes() * 3;
        Path journalDir = dir.resolve("journal");
        List<String> expected = new ArrayList<>();
        long gapIndex;
        try (Journal journal = Journal.builder(journalDir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock)
                .maxBytes(limit).open();
             JournalReader follower = journal.reader()) {
            TestEvents gen = new TestEvents();
            Collect followed = new Collect();
            try (JournalWriter w = journal.writer()) {
                for (int c = 0; c < CYCLES; c++) {
                    for (int i = 0; i < PER_CYCLE; i++) gen.emit((long) c * PER_CYCLE + i, w);
                    Alert a = alert(c);
                    w.onAlert(a); // one alert per cycle, in the cycles retention will delete too
                    expected.add(a.id);
                    while (follower.poll(followed, 10_000) > 0) {
                        // a reader that keeps up
                    }
                    clock.advanceMillis(1000);
                }
            }
            journal.enforceRetention();
            assertThat(journal.deletedCycles()).as("retention ran").isGreaterThanOrEqualTo(3);
            while (follower.poll(followed, 10_000) > 0) {
                // the salvaged copies arrive after the last record: a reader that read the originals skips them
            }
            assertThat(followed.alertIds).as("no duplicates for a reader that kept up").isEqualTo(expected);

            Collect fresh = new Collect();
            try (JournalReader r = journal.reader().toStart()) {
                while (r.poll(fresh, 10_000) > 0) {
                    // drain
                }
            }
            assertThat(fresh.alertIds).as("a new reader still gets every alert, each once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(fresh.conns).isLessThan((long) CYCLES * PER_CYCLE * 2 / 3); // events did go

            // a durable sink that stopped at the very first record has lost exactly the deleted cycles' records
            gapIndex = net.openhft.chronicle.queue.rollcycles.TestRollCycles.TEST_SECONDLY.toIndex(
                    TestRollCycles.TEST_SECONDLY.toCycle(journal.firstIndex()) - (int) journal.deletedCycles(), 0);
            long lost = journal.lostBefore(gapIndex);
            // each deleted cycle held its 2,000 events and its alert, plus any salvaged copy retention had put
            // there before deleting that cycle in turn (then salvaged again: the alert itself is not lost)
            assertThat(lost).isBetween(journal.deletedCycles() * (PER_CYCLE + 1), journal.deletedCycles() * (PER_CYCLE + 1) + CYCLES);
        }
        // the ledger survives a restart
        try (Journal reopened = Journal.builder(journalDir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock).open()) {
            assertThat(reopened.lostBefore(gapIndex)).isPositive();
            Collect afterGap = new Collect();
            try (JournalReader r = reopened.reader().toStartAfterGap(gapIndex)) {
                while (r.poll(afterGap, 10_000) > 0) {
                    // drain
                }
            }
            assertThat(afterGap.alertIds).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
