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

    /** Called once at the end of input (after the last flush): e.g. the table printer prints here. */
    default void finish() {}

    @Override
    default void close() {}
}
