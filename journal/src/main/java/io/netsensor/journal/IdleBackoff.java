package io.netsensor.journal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a journal tailer waits when it finds nothing new: spin a little (a record is often a few µs away under
 * load), then yield, then park for a period that doubles from 50 µs to {@link #MAX_PARK_NANOS}. An idle
 * agent's tailers then wake ~250 times a second each instead of 5,000 (the fixed 200 µs park cost 6.5 % of a
 * core idle), and a record arriving after a long quiet spell waits at most a few ms. The same steps as
 * Agrona's BackoffIdleStrategy, which is not a dependency of this build: a dozen lines did not justify one.
 */
public final class IdleBackoff {
    /** The longest park: the latency a record that ends an idle spell can wait at each tailer. */
    public static final long MAX_PARK_NANOS = 4_000_000L;
    private static final int SPINS = 100, YIELDS = 10;
    private static final long MIN_PARK_NANOS = 50_000L;

    private int idle;
    private long park = MIN_PARK_NANOS;

    /** Called after an empty poll. */
    public void idle() {
        if (idle < SPINS) {
            idle++;
            Thread.onSpinWait();
        } else if (idle < SPINS + YIELDS) {
            idle++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(park);
            park = Math.min(park << 1, MAX_PARK_NANOS);
        }
    }

    /** Called after a poll that found work. */
    public void reset() {
        idle = 0;
        park = MIN_PARK_NANOS;
    }
}
