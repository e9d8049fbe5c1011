package io.netsensor.detectors.dnstunnel;

import io.netsensor.events.Severity;

/**
 * A (host, zone)'s DNS activity over two generations of one window each (the current one and the one
 * before), so the counts cover between one and two windows of the most recent event time without a
 * per-query ring. Plus the inter-query gaps (mean and variance, Welford) for the rate and regularity the
 * evidence reports, and up to {@link #SAMPLES} sample names. Fixed size: ~900 bytes with its key.
 */
final class ZoneActivity {
    static final int SAMPLES = 3, SAMPLE_BYTES = 96;
    final ZoneWindow[] gen = {new ZoneWindow(), new ZoneWindow()};
    int cur;
    long firstSeen, lastSeen;
    /** Gap statistics over the episode. */
    long gaps;
    double gapMean, gapM2;
    /** The zone as text (a registered domain), or the server asked when the name has no known TLD. */
    final byte[] zone = new byte[SAMPLE_BYTES];
    int zoneLen;
    boolean byServer;
    long serverHi, serverLo;
    final byte[][] sample = new byte[SAMPLES][SAMPLE_BYTES];
    final int[] sampleLen = new int[SAMPLES];
    int samples;
    Severity alerted;
    long lastAlert;

    ZoneActivity(long t) {
        firstSeen = lastSeen = t;
        gen[0].reset(t);
        gen[1].reset(Long.MIN_VALUE / 4);
    }

    ZoneWindow current(long t, long windowNanos) {
        ZoneWindow w = gen[cur];
        if (t - w.start >= windowNanos) {
            cur ^= 1;
            w = gen[cur];
            w.reset(t);
        }
        return w;
    }

    /** The older generation when it still overlaps the last two windows, else null. */
    ZoneWindow previous(long t, long windowNanos) {
        ZoneWindow p = gen[cur ^ 1];
        return t - p.start < 2 * windowNanos ? p : null;
    }

    void gap(long t) {
        if (t > lastSeen) {
            double g = (t - lastSeen) / 1e9;
            gaps++;
            double d = g - gapMean;
            gapMean += d / gaps;
            gapM2 += d * (g - gapMean);
        }
        lastSeen = Math.max(lastSeen, t);
    }

    double gapCv() {
        if (gaps < 2 || gapMean <= 0) return -1;
        return Math.sqrt(gapM2 / (gaps - 1)) / gapMean;
    }

    void addSample(byte[] name, int len) {
        if (samples == SAMPLES) return;
        int n = Math.min(len, SAMPLE_BYTES);
        System.arraycopy(name, 0, sample[samples], 0, n);
        sampleLen[samples] = n;
        samples++;
    }
}
