package io.netsensor.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The journal's last index, as {@code SingleChronicleQueue.lastIndex()} answers it (the index of the newest
 * complete document that is not metadata; -1 for none), for a caller that asks often. Chronicle's own creates
 * a tailer per call, and a new tailer acquires its cycle's store anew; each store registers a
 * {@code CleaningThreadLocal} that Chronicle's orphan tracking walks again on every later registration, so a
 * reader asking on every poll at the live end got slower the longer it ran (measured: the journal fuzz target
 * fell to 643 inputs/s, most of its time in that walk). One backward tailer, kept and moved to the end each
 * time, reuses the store while the cycle lasts. Not thread-safe: one per reader, as tailers are.
 */
final class LastIndexProbe implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private ExcerptTailer tailer;

    LastIndexProbe(SingleChronicleQueue queue) {
        this.queue = queue;
    }

    long lastIndex() {
        if (tailer == null) tailer = queue.createTailer().direction(TailerDirection.BACKWARD);
        tailer.toEnd();
        while (true) {
            long before = tailer.index();
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) return -1;
                if (!dc.isMetaData()) return dc.index();
            }
            if (tailer.index() == before) return -1; // a metadata document it cannot step over: as none
        }
    }

    @Override
    public void close() {
        if (tailer != null) tailer.close();
        tailer = null;
    }
}
