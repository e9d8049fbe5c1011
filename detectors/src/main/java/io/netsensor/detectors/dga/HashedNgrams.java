package io.netsensor.detectors.dga;

/**
 * Hashed character n-grams (n = 1..{@link #MAX_N}) of a label padded with a boundary symbol on both
 * sides ({@code ^label$}), the sparse input of the discriminative part of {@link DgaModel}. The
 * hashing trick keeps the weight vector a fixed-size array: no vocabulary, no String per n-gram.
 * Training and scoring both go through {@link #fill} so the two can never disagree.
 */
final class HashedNgrams {
    static final int MAX_N = 5;
    /** Labels are at most {@link DomainName#MAX_LENGTH} bytes, plus two boundaries. */
    static final int MAX_INDICES = (DomainName.MAX_LENGTH + 2) * MAX_N;

    private HashedNgrams() {}

    /**
     * Writes the bucket index (in {@code [0, 2^bits)}) of every n-gram of label {@code b[from, to)} into
     * {@code out} and returns how many were written; a repeated n-gram appears repeatedly (a count).
     */
    static int fill(byte[] b, int from, int to, int bits, int[] out) {
        int n = Math.min(to - from, DomainName.MAX_LENGTH);
        int mask = (1 << bits) - 1;
        int count = 0;
        // padded position p in [0, n+1]: 0 and n+1 are boundaries, p in [1, n] is b[from + p - 1]
        for (int end = 0; end <= n + 1; end++) {
            long h = 0;
            for (int len = 1; len <= MAX_N && end - len + 1 >= 0; len++) {
                int p = end - len + 1;
                int sym = p == 0 || p == n + 1 ? Chars.BOUNDARY : Chars.code(b[from + p - 1]);
                h = h * (Chars.SIZE + 1) + sym + 1; // digits 1..SIZE in base SIZE+1: unique per n-gram
                out[count++] = (int) (mix(h * 8 + len) & mask);
            }
        }
        return count;
    }

    /** Murmur3 finalizer: spreads the small polynomial values over all bits before masking. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
