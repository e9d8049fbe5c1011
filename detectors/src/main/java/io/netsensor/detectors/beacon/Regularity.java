package io.netsensor.detectors.beacon;

import java.util.Arrays;

/**
 * How machine-like a series of connection times and sizes is, in the spirit of RITA's beacon analysis:
 * <ul>
 *   <li>interval symmetry: Bowley (quartile) skewness of the intervals; a beacon with symmetric jitter
 *       has ~0, human activity (many short gaps, few long) is right-skewed. Only skew beyond one
 *       standard error of a symmetric sample (~1.4/sqrt(n)) counts: on 30 samples of uniform jitter
 *       the raw value is ±0.26 by chance alone, which otherwise decides whether a beacon alerts;</li>
 *   <li>interval dispersion: median absolute deviation relative to the median interval; robust to a
 *       missed beacon or a sleep gap, unlike the standard deviation; ±20 % uniform jitter gives 0.10,
 *       ±30 % 0.15, ±50 % 0.25, memoryless (Poisson) traffic ~0.7. Dispersion up to 0.10 costs nothing,
 *       up to 0.25 when the gaps have no long tail ({@link #MAD_FREE_BOUNDED}): implants are configured
 *       with such jitter precisely to look less regular, and benign traffic sits far above it;</li>
 *   <li>spread over time: connections counted in equal time buckets over the span; a beacon fills them
 *       evenly (coefficient of variation near 0), bursts leave most empty;</li>
 *   <li>concentration: the share of intervals within ±40 % (bounded gaps: ±50 %) of the median; a jittered
 *       beacon keeps nearly all (a missed beacon costs one), bursts mix second-long and minutes-long gaps;</li>
 *   <li>size regularity: skew (beyond chance, as above) and relative MAD of the bytes the local side sent.</li>
 * </ul>
 * Each sub-score is 0..1 (1 = regular); the score is their weighted mean. One instance owns scratch arrays
 * and is reused for every evaluation (not thread-safe), so evaluating allocates nothing.
 */
final class Regularity {
    static final int HISTOGRAM_BUCKETS = 10;
    /** Relative MAD up to which the dispersion sub-score is 1, and at which it reaches 0 (memoryless
     *  traffic sits above the cutoff). */
    static final double MAD_FREE = 0.10, MAD_CUTOFF = 0.6;
    /**
     * A beacon's sleep is drawn from a bounded range (sleep x (1 +- jitter)), so its gaps never run far past
     * the median, while human idle times have a long tail. When at most {@link #LONG_GAP_SHARE} of the gaps
     * exceed {@link #LONG_GAP} x the median, dispersion up to {@link #MAD_FREE_BOUNDED} (±50 % uniform jitter,
     * as Cobalt Strike, Sliver and Mythic allow) costs nothing and the concentration band widens to ±50 %.
     */
    static final double MAD_FREE_BOUNDED = 0.25, LONG_GAP = 3.0, LONG_GAP_SHARE = 0.05, CONCENTRATION_BAND_BOUNDED = 0.5;
    static final double W_MAD = 0.25, W_SKEW = 0.15, W_SPREAD = 0.20, W_SIZE = 0.15, W_CONCENTRATION = 0.25;
    static final double CONCENTRATION_BAND = 0.4;
    /** Standard error of the Bowley skewness of n samples of a symmetric (uniform) distribution, times sqrt(n). */
    static final double SKEW_NOISE = 1.4;

    private final long[] ts, sizes, intervals, devs;
    private final int[] bucketCounts = new int[10];

    // results of the last evaluate()
    int n;
    long medianInterval, madInterval;
    double skew, relMad, spreadCv;
    long medianSize, madSize;
    double sizeSkew;
    /** Whether the gaps stayed within a bounded range (no long tail), see {@link #MAD_FREE_BOUNDED}. */
    boolean bounded;
    double skewScore, madScore, spreadScore, sizeScore, concentrationScore, score;
    /** Intervals in buckets of 0.2 x median from 0 to 2 x median (the last one takes longer gaps). */
    final int[] histogram = new int[HISTOGRAM_BUCKETS];

    Regularity(int capacity) {
        ts = new long[capacity];
        sizes = new long[capacity];
        intervals = new long[capacity];
        devs = new long[capacity];
    }

    long[] timestamps() {
        return ts;
    }

    /** Scores the series' current samples; needs at least 4 samples (3 intervals). */
    double evaluate(BeaconSeries s) {
        n = s.copyTo(ts, sizes);
        int m = n - 1;
        for (int i = 0; i < m; i++) intervals[i] = ts[i + 1] - ts[i];
        Arrays.sort(intervals, 0, m);
        medianInterval = quantile(intervals, m, 0.5);
        skew = bowley(intervals, m);
        madInterval = mad(intervals, m, medianInterval);
        relMad = medianInterval > 0 ? (double) madInterval / medianInterval : 1;
        spreadCv = bucketCv(ts, n);

        Arrays.sort(sizes, 0, n);
        medianSize = quantile(sizes, n, 0.5);
        sizeSkew = bowley(sizes, n);
        madSize = mad(sizes, n, medianSize);

        int longGaps = 0;
        for (int i = 0; i < m; i++) if (intervals[i] > LONG_GAP * medianInterval) longGaps++;
        bounded = longGaps <= LONG_GAP_SHARE * m;
        double free = bounded ? MAD_FREE_BOUNDED : MAD_FREE, band = bounded ? CONCENTRATION_BAND_BOUNDED : CONCENTRATION_BAND;
        skewScore = 1 - Math.min(1, excess(skew, m));
        madScore = 1 - Math.min(1, Math.max(0, relMad - free) / (MAD_CUTOFF - free));
        spreadScore = 1 - Math.min(1, spreadCv);
        // 32 bytes of absolute slack: small beacons vary by a few bytes (ids, timestamps) and are still regular
        double sizeMadScore = 1 - Math.min(1, madSize / (32 + 0.25 * medianSize));
        sizeScore = 0.5 * (1 - Math.min(1, excess(sizeSkew, n))) + 0.5 * sizeMadScore;
        long lo = (long) (medianInterval * (1 - band)), hi = (long) (medianInterval * (1 + band));
        int inBand = 0;
        for (int i = 0; i < m; i++) if (intervals[i] >= lo && intervals[i] <= hi) inBand++;
        concentrationScore = (double) inBand / m;
        score = W_MAD * madScore + W_SKEW * skewScore + W_SPREAD * spreadScore + W_SIZE * sizeScore
                + W_CONCENTRATION * concentrationScore;

        Arrays.fill(histogram, 0);
        double width = Math.max(1, 2.0 * medianInterval / HISTOGRAM_BUCKETS);
        for (int i = 0; i < m; i++) {
            int b = (int) (intervals[i] / width);
            histogram[Math.min(HISTOGRAM_BUCKETS - 1, b)]++;
        }
        return score;
    }

    /** |skew| beyond what chance gives a symmetric sample of this size. */
    static double excess(double skew, int samples) {
        return Math.max(0, Math.abs(skew) - SKEW_NOISE / Math.sqrt(Math.max(1, samples)));
    }

    /** Nearest-rank quantile of sorted values. */
    static long quantile(long[] sorted, int len, double p) {
        return sorted[(int) Math.round(p * (len - 1))];
    }

    /** (Q1 + Q3 - 2 Q2) / (Q3 - Q1); 0 when the quartiles coincide (no spread: perfectly regular). */
    static double bowley(long[] sorted, int len) {
        long q1 = quantile(sorted, len, 0.25), q2 = quantile(sorted, len, 0.5), q3 = quantile(sorted, len, 0.75);
        if (q3 == q1) return 0;
        return (double) (q1 + q3 - 2 * q2) / (q3 - q1);
    }

    private long mad(long[] values, int len, long median) {
        for (int i = 0; i < len; i++) devs[i] = Math.abs(values[i] - median);
        Arrays.sort(devs, 0, len);
        return quantile(devs, len, 0.5);
    }

    /** Coefficient of variation of connection counts in ~n/4 (4..10) equal time buckets over the span. */
    private double bucketCv(long[] ts, int n) {
        long span = ts[n - 1] - ts[0];
        if (span <= 0) return 1;
        int buckets = Math.max(4, Math.min(10, n / 4));
        int[] counts = bucketCounts;
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            int b = (int) ((double) (ts[i] - ts[0]) / span * buckets);
            counts[Math.min(buckets - 1, b)]++;
        }
        double mean = (double) n / buckets, var = 0;
        for (int b = 0; b < buckets; b++) var += (counts[b] - mean) * (counts[b] - mean);
        return Math.sqrt(var / buckets) / mean;
    }
}
