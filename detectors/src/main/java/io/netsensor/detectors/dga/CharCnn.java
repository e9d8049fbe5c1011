package io.netsensor.detectors.dga;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * A small character CNN over a label: symbol embedding -> 1D convolutions of widths 2-5 (ReLU, global
 * max pooling) -> concatenated with the standardized {@link DgaFeatures} -> one ReLU hidden layer -> logit.
 * Hand-written because the net is tiny (~40k weights) and an ML runtime would be a large dependency
 * for one dot-product loop.
 *
 * <p>Speed trick: embedding and convolution are both linear, so their product is precomputed per
 * (width, offset, symbol) into {@link #table}; a convolution output at one position is then the sum
 * of {@code width} table rows (vector adds over the filters) instead of {@code width * dim} multiply-adds
 * per filter. Training exploits the same factorization (see {@link CharCnnTrainer}).
 *
 * <p>Parameters live in one float array ({@link #params}) with fixed offsets, which keeps the optimizer
 * and the (int16, per-64-value scale) serialization one loop each.
 */
final class CharCnn {
    static final int[] WIDTHS = {2, 3, 4, 5};
    /** Longest label the net reads (a DNS label has at most 63 bytes; longer input is truncated). */
    static final int MAX_LABEL = 63;
    /** Boundary-padded sequence: at least the widest filter, so every width has one position. */
    static final int MAX_SEQ = MAX_LABEL + 2;
    private static final int QUANT_CHUNK = 64;

    final int dim, filters, hidden, dense;
    /** Number of (width, offset) slots: 2 + 3 + 4 + 5. */
    final int slots;
    final int[] slotOffset = new int[WIDTHS.length];
    final int inputs;
    // offsets into params
    final int emb, conv, convBias, w1, b1, w2, b2;
    final int[] convOffset = new int[WIDTHS.length];
    final float[] params;
    /** [slot][symbol][filter]: embedding of symbol times the filter's weights at that offset. */
    final float[] table;

    CharCnn(int dim, int filters, int hidden, int dense, float[] params) {
        this.dim = dim;
        this.filters = filters;
        this.hidden = hidden;
        this.dense = dense;
        int s = 0;
        for (int i = 0; i < WIDTHS.length; i++) {
            slotOffset[i] = s;
            s += WIDTHS[i];
        }
        this.slots = s;
        this.inputs = WIDTHS.length * filters + dense;
        int o = 0;
        emb = o;
        o += Chars.SIZE * dim;
        conv = o;
        for (int i = 0; i < WIDTHS.length; i++) {
            convOffset[i] = o;
            o += filters * WIDTHS[i] * dim;
        }
        convBias = o;
        o += WIDTHS.length * filters;
        w1 = o;
        o += inputs * hidden;
        b1 = o;
        o += hidden;
        w2 = o;
        o += hidden;
        b2 = o;
        o += 1;
        if (params == null) params = new float[o];
        if (params.length != o) throw new IllegalArgumentException("parameter count " + params.length + " != " + o);
        this.params = params;
        this.table = new float[slots * Chars.SIZE * filters];
        rebuildTable();
    }

    /** He-initialized net (fixed seed: training is reproducible). */
    static CharCnn initial(int dim, int filters, int hidden, int dense, Random rnd) {
        CharCnn n = new CharCnn(dim, filters, hidden, dense, null);
        float[] p = n.params;
        for (int i = n.emb; i < n.conv; i++) p[i] = (float) rnd.nextGaussian();
        for (int w = 0; w < WIDTHS.length; w++) {
            double sd = Math.sqrt(2.0 / (WIDTHS[w] * dim));
            for (int i = 0; i < filters * WIDTHS[w] * dim; i++) p[n.convOffset[w] + i] = (float) (rnd.nextGaussian() * sd);
        }
        double sd1 = Math.sqrt(2.0 / n.inputs);
        for (int i = n.w1; i < n.b1; i++) p[i] = (float) (rnd.nextGaussian() * sd1);
        double sd2 = Math.sqrt(1.0 / hidden);
        for (int i = n.w2; i < n.b2; i++) p[i] = (float) (rnd.nextGaussian() * sd2);
        n.rebuildTable();
        return n;
    }

    int parameterCount() {
        return params.length;
    }

    /** Recomputes {@link #table} from the embedding and convolution weights (after every training step). */
    void rebuildTable() {
        float[] p = params;
        for (int w = 0; w < WIDTHS.length; w++) {
            int width = WIDTHS[w], rowLen = width * dim;
            for (int k = 0; k < width; k++) {
                for (int sym = 0; sym < Chars.SIZE; sym++) {
                    int t = ((slotOffset[w] + k) * Chars.SIZE + sym) * filters, e = emb + sym * dim;
                    for (int f = 0; f < filters; f++) {
                        int c = convOffset[w] + f * rowLen + k * dim;
                        float sum = 0;
                        for (int d = 0; d < dim; d++) sum += p[c + d] * p[e + d];
                        table[t + f] = sum;
                    }
                }
            }
        }
    }

    /** Per-thread buffers of one forward pass (the trainer's backward pass reads them too). */
    final class Scratch {
        final int[] seq = new int[MAX_SEQ];
        int len;
        final float[] acc = new float[filters];
        final float[] pooled = new float[WIDTHS.length * filters];
        final int[] argmax = new int[WIDTHS.length * filters];
        /** Hidden-layer input: ReLU of the pooled maxima, then the standardized dense features. */
        final float[] in = new float[inputs];
        final float[] h = new float[hidden];
    }

    Scratch newScratch() {
        return new Scratch();
    }

    /**
     * Log-odds of lower-case label {@code b[from, to)}; {@code denseStd} holds the {@link #dense}
     * standardized features. Allocates nothing.
     */
    double logit(Scratch s, byte[] b, int from, int to, float[] denseStd) {
        encode(s, b, from, to);
        System.arraycopy(denseStd, 0, s.in, WIDTHS.length * filters, dense);
        return forward(s, false);
    }

    /** {@code ^label$}, padded with further boundary symbols up to the widest filter. */
    static void encode(Scratch s, byte[] b, int from, int to) {
        int n = Math.min(to - from, MAX_LABEL);
        int[] seq = s.seq;
        seq[0] = Chars.BOUNDARY;
        for (int i = 0; i < n; i++) seq[i + 1] = Chars.code(b[from + i]);
        int len = n + 2;
        seq[n + 1] = Chars.BOUNDARY;
        while (len < WIDTHS[WIDTHS.length - 1]) seq[len++] = Chars.BOUNDARY;
        s.len = len;
    }

    /**
     * Forward pass over an encoded sequence in {@code s.seq} and dense inputs already in {@code s.in};
     * {@code training} also records each filter's argmax position for the backward pass (scoring skips
     * that branchy loop so the max vectorizes).
     */
    double forward(Scratch s, boolean training) {
        float[] p = params, t = table, acc = s.acc, pooled = s.pooled, in = s.in, h = s.h;
        int[] seq = s.seq, argmax = s.argmax;
        int F = filters;
        for (int w = 0; w < WIDTHS.length; w++) {
            int width = WIDTHS[w], base = w * F;
            for (int f = 0; f < F; f++) pooled[base + f] = Float.NEGATIVE_INFINITY;
            for (int pos = 0; pos + width <= s.len; pos++) {
                System.arraycopy(p, convBias + base, acc, 0, F);
                for (int k = 0; k < width; k++) {
                    int row = ((slotOffset[w] + k) * Chars.SIZE + seq[pos + k]) * F;
                    for (int f = 0; f < F; f++) acc[f] += t[row + f];
                }
                if (training) {
                    for (int f = 0; f < F; f++) {
                        if (acc[f] > pooled[base + f]) {
                            pooled[base + f] = acc[f];
                            argmax[base + f] = pos;
                        }
                    }
                } else {
                    for (int f = 0; f < F; f++) pooled[base + f] = Math.max(pooled[base + f], acc[f]);
                }
            }
            for (int f = 0; f < F; f++) in[base + f] = Math.max(0f, pooled[base + f]);
        }
        int H = hidden;
        System.arraycopy(p, b1, h, 0, H);
        for (int j = 0; j < inputs; j++) {
            float v = in[j];
            if (v == 0) continue;
            int row = w1 + j * H;
            for (int k = 0; k < H; k++) h[k] += v * p[row + k];
        }
        double z = p[b2];
        for (int k = 0; k < H; k++) {
            if (h[k] < 0) h[k] = 0;
            z += h[k] * p[w2 + k];
        }
        return z;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(dim);
        out.writeInt(filters);
        out.writeInt(hidden);
        out.writeInt(dense);
        out.writeInt(params.length);
        // int16 with one float scale per 64 values: half of float32; int8 moved the CNN's log-odds by up
        // to 0.6 on calibration names, int16 by ~0.003 (TrainDgaModel prints it), and the net is only ~60 KB
        for (int c = 0; c < params.length; c += QUANT_CHUNK) {
            int end = Math.min(params.length, c + QUANT_CHUNK);
            float max = 0;
            for (int i = c; i < end; i++) max = Math.max(max, Math.abs(params[i]));
            float scale = max == 0 ? 1 : max / Short.MAX_VALUE;
            out.writeFloat(scale);
            for (int i = c; i < end; i++) out.writeShort(Math.round(params[i] / scale));
        }
    }

    static CharCnn read(DataInputStream in) throws IOException {
        int dim = in.readInt(), filters = in.readInt(), hidden = in.readInt(), dense = in.readInt(), n = in.readInt();
        if (dim <= 0 || dim > 256 || filters <= 0 || filters > 1024 || hidden <= 0 || hidden > 1024 || n <= 0
                || n > 10_000_000) {
            throw new IOException("bad CNN shape");
        }
        float[] p = new float[n];
        for (int c = 0; c < n; c += QUANT_CHUNK) {
            float scale = in.readFloat();
            for (int i = c; i < Math.min(n, c + QUANT_CHUNK); i++) p[i] = in.readShort() * scale;
        }
        return new CharCnn(dim, filters, hidden, dense, p);
    }

    /** The net as it will be after {@link #write} and {@link #read}: training calibrates on exactly that. */
    CharCnn quantized() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out);
        }
        return read(new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    }
}
