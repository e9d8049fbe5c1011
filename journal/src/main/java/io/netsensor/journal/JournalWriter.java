package io.netsensor.journal;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.codec.EventCodec;
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
    private ExcerptAppender appender;
    private long appended, rejected;
    private boolean closed;

    JournalWriter(ChronicleQueue queue) {
        this.queue = queue;
    }

    @Override
    public void onConn(ConnEvent event) {
        encodeBuf.clear();
        append(EventCodec.encode(event, encodeBuf));
    }

    @Override
    public void onDns(DnsEvent event) {
        encodeBuf.clear();
        append(EventCodec.encode(event, encodeBuf));
    }

    @Override
    public void onProcess(ProcessEvent event) {
        encodeBuf.clear();
        append(EventCodec.encode(event, encodeBuf));
    }

    private void append(int length) {
        if (length < 0) {
            rejected++; // an event the layout cannot hold (producer bug): counted, never thrown
            return;
        }
        if (appender == null) {
            appender = queue.createAppender();
            // built on the thread that opened the journal, used on the producing one: hand it over, or
            // Chronicle's single-thread check (active when assertions are on) throws on the first event
            document.singleThreadedCheckReset();
        }
        document.readPositionRemaining(0, length);
        appender.writeBytes(document);
        appended++;
    }

    /** Events appended by this writer. */
    public long appended() {
        return appended;
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
    }
}
