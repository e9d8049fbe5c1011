package io.netsensor.agent;

import io.netsensor.journal.JournalReader;
import io.netsensor.events.EventHandler;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Moves events from the journal to consumers (printer, detectors) on its own thread, so the capture
 * thread only decodes and appends. Consumers are journal readers like any future sink.
 */
public final class EventPump {
    private EventPump() {}

    /** Polls until {@code producerDone} is true and the journal holds nothing more; returns events read. */
    public static long drain(JournalReader reader, EventHandler handler, BooleanSupplier producerDone) {
        long total = 0;
        int idle = 0;
        while (true) {
            boolean doneBefore = producerDone.getAsBoolean();
            int n = reader.poll(handler, 4096);
            total += n;
            if (n > 0) {
                idle = 0;
                continue;
            }
            if (doneBefore) return total; // the producer had finished before this empty poll: nothing is left
            if (++idle < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(200_000);
            }
        }
    }
}
