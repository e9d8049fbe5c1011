package io.netsensor.journal;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.codec.EventCodec;
import io.netsensor.events.codec.EventType;
import io.netsensor.metrics.Metrics;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Tails the journal: decodes documents into reused events and hands them to an {@link EventHandler}.
 * Non-blocking and single-threaded (one reader per consuming thread). Documents of unknown (future)
 * types are skipped and counted, damaged ones likewise; neither stops the reader.
 *
 * <p>Damage Chronicle cannot read past (a garbled, zeroed or incomplete document header, a truncated or
 * zeroed cycle file) would otherwise leave the reader at that point for good, silently, missing every
 * later record, new ones included. A reader that finds no document where complete ones exist after it
 * (see {@code skipDamage}) skips to the next record Chronicle's index reaches, counts what it passed over
 * ({@link #skippedDamaged()}), reports the cycle once on stderr and has a cycle that is not being written
 * moved to {@code quarantine/}.
 *
 * <p>If the handler throws, the document is not consumed: the exception propagates and the next
 * poll delivers the same document again (at-least-once, which is what a durable sink wants when
 * its destination is down).
 */
public final class JournalReader implements AutoCloseable {
    private static final long NO_TIME = Long.MIN_VALUE;
    static final long DEFAULT_DAMAGE_GRACE_NANOS = 1_000_000_000L;
    private static final long NOT_STUCK = Long.MIN_VALUE, MIN_CHECK_NANOS = 1_000_000L;

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final String name;
    /** Room for the largest record of any type (ALERT records are the largest). */
    private final byte[] scratch = new byte[Math.max(EventCodec.MAX_RECORD_SIZE, io.netsensor.events.codec.AlertCodec.MAX_SIZE)];
    private final ByteBuffer record = ByteBuffer.wrap(scratch);
    private final ConnEvent conn = new ConnEvent();
    private final io.netsensor.events.BurstEvent burst = new io.netsensor.events.BurstEvent();
    private long bursts;
    private final DnsEvent dns = new DnsEvent();
    private final ProcessEvent process = new ProcessEvent();
    private long conns, dnses, processes, alerts, telemetry, unknownTypes, damaged, skipped;
    private long salvagedSkipped, salvagedDelivered, lostToRetention, mappedFaults;
    private final DeletedCycles deleted;
    private final JournalDamage damage;
    private AppendSignal appended;
    private final long graceNanos;
    private final LastIndexProbe lastIndex;
    /** Where the reader found no document, since when, its last damage check; records skipped as damaged. */
    private long stuckAt = NOT_STUCK, stuckSince, lastCheck, skippedDamaged, damagedAt = -1;
    private boolean checkNow = true;
    /** Index of the document read last (valid while lastCycle is set), to see sequence jumps within a cycle. */
    private long prevRead = -1;
    private int lastCycle = Integer.MIN_VALUE;
    /** Journal indexes whose alerts this reader missed (their cycles deleted before it read them). */
    private long missedFrom = Long.MAX_VALUE, missedTo = Long.MIN_VALUE;

    JournalReader(SingleChronicleQueue queue, ExcerptTailer tailer, String name) {
        this(queue, tailer, name, null);
    }

    JournalReader(SingleChronicleQueue queue, ExcerptTailer tailer, String name, DeletedCycles deleted) {
        this(queue, tailer, name, deleted, null, DEFAULT_DAMAGE_GRACE_NANOS);
    }

    JournalReader(SingleChronicleQueue queue, ExcerptTailer tailer, String name, DeletedCycles deleted,
            JournalDamage damage, long graceNanos) {
        this.damage = damage;
        this.graceNanos = graceNanos;
        this.lastIndex = new LastIndexProbe(queue);
        this.queue = queue;
        this.tailer = tailer;
        this.name = name;
        this.deleted = deleted;
        if (name != null && damage != null) resumeAfterQuarantine();
    }

    JournalReader wakeWith(AppendSignal signal) {
        this.appended = signal;
        return this;
    }

    /**
     * How the calling thread should wait after an empty poll: a backoff to a park of a few ms, woken early when a
     * writer of this process appends. Create it on the polling thread; close it when done.
     */
    public IdleBackoff idleStrategy() {
        return new IdleBackoff(appended);
    }

    /**
     * Delivers up to {@code max} documents that are already in the journal; returns how many were
     * consumed (skipped ones included), 0 when the reader is at the end.
     */
    public int poll(EventHandler handler, int max) {
        return poll(handler, max, ALL_TYPES);
    }

    /** Every record type, for {@link #poll(EventHandler, int, int)}. */
    public static final int ALL_TYPES = -1;

    /**
     * As {@link #poll(EventHandler, int)}, delivering only records whose type code's bit is set in
     * {@code typeMask} (bit {@code 1 << EventType.code}); the others are skipped without being copied or
     * decoded (a sink that forwards only alerts does not pay for decoding every connection).
     */
    public int poll(EventHandler handler, int max, int typeMask) {
        try {
            return pollDocuments(handler, max, typeMask);
        } catch (InternalError e) {
            mappedFaults++; // a fault reported late, past readingDocument: the end for now, as above
            return 0;
        }
    }

    private int pollDocuments(EventHandler handler, int max, int typeMask) {
        int n = 0;
        while (n < max) {
            DocumentContext dc;
            try {
                dc = tailer.readingDocument();
            } catch (InternalError e) {
                // SIGBUS: the page at the tail cannot be backed (a full tmpfs faults even on reading a hole).
                // Nothing is there to read: the end for now; looked at again on the next poll.
                mappedFaults++;
                break;
            } catch (RuntimeException e) {
                // Chronicle could not read what is there (a garbled header): treated as an unreadable document
                if (skipDamage(true)) continue;
                break;
            }
            boolean stuck = false;
            try (dc) {
                if (!dc.isPresent()) {
                    stuck = true;
                    continue; // looked at below, with the context closed (skipping moves the tailer)
                }
                stuckAt = NOT_STUCK;
                n++;
                noteCycle(dc.index());
                Bytes<?> bytes = dc.wire().bytes();
                if (typeMask != ALL_TYPES && bytes.readRemaining() >= EventCodec.HEADER_SIZE
                        && (typeMask & (1 << (bytes.readUnsignedByte(bytes.readPosition() + 1) & 31))) == 0) {
                    skipped++;
                    continue;
                }
                if (!load(bytes)) {
                    damaged++;
                    continue;
                }
                try {
                    dispatch(handler);
                } catch (RuntimeException | Error e) {
                    dc.rollbackOnClose();
                    throw e;
                }
            } finally {
                if (stuck && !skipDamage(false)) max = n; // the end (or not yet known as damage): stop
            }
        }
        return n;
    }

    /**
     * The reader found no document at its position. That is the live end of the journal unless documents
     * exist after it (its index is at or before the journal's last index, which Chronicle advances only
     * past complete documents: a later cycle, or later records of this one, were written) and the position
     * stays unreadable for the grace period: then it is damage (an incomplete, zeroed or garbled header, a
     * truncated file). Skips to the next readable record (the next index Chronicle's index can reach in
     * this cycle, else the first readable one of a later cycle), counts the records passed over, reports
     * the cycle once and quarantines it when it is not being written. Bounded work per call (index look-ups,
     * galloping over a long damaged stretch): never loops forever, never blocks. Returns whether it moved.
     */
    private boolean skipDamage(boolean readFailed) {
        if (damage == null) return false;
        long at = tailer.index();
        long now = System.nanoTime();
        if (at != stuckAt) {
            stuckAt = at;
            stuckSince = now;
        } else if (!checkNow && now - lastCheck < Math.max(graceNanos, MIN_CHECK_NANOS)) {
            return false; // idle at the same position: one look per grace period
        }
        if (!checkNow && now - lastCheck < MIN_CHECK_NANOS) return false; // a tailing reader: at most 1,000 looks a second
        checkNow = false;
        lastCheck = now;
        RollCycle rc = queue.rollCycle();
        long last;
        int lastCycleNow;
        try {
            last = lastIndex.lastIndex();
            lastCycleNow = queue.lastCycle();
        } catch (RuntimeException e) {
            return false;
        }
        if (at <= 0 || rc.toCycle(at) < queue.firstCycle()) at = queue.firstIndex();
        if (last < 0 || at > last) return false; // the live end: the writer appends here next
        // Chronicle's last index counts only complete documents, and one writer completes them in order: a
        // later cycle, or a document well after this one, means this one was completed and is damaged. Just
        // behind the end of the newest cycle it must also stay unreadable for the grace period.
        boolean finished = rc.toCycle(at) < lastCycleNow || at + queue.indexSpacing() < last;
        if (!finished && now - stuckSince < graceNanos) return false;
        int cycle = rc.toCycle(at);
        long seq = rc.toSequenceNumber(at);
        if (!readFailed && JournalDamage.firstHeaderReadable(cycleFile(cycle)) && readable(at)) {
            stuckAt = NOT_STUCK; // it reads now (a document completed meanwhile): not damage
            return true;
        }
        long count = countInCycle(cycle);
        // this cycle first
        long found = firstReadable(cycle, seq + 1, count);
        long skippedHere;
        long resumedAt;
        if (found >= 0) {
            skippedHere = found - seq;
            resumedAt = rc.toIndex(cycle, found);
        } else {
            skippedHere = count > seq ? count - seq : 0;
            resumedAt = -1;
            int from = cycle;
            for (long c : later(cycle, lastCycleNow)) {
                int next = (int) c;
                skippedHere += damage.quarantinedBetween(from + 1, next);
                long f = firstReadable(next, 0, countInCycle(next));
                if (f >= 0) {
                    skippedHere += f;
                    resumedAt = rc.toIndex(next, f);
                    break;
                }
                long cnt = countInCycle(next);
                if (cnt > 0) skippedHere += cnt;
                from = next;
            }
        }
        if (resumedAt < 0) {
            tailer.toEnd();
        } else if (!tailer.moveToIndex(resumedAt)) {
            return false; // raced with a change (retention, quarantine): tried again on the next poll
        }
        stuckAt = NOT_STUCK;
        checkNow = true; // a damaged stretch right after this one is looked at at once
        if (skippedHere == 0 && !readFailed && resumedAt >= 0) {
            // a finished cycle without its end-of-cycle marker (a writer that crashed, then rolled): not damage
            lastCycle = rc.toCycle(resumedAt);
            prevRead = resumedAt - 1;
            return true;
        }
        skippedDamaged += skippedHere;
        damagedAt = at;
        damage.damaged(cycle, at, skippedHere, resumedAt, count);
        lastCycle = resumedAt < 0 ? Integer.MIN_VALUE : rc.toCycle(resumedAt);
        prevRead = resumedAt - 1;
        return resumedAt >= 0;
    }

    private java.util.NavigableSet<Long> later(int cycle, int lastCycleNow) {
        try {
            queue.refreshDirectoryListing();
            return cycle >= lastCycleNow ? new java.util.TreeSet<>() : queue.listCyclesBetween(cycle + 1, lastCycleNow);
        } catch (RuntimeException e) {
            return new java.util.TreeSet<>();
        }
    }

    /**
     * A durable reader whose stored position lies in a quarantined cycle (moved aside after it last read)
     * resumes at the next cycle, counting the rest of the quarantined one as skipped-damaged, instead of
     * falling back to the start of the journal (what Chronicle does when the position's cycle is gone).
     */
    private void resumeAfterQuarantine() {
        try {
            long stored = tailer.index();
            RollCycle rc = queue.rollCycle();
            int cycle = rc.toCycle(stored);
            long held = damage.quarantinedRecords(cycle);
            if (stored <= 0 || held < 0) return;
            for (long c : later(cycle, queue.lastCycle())) {
                if (tailer.moveToIndex(rc.toIndex((int) c, 0))) {
                    skippedDamaged += Math.max(0, held - rc.toSequenceNumber(stored)) + damage.quarantinedBetween(cycle + 1, (int) c);
                    damagedAt = stored;
                    lastCycle = (int) c;
                    prevRead = rc.toIndex((int) c, 0) - 1;
                    return;
                }
            }
        } catch (RuntimeException e) {
            // left where Chronicle put it
        } finally {
            tailer.singleThreadedCheckReset(); // used here on the opening thread; polled on another
        }
    }

    /** Documents in a cycle from Chronicle's index (or the quarantine ledger), -1 when unknown. */
    private long countInCycle(int cycle) {
        long n;
        if (!JournalDamage.firstHeaderReadable(cycleFile(cycle))) {
            n = -1; // Chronicle would wait on its header forever
        } else try {
            n = tailer.excerptsInCycle(cycle);
        } catch (RuntimeException e) {
            n = -1;
        }
        if (n <= 0) {
            long q = damage.quarantinedRecords(cycle);
            if (q > 0) return q;
        }
        return n;
    }

    /**
     * The first sequence at or after {@code from} in the cycle holding a readable document, -1 for none:
     * each step after the first indexSpacing + 1 doubles (a long damaged stretch costs a logarithmic
     * number of look-ups), then a binary search finds the first readable one after the last unreadable.
     */
    private long firstReadable(int cycle, long from, long count) {
        if (!JournalDamage.firstHeaderReadable(cycleFile(cycle))) return -1; // Chronicle would wait on it forever
        RollCycle rc = queue.rollCycle();
        long end = count > 0 ? count : from + 2L * queue.indexSpacing() + 2;
        long linear = from + queue.indexSpacing() + 1;
        long bad = from - 1, step = 1;
        for (long s = from; s < end; ) {
            if (readable(rc.toIndex(cycle, s))) {
                long lo = bad + 1, hi = s; // first readable in (bad, s]
                while (lo < hi) {
                    long mid = (lo + hi) >>> 1;
                    if (readable(rc.toIndex(cycle, mid))) hi = mid;
                    else lo = mid + 1;
                }
                return lo;
            }
            bad = s;
            if (s >= linear) step <<= 1;
            s = Math.min(s + step, s < end - 1 ? end - 1 : end);
        }
        return -1;
    }

    private Path cycleFile(int cycle) {
        RollCycle rc = queue.rollCycle();
        long startMillis = queue.epoch() + (long) cycle * rc.lengthInMillis();
        return queue.file().toPath().resolve(java.time.format.DateTimeFormatter.ofPattern(rc.format())
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(startMillis)) + ".cq4");
    }

    /** Whether the document at index exists and reads (looked at, not consumed). */
    private boolean readable(long index) {
        try {
            if (!tailer.moveToIndex(index)) return false;
            try (DocumentContext dc = tailer.readingDocument()) {
                boolean ok = dc.isPresent() && dc.index() == index;
                dc.rollbackOnClose();
                return ok;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A reader that fell behind retention jumps over cycles deleted before it opened them: count what
     * they held (from the ledger; cycles merely without data are not in it) and deliver their salvaged alerts.
     */
    private void noteCycle(long index) {
        int cycle = queue.rollCycle().toCycle(index);
        if (lastCycle != Integer.MIN_VALUE && cycle > lastCycle + 1 && deleted != null) {
            long lost = deleted.lostBetween(lastCycle + 1, 0, cycle);
            if (lost > 0) {
                lostToRetention += lost;
                missedFrom = Math.min(missedFrom, queue.rollCycle().toIndex(lastCycle + 1, 0));
                missedTo = Math.max(missedTo, queue.rollCycle().toIndex(cycle, 0));
            }
        }
        if (lastCycle != Integer.MIN_VALUE && cycle > lastCycle + 1 && damage != null) {
            skippedDamaged += damage.quarantinedBetween(lastCycle + 1, cycle); // moved aside before this reader got there
        }
        if (lastCycle == cycle && index > prevRead + 1 && damage != null) {
            // Chronicle stepped over documents it could not read (its sequence moved on without them): count them
            long gap = index - prevRead - 1;
            skippedDamaged += gap;
            damagedAt = prevRead + 1;
            damage.damaged(cycle, prevRead + 1, gap, index, countInCycle(cycle));
        }
        lastCycle = cycle;
        prevRead = index;
    }

    /** Records this reader jumped over because retention deleted them before it read them. */
    public long lostToRetention() {
        return lostToRetention;
    }

    /**
     * Decodes one record that is not in the journal (kept by a {@link RecordRing} while the disk was full) and
     * hands it to the handler, as {@link #poll} would; on this reader's thread.
     */
    void deliver(byte[] bytes, int length, EventHandler handler) {
        if (length > scratch.length) {
            damaged++;
            return;
        }
        System.arraycopy(bytes, 0, scratch, 0, length);
        record.clear().limit(length);
        dispatch(handler);
    }

    private boolean load(Bytes<?> bytes) {
        long len = bytes.readRemaining();
        if (len > scratch.length) return false;
        bytes.read(scratch, 0, (int) len);
        record.clear().limit((int) len);
        return true;
    }

    private void dispatch(EventHandler handler) {
        EventType type = EventCodec.peekType(record);
        if (type == EventType.CONN) {
            if (EventCodec.decode(record, conn)) {
                conns++;
                handler.onConn(conn);
            } else {
                damaged++;
            }
        } else if (type == EventType.BURST) {
            if (EventCodec.decode(record, burst)) {
                bursts++;
                handler.onBurst(burst);
            } else {
                damaged++;
            }
        } else if (type == EventType.DNS) {
            if (EventCodec.decode(record, dns)) {
                dnses++;
                handler.onDns(dns);
            } else {
                damaged++;
            }
        } else if (type == EventType.PROCESS) {
            if (EventCodec.decode(record, process)) {
                processes++;
                handler.onProcess(process);
            } else {
                damaged++;
            }
        } else if (type == EventType.ALERT) {
            io.netsensor.events.Alert a = io.netsensor.events.codec.AlertCodec.decode(record);
            if (a != null) {
                alerts++;
                handler.onAlert(a);
            } else {
                damaged++;
            }
        } else if (type == EventType.SALVAGED) {
            long original = record.remaining() > io.netsensor.events.codec.SalvagedCodec.RECORD_OFFSET
                    ? io.netsensor.events.codec.SalvagedCodec.originalIndex(record) : -1;
            if (original < missedFrom || original >= missedTo) {
                salvagedSkipped++; // this reader read the original, or never was to
                return;
            }
            io.netsensor.events.Alert a = io.netsensor.events.codec.AlertCodec.decode(io.netsensor.events.codec.SalvagedCodec.inner(record));
            if (a != null) {
                alerts++;
                salvagedDelivered++;
                handler.onAlert(a);
            } else {
                damaged++;
            }
        } else if (type == EventType.TELEMETRY) {
            io.netsensor.events.TelemetryRow row = io.netsensor.events.codec.TelemetryCodec.decode(record);
            if (row != null) {
                telemetry++;
                handler.onTelemetry(row);
            } else {
                damaged++;
            }
        } else if (record.remaining() >= EventCodec.HEADER_SIZE) {
            unknownTypes++; // a record type (or layout version) from a newer writer
        } else {
            damaged++;
        }
    }

    /**
     * Positions before the first document still in the journal. Alerts retention copied forward from
     * deleted cycles (SALVAGED records) are then delivered: this reader never saw their originals.
     */
    public JournalReader toStart() {
        missedFrom = Long.MIN_VALUE;
        missedTo = queue.firstIndex();
        tailer.toStart();
        lastCycle = Integer.MIN_VALUE;
        return this;
    }

    /**
     * For a durable reader whose stored position {@code lostFrom} is gone (retention deleted its cycle):
     * positions at the first document, and delivers the salvaged alerts whose originals lay between.
     */
    public JournalReader toStartAfterGap(long lostFrom) {
        missedFrom = lostFrom;
        missedTo = queue.firstIndex();
        tailer.toStart();
        lastCycle = Integer.MIN_VALUE;
        return this;
    }

    /** Positions after the last document: only events appended from now on are read. */
    public JournalReader toEnd() {
        tailer.toEnd();
        lastCycle = Integer.MIN_VALUE;
        return this;
    }

    /** Positions at a document index (as returned by {@link #index()}); false when it does not exist. */
    public boolean moveToIndex(long index) {
        lastCycle = Integer.MIN_VALUE;
        return tailer.moveToIndex(index);
    }

    /**
     * Positions at the first document whose event time is at or after {@code timeNanos}, by binary
     * search over indexes, for rebuilding detector state from "the last window". Journal order is
     * emission order, so times are only nearly sorted (a connection's END is written when it ends):
     * the result is the boundary of the search, and callers wanting a complete window should seek a
     * little earlier (their slack) and filter. Returns false (positioned at the end) when every
     * document is older.
     */
    public boolean seekToTime(long timeNanos) {
        lastCycle = Integer.MIN_VALUE;
        RollCycle rc = queue.rollCycle();
        queue.refreshDirectoryListing();
        int first = queue.firstCycle(), last = queue.lastCycle();
        if (first != Integer.MAX_VALUE && first <= last) {
            for (long c : queue.listCyclesBetween(first, last)) {
                int cycle = (int) c;
                long count = tailer.excerptsInCycle(cycle);
                if (count <= 0 || timeAt(rc.toIndex(cycle, count - 1)) < timeNanos) continue;
                long lo = 0, hi = count - 1;
                while (lo < hi) {
                    long mid = (lo + hi) >>> 1;
                    if (timeAt(rc.toIndex(cycle, mid)) >= timeNanos) hi = mid;
                    else lo = mid + 1;
                }
                tailer.moveToIndex(rc.toIndex(cycle, lo));
                return true;
            }
        }
        tailer.toEnd();
        return false;
    }

    /**
     * Event time in the header of the record at {@code index} (any type: the header carries it), or
     * Long.MIN_VALUE when there is none. Moves this reader to that record.
     */
    public long eventTimeAt(long index) {
        lastCycle = Integer.MIN_VALUE;
        return timeAt(index);
    }

    /** Event time in the header of the document at index; NO_TIME when absent or headerless. */
    private long timeAt(long index) {
        if (!tailer.moveToIndex(index)) return NO_TIME;
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) return NO_TIME;
            Bytes<?> bytes = dc.wire().bytes();
            if (bytes.readRemaining() < EventCodec.HEADER_SIZE) return NO_TIME;
            bytes.read(bytes.readPosition(), scratch, 0, EventCodec.HEADER_SIZE);
            record.clear().limit(EventCodec.HEADER_SIZE);
            return EventCodec.peekType(record) == EventType.UNKNOWN && EventCodec.peekTypeCode(record) == 0
                    ? NO_TIME : EventCodec.peekTime(record);
        }
    }

    /** Index of the next document this reader will read (Chronicle index: cycle and sequence). */
    public long index() {
        return tailer.index();
    }

    /** Index of the last document read, -1 before the first. */
    public long lastReadIndex() {
        return tailer.lastReadIndex();
    }

    /** Name of a durable reader, null for an anonymous one. */
    public String name() {
        return name;
    }

    /** BURST records delivered. */
    public long bursts() {
        return bursts;
    }

    public long conns() {
        return conns;
    }

    public long dnses() {
        return dnses;
    }

    public long processes() {
        return processes;
    }

    public long alerts() {
        return alerts;
    }

    public long telemetry() {
        return telemetry;
    }

    /** Documents of a type code or layout version this build does not know, skipped. */
    public long unknownTypes() {
        return unknownTypes;
    }

    /** Salvaged alerts delivered (their originals were deleted before this reader read them). */
    public long salvagedDelivered() {
        return salvagedDelivered;
    }

    /** Salvaged alerts skipped: this reader had read their originals. */
    public long salvagedSkipped() {
        return salvagedSkipped;
    }

    /** Documents passed over by a type mask, not decoded. */
    public long skipped() {
        return skipped;
    }

    /**
     * Hands the reader to the thread that will poll it from now on (Chronicle binds a tailer to one
     * thread; its check, active with assertions, would throw on the first poll from another).
     */
    public void handOver() {
        tailer.singleThreadedCheckReset();
    }

    /**
     * Registers this reader's counts under {@code reader=<name>}: {@code journal.read{type=conn|dns|process|alert}},
     * {@code journal.read_unknown_types}, {@code journal.read_skipped} and {@code journal.read_damaged}, read
     * from the reader's own fields (its one thread writes them).
     */
    public void register(Metrics m, String reader) {
        m.count(Metrics.name("journal.read", "reader", reader, "type", "conn"), () -> conns);
        m.count(Metrics.name("journal.read", "reader", reader, "type", "dns"), () -> dnses);
        m.count(Metrics.name("journal.read", "reader", reader, "type", "process"), () -> processes);
        m.count(Metrics.name("journal.read", "reader", reader, "type", "alert"), () -> alerts);
        m.count(Metrics.name("journal.read_unknown_types", "reader", reader), () -> unknownTypes);
        m.count(Metrics.name("journal.read_skipped", "reader", reader), () -> skipped);
        m.count(Metrics.name("journal.read_damaged", "reader", reader), () -> damaged);
        m.count(Metrics.name("journal.read_skipped_damaged", "reader", reader), () -> skippedDamaged);
    }

    /**
     * Records passed over at damaged points of the journal (unreadable headers, zeroed or truncated cycle
     * files, quarantined cycles this reader had not read), as counted from Chronicle's index.
     */
    public long skippedDamaged() {
        return skippedDamaged;
    }

    /** Index of the last damaged point this reader skipped, -1 for none. */
    public long damagedAt() {
        return damagedAt;
    }

    /** Reads that faulted on a mapped page (a full file system), each taken as the end for now. */
    public long mappedFaults() {
        return mappedFaults;
    }

    /** Documents that failed to decode, skipped. */
    public long damaged() {
        return damaged;
    }

    @Override
    public void close() {
        lastIndex.close();
        tailer.close();
    }
}
