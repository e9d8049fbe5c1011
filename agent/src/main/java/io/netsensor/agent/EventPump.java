package io.netsensor.agent;

import io.netsensor.journal.JournalReader;
import io.netsensor.journal.RecordRing;
import io.netsensor.events.EventHandler;
import java.util.function.BooleanSupplier;

/**
 * Moves events from the journal to consumers (printer, detectors) on its own thread, so the capture
 * thread only decodes and appends. Consumers are journal readers like any future sink.
 */
public final class EventPump {
    private EventPump() {}

    /** Polls until {@code producerDone} is true and the journal holds nothing more; returns events read. */
    public static long drain(JournalReader reader, EventHandler handler, BooleanSupplier producerDone) {
        return drain(reader, null, handler, producerDone);
    }

    /**
     * As above, and once the journal has nothing more, the records a full disk kept out of it ({@code overflow},
     * may be null): they came after everything journaled before the disk filled.
     */
    public static long drain(JournalReader reader, RecordRing overflow, EventHandler handler, BooleanSupplier producerDone) {
        long total = 0;
        try (io.netsensor.journal.IdleBackoff idle = reader.idleStrategy()) {
          while (true) {
            boolean doneBefore = producerDone.getAsBoolean();
            int n = reader.poll(handler, 4096);
            if (n == 0 && overflow != null) n = overflow.drain(reader, handler, 4096);
            total += n;
            if (n > 0) {
                idle.reset();
                continue;
            }
            if (doneBefore) return total; // the producer had finished before this empty poll: nothing is left
            idle.idle();
          }
        }
    }
}
