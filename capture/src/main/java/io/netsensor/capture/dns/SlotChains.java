package io.netsensor.capture.dns;

import java.util.Arrays;

/**
 * Index of a fixed pool of slots by caller-computed hash (chained buckets over int arrays), plus a free
 * list: the tables above it keep their keys in primitive arrays and walk a chain to compare them.
 */
final class SlotChains {
    private final int[] buckets;
    private final int[] next;
    private final int[] hashes;
    private final int[] free;
    private int freeTop;
    private final int mask;

    SlotChains(int slots) {
        int n = Integer.highestOneBit(Math.max(2, slots * 2 - 1)) << 1;
        buckets = new int[n];
        mask = n - 1;
        next = new int[slots];
        hashes = new int[slots];
        free = new int[slots];
        clear();
    }

    void clear() {
        Arrays.fill(buckets, -1);
        for (int i = 0; i < free.length; i++) free[i] = free.length - 1 - i;
        freeTop = free.length;
    }

    int capacity() { return free.length; }

    int size() { return free.length - freeTop; }

    boolean full() { return freeTop == 0; }

    int first(int hash) { return buckets[hash & mask]; }

    int next(int slot) { return next[slot]; }

    int hash(int slot) { return hashes[slot]; }

    /** Takes a free slot and links it under hash; -1 when full. */
    int add(int hash) {
        if (freeTop == 0) return -1;
        int slot = free[--freeTop];
        hashes[slot] = hash;
        int b = hash & mask;
        next[slot] = buckets[b];
        buckets[b] = slot;
        return slot;
    }

    void remove(int slot) {
        int b = hashes[slot] & mask;
        int prev = -1;
        for (int s = buckets[b]; s != -1; prev = s, s = next[s]) {
            if (s == slot) {
                if (prev < 0) buckets[b] = next[s]; else next[prev] = next[s];
                free[freeTop++] = slot;
                return;
            }
        }
    }

    static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
