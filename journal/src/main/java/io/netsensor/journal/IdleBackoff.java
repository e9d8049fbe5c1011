package io.netsensor.journal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a journal tailer waits when it finds nothing new. The first wait after work is a fixed
 * {@link #BATCH_NANOS} that appends do not cut short, so that under load records gather and one wake-up
 * takes a batch: waking per record (the writer unparking a tailer that had just parked, and spinning and
 * yielding before each park) cost the three tailers of a live agent more CPU than capture itself on two
 * cores (profiled: most of their samples in the scheduler). After that, parks double from
 * {@link #BATCH_NANOS} to {@link #MAX_PARK_NANOS}, woken early when a writer of this process appends
 * ({@link AppendSignal}): an idle agent's tailers wake ~20 times a second each (a fixed 200 µs park cost
 * 6.5 % of a core idle), and a record after a quiet spell is seen at once. The shape of Agrona's
 * BackoffIdleStrategy (not a dependency of this build; a dozen lines) without its spinning, plus the
 * writer's wake-up. A record waits at most {@link #BATCH_NANOS} plus a wake-up behind the writer.
 */
public final class IdleBackoff implements AutoCloseable {
    /** The longest park: what a record appended by another process (or in a lost wake-up race) can wait. */
    public static final long MAX_PARK_NANOS = 50_000_000L;
    /** The wait after work, during which records gather for the next poll. */
    public static final long BATCH_NANOS = 1_000_000L;

    private final AppendSignal signal;
    private final Thread thread = Thread.currentThread();
    private boolean batching = true;
    private long park = BATCH_NANOS;

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
        if (batching) {
            batching = false;
            LockSupport.parkNanos(BATCH_NANOS); // not registered as parked: appends do not wake it
            return;
        }
        if (signal != null) {
            signal.park(park);
        } else {
            LockSupport.parkNanos(park);
        }
        park = Math.min(park << 1, MAX_PARK_NANOS);
    }

    /** The park the next {@link #idle()} takes after the batch wait (for tests). */
    long nextParkNanos() {
        return batching ? BATCH_NANOS : park;
    }

    /** Called after a poll that found work. */
    public void reset() {
        batching = true;
        park = BATCH_NANOS;
    }

    /** Stops the wake-ups for this thread. */
    @Override
    public void close() {
        if (signal != null) signal.unregister(thread);
    }
}
