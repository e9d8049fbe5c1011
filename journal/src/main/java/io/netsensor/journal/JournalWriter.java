package io.netsensor.journal;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.codec.EventCodec;
import io.netsensor.metrics.Metrics;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;

import java.nio.ByteBuffer;

/**
 * Appends each event as one journal document, encoded into a reused buffer: nothing is allocated
 * per event. Single-threaded: use it from the one thread that produces events (the appender is
 * created lazily on that thread, as Chronicle binds appenders to their thread).
 */
public final class JournalWriter implements EventHandler, AutoCloseable {
    private final ChronicleQueue queue;
    private final byte[] scratch = new byte[EventCodec.MAX_RECORD_SIZE];
    private final ByteBuffer encodeBuf = ByteBuffer.wrap(scratch);
    private final Bytes<byte[]> document = Bytes.wrapForRead(scratch);
    private final byte[] alertScratch = new byte[io.netsensor.events.codec.AlertCodec.MAX_SIZE];
    private final ByteBuffer alertBuf = ByteBuffer.wrap(alertScratch);
    private final Bytes<byte[]> alertDocument = Bytes.wrapForRead(alertScratch);
    private ExcerptAppender appender;
    private long appended, rejected, conns, dnses, processes, alerts, telemetry, bursts;
    private boolean closed;
    /** The journal's free-space watch (null: never looks, as for tests of foreign documents). */
    private final SpaceGuard space;
    /** Bytes this writer may append before it looks at the free space again, and when it last looked. */
    private long budget, lookedAtNanos;
    private int sinceClock;
    /** Records not journaled by this writer because the disk was full (alerts held in memory not counted until lost). */
    private long unjournaled, alertsLost;
    /** Where ordinary records go while the disk is full (detection reads them there), or null. */
    private RecordRing overflow;
    /** Alerts the full disk refused even from the reserve, journaled first once it takes them, in order. */
    private final java.util.ArrayDeque<byte[]> heldAlerts = new java.util.ArrayDeque<>();
    static final int MAX_HELD_ALERTS = 10_000;

    /** Wakes the parked tailers of this process after an append, or null. */
    private final AppendSignal signal;

    JournalWriter(ChronicleQueue queue) {
        this(queue, null, null);
    }

    JournalWriter(ChronicleQueue queue, SpaceGuard space, AppendSignal signal) {
        this.queue = queue;
        this.space = space;
        this.signal = signal;
    }

    /**
     * While the disk is full, hands the records this writer cannot journal to {@code ring} (the detection
     * thread drains it), so detection goes on; set before the first append.
     */
    public JournalWriter overflowTo(RecordRing ring) {
        this.overflow = ring;
        return this;
    }

    @Override
    public void onConn(ConnEvent event) {
        encodeBuf.clear();
        if (append(EventCodec.encode(event, encodeBuf))) conns++;
    }

    @Override
    public void onDns(DnsEvent event) {
        encodeBuf.clear();
        if (append(EventCodec.encode(event, encodeBuf))) dnses++;
    }

    @Override
    public void onBurst(io.netsensor.events.BurstEvent event) {
        encodeBuf.clear();
        if (append(EventCodec.encode(event, encodeBuf))) bursts++;
    }

    /** BURST records appended. */
    public long bursts() {
        return bursts;
    }

    @Override
    public void onProcess(ProcessEvent event) {
        encodeBuf.clear();
        if (append(EventCodec.encode(event, encodeBuf))) processes++;
    }

    /** Appends an alert as an ALERT record (rare: allocation in the codec is fine here). */
    @Override
    public void onAlert(io.netsensor.events.Alert alert) {
        alertBuf.clear();
        int n = io.netsensor.events.codec.AlertCodec.encode(alert, alertBuf);
        if (n < 0) {
            rejected++;
            return;
        }
        if (appendFrom(alertDocument, alertScratch, n, true)) alerts++;
    }

    /** Appends a telemetry row as a TELEMETRY record (once per row and interval: the codec may allocate). */
    @Override
    public void onTelemetry(io.netsensor.events.TelemetryRow row) {
        alertBuf.clear();
        int n = io.netsensor.events.codec.TelemetryCodec.encode(row, alertBuf);
        if (n < 0) {
            rejected++;
            return;
        }
        if (appendFrom(alertDocument, alertScratch, n, false)) telemetry++;
    }

    /** Telemetry rows appended by this writer. */
    public long telemetry() {
        return telemetry;
    }

    private boolean append(int length) {
        if (length < 0) {
            rejected++; // an event the layout cannot hold (producer bug): counted, never thrown
            return false;
        }
        return appendFrom(document, scratch, length, false);
    }

    /**
     * Appends unless the disk is full: then an alert is held in memory (journaled first once there is room), an
     * ordinary record is counted and handed to the overflow ring. An {@link InternalError} from the mapped write
     * (SIGBUS: the file system could not back the page) is the same condition, found late: caught here, at the
     * journal's boundary, so it never reaches capture or detection.
     */
    private boolean appendFrom(Bytes<byte[]> doc, byte[] array, int length, boolean alert) {
        int cost = length + 8; // the document and its header, about
        if (space != null && (budget < cost || !heldAlerts.isEmpty()
                || ((++sinceClock & 63) == 0 && System.nanoTime() - lookedAtNanos > SpaceGuard.MAX_UNCHECKED_NANOS))) {
            budget = space.budget(alert);
            lookedAtNanos = System.nanoTime();
            if (budget >= cost && !heldAlerts.isEmpty() && !writeHeldAlerts()) budget = 0;
            if (budget < cost) {
                notJournaled(array, length, alert);
                return false;
            }
        }
        try {
            write(doc, length);
        } catch (InternalError fault) {
            if (space == null) throw fault;
            space.faulted(fault);
            dropAppender(); // its half-written document is past: a new appender starts after it
            budget = 0;
            notJournaled(array, length, alert);
            return false;
        }
        budget -= cost;
        return true;
    }

    private void notJournaled(byte[] array, int length, boolean alert) {
        if (alert) {
            if (heldAlerts.size() < MAX_HELD_ALERTS) {
                heldAlerts.add(java.util.Arrays.copyOf(array, length));
                return;
            }
            alertsLost++;
        }
        unjournaled++;
        space.lost(1);
        if (overflow != null && !alert) overflow.offer(array, length);
    }

    /** Journals the held alerts, oldest first, while the budget allows; false when some remain. */
    private boolean writeHeldAlerts() {
        while (!heldAlerts.isEmpty()) {
            byte[] a = heldAlerts.peek();
            if (budget < a.length + 8) return false;
            Bytes<byte[]> doc = Bytes.wrapForRead(a);
            try {
                write(doc, a.length);
            } catch (InternalError fault) {
                space.faulted(fault);
                dropAppender();
                return false;
            } finally {
                doc.releaseLast();
            }
            heldAlerts.poll();
            budget -= a.length + 8;
            alerts++;
        }
        return true;
    }

    private void dropAppender() {
        try {
            if (appender != null) appender.close();
        } catch (RuntimeException | InternalError ignored) {
            // a faulted appender: only let go of it
        }
        appender = null;
    }

    private void write(Bytes<byte[]> doc, int length) {
        if (appender == null) {
            appender = queue.createAppender();
            // built on the thread that opened the journal, used on the producing one: hand it over, or
            // Chronicle's single-thread check (active when assertions are on) throws on the first event
            document.singleThreadedCheckReset();
            alertDocument.singleThreadedCheckReset();
        }
        doc.readPositionRemaining(0, length);
        appender.writeBytes(doc);
        appended++;
        if (signal != null) signal.appended();
    }

    /**
     * Registers this writer's counts under {@code writer=<name>}: {@code journal.appended} (every record),
     * {@code journal.records{type=conn|dns|process|alert}} and {@code journal.rejected}. They read the
     * writer's own fields (its one thread writes them; nothing is added per record).
     */
    public void register(Metrics m, String writer) {
        m.count(Metrics.name("journal.appended", "writer", writer), () -> appended);
        m.count(Metrics.name("journal.rejected", "writer", writer), () -> rejected);
        m.count(Metrics.name("journal.unjournaled", "writer", writer), () -> unjournaled);
        m.count(recordsMetric(writer, "conn"), () -> conns);
        m.count(recordsMetric(writer, "dns"), () -> dnses);
        m.count(recordsMetric(writer, "process"), () -> processes);
        m.count(recordsMetric(writer, "alert"), () -> alerts);
    }

    /** The count of records of {@code type} (conn, dns, process, alert) appended by the named writer. */
    public static String recordsMetric(String writer, String type) {
        return Metrics.name("journal.records", "type", type, "writer", writer);
    }

    /** Records this writer did not journal because the disk was full. */
    public long unjournaled() {
        return unjournaled;
    }

    /** Alerts held in memory now, waiting for room in the journal. */
    public int heldAlerts() {
        return heldAlerts.size();
    }

    /** Events appended by this writer. */
    public long appended() {
        return appended;
    }

    /** Connection records appended by this writer. */
    public long conns() {
        return conns;
    }

    /** DNS records appended by this writer. */
    public long dnses() {
        return dnses;
    }

    /** ALERT records appended by this writer. */
    public long alerts() {
        return alerts;
    }

    /** Events refused because the layout could not encode them (null enums, lengths out of range). */
    public long rejected() {
        return rejected;
    }

    /** Index of the last document this writer appended, -1 before the first. */
    public long lastIndex() {
        return appender == null || appended == 0 ? -1 : appender.lastIndexAppended();
    }

    /**
     * Forces appended documents to the storage device (msync). Not needed to survive a process crash
     * (documents are in the page cache as soon as appended); it is for power loss, and costs a sync.
     */
    public void flush() {
        if (appender != null) appender.sync();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!heldAlerts.isEmpty() && space != null) {
            budget = space.budget(true);
            writeHeldAlerts();
            if (!heldAlerts.isEmpty()) {
                System.err.println("netsensor: journal: disk full at close: " + heldAlerts.size()
                        + " alert(s) held in memory could not be journaled (they were raised; the sinks did not get them)");
                unjournaled += heldAlerts.size();
                space.lost(heldAlerts.size());
                heldAlerts.clear();
            }
        }
        if (appender != null) {
            appender.close();
            appender = null;
        }
        document.releaseLast();
        alertDocument.releaseLast();
    }
}
