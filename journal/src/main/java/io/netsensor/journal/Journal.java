package io.netsensor.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The durable local event journal: a Chronicle Queue in one directory, one document per event in the
 * {@link io.netsensor.events.codec.EventCodec} layout. One {@link JournalWriter} (one thread) appends;
 * any number of {@link JournalReader}s (sinks, detectors, each on its own thread) tail it, named ones
 * resuming after a restart.
 *
 * <p>Default roll cycle: {@link LargeRollCycles#LARGE_HOURLY}. It indexes 2^32 - 1 documents per
 * hour (about 1.19 M/s sustained for a whole hour, so 1 M/s bursts fit) like FAST_HOURLY, but with an
 * index entry every 64 documents instead of 256: moveToIndex (named-tailer restarts, time search by
 * binary search) scans at most 64 records, for 8 bytes of index per 64 records of ~180+ bytes each.
 * Hourly files keep retention granular (a day is 24 deletable units).
 *
 * <p>Retention ({@link JournalRetention}) runs whenever Chronicle releases a past cycle file (the
 * writer rolled, a reader moved on) and on {@link #enforceRetention()}; cycle naming and age use the
 * queue's time provider (wall clock in production), since files roll by wall-clock time.
 */
public final class Journal implements AutoCloseable {
    private final Path dir;
    private final SingleChronicleQueue queue;
    private final JournalRetention retention;
    private final DeletedCycles deleted;
    private final JournalDamage damage;
    private final long damageGraceNanos;
    private final SpaceGuard space;
    /** Wakes this process's parked tailers when one of its writers appends. */
    private final AppendSignal appended = new AppendSignal();
    /** What the capture writer could not journal while the disk was full, for the detection thread (4 MiB, allocated on first use). */
    private final RecordRing overflow = new RecordRing(4 << 20);

    /** Chronicle's mapped chunk size; a record (at most tens of KiB) must fit well within one. */
    static final long BLOCK_SIZE = 4L << 20;

    private Journal(Builder b) {
        this.dir = b.dir;
        this.damage = new JournalDamage(b.dir, System.err);
        this.damageGraceNanos = b.damageGraceNanos;
        damage.screen(b.dir); // before Chronicle opens a file it would wait on forever
        ReleaseListener listener = new ReleaseListener();
        this.queue = SingleChronicleQueueBuilder.single(b.dir.toFile())
                .rollCycle(b.rollCycle)
                // Chronicle maps a cycle file in chunks of this size (its default is 64 MiB, with an overlap), one
                // set per appender and tailer, and every page touched in a mapped chunk counts towards the agent's
                // resident memory until the chunk is released: small chunks keep the journal's share of RSS to
                // the few chunks the writer and the readers are in, whatever the cycle's size (issue 14).
                .blockSize(BLOCK_SIZE)
                .timeProvider(b.timeProvider)
                .storeFileListener(listener)
                .build();
        this.deleted = new DeletedCycles(b.dir);
        this.retention = new JournalRetention(queue, b.maxAgeMillis, b.maxBytes, b.diskUsage, deleted);
        listener.retention = retention;
        this.space = new SpaceGuard(b.dir, b.eventsReserve, b.alertsReserve, System.err);
        retention.watch(space);
        space.onFull(retention::requestPass);
        damage.attach(queue);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Opens with the defaults: hourly cycles, no retention limit. */
    public static Journal open(Path dir) {
        return builder(dir).open();
    }

    /** A writer for the single appending thread; create it on that thread. */
    public JournalWriter writer() {
        return new JournalWriter(queue, space, appended);
    }

    /** Records a full disk kept out of the journal, handed from the capture writer to detection. */
    public RecordRing overflow() {
        return overflow;
    }

    /** The free-space watch its writers share: whether the disk is full, records not journaled. */
    public SpaceGuard space() {
        return space;
    }

    /** A non-durable reader positioned at the start of the journal. */
    public JournalReader reader() {
        return new JournalReader(queue, queue.createTailer(), null, deleted, damage, damageGraceNanos).wakeWith(appended);
    }

    /**
     * A durable reader: its read position is stored in the queue's metadata under {@code name} and
     * survives restarts (and crashes), so a sink resumes where it left off. A new name starts at the
     * start of the journal.
     */
    public JournalReader reader(String name) {
        return new JournalReader(queue, queue.createTailer(name), name, deleted, damage, damageGraceNanos).wakeWith(appended);
    }

    /**
     * Records lost to retention between a reader position (a journal index) and the journal's first
     * record: what a sink whose stored position fell behind retention missed. 0 when nothing was lost.
     */
    public long lostBefore(long index) {
        long first = queue.firstIndex();
        if (index < 0 || first == Long.MAX_VALUE || index >= first) return 0;
        RollCycle rc = queue.rollCycle();
        return deleted.lostBetween(rc.toCycle(index), rc.toSequenceNumber(index), rc.toCycle(first));
    }

    /** Applies the retention limits now; returns the number of cycle files deleted by this pass. */
    public int enforceRetention() {
        return retention.enforce();
    }

    /**
     * Registers retention's counts: {@code journal.retention.deleted_cycles}, {@code .deleted_bytes} and
     * {@code .failed_passes}. The journal's size on disk is not a metric: measuring it opens every cycle
     * file, too heavy to do whenever the registry is read.
     */
    public void register(io.netsensor.metrics.Metrics m) {
        m.count("journal.retention.deleted_cycles", retention::deletedCycles);
        m.count("journal.retention.deleted_bytes", retention::deletedBytes);
        m.count("journal.retention.failed_passes", retention::failedPasses);
        m.count("journal.quarantined_cycles", damage::quarantinedCycles);
        m.gauge("journal.disk_full", () -> space.full() ? 1 : 0);
        m.count("journal.disk_full_episodes", space::episodes);
        m.count("journal.unjournaled_records", space::unjournaled);
    }

    /** Damaged cycle files moved to {@code quarantine/} since open (at open, or by a reader that hit the damage). */
    public long quarantinedCycles() {
        return damage.quarantinedCycles();
    }

    /** Bytes of the files in {@code quarantine/} (not counted by retention, never deleted by it). */
    public long quarantinedBytes() {
        return damage.quarantinedBytes();
    }

    /** Where damaged cycle files are moved: {@code <journal dir>/quarantine}. */
    public Path quarantineDir() {
        return damage.quarantineDir();
    }

    /** Cycle files deleted by retention since open. */
    public long deletedCycles() {
        return retention.deletedCycles();
    }

    /** Real disk bytes freed by retention since open. */
    public long deletedBytes() {
        return retention.deletedBytes();
    }

    /** Real disk bytes held by the journal's cycle files now. */
    public long diskBytes() {
        return retention.diskBytes();
    }

    /** Whether disk bytes come from the file system (true) or from the cycles' written lengths. */
    public boolean measuresAllocatedBlocks() {
        return retention.measuresAllocatedBlocks();
    }

    public RollCycle rollCycle() {
        return queue.rollCycle();
    }

    public Path dir() {
        return dir;
    }

    public long firstIndex() {
        return queue.firstIndex();
    }

    public long lastIndex() {
        return queue.lastIndex();
    }

    /**
     * Records from {@code index} (included) to the end, as Chronicle counts them from its cycle indexes
     * (no record is read); -1 when it cannot tell (an index of a deleted cycle).
     */
    public long countFrom(long index) {
        try {
            long last = queue.lastIndex();
            if (last < 0 || index > last) return 0;
            return queue.countExcerpts(Math.max(index, queue.firstIndex()), last + 1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * When the oldest cycle file still held began (epoch ms): the journal covers from then to now, which is
     * what retention's max_age bounds. -1 for an empty journal.
     */
    public long oldestCycleStartMillis() {
        queue.refreshDirectoryListing();
        int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE) return -1;
        return (long) first * queue.rollCycle().lengthInMillis() + queue.epoch();
    }

    /** The underlying queue, for tests that write foreign documents. */
    SingleChronicleQueue queue() {
        return queue;
    }

    /** Retention passes that failed (an I/O or Chronicle error), each retried on the next trigger. */
    public long failedRetentionPasses() {
        return retention.failedPasses();
    }

    @Override
    public void close() {
        retention.stop();
        queue.close();
    }

    /** Chronicle calls this when no appender or tailer of this process uses a cycle file any more. */
    private static final class ReleaseListener implements StoreFileListener {
        volatile JournalRetention retention;

        @Override
        public void onReleased(int cycle, File file) {
            JournalRetention r = retention;
            if (r != null) r.onCycleReleased(cycle);
        }
    }

    public static final class Builder {
        private final Path dir;
        private RollCycle rollCycle = LargeRollCycles.LARGE_HOURLY;
        private TimeProvider timeProvider = SystemTimeProvider.INSTANCE;
        private long maxAgeMillis;
        private long maxBytes;
        private DiskUsage diskUsage = DiskUsage.detect();
        private long damageGraceNanos = JournalReader.DEFAULT_DAMAGE_GRACE_NANOS;
        private long eventsReserve = SpaceGuard.DEFAULT_EVENTS_RESERVE, alertsReserve = SpaceGuard.DEFAULT_ALERTS_RESERVE;

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder rollCycle(RollCycle rollCycle) {
            this.rollCycle = rollCycle;
            return this;
        }

        /** Clock that names cycles and ages files; tests set it to roll deterministically. */
        public Builder timeProvider(TimeProvider timeProvider) {
            this.timeProvider = timeProvider;
            return this;
        }

        /** Deletes cycles that ended longer ago than this; zero or null means no age limit. */
        public Builder maxAge(Duration maxAge) {
            this.maxAgeMillis = maxAge == null ? 0 : maxAge.toMillis();
            return this;
        }

        /** Deletes the oldest cycles while the journal holds more real disk bytes than this; 0 = no limit. */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** Measures sizes by the cycles' written lengths only (what platforms without stat(2) get). */
        Builder withoutBlockCounts() {
            this.diskUsage = DiskUsage.unavailable();
            return this;
        }

        /**
         * How long a reader waits at an unreadable document that has readable ones after it before it
         * treats it as damage and skips it (default 1 s); also the interval between its checks.
         */
        public Builder damageGrace(Duration grace) {
            this.damageGraceNanos = grace.toNanos();
            return this;
        }

        /**
         * Free space the writers leave on the file system: ordinary records stop below {@code events}, alerts
         * only below {@code alerts} (defaults 4 MiB and 1 MiB).
         */
        public Builder reserve(long events, long alerts) {
            this.eventsReserve = events;
            this.alertsReserve = alerts;
            return this;
        }

        public Journal open() {
            return new Journal(this);
        }
    }
}
