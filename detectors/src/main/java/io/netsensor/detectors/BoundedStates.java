package io.netsensor.detectors;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import io.netsensor.events.DetectorKind;
import io.netsensor.metrics.Metrics;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Per-key detector state with a hard cap on keys and expiry by event time. A LinkedHashMap in access
 * order gives LRU eviction and an eldest-first walk for expiry; a lookup with a reused probe key
 * allocates nothing, only inserting a new key does. Because access order follows event order, expiry
 * can stop at the first live entry; it runs at most once per {@code sweepEveryNanos} of event time so
 * its iterator is allocated rarely.
 */
public final class BoundedStates<K, V> {
    private final int maxKeys;
    private final long idleNanos;
    private final long sweepEveryNanos;
    private final ToLongFunction<V> lastSeen;
    private final Map<K, V> map;
    private long nextSweepNanos = Long.MIN_VALUE;
    private long evictions, expirations;

    public BoundedStates(int maxKeys, long idleNanos, ToLongFunction<V> lastSeen) {
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be >= 1");
        this.maxKeys = maxKeys;
        this.idleNanos = idleNanos;
        this.sweepEveryNanos = Math.max(1, idleNanos / 8);
        this.lastSeen = lastSeen;
        this.map = new LinkedHashMap<>(Math.min(maxKeys, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() > BoundedStates.this.maxKeys) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /** The state of {@code probe}, or null; marks it most recently used. */
    public V get(K probe) {
        return map.get(probe);
    }

    /** Stores state under a key the caller owns (a copy of the probe), evicting the LRU key at the cap. */
    public void put(K ownedKey, V state) {
        map.put(ownedKey, state);
    }

    public void remove(K probe) {
        map.remove(probe);
    }

    /** Drops states idle for longer than the idle time, as of event time {@code nowNanos}. */
    public void expire(long nowNanos) {
        expire(nowNanos, null);
    }

    /** As {@link #expire(long)}, telling {@code beforeRemove} (when not null) about each key before it goes. */
    public void expire(long nowNanos, java.util.function.BiConsumer<K, V> beforeRemove) {
        if (nowNanos < nextSweepNanos) return;
        nextSweepNanos = nowNanos + sweepEveryNanos;
        long cutoff = nowNanos - idleNanos;
        Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<K, V> e = it.next();
            if (lastSeen.applyAsLong(e.getValue()) >= cutoff) break; // LRU order: the rest are newer
            if (beforeRemove != null) beforeRemove.accept(e.getKey(), e.getValue());
            it.remove();
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
        return map.size();
    }

    public long evictions() {
        return evictions;
    }

    public long expirations() {
        return expirations;
    }

    public Iterable<Map.Entry<K, V>> entries() {
        return map.entrySet();
    }
}
