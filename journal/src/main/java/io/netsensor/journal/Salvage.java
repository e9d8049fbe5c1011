package io.netsensor.journal;

import io.netsensor.events.codec.EventCodec;
import io.netsensor.events.codec.EventType;
import io.netsensor.events.codec.SalvagedCodec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Copies the ALERT records of a cycle that retention is about to delete to the end of the journal, each
 * wrapped in a SALVAGED record naming its original index: the journal-full rule that telemetry and raw
 * events go first and alerts never do. Readers deliver a salvaged alert only to a consumer that had not
 * read the original (one whose position was in the deleted range), so no one sees it twice.
 * Runs on the retention pass's thread with its own appender; rare, so allocation is fine.
 */
final class Salvage {
    private final SingleChronicleQueue queue;
    private long salvaged;

    Salvage(SingleChronicleQueue queue) {
        this.queue = queue;
    }

    /** Copies the cycle's alerts forward; returns the records the cycle held, copies of salvaged alerts aside (for the ledger). */
    long copyAlertsForward(int cycle) {
        RollCycle rc = queue.rollCycle();
        long records = 0;
        try (ExcerptTailer t = queue.createTailer(); ExcerptAppender a = queue.createAppender()) {
            if (!t.moveToIndex(rc.toIndex(cycle, 0))) return 0;
            Bytes<?> out = Bytes.allocateElasticOnHeap(1024);
            try {
                while (true) {
                    long index;
                    byte[] record;
                    try (DocumentContext dc = t.readingDocument()) {
                        if (!dc.isPresent()) break;
                        index = dc.index();
                        if (rc.toCycle(index) != cycle) {
                            dc.rollbackOnClose();
                            break;
                        }
                        Bytes<?> b = dc.wire().bytes();
                        int len = (int) b.readRemaining();
                        if (len < EventCodec.HEADER_SIZE) {
                            records++;
                            continue;
                        }
                        int type = b.readUnsignedByte(b.readPosition() + 1);
                        // a SALVAGED record is a copy (its original was counted when its own cycle went): not a record lost
                        if (type != EventType.SALVAGED.code) records++;
                        if (type != EventType.ALERT.code && type != EventType.SALVAGED.code) continue;
                        record = new byte[len];
                        b.read(record);
                    }
                    byte[] wrapped = SalvagedCodec.wrap(record, index);
                    out.clear();
                    out.write(wrapped);
                    a.writeBytes(out);
                    salvaged++;
                }
            } finally {
                out.releaseLast();
            }
        }
        return records;
    }

    long salvaged() {
        return salvaged;
    }
}
