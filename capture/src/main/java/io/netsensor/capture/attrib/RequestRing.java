package io.netsensor.capture.attrib;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded single-producer / single-consumer queue of lookup requests as primitive words in one
 * preallocated long[] (no objects per request). The capture thread offers; when full the request is
 * dropped and counted, never waited for. head/tail are published with lazySet (release) and read with
 * get (acquire), the usual SPSC protocol; each side writes only its own index.
 */
final class RequestRing {
    static final int WORDS = 6;
    private final long[] words;
    private final int mask;
    private final int capacity;
    private final AtomicLong head = new AtomicLong(), tail = new AtomicLong(), drops = new AtomicLong();

    RequestRing(int capacityPow2) {
        if (Integer.bitCount(capacityPow2) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        this.capacity = capacityPow2;
        this.mask = capacityPow2 - 1;
        this.words = new long[capacityPow2 * WORDS];
    }

    /** Producer: false (and counted) when full. */
    boolean offer(long w0, long w1, long w2, long w3, long w4, long w5) {
        long t = tail.get();
        if (t - head.get() >= capacity) {
            drops.lazySet(drops.get() + 1);
            return false;
        }
        int i = (int) (t & mask) * WORDS;
        words[i] = w0; words[i + 1] = w1; words[i + 2] = w2; words[i + 3] = w3; words[i + 4] = w4; words[i + 5] = w5;
        tail.lazySet(t + 1);
        return true;
    }

    /** Consumer: copies the oldest request into {@code into} (WORDS longs); false when empty. */
    boolean poll(long[] into) {
        long h = head.get();
        if (h == tail.get()) return false;
        System.arraycopy(words, (int) (h & mask) * WORDS, into, 0, WORDS);
        head.lazySet(h + 1);
        return true;
    }

    boolean isEmpty() {
        return head.get() == tail.get();
    }

    int size() {
        return (int) (tail.get() - head.get());
    }

    long drops() {
        return drops.get();
    }
}
