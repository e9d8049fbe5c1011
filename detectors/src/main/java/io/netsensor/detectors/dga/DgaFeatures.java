package io.netsensor.detectors.dga;

/**
 * Lexical features of one registered-domain label, shared by training and scoring so they can never
 * drift apart. Works on bytes and a caller-owned scratch array: no allocation.
 */
final class DgaFeatures {
    static final String[] NAMES = {
        "ngram_mean_logp", "ngram_sum_logp", "ngram_min_logp", "rare_transition_ratio", "length", "digit_ratio",
        "hyphens", "entropy", "max_consonant_run", "vowel_ratio", "distinct_ratio", "digit_letter_switches",
        "len_le4", "len_5_7", "len_8_11", "len_12_15", "hex_length"
    };
    /** Upper bounds of the length bands that get their own bias and n-gram slope (16+ is the base band). */
    private static final int[] BANDS = {4, 7, 11, 15};
    static final int COUNT = NAMES.length;
    /** A transition this improbable (natural log) counts as rare: about 1 in 800. */
    private static final double RARE_LOGP = -6.7;

    private DgaFeatures() {}

    /**
     * Fills {@code out[0, COUNT)} (models trained with fewer features read a prefix: new features are appended) for label {@code b[from, to)} (lower-case) under the n-gram table;
     * {@code counts} is scratch of at least {@link Chars#SIZE} ints.
     */
    static void extract(NgramTable lm, byte[] b, int from, int to, double[] out, int[] counts) {
        int n = to - from;
        java.util.Arrays.fill(counts, 0, Chars.SIZE, 0);
        int ctx = 0; // rolling context of (order-1) symbols, boundary-padded
        double sum = 0, min = 0;
        int rare = 0, digits = 0, hyphens = 0, vowels = 0, letters = 0, run = 0, maxRun = 0, switches = 0;
        int prev = -1, nonHex = 0;
        for (int i = 0; i <= n; i++) {
            int c = i < n ? Chars.code(b[from + i]) : Chars.BOUNDARY;
            double lp = lm.logp(ctx, c);
            sum += lp;
            if (lp < min) min = lp;
            if (lp < RARE_LOGP) rare++;
            ctx = lm.shift(ctx, c);
            if (i == n) break;
            counts[c]++;
            if (Chars.isDigit(c)) digits++;
            if (c == 37) hyphens++;
            if (!Chars.isDigit(c) && !(c >= 1 && c <= 6)) nonHex++;
            if (Chars.isLetter(c)) {
                letters++;
                if (Chars.isVowel(c)) {
                    vowels++;
                    run = 0;
                } else if (++run > maxRun) {
                    maxRun = run;
                }
            } else {
                run = 0;
            }
            if (prev >= 0 && Chars.isDigit(prev) != Chars.isDigit(c)) switches++;
            prev = c;
        }
        double entropy = 0;
        int distinct = 0;
        for (int k = 0; k < Chars.SIZE; k++) {
            if (counts[k] == 0) continue;
            distinct++;
            double p = counts[k] / (double) n;
            entropy -= p * Math.log(p);
        }
        out[0] = sum / (n + 1);
        out[1] = sum / 10;
        out[2] = min;
        out[3] = rare / (double) (n + 1);
        out[4] = n / 10.0;
        out[5] = digits / (double) n;
        out[6] = hyphens;
        out[7] = entropy;
        out[8] = maxRun;
        out[9] = letters == 0 ? 0 : vowels / (double) letters;
        out[10] = distinct / (double) n;
        out[11] = switches / (double) n;
        // A linear model over length alone extrapolates badly to very short labels ("g.co"); a bias per
        // length band lets it learn that short names are weak evidence either way.
        int band = BANDS.length;
        for (int k = BANDS.length - 1; k >= 0; k--) if (n <= BANDS[k]) band = k;
        for (int k = 0; k < BANDS.length; k++) {
            out[12 + k] = band == k ? 1 : 0;
        }
        // Hex-encoded hashes (md5/sha prefixes, random bytes in hex) use 16 of 36 symbols, which the
        // per-position n-grams do not see as a whole; benign labels made only of 0-9a-f with both digits
        // and letters are rare from 8 characters on (26 of 800k Alexa labels) but common below ("3d", "a1b2":
        // ~1300), where the feature stays 0 so that a standardized weight learnt on long hashes cannot reach them.
        boolean hex = n >= 8 && nonHex == 0 && digits > 0 && digits < n;
        out[16] = hex ? Math.min(n, 32) / 10.0 : 0;
    }
}
