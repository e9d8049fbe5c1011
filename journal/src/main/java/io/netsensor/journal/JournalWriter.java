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

    JournalWriter(ChronicleQueue queue) {
        this.queue = queue;
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
        appendFrom(alertDocument, n);
        alerts++;
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
        appendFrom(alertDocument, n);
        telemetry++;
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
        appendFrom(document, length);
        return true;
    }

    private void appendFrom(Bytes<byte[]> doc, int length) {
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
    }

    /**
     * Registers this writer's counts under {@code writer=<name>}: {@code journal.appended} (every record),
     * {@code journal.records{type=conn|dns|process|alert}} and {@code journal.rejected}. They read the
     * writer's own fields (its one thread writes them; nothing is added per record).
     */
    public void register(Metrics m, String writer) {
        m.count(Metrics.name("journal.appended", "writer", writer), () -> appended);
        m.count(Metrics.name("journal.rejected", "writer", writer), () -> rejected);
        m.count(recordsMetric(writer, "conn"), () -> conns);
        m.count(recordsMetric(writer, "dns"), () -> dnses);
        m.count(recordsMetric(writer, "process"), () -> processes);
        m.count(recordsMetric(writer, "alert"), () -> alerts);
    }

    /** The count of records of {@code type} (conn, dns, process, alert) appended by the named writer. */
    public static String recordsMetric(String writer, String type) {
        return Metrics.name("journal.records", "type", type, "writer", writer);
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
        if (appender != null) {
            appender.close();
            appender = null;
        }
        document.releaseLast();
        alertDocument.releaseLast();
    }
}
