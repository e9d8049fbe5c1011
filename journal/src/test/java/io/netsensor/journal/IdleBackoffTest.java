package io.netsensor.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wait schedule: a batch wait after work, then parks doubling to the cap; work starts it over. */
class IdleBackoffTest {
    @Test
    void batchWaitThenDoublingParksUpToTheCapAndBackAfterWork() {
        try (IdleBackoff b = new IdleBackoff(new AppendSignal())) {
            assertThat(b.nextParkNanos()).isEqualTo(IdleBackoff.BATCH_NANOS);
            b.idle(); // the batch wait
            long expected = IdleBackoff.BATCH_NANOS;
            for (int i = 0; i < 8; i++) {
                assertThat(b.nextParkNanos()).isEqualTo(expected);
                b.idle();
                expected = Math.min(expected * 2, IdleBackoff.MAX_PARK_NANOS);
            }
            assertThat(b.nextParkNanos()).as("capped").isEqualTo(IdleBackoff.MAX_PARK_NANOS);
            b.reset();
            assertThat(b.nextParkNanos()).as("after work: the batch wait again").isEqualTo(IdleBackoff.BATCH_NANOS);
        }
    }

    @Test
    void aLongParkedTailerIsWokenByAnAppendOfThisProcess() throws Exception {
        AppendSignal signal = new AppendSignal();
        long[] took = new long[1];
        Thread t = new Thread(() -> {
            try (IdleBackoff b = new IdleBackoff(signal)) {
                while (b.nextParkNanos() < IdleBackoff.MAX_PARK_NANOS) b.idle();
                long t0 = System.nanoTime();
                b.idle(); // parks up to 50 ms unless woken
                took[0] = System.nanoTime() - t0;
            }
        });
        t.start();
        // keep appending until the tailer is done: one of these lands while it is parked at the cap
        while (t.isAlive()) {
            signal.appended();
            Thread.sleep(1);
        }
        assertThat(took[0]).as("woken before its 50 ms park ran out").isLessThan(IdleBackoff.MAX_PARK_NANOS);
    }
}
