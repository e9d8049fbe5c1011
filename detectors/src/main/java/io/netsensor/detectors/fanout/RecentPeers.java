package io.netsensor.detectors.fanout;

/**
 * Distinct peers (64-bit address hashes) with their last-seen time: an open-addressing table (linear
 * probing) of primitives, because a HashMap of boxed Longs would allocate per connection. Starts at 16
 * slots and doubles up to twice the tracking cap; once {@code cap} peers are held, further new peers
 * are only counted as overflow. Expired peers are dropped by rebuilding the table (no tombstones).
 */
final class RecentPeers {
    private static final long EMPTY = 0; // a hash of 0 is remapped to 1
    private final int cap;
    private long[] keys = new long[16], times = new long[16];
    /** Second pair of arrays of the current length, so expiry rebuilds without allocating. */
    private long[] spareKeys = new long[16], spareTimes = new long[16];
    int size;
    long overflow;

    RecentPeers(int cap) {
        this.cap = cap;
    }

    /** Adds or refreshes a peer; returns true when it was new. */
    boolean touch(long hash, long t) {
        long k = hash == EMPTY ? 1 : hash;
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == k) {
                if (t > times[i]) times[i] = t;
                return false;
            }
            i = (i + 1) & mask;
        }
        if (size >= cap) {
            overflow++;
            return false;
        }
        keys[i] = k;
        times[i] = t;
        size++;
        if (size * 2 > keys.length && keys.length < cap * 2) rehash(keys.length * 2, Long.MIN_VALUE);
        return true;
    }

    /** Number of peers seen at or after the cutoff. */
    int countSince(long cutoff) {
        int c = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY && times[i] >= cutoff) c++;
        }
        return c;
    }

    /** Drops peers last seen before the cutoff. */
    void expire(long cutoff) {
        rehash(keys.length, cutoff);
    }

    private void rehash(int newLen, long cutoff) {
        long[] ok = keys, ot = times;
        if (spareKeys.length == newLen) {
            keys = spareKeys;
            times = spareTimes;
            java.util.Arrays.fill(keys, EMPTY);
        } else {
            keys = new long[newLen];
            times = new long[newLen];
        }
        spareKeys = ok;
        spareTimes = ot;
        size = 0;
        int mask = newLen - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] == EMPTY || ot[j] < cutoff) continue;
            int i = mix(ok[j]) & mask;
            while (keys[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = ok[j];
            times[i] = ot[j];
            size++;
        }
    }

    int slots() {
        return keys.length;
    }

    private static int mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }

    static long hash(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h ^= h >>> 31;
        h *= 0xbf58476d1ce4e5b9L;
        return h ^ (h >>> 29);
    }
}
