package io.netsensor.detectors.dga;

import io.netsensor.events.Severity;

/**
 * One key's (local host's) DNS activity over the sliding event-time window: the distinct registered
 * domains it asked for with their flags, per-minute query counters, a direct-mapped memory of domains
 * seen before the window, and a few sample names for evidence. Every array is sized at construction;
 * nothing grows. See DGA.md for the memory per key.
 */
final class HostWindow {
    static final byte NX = 1, IMPROBABLE = 2, NEW = 4, LONG = 8;
    static final int SAMPLES = 8, SAMPLE_BYTES = 96, BUCKETS = 10;

    long ipHi, ipLo;
    long lastTs;
    long nextSweepTs;

    final LongPairIndex domains;
    final long[] firstSeen, lastSeen;
    final float[] score;
    final byte[] flags;
    final boolean[] live;

    /** Counters over live domain entries, kept in step with inserts, flag changes and removals. */
    int improbable, nx, newNx, longDomains;

    /** Query counters per window/BUCKETS slice of event time. */
    final long[] bucketEpoch = new long[BUCKETS];
    final int[] bucketQueries = new int[BUCKETS], bucketLongQueries = new int[BUCKETS];

    /** Hashes of registered domains seen earlier; a colliding newer domain overwrites (the bound). */
    final long[] history;

    final byte[][] sampleName = new byte[SAMPLES][SAMPLE_BYTES];
    final int[] sampleLen = new int[SAMPLES];
    final float[] sampleScore = new float[SAMPLES];
    final boolean[] sampleNx = new boolean[SAMPLES];
    int sampleCount, sampleNext;

    Severity alerted;
    long lastAlertTs;

    /**
     * Slow DGA: new registered domains answered NXDOMAIN whose name the model finds machine-made, per
     * hour over the long window ({@link #SLOW_BUCKETS} buckets), with a few samples. 72 bytes + samples.
     */
    static final int SLOW_BUCKETS = 6, SLOW_SAMPLES = 4;
    final long[] slowEpoch = new long[SLOW_BUCKETS];
    final int[] slowCount = new int[SLOW_BUCKETS];
    final byte[][] slowName = new byte[SLOW_SAMPLES][SAMPLE_BYTES];
    final int[] slowLen = new int[SLOW_SAMPLES];
    int slowSamples, slowNext;
    long slowFirst;
    Severity slowAlerted;

    HostWindow(int maxDomains, int historySize) {
        domains = new LongPairIndex(maxDomains);
        firstSeen = new long[maxDomains];
        lastSeen = new long[maxDomains];
        score = new float[maxDomains];
        flags = new byte[maxDomains];
        live = new boolean[maxDomains];
        history = new long[Integer.highestOneBit(historySize)];
    }

    void reset(long hi, long lo, long ts) {
        ipHi = hi;
        ipLo = lo;
        lastTs = ts;
        nextSweepTs = 0;
        domains.clear();
        java.util.Arrays.fill(live, false);
        improbable = nx = newNx = longDomains = 0;
        java.util.Arrays.fill(bucketEpoch, -1);
        java.util.Arrays.fill(bucketQueries, 0);
        java.util.Arrays.fill(bucketLongQueries, 0);
        java.util.Arrays.fill(history, 0);
        sampleCount = sampleNext = 0;
        alerted = null;
        lastAlertTs = 0;
        java.util.Arrays.fill(slowEpoch, Long.MIN_VALUE);
        java.util.Arrays.fill(slowCount, 0);
        slowSamples = slowNext = 0;
        slowFirst = 0;
        slowAlerted = null;
    }

    int unique() {
        return domains.size();
    }

    boolean seenBefore(long h) {
        return history[(int) h & (history.length - 1)] == h;
    }

    void remember(long h) {
        history[(int) h & (history.length - 1)] = h;
    }

    void countQuery(long ts, long bucketNanos, boolean longName) {
        long epoch = ts / bucketNanos;
        int b = (int) (epoch % BUCKETS);
        if (bucketEpoch[b] != epoch) {
            bucketEpoch[b] = epoch;
            bucketQueries[b] = 0;
            bucketLongQueries[b] = 0;
        }
        bucketQueries[b]++;
        if (longName) bucketLongQueries[b]++;
    }

    /** Queries in the buckets that overlap the window ending at now. */
    int queries(long now, long bucketNanos, boolean longOnly) {
        long epoch = now / bucketNanos;
        int n = 0;
        for (int b = 0; b < BUCKETS; b++) {
            if (bucketEpoch[b] > epoch - BUCKETS) n += longOnly ? bucketLongQueries[b] : bucketQueries[b];
        }
        return n;
    }

    void setFlag(int id, byte f) {
        if ((flags[id] & f) != 0) return;
        flags[id] |= f;
        adjust(id, f, 1);
        if (f == NX && (flags[id] & NEW) != 0) newNx++;
    }

    private void adjust(int id, byte f, int delta) {
        if (f == IMPROBABLE) improbable += delta;
        else if (f == NX) nx += delta;
        else if (f == LONG) longDomains += delta;
    }

    void remove(int id) {
        byte f = flags[id];
        if ((f & IMPROBABLE) != 0) improbable--;
        if ((f & NX) != 0) nx--;
        if ((f & LONG) != 0) longDomains--;
        if ((f & NX) != 0 && (f & NEW) != 0) newNx--;
        flags[id] = 0;
        live[id] = false;
        domains.removeId(id);
    }

    /** Drops domains not queried since the window start; returns how many. */
    int expire(long windowStart) {
        int n = 0;
        for (int id = 0; id < live.length; id++) {
            if (live[id] && lastSeen[id] < windowStart) {
                remove(id);
                n++;
            }
        }
        return n;
    }

    /** The live entry queried least recently, or -1. */
    int oldest() {
        int best = -1;
        for (int id = 0; id < live.length; id++) {
            if (live[id] && (best < 0 || lastSeen[id] < lastSeen[best])) best = id;
        }
        return best;
    }

    /** Counts a machine-made NXDOMAIN domain at ts in its hour (bucket) of the long window. */
    void countSlow(long ts, long bucketNanos, byte[] name, int len) {
        long epoch = Math.floorDiv(ts, bucketNanos);
        int b = (int) Math.floorMod(epoch, (long) SLOW_BUCKETS);
        if (slowEpoch[b] != epoch) {
            if (slowEpoch[b] > epoch) return;
            slowEpoch[b] = epoch;
            slowCount[b] = 0;
        }
        if (slowTotal(ts, bucketNanos) == 0) {
            slowFirst = ts;
            slowSamples = slowNext = 0;
        }
        slowCount[b]++;
        int n = Math.min(len, SAMPLE_BYTES);
        System.arraycopy(name, 0, slowName[slowNext], 0, n);
        slowLen[slowNext] = n;
        slowNext = (slowNext + 1) % SLOW_SAMPLES;
        if (slowSamples < SLOW_SAMPLES) slowSamples++;
    }

    /** Machine-made NXDOMAIN domains in the long window ending at ts. */
    int slowTotal(long ts, long bucketNanos) {
        long epoch = Math.floorDiv(ts, bucketNanos);
        int n = 0;
        for (int b = 0; b < SLOW_BUCKETS; b++) if (slowEpoch[b] > epoch - SLOW_BUCKETS && slowEpoch[b] <= epoch) n += slowCount[b];
        return n;
    }

    /** Buckets (hours) of the long window with at least one. */
    int slowHours(long ts, long bucketNanos) {
        long epoch = Math.floorDiv(ts, bucketNanos);
        int n = 0;
        for (int b = 0; b < SLOW_BUCKETS; b++) {
            if (slowEpoch[b] > epoch - SLOW_BUCKETS && slowEpoch[b] <= epoch && slowCount[b] > 0) n++;
        }
        return n;
    }

    void addSample(byte[] name, int len, float s, boolean isNx) {
        int i = sampleNext;
        int n = Math.min(len, SAMPLE_BYTES);
        System.arraycopy(name, 0, sampleName[i], 0, n);
        sampleLen[i] = n;
        sampleScore[i] = s;
        sampleNx[i] = isNx;
        sampleNext = (i + 1) % SAMPLES;
        if (sampleCount < SAMPLES) sampleCount++;
    }
}
