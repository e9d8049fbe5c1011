package io.netsensor.journal;

import static io.netsensor.testkit.events.Times.T0;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.ProcessInfo;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void hundredThousandMixedEventsReadBackIntactAndInOrder() {
        int n = 100_000;
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < n; i++) gen.emit(i, writer);
            assertThat(writer.appended()).isEqualTo(n);
            assertThat(writer.rejected()).isZero();
            writer.flush();

            try (JournalReader reader = journal.reader()) {
                TestEvents.Checker checker = new TestEvents.Checker().startingAt(0);
                assertThat(TestEvents.drain(reader, checker)).isEqualTo(n);
                assertThat(checker.received).isEqualTo(n);
                assertThat(checker.mismatches).isZero();
                assertThat(checker.gaps).isZero();
                assertThat(reader.conns() + reader.dnses()).isEqualTo(n);
                assertThat(reader.dnses()).isEqualTo(n / 3);
                assertThat(reader.lastReadIndex()).isEqualTo(writer.lastIndex());
                assertThat(reader.poll(checker, 10)).as("nothing past the end").isZero();
            }
        }
    }

    @Test
    void processRecordsWithAndWithoutContainerReadBackBesideEachOther() {
        // kernel attribution's processes (cgroup id, container id: a version-3 record) beside the resolver's (version 2)
        java.util.List<ProcessInfo> got = new java.util.ArrayList<>();
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            ProcessEvent e = new ProcessEvent();
            e.tsNanos = io.netsensor.testkit.events.Times.T0;
            e.entityId = 1;
            e.pid = 10;
            e.setStrings("root", "nginx", "/usr/sbin/nginx", "nginx");
            e.setContainer("ab".repeat(32), 4711);
            writer.onProcess(e);
            e.entityId = 2;
            e.pid = 11;
            e.setContainer(null, 0);
            writer.onProcess(e);
            writer.flush();
            try (JournalReader reader = journal.reader()) {
                TestEvents.drain(reader, new EventHandler() {
                    @Override
                    public void onConn(ConnEvent c) {}

                    @Override
                    public void onDns(DnsEvent d) {}

                    @Override
                    public void onProcess(ProcessEvent p) {
                        got.add(ProcessInfo.of(p));
                    }
                });
                assertThat(reader.damaged()).isZero();
                assertThat(reader.unknownTypes()).isZero();
            }
        }
        assertThat(got).hasSize(2);
        assertThat(got.get(0).containerId).isEqualTo("ab".repeat(32));
        assertThat(got.get(0).cgroupId).isEqualTo(4711);
        assertThat(got.get(0).executable).isEqualTo("/usr/sbin/nginx");
        assertThat(got.get(1).containerId).isNull();
        assertThat(got.get(1).cgroupId).isZero();
    }

    @Test
    void namedReaderResumesWhereItLeftOffAfterReopen() {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < 1000; i++) gen.emit(i, writer);
            try (JournalReader sink = journal.reader("syslog")) {
                TestEvents.Checker checker = new TestEvents.Checker().startingAt(0);
                assertThat(sink.poll(checker, 300)).isEqualTo(300);
                assertThat(checker.mismatches).isZero();
                assertThat(checker.gaps).isZero();
            }
        }
        try (Journal journal = Journal.open(dir);
             JournalReader sink = journal.reader("syslog");
             JournalReader other = journal.reader("kafka")) {
            TestEvents.Checker resumed = new TestEvents.Checker();
            assertThat(TestEvents.drain(sink, resumed)).isEqualTo(700);
            assertThat(resumed.firstSeq).isEqualTo(300);
            assertThat(resumed.mismatches).isZero();
            assertThat(resumed.gaps).isZero();

            TestEvents.Checker fresh = new TestEvents.Checker();
            assertThat(TestEvents.drain(other, fresh)).as("another name keeps its own position").isEqualTo(1000);
            assertThat(fresh.firstSeq).isZero();
        }
    }

    @Test
    void handlerFailureLeavesTheDocumentUnconsumed() {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < 3; i++) gen.emit(i, writer);
            try (JournalReader sink = journal.reader("hec")) {
                TestEvents.Checker checker = new TestEvents.Checker();
                sink.poll(checker, 1);
                EventHandler down = new EventHandler() {
                    @Override
                    public void onConn(ConnEvent event) {
                        throw new IllegalStateException("destination down");
                    }

                    @Override
                    public void onDns(DnsEvent event) {
                        throw new IllegalStateException("destination down");
                    }
                };
                assertThatThrownBy(() -> sink.poll(down, 10)).hasMessage("destination down");
                assertThat(TestEvents.drain(sink, checker)).isEqualTo(2);
                assertThat(checker.mismatches).isZero();
                assertThat(checker.gaps).isZero();
                assertThat(checker.received).isEqualTo(3);
            }
        }
    }

    @Test
    void positionsAtTheFirstEventAtOrAfterATimeAcrossCycles() {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000_000_000L); // epoch ns
        try (Journal journal = Journal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock).open();
             JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < 10_000; i++) {
                if (i > 0 && i % 1000 == 0) clock.advanceMillis(1000); // ten cycle files
                gen.emit(i, writer);
            }
            try (JournalReader reader = journal.reader()) {
                for (long seq : new long[] {0, 1, 999, 1000, 4321, 9999}) {
                    assertThat(reader.seekToTime(TestEvents.timeOf(seq))).isTrue();
                    assertThat(firstSeqAfterPosition(reader)).as("seek to time of %d", seq).isEqualTo(seq);
                }
                assertThat(reader.seekToTime(TestEvents.timeOf(4321) - 1)).isTrue();
                assertThat(firstSeqAfterPosition(reader)).isEqualTo(4321);
                assertThat(reader.seekToTime(Long.MIN_VALUE)).isTrue();
                assertThat(firstSeqAfterPosition(reader)).isZero();
                assertThat(reader.seekToTime(TestEvents.timeOf(10_000))).isFalse();
                assertThat(reader.poll(new TestEvents.Checker(), 10)).isZero();
            }
        }
    }

    @Test
    void unknownFutureRecordTypesAreSkippedAndCounted() {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            TestEvents gen = new TestEvents();
            gen.emit(0, writer);
            ExcerptAppender raw = journal.queue().createAppender();
            Bytes<byte[]> alert = Bytes.wrapForRead(new byte[] {1, 3, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9});
            raw.writeBytes(alert);
            raw.writeBytes(Bytes.wrapForRead(new byte[] {1, 2, 3})); // damaged: shorter than a header
            raw.close();
            gen.emit(1, writer);
            try (JournalReader reader = journal.reader()) {
                TestEvents.Checker checker = new TestEvents.Checker().startingAt(0);
                assertThat(TestEvents.drain(reader, checker)).isEqualTo(4);
                assertThat(checker.received).isEqualTo(2);
                assertThat(checker.mismatches).isZero();
                assertThat(checker.gaps).isZero();
                assertThat(reader.unknownTypes()).isEqualTo(1);
                assertThat(reader.damaged()).isEqualTo(1);
            }
        }
    }

    @Test
    void invalidEventsAreCountedNotWritten() {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            ConnEvent bad = new ConnEvent();
            bad.state = null;
            writer.onConn(bad);
            assertThat(writer.rejected()).isEqualTo(1);
            assertThat(writer.appended()).isZero();
            try (JournalReader reader = journal.reader()) {
                assertThat(reader.poll(new TestEvents.Checker(), 10)).isZero();
            }
        }
    }

    private static long firstSeqAfterPosition(JournalReader reader) {
        TestEvents.Checker c = new TestEvents.Checker();
        reader.poll(c, 1);
        return c.firstSeq;
    }
}
