package io.netsensor.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe answers as Chronicle's own lastIndex() does: empty, within a cycle, across rolls, asked repeatedly. */
class LastIndexProbeTest {
    @TempDir Path dir;

    @Test
    void answersAsChroniclesLastIndexAcrossAppendsAndRolls() {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L);
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY)
                .timeProvider(clock).build();
             LastIndexProbe probe = new LastIndexProbe(q);
             ExcerptAppender a = q.createAppender()) {
            assertThat(probe.lastIndex()).as("empty journal").isEqualTo(-1).isEqualTo(q.lastIndex());
            for (int cycle = 0; cycle < 3; cycle++) {
                for (int i = 0; i < 70; i++) { // past one index spacing, so the scan from the last index entry is exercised
                    a.writeBytes(Bytes.wrapForRead(new byte[] {(byte) i, 1, 2, 3}));
                    assertThat(probe.lastIndex()).isEqualTo(q.lastIndex()).isEqualTo(a.lastIndexAppended());
                }
                clock.advanceMillis(3_600_000L); // the next hour: a new cycle, empty until written
                assertThat(probe.lastIndex()).as("after a roll, before a write").isEqualTo(q.lastIndex());
            }
        }
    }
}
