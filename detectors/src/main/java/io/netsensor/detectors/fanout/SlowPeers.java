package io.netsensor.detectors.fanout;

/**
 * Distinct peers over a long window, approximately, in fixed memory: one 1024-bit linear-counting
 * bitmap per bucket (Whang et al., 1990: distinct = -m ln(zero bits / m), a few % off up to ~3,000 peers,
 * saturating near 7,000), the window's estimate from the union of its buckets. Hand-written because a
 * HyperLogLog library (stream-lib, DataSketches) is a dependency for 30 lines, and HLL is coarse at the
 * low hundreds that matter here. 6 buckets: ~900 bytes, whatever the scan rate.
 */
final class SlowPeers {
    static final int BITS = 1024, WORDS = BITS / 64;
    private final long bucketNanos;
    private final long[] epoch;
    private final long[][] bits;
    private final long[] union = new long[WORDS];
    long attempts, firstSeen, lastSeen;

    SlowPeers(int buckets, long bucketNanos) {
        this.bucketNanos = bucketNanos;
        this.epoch = new long[buckets];
        this.bits = new long[buckets][WORDS];
        java.util.Arrays.fill(epoch, Long.MIN_VALUE);
    }

    /** Adds a peer (a well-mixed 64-bit hash) at event time t. */
    void add(long hash, long t) {
        long e = Math.floorDiv(t, bucketNanos);
        int b = (int) Math.floorMod(e, (long) epoch.length);
        if (epoch[b] != e) {
            if (epoch[b] > e) return; // older than the window: too late to count
            epoch[b] = e;
            java.util.Arrays.fill(bits[b], 0);
        }
        int bit = (int) (hash >>> 54); // top 10 bits
        bits[b][bit >>> 6] |= 1L << (bit & 63);
        attempts++;
        lastSeen = Math.max(lastSeen, t);
    }

    /** Estimated distinct peers in the buckets of the window ending at t. */
    int distinct(long t) {
        long e = Math.floorDiv(t, bucketNanos);
        java.util.Arrays.fill(union, 0);
        for (int b = 0; b < epoch.length; b++) {
            if (epoch[b] <= e - epoch.length || epoch[b] > e) continue;
            for (int w = 0; w < WORDS; w++) union[w] |= bits[b][w];
        }
        int zeros = 0;
        for (long w : union) zeros += 64 - Long.bitCount(w);
        if (zeros == 0) return (int) Math.round(BITS * Math.log(BITS));
        return (int) Math.round(-BITS * Math.log(zeros / (double) BITS));
    }

    /** Hours (buckets) of the window with attempts: a slow scan spreads over several. */
    int activeBuckets(long t) {
        long e = Math.floorDiv(t, bucketNanos);
        int n = 0;
        for (long x : epoch) if (x > e - epoch.length && x <= e) n++;
        return n;
    }
}
