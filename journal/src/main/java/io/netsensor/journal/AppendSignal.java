package io.netsensor.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the journal's parked tailers when a writer of this process appends, so an idle tailer can park long
 * ({@link IdleBackoff#MAX_PARK_NANOS}) and still see a new record at once. A writer pays one volatile read per
 * record while nobody is parked (a busy journal); it unparks the registered tailer threads only when some are.
 * Writers of another process (an `events --follow` reading a running agent) are not seen: the park bound is
 * then the latency. A wake-up lost to the race between a tailer's last empty poll and its park costs at most
 * that bound too, never a record.
 */
public final class AppendSignal {
    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(AppendSignal.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CopyOnWriteArrayList<Thread> tailers = new CopyOnWriteArrayList<>();
    @SuppressWarnings("unused")
    private volatile int parked;

    /** After an append: wakes the parked tailers, if any (any writer thread). */
    void appended() {
        if (parked != 0) {
            for (int i = 0; i < tailers.size(); i++) {
                Thread t = tailers.get(i);
                if (t != null) LockSupport.unpark(t);
            }
        }
    }

    void register(Thread t) {
        tailers.addIfAbsent(t);
    }

    void unregister(Thread t) {
        tailers.remove(t);
    }

    /** Parks the calling (registered) tailer for up to {@code nanos}, or until a writer appends. */
    void park(long nanos) {
        PARKED.getAndAdd(this, 1);
        try {
            LockSupport.parkNanos(nanos);
        } finally {
            PARKED.getAndAdd(this, -1);
        }
    }
}
