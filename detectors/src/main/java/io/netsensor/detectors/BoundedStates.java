package io.netsensor.detectors;

import io.netsensor.events.DetectorKind;
import io.netsensor.metrics.Metrics;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Per-key detector state with a hard cap on keys, least-recently-used eviction at the cap, and expiry by
 * event time. Because access order follows event order, expiry walks from the least recently used key and
 * stops at the first live one; it runs at most once per {@code sweepEveryNanos} of event time. A lookup with
 * a reused probe key allocates nothing; only storing a new key does (the caller's copy of the probe).
 *
 * <p>Hand-written rather than a {@code LinkedHashMap} in access order (what this class was before) because
 * the lookup is the detectors' hottest line: with 10,000 keys a LinkedHashMap lookup walked the bucket's
 * node, its key and, to move the entry to the tail, the two neighbouring nodes, each a likely cache miss
 * (JMH {@code DetectorUpdateBenchmark}: ~30 % of all detector time). Here the table is open addressing with
 * linear probing over one {@code int[]} of (entry, hash) pairs, so a probe compares hashes in one cache
 * line before it touches a key; the entries live in parallel arrays (key, value, hash, LRU links as entry
 * indices), so reordering writes two small ints, not objects. Removal is backward-shift deletion (Knuth,
 * TAOCP vol. 3, 6.4, Algorithm R), so there are no tombstones and probe runs stay short. Arrays start small
 * and double as keys arrive, up to the cap. About 36 bytes per key besides the key and value objects
 * (a LinkedHashMap entry with its share of the table: ~45).
 */
public final class BoundedStates<K, V> {
    private static final int NONE = -1;
    private static final int INITIAL_ENTRIES = 16;

    private final int maxKeys;
    private final long idleNanos;
    private final long sweepEveryNanos;
    private final ToLongFunction<V> lastSeen;

    /** Entry arrays, indexed by entry number; free entries are chained through {@code next}. */
    private Object[] keys;
    private Object[] values;
    private int[] hashes, prev, next;
    /** Hash table: slot i holds entry+1 at [2i] (0: empty) and that entry's hash at [2i+1]. */
    private int[] table;
    private int mask;
    /** Least and most recently used entries, the free list, and the number of keys held. */
    private int eldest = NONE, newest = NONE, free = NONE, size;

    private long nextSweepNanos = Long.MIN_VALUE;
    private long evictions, expirations;

    public BoundedStates(int maxKeys, long idleNanos, ToLongFunction<V> lastSeen) {
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be >= 1");
        this.maxKeys = maxKeys;
        this.idleNanos = idleNanos;
        this.sweepEveryNanos = Math.max(1, idleNanos / 8);
        this.lastSeen = lastSeen;
        allocate(Math.min(INITIAL_ENTRIES, maxKeys));
    }

    /** The state of {@code probe}, or null; marks it most recently used. */
    @SuppressWarnings("unchecked")
    public V get(K probe) {
        int e = find(probe, hash(probe));
        if (e == NONE) return null;
        touch(e);
        return (V) values[e];
    }

    /**
     * Stores state under a key the caller owns (a copy of the probe) and marks it most recently used; at the
     * cap, the least recently used key goes first (counted as an eviction).
     */
    public void put(K ownedKey, V state) {
        int h = hash(ownedKey);
        int e = find(ownedKey, h);
        if (e != NONE) {
            values[e] = state;
            touch(e);
            return;
        }
        if (size == maxKeys) {
            removeEntry(eldest);
            evictions++;
        } else if (free == NONE) {
            grow();
        }
        e = free;
        free = next[e];
        keys[e] = ownedKey;
        values[e] = state;
        hashes[e] = h;
        link(e);
        insertSlot(e, h);
        size++;
    }

    public void remove(K probe) {
        int e = find(probe, hash(probe));
        if (e != NONE) removeEntry(e);
    }

    /** Drops states idle for longer than the idle time, as of event time {@code nowNanos}. */
    public void expire(long nowNanos) {
        expire(nowNanos, null);
    }

    /** As {@link #expire(long)}, telling {@code beforeRemove} (when not null) about each key before it goes. */
    @SuppressWarnings("unchecked")
    public void expire(long nowNanos, BiConsumer<K, V> beforeRemove) {
        if (nowNanos < nextSweepNanos) return;
        nextSweepNanos = nowNanos + sweepEveryNanos;
        long cutoff = nowNanos - idleNanos;
        while (eldest != NONE) {
            int e = eldest;
            V v = (V) values[e];
            if (lastSeen.applyAsLong(v) >= cutoff) break; // LRU order: the rest are newer
            if (beforeRemove != null) beforeRemove.accept((K) keys[e], v);
            if (e == eldest) removeEntry(e); // the callback may not touch this map, but stay safe if it did
            expirations++;
        }
    }

    /**
     * Registers the metrics every detector has: keys held now, keys evicted at the cap, keys expired, and
     * the detector's alerts raised (before the allowlist and the gate), tagged with the detector.
     */
    public void register(Metrics m, DetectorKind kind, LongSupplier alerts) {
        m.gauge(Detector.metric("keys", kind), this::size);
        m.count(Detector.metric("evictions", kind), this::evictions);
        m.count(Detector.metric("expirations", kind), this::expirations);
        m.count(Detector.metric("alerts", kind), alerts);
    }

    public int size() {
        return size;
    }

    public long evictions() {
        return evictions;
    }

    public long expirations() {
        return expirations;
    }

    /** The keys and states, least recently used first; the map must not change during the walk. */
    public Iterable<Map.Entry<K, V>> entries() {
        return () -> new Iterator<>() {
            private int e = eldest;

            @Override
            public boolean hasNext() {
                return e != NONE;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Map.Entry<K, V> next() {
                if (e == NONE) throw new NoSuchElementException();
                Map.Entry<K, V> en = new AbstractMap.SimpleImmutableEntry<>((K) keys[e], (V) values[e]);
                e = BoundedStates.this.next[e];
                return en;
            }
        };
    }

    /** A spread of the key's hash: keys' own hashes may differ in few bits (addresses in one range). */
    private static int hash(Object key) {
        int h = key.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private int find(Object key, int h) {
        int[] t = table;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slotted = t[2 * i];
            if (slotted == 0) return NONE;
            if (t[2 * i + 1] == h && keys[slotted - 1].equals(key)) return slotted - 1;
        }
    }

    private void insertSlot(int e, int h) {
        int[] t = table;
        int i = h & mask;
        while (t[2 * i] != 0) i = (i + 1) & mask;
        t[2 * i] = e + 1;
        t[2 * i + 1] = h;
    }

    private void removeEntry(int e) {
        removeSlot(e);
        unlink(e);
        keys[e] = null;
        values[e] = null;
        next[e] = free;
        free = e;
        size--;
    }

    /** Backward-shift deletion: later members of the probe run move up so no lookup meets a hole early. */
    private void removeSlot(int e) {
        int[] t = table;
        int i = hashes[e] & mask;
        while (t[2 * i] != e + 1) i = (i + 1) & mask;
        int hole = i;
        for (int j = (hole + 1) & mask; t[2 * j] != 0; j = (j + 1) & mask) {
            int home = t[2 * j + 1] & mask;
            // the entry at j may fill the hole unless its home slot lies cyclically in (hole, j]
            boolean homeAfterHole = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (homeAfterHole) continue;
            t[2 * hole] = t[2 * j];
            t[2 * hole + 1] = t[2 * j + 1];
            hole = j;
        }
        t[2 * hole] = 0;
        t[2 * hole + 1] = 0;
    }

    private void touch(int e) {
        if (e == newest) return;
        unlink(e);
        link(e);
    }

    private void link(int e) {
        prev[e] = newest;
        next[e] = NONE;
        if (newest == NONE) eldest = e;
        else next[newest] = e;
        newest = e;
    }

    private void unlink(int e) {
        int p = prev[e], n = next[e];
        if (p == NONE) eldest = n;
        else next[p] = n;
        if (n == NONE) newest = p;
        else prev[n] = p;
    }

    /** Doubles the entry arrays (up to the cap) and the table, keeping every key's entry number. */
    private void grow() {
        int old = keys.length;
        int cap = (int) Math.min(maxKeys, 2L * old);
        Object[] k = keys, v = values;
        int[] h = hashes, p = prev, n = next;
        allocate(cap);
        System.arraycopy(k, 0, keys, 0, old);
        System.arraycopy(v, 0, values, 0, old);
        System.arraycopy(h, 0, hashes, 0, old);
        System.arraycopy(p, 0, prev, 0, old);
        System.arraycopy(n, 0, next, 0, old);
        // every old entry is in use (grow runs only when the free list is empty); the new ones are free
        for (int e = 0; e < old; e++) insertSlot(e, hashes[e]);
        free = NONE;
        for (int e = cap - 1; e >= old; e--) {
            next[e] = free;
            free = e;
        }
    }

    /** Fresh arrays for {@code entries} entries, a table at most half full, every entry free. */
    private void allocate(int entries) {
        keys = new Object[entries];
        values = new Object[entries];
        hashes = new int[entries];
        prev = new int[entries];
        next = new int[entries];
        int slots = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) * 2; // power of two >= 2 * entries
        table = new int[2 * slots];
        mask = slots - 1;
        free = NONE;
        for (int e = entries - 1; e >= 0; e--) {
            next[e] = free;
            free = e;
        }
    }
}
