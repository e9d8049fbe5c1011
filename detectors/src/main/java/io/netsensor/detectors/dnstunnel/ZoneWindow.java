package io.netsensor.detectors.dnstunnel;

/**
 * One generation of a (host, zone)'s DNS activity: counters and a 512-bit linear-counting bitmap of the
 * distinct names asked (Whang et al., 1990: distinct = -m ln(zero bits / m), within a few % up to ~1,500
 * names, saturating at ~3,000, far above any threshold), plus a 64-bit one of distinct encoded TXT
 * answers. Fixed size: 200 bytes.
 */
final class ZoneWindow {
    static final int BITS = 512;
    long start;
    int queries, encodedNames, tunnelTypes, rareTypes, answered, encodedTxt;
    long nameBytes, answerBytes;
    final long[] names = new long[BITS / 64];
    long txtAnswers;

    void reset(long t) {
        start = t;
        queries = encodedNames = tunnelTypes = rareTypes = answered = encodedTxt = 0;
        nameBytes = answerBytes = 0;
        java.util.Arrays.fill(names, 0);
        txtAnswers = 0;
    }

    void addName(long hash) {
        int bit = (int) (hash >>> 55); // top 9 bits: 0..511
        names[bit >>> 6] |= 1L << (bit & 63);
    }

    void addTxtAnswer(long hash) {
        txtAnswers |= 1L << (hash >>> 58);
    }

    /** Linear-counting estimate of distinct items from the number of zero bits among m. */
    static int estimate(int zeros, int m) {
        if (zeros == 0) return (int) Math.round(m * Math.log(m)); // saturated
        return (int) Math.round(-m * Math.log(zeros / (double) m));
    }
}
