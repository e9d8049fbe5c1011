package io.netsensor.sinks;

import io.netsensor.events.EventHandler;
import java.io.IOException;
import java.util.Set;

/**
 * One output, in the spirit of Vector's sinks: an encoder and a transport, built from its config and fed
 * by a {@link SinkRunner} that owns the sink's own journal reader. Records arrive through the
 * {@link EventHandler} callbacks (connection, DNS and process records are reused flyweights: encode them
 * during the call); the sink encodes each into its pending batch, and {@link #flush()} delivers the batch.
 *
 * <p>Delivery contract (at least once): {@code flush} returns only once the destination has acknowledged
 * every pending record, and throws otherwise, keeping the batch to retry; the runner advances the sink's
 * durable position only after a successful flush. Single-threaded: only the runner's thread calls a sink.
 */
public interface Sink extends EventHandler, AutoCloseable {
    /** The name in the config (and of the sink's position file and metrics). */
    String name();

    /** Which records it wants; PROCESS records are always delivered (for context), others by kind. */
    Set<RecordKind> kinds();

    /** Records encoded and not yet delivered. */
    int pending();

    /** Most records to batch before a flush. */
    default int maxBatch() {
        return 4096;
    }

    /**
     * Delivers the pending records; returns when the destination acknowledged them all.
     *
     * @throws IOException the destination did not take them; they stay pending and the call is retried
     */
    void flush() throws IOException;

    /**
     * For a destination that never acknowledges (syslog over TCP): how long after a batch was flushed a
     * still-open connection counts as the receiver having read it. The runner then advances the sink's
     * position only once a later exchange ({@link #flush()} or {@link #confirm()}) finds the connection
     * open at least this long after the write, and re-sends everything unconfirmed when it does not. 0 (the
     * default): a successful flush is the acknowledgement.
     */
    default long confirmAfterNanos() {
        return 0;
    }

    /** Checks that the connection the unconfirmed batches went over is still open; throws when it is not. */
    default void confirm() throws IOException {}

    /** Drops the records encoded and not sent: the runner rewinds and reads them again. */
    default void discardPending() {}

    /** Called once at the end of input (after the last flush): e.g. the table printer prints here. */
    default void finish() {}

    @Override
    default void close() {}
}
