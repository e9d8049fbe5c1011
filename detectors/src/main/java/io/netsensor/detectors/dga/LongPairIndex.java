package io.netsensor.detectors.dga;

/**
 * A fixed-capacity map from a pair of longs to a dense id in [0, capacity), open addressing with
 * linear probing and backward-shift deletion. Callers keep their per-entry data in parallel primitive
 * arrays indexed by id. Hand-written because JDK and Guava maps box their keys, which the per-query
 * path must not do.
 */
final class LongPairIndex {
    private final long[] keyA, keyB;
    private final int[] slotId; // -1 = empty
    private final int mask;
    private final int[] freeIds;
    private int freeTop;
    private final long[] idKeyA, idKeyB;

    LongPairIndex(int capacity) {
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        keyA = new long[slots];
        keyB = new long[slots];
        slotId = new int[slots];
        java.util.Arrays.fill(slotId, -1);
        mask = slots - 1;
        freeIds = new int[capacity];
        for (int i = 0; i < capacity; i++) freeIds[i] = capacity - 1 - i;
        freeTop = capacity;
        idKeyA = new long[capacity];
        idKeyB = new long[capacity];
    }

    int capacity() {
        return freeIds.length;
    }

    int size() {
        return freeIds.length - freeTop;
    }

    boolean isFull() {
        return freeTop == 0;
    }

    private static int slotOf(long a, long b, int mask) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h ^= h >>> 29;
        return (int) h & mask;
    }

    /** The id of (a, b), or -1. */
    int get(long a, long b) {
        for (int s = slotOf(a, b, mask); ; s = (s + 1) & mask) {
            int id = slotId[s];
            if (id < 0) return -1;
            if (keyA[s] == a && keyB[s] == b) return id;
        }
    }

    /** Inserts a key known to be absent; returns its new id, or -1 when full. */
    int add(long a, long b) {
        if (freeTop == 0) return -1;
        int id = freeIds[--freeTop];
        int s = slotOf(a, b, mask);
        while (slotId[s] >= 0) s = (s + 1) & mask;
        keyA[s] = a;
        keyB[s] = b;
        slotId[s] = id;
        idKeyA[id] = a;
        idKeyB[id] = b;
        return id;
    }

    long keyA(int id) {
        return idKeyA[id];
    }

    long keyB(int id) {
        return idKeyB[id];
    }

    /** Removes the entry with this id (which must be live). */
    void removeId(int id) {
        long a = idKeyA[id], b = idKeyB[id];
        int s = slotOf(a, b, mask);
        while (slotId[s] != id) s = (s + 1) & mask;
        // backward-shift: move later entries of the probe run into the hole so lookups stay correct
        int hole = s;
        for (int j = (hole + 1) & mask; slotId[j] >= 0; j = (j + 1) & mask) {
            int home = slotOf(keyA[j], keyB[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keyA[hole] = keyA[j];
                keyB[hole] = keyB[j];
                slotId[hole] = slotId[j];
                hole = j;
            }
        }
        slotId[hole] = -1;
        freeIds[freeTop++] = id;
    }

    /** Forgets every entry. */
    void clear() {
        java.util.Arrays.fill(slotId, -1);
        for (int i = 0; i < freeIds.length; i++) freeIds[i] = freeIds.length - 1 - i;
        freeTop = freeIds.length;
    }
}
