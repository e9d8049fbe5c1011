package io.netsensor.journal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the journal's writers off a full file system. Chronicle writes through memory-mapped files: a page
 * the file system cannot back raises SIGBUS, which the JVM turns into an {@link InternalError} ("a fault
 * occurred in a recent unsafe memory access operation") that used to end replay, run and events. So writers
 * look at the free space first ({@link FileStore#getUsableSpace}, statfs) and stop appending while it is below
 * a reserve: ordinary records (events, telemetry) below {@link #eventsReserve}, alerts only below the smaller
 * {@link #alertsReserve}, so the space between the two is kept for alerts. A fault that happens anyway (another
 * process filled the disk between two looks) is caught by the writer and puts the journal in the same state.
 *
 * <p>One per journal, shared by its writers (the capture thread's and the detection thread's): the state and
 * its log lines (one when the disk fills, one when journaling resumes) are the journal's. The fast path is a
 * byte budget each writer counts down; statfs runs when it is spent or a second has passed (a write rate of a
 * few records a second must still notice another process filling the disk).
 */
public final class SpaceGuard {
    /** Default reserves: room for Chronicle's own pages (a cycle roll's header and index), the sinks' positions and status file. */
    public static final long DEFAULT_EVENTS_RESERVE = 4L << 20, DEFAULT_ALERTS_RESERVE = 1L << 20;
    /** Free space above the reserve needed to resume, so the state does not flap at the boundary. */
    private static final long RESUME_MARGIN = 1L << 20;
    /** Below this much room above the reserve, ordinary records stop (smaller budgets would only mean more looks). */
    private static final long MIN_BUDGET = 64L << 10;
    /** How often a full journal looks again, and the longest a writer goes without a look. */
    static final long RECHECK_NANOS = 250_000_000L, MAX_UNCHECKED_NANOS = 1_000_000_000L;

    private final Path dir;
    private final long eventsReserve, alertsReserve;
    private final PrintStream log;
    private FileStore store;
    private volatile boolean full;
    private volatile long fullSinceMillis, lastUsable = -1;
    private long fullSinceNanos, lastCheckNanos;
    private volatile long episodes, unjournaled;
    private long unjournaledAtStart;
    /** Asked to free space when the journal fills (retention deleting old cycles); may be null. */
    private volatile Runnable onFull;

    SpaceGuard(Path dir, long eventsReserve, long alertsReserve, PrintStream log) {
        this.dir = dir;
        this.eventsReserve = eventsReserve;
        this.alertsReserve = Math.min(alertsReserve, eventsReserve);
        this.log = log;
    }

    void onFull(Runnable r) {
        this.onFull = r;
    }

    /** Usable bytes of the journal's file system, Long.MAX_VALUE when it cannot be told (never blocks writing). */
    long usable() {
        try {
            if (store == null) store = Files.getFileStore(dir);
            long u = store.getUsableSpace();
            lastUsable = u;
            return u;
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Bytes a writer may append, ordinary records, before it must call again: 0 while the journal is full.
     * Synchronized: rare (once per budget or second), and the state change must be logged once.
     */
    synchronized long budget(boolean alert) {
        long now = System.nanoTime();
        if (full && now - lastCheckNanos < RECHECK_NANOS) {
            if (!alert) return 0;
            usable(); // alerts are rare: each spends only what a fresh look allows
            return alertBudget();
        }
        lastCheckNanos = now;
        long u = usable();
        if (full) {
            if (u >= eventsReserve + RESUME_MARGIN) resume(u);
        } else if (u < eventsReserve + MIN_BUDGET) {
            enterFull(u, null);
        }
        if (full) return alert ? alertBudget() : 0;
        // half the room left: the budget shrinks as the disk fills, so the look comes more often near the reserve
        return Math.min((u - eventsReserve) / 2, 8L << 20);
    }

    private long alertBudget() {
        long u = lastUsable;
        return u < 0 ? 0 : Math.max(0, Math.min((u - alertsReserve) / 2, 1L << 20));
    }

    /** A mapped write faulted (the disk filled between two looks): full now, whatever statfs said. */
    synchronized void faulted(Throwable fault) {
        lastCheckNanos = System.nanoTime();
        if (!full) enterFull(usable(), fault);
    }

    private void enterFull(long usable, Throwable fault) {
        full = true;
        episodes++;
        fullSinceNanos = System.nanoTime();
        fullSinceMillis = System.currentTimeMillis();
        unjournaledAtStart = unjournaled;
        log.println("netsensor: journal: disk full in " + dir + " (" + mib(usable) + " free, "
                + mib(eventsReserve) + " kept in reserve" + (fault != null ? "; a write faulted" : "")
                + "): events and telemetry are not journaled until space returns (counted), capture and detection go on, alerts use the reserve");
        Runnable r = onFull;
        if (r != null) r.run();
    }

    private void resume(long usable) {
        full = false;
        log.println("netsensor: journal: space available again in " + dir + " (" + mib(usable) + " free) after "
                + (System.nanoTime() - fullSinceNanos) / 1_000_000_000L + " s: journaling resumed; "
                + (unjournaled - unjournaledAtStart) + " record(s) were not journaled");
    }

    /** Counts a record not journaled (any writer, any thread). */
    synchronized void lost(long n) {
        unjournaled += n;
    }

    private static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** True while writers are not journaling ordinary records. */
    public boolean full() {
        return full;
    }

    /** Since when (epoch ms) the journal is full, meaningful while {@link #full()}. */
    public long fullSinceMillis() {
        return fullSinceMillis;
    }

    /** Records (any type) not journaled because the disk was full, since open. */
    public long unjournaled() {
        return unjournaled;
    }

    /** Times the journal went full since open. */
    public long episodes() {
        return episodes;
    }

    /** Free bytes at the last look, -1 before the first. */
    public long lastUsable() {
        return lastUsable;
    }

    long eventsReserve() {
        return eventsReserve;
    }
}
