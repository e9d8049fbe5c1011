package io.netsensor.journal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a journal tailer waits when it finds nothing new: spin a little (under load a record is often a few µs
 * away), then yield, then park for a period that doubles from 50 µs to {@link #MAX_PARK_NANOS}, woken early
 * when a writer of this process appends ({@link AppendSignal}). An idle agent's tailers then wake ~20 times a
 * second each instead of 5,000 (the fixed 200 µs park cost 6.5 % of a core idle), and a new record is seen at
 * once. The steps of Agrona's BackoffIdleStrategy (not a dependency of this build; a dozen lines) plus the
 * writer's wake-up.
 */
public final class IdleBackoff implements AutoCloseable {
    /** The longest park: what a record appended by another process (or in a lost wake-up race) can wait. */
    public static final long MAX_PARK_NANOS = 50_000_000L;
    private static final int SPINS = 100, YIELDS = 10;
    private static final long MIN_PARK_NANOS = 50_000L;

    private final AppendSignal signal;
    private final Thread thread = Thread.currentThread();
    private int idle;
    private long park = MIN_PARK_NANOS;

    /** For the calling thread; {@code signal} may be null (no wake-ups: the park bound is the latency). */
    IdleBackoff(AppendSignal signal) {
        this.signal = signal;
        if (signal != null) signal.register(thread);
    }

    /** Without wake-ups. */
    public IdleBackoff() {
        this(null);
    }

    /** Called after an empty poll. */
    public void idle() {
        if (idle < SPINS) {
            idle++;
            Thread.onSpinWait();
        } else if (idle < SPINS + YIELDS) {
            idle++;
            Thread.yield();
        } else {
            if (signal != null) {
                signal.park(park);
            } else {
                LockSupport.parkNanos(park);
            }
            park = Math.min(park << 1, MAX_PARK_NANOS);
        }
    }

    /** Called after a poll that found work. */
    public void reset() {
        idle = 0;
        park = MIN_PARK_NANOS;
    }

    /** Stops the wake-ups for this thread. */
    @Override
    public void close() {
        if (signal != null) signal.unregister(thread);
    }
}
