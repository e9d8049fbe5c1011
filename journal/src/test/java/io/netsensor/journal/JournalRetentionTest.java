package io.netsensor.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention with one-second test cycles and a settable clock, so cycles roll exactly when told. */
class JournalRetentionTest {
    private static final int PER_CYCLE = 2000, CYCLES = 10;

    @TempDir
    Path dir;
    private final SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000_000_000L); // epoch ns

    private Journal.Builder builder() {
        return Journal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock);
    }

    /** Writes CYCLES cycles of PER_CYCLE events, advancing the clock one cycle between them. */
    private void writeCycles(Journal journal, JournalReader early) {
        TestEvents gen = new TestEvents();
        TestEvents.Checker earlyChecker = new TestEvents.Checker().startingAt(0);
        try (JournalWriter writer = journal.writer()) {
            for (int c = 0; c < CYCLES; c++) {
                for (int i = 0; i < PER_CYCLE; i++) gen.emit((long) c * PER_CYCLE + i, writer);
                if (c == 0 && early != null) early.poll(earlyChecker, PER_CYCLE / 2);
                clock.advanceMillis(1000);
            }
        }
    }

    @ParameterizedTest(name = "allocated blocks measured: {0}")
    @ValueSource(booleans = {true, false})
    void sizeLimitDeletesOldestCyclesAndReadingContinues(boolean blockCounts) throws IOException {
        long oneCycle;
        Path probeDir = dir.resolve("probe");
        Journal.Builder pb = Journal.builder(probeDir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock);
        if (!blockCounts) pb.withoutBlockCounts();
        try (Journal probe = pb.open(); JournalWriter w = probe.writer()) {
            TestEvents gen = new TestEvents();
            for (int i = 0; i < PER_CYCLE; i++) gen.emit(i, w);
            oneCycle = probe.diskBytes();
        }
        long limit = oneCycle * 3 + oneCycle / 2;
        Path journalDir = dir.resolve("journal");
        Journal.Builder b = Journal.builder(journalDir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock).maxBytes(limit);
        if (!blockCounts) b.withoutBlockCounts();
        try (Journal journal = b.open(); JournalReader early = journal.reader()) {
            if (blockCounts) assertThat(journal.measuresAllocatedBlocks()).isTrue();
            writeCycles(journal, early);
            journal.enforceRetention(); // after the passes the rolls scheduled on the retention thread

            // a reader that started before the deletions continues to the newest event, intact
            TestEvents.Checker continued = new TestEvents.Checker();
            TestEvents.drain(early, continued);
            assertThat(continued.mismatches).isZero();
            assertThat(continued.lastSeq).isEqualTo((long) CYCLES * PER_CYCLE - 1);

            List<Path> files = cycleFiles(journalDir);
            assertThat(journal.deletedCycles()).isEqualTo(CYCLES - files.size()).isGreaterThanOrEqualTo(CYCLES - 4);
            assertThat(journal.deletedBytes()).isGreaterThanOrEqualTo(oneCycle * (CYCLES - 4) * 9 / 10);
            assertThat(journal.diskBytes()).isLessThanOrEqualTo(limit + oneCycle);
            assertThat(files).hasSizeBetween(3, 4);

            // a new reader starts at the oldest kept cycle and sees everything after it
            try (JournalReader fresh = journal.reader()) {
                TestEvents.Checker checker = new TestEvents.Checker();
                long read = TestEvents.drain(fresh, checker);
                assertThat(checker.firstSeq).isEqualTo((long) (CYCLES - files.size()) * PER_CYCLE);
                assertThat(read).isEqualTo((long) files.size() * PER_CYCLE);
                assertThat(checker.gaps).isZero();
                assertThat(checker.mismatches).isZero();
            }
        }
    }

    @Test
    void ageLimitDeletesCyclesThatEndedBeforeTheWindow() throws IOException {
        try (Journal journal = builder().maxAge(Duration.ofSeconds(3)).open()) {
            writeCycles(journal, null);
            // the clock is now at second 10; cycles ending at or before second 7 (0..6) are gone
            journal.enforceRetention();
            assertThat(journal.deletedCycles()).isEqualTo(7);
            assertThat(cycleFiles(dir)).hasSize(3);
            try (JournalReader reader = journal.reader()) {
                TestEvents.Checker checker = new TestEvents.Checker();
                TestEvents.drain(reader, checker);
                assertThat(checker.firstSeq).isEqualTo(7L * PER_CYCLE);
                assertThat(checker.received).isEqualTo(3L * PER_CYCLE);
                assertThat(checker.gaps + checker.mismatches).isZero();
            }
        }
    }

    @Test
    void neverDeletesTheNewestCycleEvenOverTheLimit() throws IOException {
        try (Journal journal = builder().maxBytes(1).maxAge(Duration.ofMillis(1)).open()) {
            writeCycles(journal, null);
            clock.advanceMillis(60_000);
            journal.enforceRetention();
            assertThat(cycleFiles(dir)).hasSize(1);
            assertThat(journal.deletedCycles()).isEqualTo(CYCLES - 1);
            try (JournalReader reader = journal.reader(); JournalWriter writer = journal.writer()) {
                TestEvents.Checker checker = new TestEvents.Checker();
                TestEvents.drain(reader, checker);
                assertThat(checker.firstSeq).isEqualTo((long) (CYCLES - 1) * PER_CYCLE);
                assertThat(checker.received).isEqualTo(PER_CYCLE);
                new TestEvents().emit((long) CYCLES * PER_CYCLE, writer);
                assertThat(reader.poll(checker, 10)).isEqualTo(1);
                assertThat(checker.gaps + checker.mismatches).isZero();
            }
        }
    }

    @Test
    void noLimitsDeletesNothing() throws IOException {
        try (Journal journal = builder().open()) {
            writeCycles(journal, null);
            assertThat(journal.enforceRetention()).isZero();
            assertThat(cycleFiles(dir)).hasSize(CYCLES);
        }
    }

    private static List<Path> cycleFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
    }
}
