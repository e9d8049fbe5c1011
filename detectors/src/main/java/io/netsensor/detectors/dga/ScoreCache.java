package io.netsensor.detectors.dga;

/**
 * The model's score of recently scored registered domains, by their 64-bit name hash: a direct-mapped table
 * (one slot per hash bucket, the newer name replaces the older), so a lookup is one probe and nothing is
 * allocated. The score is a pure function of the name, so a hit returns exactly what scoring again would;
 * it only saves the work (~30 us per name with the CNNs), which matters because every host's window scores
 * the names it has not seen yet, and the same popular names come from every host and again after a window
 * expires. Hand-written rather than Caffeine: a cache keyed by a primitive, with no entry objects, on the
 * per-event path. A false hit needs a 64-bit collision (about 1e-15 per lookup at 4,096 slots).
 */
final class ScoreCache {
    private final long[] keys;
    private final float[] scores;
    private final int mask;
    private long hits, misses;

    /** {@code slots} is rounded up to a power of two; 12 bytes each. */
    ScoreCache(int slots) {
        int cap = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
        keys = new long[cap];
        scores = new float[cap];
        mask = cap - 1;
    }

    /** The cached score of {@code hash}, or NaN when it is not cached. */
    float get(long hash) {
        int i = slot(hash);
        if (keys[i] == hash && hash != 0) {
            hits++;
            return scores[i];
        }
        misses++;
        return Float.NaN;
    }

    void put(long hash, float score) {
        int i = slot(hash);
        keys[i] = hash;
        scores[i] = score;
    }

    private int slot(long hash) {
        return (int) (hash ^ (hash >>> 29)) & mask;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }
}
