package io.netsensor.journal;

import io.netsensor.events.EventHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The records a full journal could not keep, on their way from the capture thread to the detection thread,
 * so detection goes on while the disk is full (its alerts use the journal's reserve). One producer, one
 * consumer, bounded: encoded records ({@code [length][bytes]}) in one byte array, allocated the first time
 * the journal fills; what does not fit is dropped and counted. Hand-written because the only candidates
 * (Agrona's ring buffers) are not dependencies of this build, and this needs some sixty lines.
 */
public final class RecordRing {
    private static final VarHandle HEAD, TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RecordRing.class, "head", long.class);
            TAIL = l.findVarHandle(RecordRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private volatile byte[] buf;
    /** Bytes consumed (consumer) and produced (producer), ever: positions modulo capacity. */
    @SuppressWarnings("unused")
    private volatile long head, tail;
    private volatile long offered, dropped, delivered;
    private final byte[] one;

    /** @param capacity bytes of the ring (a power of two); records larger than a quarter of it are dropped */
    public RecordRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        this.capacity = capacity;
        this.one = new byte[capacity / 4];
    }

    /** Producer: keeps a copy of the record, or drops it (counted) when the consumer is that far behind. */
    public void offer(byte[] record, int length) {
        offered++;
        if (buf == null) buf = new byte[capacity];
        byte[] b = buf;
        long t = tail, h = (long) HEAD.getAcquire(this);
        int need = 4 + length;
        if (length > one.length || capacity - (t - h) < need) {
            dropped++;
            return;
        }
        for (int i = 0; i < 4; i++) b[(int) ((t + i) & (capacity - 1))] = (byte) (length >>> (8 * i));
        int at = (int) ((t + 4) & (capacity - 1));
        int first = Math.min(length, capacity - at);
        System.arraycopy(record, 0, b, at, first);
        System.arraycopy(record, first, b, 0, length - first);
        TAIL.setRelease(this, t + need);
    }

    /** Consumer: delivers up to {@code max} kept records through the reader's decoding; returns how many. */
    public int drain(JournalReader reader, EventHandler handler, int max) {
        int n = 0;
        byte[] b = buf;
        if (b == null) return 0;
        long h = head;
        while (n < max) {
            long t = (long) TAIL.getAcquire(this);
            if (h == t) break;
            int length = 0;
            for (int i = 0; i < 4; i++) length |= (b[(int) ((h + i) & (capacity - 1))] & 0xff) << (8 * i);
            int at = (int) ((h + 4) & (capacity - 1));
            int first = Math.min(length, capacity - at);
            System.arraycopy(b, at, one, 0, first);
            System.arraycopy(b, 0, one, first, length - first);
            h += 4 + length;
            HEAD.setRelease(this, h);
            n++;
            delivered++;
            reader.deliver(one, length, handler);
        }
        return n;
    }

    public boolean isEmpty() {
        return head == tail;
    }

    /** Records handed over by the producer (kept or dropped). */
    public long offered() {
        return offered;
    }

    /** Records dropped because the consumer was too far behind. */
    public long dropped() {
        return dropped;
    }

    /** Records delivered to the consumer. */
    public long delivered() {
        return delivered;
    }
}
