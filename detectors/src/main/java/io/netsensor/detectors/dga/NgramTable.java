package io.netsensor.detectors.dga;

/**
 * Smoothed character n-gram log-probabilities over {@link Chars}, precomputed for every context and
 * symbol so scoring is one array read per character. Stored quantized to 0.1 nat in a byte (the
 * quantization error is far below the spread between benign and random names), which keeps the
 * order-4 table at 2.3 MB in memory.
 */
final class NgramTable {
    static final double STEP = 0.1;
    final int order;
    final int contexts; // SIZE^(order-1)
    final byte[] negLogp; // [context * SIZE + symbol] = round(-ln p / STEP), saturating at 255

    NgramTable(int order, byte[] negLogp) {
        this.order = order;
        int c = 1;
        for (int i = 1; i < order; i++) c *= Chars.SIZE;
        this.contexts = c;
        if (negLogp.length != c * Chars.SIZE) throw new IllegalArgumentException("table size " + negLogp.length);
        this.negLogp = negLogp;
    }

    double logp(int ctx, int symbol) {
        return -(negLogp[ctx * Chars.SIZE + symbol] & 0xFF) * STEP;
    }

    /** Context after appending symbol (drops the oldest). */
    int shift(int ctx, int symbol) {
        return (ctx * Chars.SIZE + symbol) % contexts;
    }

    static byte quantize(double logp) {
        long q = Math.round(-logp / STEP);
        return (byte) Math.min(255, Math.max(0, q));
    }
}
