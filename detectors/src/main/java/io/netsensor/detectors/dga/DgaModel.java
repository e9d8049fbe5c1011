package io.netsensor.detectors.dga;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The per-domain lexical DGA model: the log-odds of (1) a logistic regression over hashed character
 * n-grams of the label ({@link HashedNgrams}) and the dense {@link DgaFeatures}, which include the label's
 * log-likelihood under a character n-gram table learnt from benign names (the part that generalizes to
 * unseen random families), mixed with (2) a small character CNN ({@link CharCnn}) over the label and the
 * same dense features. Immutable and shareable; scoring goes through a {@link Scorer} (one per thread)
 * that owns the scratch arrays. Built by {@link TrainDgaModel}.
 */
public final class DgaModel {
    public static final String RESOURCE = "/io/netsensor/detectors/dga/dga-model.bin.gz";
    private static final int MAGIC = 0x4E534447; // "NSDG"
    private static final int VERSION = 4;

    final NgramTable lm;
    /** Dense features this model uses: the first {@code features} of {@link DgaFeatures} (older models: fewer). */
    final int features;
    final double[] mean;
    final double[] std;
    /** weights[0..COUNT) per standardized feature, weights[COUNT] = bias. */
    final double[] weights;
    /** log2 of the number of hashed n-gram weights. */
    final int hashBits;
    /** Hashed n-gram weights, quantized: weight = hashed[i] * hashScale (16 bits keep ~5 significant digits). */
    final short[] hashed;
    final double hashScale;
    /**
     * Character CNNs (v3: at most one; v4: an ensemble of differently seeded nets whose log-odds are
     * averaged); empty in v1/v2 models.
     */
    final CharCnn[] cnns;
    /** Share of the CNNs in the log-odds: (1 - cnnWeight) * regression + cnnWeight * mean CNN log-odds. */
    final double cnnWeight;
    /** Scores at which 1 % and 0.1 % of benign calibration names score higher. */
    public final double threshold1pct;
    public final double threshold01pct;
    public final String description;

    DgaModel(NgramTable lm, double[] mean, double[] std, double[] weights, int hashBits, short[] hashed,
            double hashScale, double threshold1pct, double threshold01pct, String description) {
        this(lm, mean, std, weights, hashBits, hashed, hashScale, new CharCnn[0], 0, threshold1pct, threshold01pct,
                description);
    }

    DgaModel(NgramTable lm, double[] mean, double[] std, double[] weights, int hashBits, short[] hashed,
            double hashScale, CharCnn[] cnns, double cnnWeight, double threshold1pct, double threshold01pct,
            String description) {
        if (cnnWeight < 0 || cnnWeight > 1 || (cnnWeight > 0 && cnns.length == 0)) {
            throw new IllegalArgumentException("cnn weight " + cnnWeight);
        }
        if (hashed.length != 1 << hashBits) throw new IllegalArgumentException("hashed weights " + hashed.length);
        if (mean.length > DgaFeatures.COUNT || weights.length != mean.length + 1 || std.length != mean.length
                || java.util.Arrays.stream(cnns).anyMatch(c -> c.dense != mean.length)) {
            throw new IllegalArgumentException("dense feature count " + mean.length);
        }
        this.lm = lm;
        this.features = mean.length;
        this.mean = mean;
        this.std = std;
        this.weights = weights;
        this.hashBits = hashBits;
        this.hashed = hashed;
        this.hashScale = hashScale;
        this.cnns = cnns.clone();
        this.cnnWeight = cnnWeight;
        this.threshold1pct = threshold1pct;
        this.threshold01pct = threshold01pct;
        this.description = description;
    }

    private static volatile DgaModel bundled;

    /** The model committed as a resource (loaded once). */
    public static DgaModel bundled() {
        DgaModel m = bundled;
        if (m == null) {
            synchronized (DgaModel.class) {
                if (bundled == null) {
                    try (InputStream in = DgaModel.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
                        bundled = read(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                m = bundled;
            }
        }
        return m;
    }

    /** The same weights mixed differently (evaluation of the parts; thresholds are left as they are). */
    DgaModel withCnnWeight(double w) {
        return new DgaModel(lm, mean, std, weights, hashBits, hashed, hashScale, cnns, w, threshold1pct,
                threshold01pct, description);
    }

    public Scorer newScorer() {
        return new Scorer();
    }

    /** The dense part of the log-odds (standardizes the raw features itself). */
    double denseLogit(double[] f) {
        double z = weights[features];
        for (int i = 0; i < features; i++) z += weights[i] * (f[i] - mean[i]) / std[i];
        return z;
    }

    /** The hashed n-gram part of the log-odds for {@code count} indices. */
    double hashedLogit(int[] idx, int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) sum += hashed[idx[i]];
        return sum * hashScale * ngramValue(count);
    }

    /**
     * Input value of each n-gram occurrence: counts scaled by 1/sqrt(total), so a long benign name does
     * not pile up evidence just by being long (length is a dense feature of its own).
     */
    static double ngramValue(int count) {
        return count == 0 ? 0 : 1 / Math.sqrt(count);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Scores names; holds scratch buffers, so one per thread. */
    public final class Scorer {
        private final double[] raw = new double[DgaFeatures.COUNT];
        private final int[] counts = new int[Chars.SIZE];
        private final int[] ngrams = new int[HashedNgrams.MAX_INDICES];
        private final DomainName name = new DomainName();
        private final float[] standardized = new float[DgaModel.this.features];
        private final CharCnn.Scratch[] cnnScratch = new CharCnn.Scratch[cnns.length];

        Scorer() {
            for (int i = 0; i < cnns.length; i++) cnnScratch[i] = cnns[i].newScratch();
        }

        /** Score 0..1 of a lower-case label {@code b[from, to)}: high = improbable (DGA-like). */
        public double scoreLabel(byte[] b, int from, int to) {
            if (to <= from) return 0;
            return sigmoid(logitLabel(b, from, to));
        }

        /** Log-odds of a lower-case label; unlike the score it does not saturate, so evaluation ranks on it. */
        public double logitLabel(byte[] b, int from, int to) {
            DgaFeatures.extract(lm, b, from, to, raw, counts);
            double z = 0;
            if (cnnWeight < 1) {
                int k = HashedNgrams.fill(b, from, to, hashBits, ngrams);
                z = (1 - cnnWeight) * (denseLogit(raw) + hashedLogit(ngrams, k));
            }
            if (cnnWeight > 0) {
                for (int i = 0; i < DgaModel.this.features; i++) standardized[i] = (float) ((raw[i] - mean[i]) / std[i]);
                double sum = 0;
                for (int i = 0; i < cnns.length; i++) sum += cnns[i].logit(cnnScratch[i], b, from, to, standardized);
                z += cnnWeight * sum / cnns.length;
            }
            return z;
        }

        /** Log-odds of a domain's registered label, or NaN when it has none (allocates: tools only). */
        public double logit(String domain) {
            if (!name.parse(domain)) return Double.NaN;
            int k = PublicSuffixes.get().registeredLabel(name);
            return k < 0 ? Double.NaN : logitLabel(name.bytes(), name.labelStart(k), name.labelEnd(k));
        }

        /** Scores the registered label of a parsed name, or returns -1 when it has none. */
        public double score(DomainName d) {
            int k = PublicSuffixes.get().registeredLabel(d);
            if (k < 0) return -1;
            return scoreLabel(d.bytes(), d.labelStart(k), d.labelEnd(k));
        }

        /** Convenience for tests and tools (allocates). */
        public double score(String domain) {
            return name.parse(domain) ? score(name) : -1;
        }
    }

    void write(OutputStream os) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(os)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(description);
            out.writeInt(lm.order);
            out.writeInt(Chars.SIZE);
            out.writeInt(lm.negLogp.length);
            out.write(lm.negLogp);
            out.writeInt(features);
            for (double v : mean) out.writeDouble(v);
            for (double v : std) out.writeDouble(v);
            for (double v : weights) out.writeDouble(v);
            out.writeInt(hashBits);
            out.writeDouble(hashScale);
            for (short v : hashed) out.writeShort(v);
            out.writeInt(cnns.length);
            for (CharCnn c : cnns) c.write(out);
            out.writeDouble(cnnWeight);
            out.writeDouble(threshold1pct);
            out.writeDouble(threshold01pct);
        }
    }

    static DgaModel read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(is)));
        if (in.readInt() != MAGIC) throw new IOException("not a DGA model");
        int version = in.readInt();
        // v1 (dense features only), v2 (no CNN) and v3 (one CNN, 16 features) stay readable so EvalDga can compare old models on today's splits
        if (version < 1 || version > VERSION) throw new IOException("unsupported DGA model v" + version);
        String description = in.readUTF();
        int order = in.readInt();
        if (in.readInt() != Chars.SIZE) throw new IOException("alphabet size mismatch");
        byte[] table = new byte[in.readInt()];
        in.readFully(table);
        int nf = in.readInt();
        if (nf < 1 || nf > DgaFeatures.COUNT) throw new IOException("feature count " + nf + " not in 1.." + DgaFeatures.COUNT);
        double[] mean = readDoubles(in, nf);
        double[] std = readDoubles(in, nf);
        double[] weights = readDoubles(in, nf + 1);
        int bits = version == 1 ? 0 : in.readInt();
        if (bits < 0 || bits > 26) throw new IOException("bad hash size 2^" + bits);
        double scale = version == 1 ? 0 : in.readDouble();
        short[] hashed = new short[1 << bits];
        for (int i = 0; version > 1 && i < hashed.length; i++) hashed[i] = in.readShort();
        int nets = version < 3 ? 0 : version == 3 ? (in.readBoolean() ? 1 : 0) : in.readInt();
        if (nets < 0 || nets > 16) throw new IOException("bad CNN count " + nets);
        CharCnn[] cnns = new CharCnn[nets];
        for (int i = 0; i < nets; i++) {
            cnns[i] = CharCnn.read(in);
            if (cnns[i].dense != nf) throw new IOException("CNN dense input mismatch");
        }
        double cnnWeight = version >= 3 ? in.readDouble() : 0;
        double t1 = in.readDouble();
        double t01 = in.readDouble();
        return new DgaModel(new NgramTable(order, table), mean, std, weights, bits, hashed, scale, cnns, cnnWeight,
                t1, t01, description);
    }

    private static double[] readDoubles(DataInputStream in, int n) throws IOException {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = in.readDouble();
        return d;
    }
}
