package io.netsensor.events.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SALVAGED records (type 6): an ALERT record copied forward by retention before its cycle was deleted.
 * <pre>
 *   0 header (16 bytes, as every record; time = the original record's)
 *  16 i64 original journal index (where the alert was first written)
 *  24 the original record, header included (an ALERT record, or a SALVAGED one salvaged again is unwrapped)
 * </pre>
 */
public final class SalvagedCodec {
    public static final int ORIGINAL_INDEX_OFFSET = 16, RECORD_OFFSET = 24;

    private SalvagedCodec() {}

    /** The SALVAGED record for an original record read at {@code index} (already salvaged ones keep their first index). */
    public static byte[] wrap(byte[] original, long index) {
        ByteBuffer in = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        if (EventCodec.peekType(in) == EventType.SALVAGED && original.length > RECORD_OFFSET) {
            return original.clone(); // salvaged twice: still the first index
        }
        ByteBuffer b = ByteBuffer.allocate(RECORD_OFFSET + original.length).order(ByteOrder.LITTLE_ENDIAN);
        EventCodec.putHeader(b, 0, EventType.SALVAGED, RECORD_OFFSET + original.length,
                original.length >= EventCodec.HEADER_SIZE ? EventCodec.peekTime(in) : 0);
        b.putLong(ORIGINAL_INDEX_OFFSET, index);
        b.position(RECORD_OFFSET);
        b.put(original);
        return b.array();
    }

    /** Original index of the SALVAGED record at the buffer's position. */
    public static long originalIndex(ByteBuffer buf) {
        return buf.order(ByteOrder.LITTLE_ENDIAN).getLong(buf.position() + ORIGINAL_INDEX_OFFSET);
    }

    /** The wrapped record, as a buffer positioned at its header (a view: no copy). */
    public static ByteBuffer inner(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(buf.position() + RECORD_OFFSET);
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
