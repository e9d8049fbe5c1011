package io.netsensor.capture.attrib;
import io.netsensor.events.ProcessInfo;

import io.netsensor.events.Attribution;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lookup results published by the resolver thread and read by the capture thread, keyed by the socket
 * tuple (protocol, local ip/port, remote ip/port). An array of 4-slot buckets of immutable entries:
 * the single writer publishes a new entry with a volatile store, readers do volatile loads and compare
 * the key, so reads allocate nothing and take no lock. A full bucket overwrites its oldest entry; sized
 * above the flow table so an entry normally outlives its flow (its END record still finds it).
 */
final class AttributionResults {
    static final int WAYS = 4;

    /** One published result; immutable. */
    static final class Entry {
        final int proto, lPort, rPort;
        final long lHi, lLo, rHi, rLo;
        final Attribution status;
        /** Set when status is RESOLVED. */
        final ProcessInfo process;
        final long publishedNanos;

        Entry(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, Attribution status,
              ProcessInfo process, long publishedNanos) {
            this.proto = proto;
            this.lHi = lHi;
            this.lLo = lLo;
            this.lPort = lPort;
            this.rHi = rHi;
            this.rLo = rLo;
            this.rPort = rPort;
            this.status = status;
            this.process = process;
            this.publishedNanos = publishedNanos;
        }

        boolean matches(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
            return this.lPort == lPort && this.rPort == rPort && this.lLo == lLo && this.rLo == rLo
                    && this.proto == proto && this.lHi == lHi && this.rHi == rHi;
        }
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int bucketMask;
    /** Bumped after every publish, so a reader can skip re-probing a pending tuple when nothing new landed. */
    private final AtomicLong version = new AtomicLong();
    private long overwrites;

    AttributionResults(int minEntries) {
        int buckets = Integer.highestOneBit(Math.max(1, minEntries / WAYS - 1)) << 1;
        slots = new AtomicReferenceArray<>(buckets * WAYS);
        bucketMask = buckets - 1;
    }

    static int hash(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        long h = (lHi * 0x9E3779B97F4A7C15L) ^ lLo;
        h = (h * 0xC2B2AE3D27D4EB4FL) ^ rHi;
        h = (h * 0x9E3779B97F4A7C15L) ^ rLo;
        h = (h * 0xC2B2AE3D27D4EB4FL) ^ ((long) proto << 32 | (long) lPort << 16 | rPort);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }

    /** Capture thread: the entry for this tuple, or null. */
    Entry find(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        int base = (hash(proto, lHi, lLo, lPort, rHi, rLo, rPort) & bucketMask) * WAYS;
        for (int i = 0; i < WAYS; i++) {
            Entry e = slots.get(base + i);
            if (e != null && e.matches(proto, lHi, lLo, lPort, rHi, rLo, rPort)) return e;
        }
        return null;
    }

    /** Resolver thread (the only writer): replaces the tuple's entry, else an empty or the oldest slot. */
    void publish(Entry n) {
        int base = (hash(n.proto, n.lHi, n.lLo, n.lPort, n.rHi, n.rLo, n.rPort) & bucketMask) * WAYS;
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < WAYS; i++) {
            Entry e = slots.get(base + i);
            if (e == null || e.matches(n.proto, n.lHi, n.lLo, n.lPort, n.rHi, n.rLo, n.rPort)) {
                victim = base + i;
                oldest = Long.MIN_VALUE;
                break;
            }
            if (e.publishedNanos < oldest) {
                oldest = e.publishedNanos;
                victim = base + i;
            }
        }
        if (oldest != Long.MIN_VALUE) overwrites++;
        slots.set(victim, n);
        version.lazySet(version.get() + 1); // single writer; ordered after the entry's store
    }

    /** Capture thread: changes whenever an entry was published since the last call (read before probing). */
    long version() {
        return version.get();
    }

    int capacity() {
        return slots.length();
    }

    long overwrites() {
        return overwrites;
    }
}
