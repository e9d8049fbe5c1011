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

/**
 * Tails the journal: decodes documents into reused events and hands them to an {@link EventHandler}.
 * Non-blocking and single-threaded (one reader per consuming thread). Documents of unknown (future)
 * types are skipped and counted, damaged ones likewise; neither stops the reader.
 *
 * <p>If the handler throws, the document is not consumed: the exception propagates and the next
 * poll delivers the same document again (at-least-once, which is what a durable sink wants when
 * its destination is down).
 */
public final class JournalReader implements AutoCloseable {
    private static final long NO_TIME = Long.MIN_VALUE;

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final String name;
    /** Room for the largest record of any type (ALERT records are the largest). */
    private final byte[] scratch = new byte[Math.max(EventCodec.MAX_RECORD_SIZE, io.netsensor.events.codec.AlertCodec.MAX_SIZE)];
    private final ByteBuffer record = ByteBuffer.wrap(scratch);
    private final ConnEvent conn = new ConnEvent();
    private final DnsEvent dns = new DnsEvent();
    private final ProcessEvent process = new ProcessEvent();
    private long conns, dnses, processes, alerts, telemetry, unknownTypes, damaged, skipped;
    private long salvagedSkipped, salvagedDelivered, lostToRetention;
    private final DeletedCycles deleted;
    private int lastCycle = Integer.MIN_VALUE;
    /** Journal indexes whose alerts this reader missed (their cycles deleted before it read them). */
    private long missedFrom = Long.MAX_VALUE, missedTo = Long.MIN_VALUE;

    JournalReader(SingleChronicleQueue queue, ExcerptTailer tailer, String name) {
        this(queue, tailer, name, null);
    }

    JournalReader(SingleChronicleQueue queue, ExcerptTailer tailer, String name, DeletedCycles deleted) {
        this.queue = queue;
        this.tailer = tailer;
        this.name = name;
        this.deleted = deleted;
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
        int n = 0;
        while (n < max) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) break;
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
            }
        }
        return n;
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
        lastCycle = cycle;
    }

    /** Records this reader jumped over because retention deleted them before it read them. */
    public long lostToRetention() {
        return lostToRetention;
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
    }

    /** Documents that failed to decode, skipped. */
    public long damaged() {
        return damaged;
    }

    @Override
    public void close() {
        tailer.close();
    }
}
