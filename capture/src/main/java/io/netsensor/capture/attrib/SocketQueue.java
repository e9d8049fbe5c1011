package io.netsensor.capture.attrib;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Socket records from the kernel reader thread (single producer) to the capture thread (single consumer):
 * a preallocated ring of parallel arrays, so neither side allocates per record. Full = the record is
 * dropped and counted (the capture thread has fallen far behind; its flows then wait out their hold).
 */
final class SocketQueue {
    static final int ANY_REMOTE = 1;

    private final int mask;
    final int[] proto, lPort, rPort, flags;
    final long[] lHi, lLo, rHi, rLo, ts;
    final KProcess[] process;
    /** Next slot the producer writes / the consumer reads; published with ordered stores. */
    private final AtomicLong tail = new AtomicLong(), head = new AtomicLong();
    private long cachedHead;
    private volatile long drops;

    SocketQueue(int capacityPow2) {
        if (Integer.bitCount(capacityPow2) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        mask = capacityPow2 - 1;
        proto = new int[capacityPow2];
        lPort = new int[capacityPow2];
        rPort = new int[capacityPow2];
        flags = new int[capacityPow2];
        lHi = new long[capacityPow2];
        lLo = new long[capacityPow2];
        rHi = new long[capacityPow2];
        rLo = new long[capacityPow2];
        ts = new long[capacityPow2];
        process = new KProcess[capacityPow2];
    }

    /** Producer: false (and counted) when full. */
    boolean offer(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, int flags, long ts, KProcess p) {
        long t = tail.get();
        if (t - cachedHead > mask) {
            cachedHead = head.get();
            if (t - cachedHead > mask) {
                drops++;
                return false;
            }
        }
        int i = (int) t & mask;
        this.proto[i] = proto;
        this.lHi[i] = lHi;
        this.lLo[i] = lLo;
        this.lPort[i] = lPort;
        this.rHi[i] = rHi;
        this.rLo[i] = rLo;
        this.rPort[i] = rPort;
        this.flags[i] = flags;
        this.ts[i] = ts;
        this.process[i] = p;
        tail.lazySet(t + 1); // the slot's fields are visible before the new tail
        return true;
    }

    /** Consumer: the first unread position (read {@link #available()} first). */
    long head() {
        return head.get();
    }

    /** Consumer: the position after the last published record. */
    long available() {
        return tail.get();
    }

    int slot(long position) {
        return (int) position & mask;
    }

    /** Consumer: everything before {@code position} has been read (its slots may be reused). */
    void consumed(long position) {
        head.lazySet(position);
    }

    long drops() {
        return drops;
    }

    int size() {
        return (int) (tail.get() - head.get());
    }
}
