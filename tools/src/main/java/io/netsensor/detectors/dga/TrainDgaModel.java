package io.netsensor.detectors.dga;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Rebuilds the bundled DGA model from {@code shared/dga}. Deterministic: the splits are hash buckets
 * of the names, the SGD order comes from a fixed seed and the arithmetic is single-threaded, so the
 * same data gives the same bytes.
 *
 * <pre>usage: TrainDgaModel SHARED_DIR OUTPUT_FILE</pre>
 *
 * Benign labels of {@link DgaCorpus#BENIGN_TRAIN} are split by hash bucket. The n-gram table bundled
 * with the model learns from buckets 0-3; the regression learns from buckets 0-8, and its n-gram
 * log-likelihood features are always out-of-sample, as at run time (cross-fitting: buckets 0-3 are
 * featurized with a second table learnt from buckets 4-7, the rest with the bundled one). Bucket 9
 * calibrates the stored 1 % / 0.1 % thresholds. Malicious: the training split of every
 * {@link DgaCorpus#trainable} family.
 */
public final class TrainDgaModel {
    /** Dirichlet prior weight of the lower-order estimate when smoothing each n-gram order. */
    static final double BETA = 2.0;
    static final int ORDER = 4;
    /** 2^20 hashed n-gram weights: collisions cost nothing measurable beyond this (see DGA.md). */
    static final int HASH_BITS = Integer.getInteger("dga.bits", 20);
    static final int EPOCHS = Integer.getInteger("dga.epochs", 6);
    /** AdaGrad base learning rate and L2 penalty per update. */
    static final double LEARNING_RATE = Double.parseDouble(System.getProperty("dga.lr", "0.1"));
    static final double L2 = Double.parseDouble(System.getProperty("dga.l2", "1e-5"));
    /** Total weight of the malicious class relative to the benign class. */
    static final double POSITIVE_WEIGHT = Double.parseDouble(System.getProperty("dga.pos", "1.0"));
    static final long SEED = 20240601L;
    /** Character CNN ({@link CharCnn}) shape and training; CNN_WEIGHT is its share of the shipped log-odds. */
    static final int CNN_DIM = Integer.getInteger("dga.cnn.dim", 24);
    static final int CNN_FILTERS = Integer.getInteger("dga.cnn.filters", 48);
    static final int CNN_HIDDEN = Integer.getInteger("dga.cnn.hidden", 64);
    static final int CNN_EPOCHS = Integer.getInteger("dga.cnn.epochs", 3);
    static final int CNN_BATCH = Integer.getInteger("dga.cnn.batch", 256);
    static final double CNN_LR = Double.parseDouble(System.getProperty("dga.cnn.lr", "0.002"));
    /** Each malicious training label appears this many times per epoch (its weight shrinks to match). */
    static final int CNN_REPEAT = Integer.getInteger("dga.cnn.repeat", 4);
    static final double CNN_WEIGHT = Double.parseDouble(System.getProperty("dga.cnn.weight", "0.5"));
    /** Number of differently seeded CNNs whose log-odds the model averages (an ensemble cuts seed variance). */
    static final int CNN_NETS = Integer.getInteger("dga.cnn.nets", 2);

    /**
     * Synthetic malicious training labels: uniform random strings over one alphabet, lengths uniform in a
     * range. The feed/generator training families cover few lengths per style (all trainable hex names are
     * 32-character md5s), so the model cannot learn that the style, not the length, is the evidence.
     */
    static final int SYNTH_HEX = Integer.getInteger("dga.synth.hex", 2000);
    static final int SYNTH_ALNUM = Integer.getInteger("dga.synth.alnum", 0);
    static final int SYNTH_LETTERS = Integer.getInteger("dga.synth.letters", 0);

    /**
     * Adds {@code count} seeded uniform random labels over {@code alphabet} with lengths in [minLen, maxLen],
     * except those that are benign labels (no benign name of any bucket is ever taught as malicious).
     */
    static void synthetic(Set<String> out, Set<String> benign, String alphabet, int count, int minLen, int maxLen,
            Random rnd) {
        StringBuilder sb = new StringBuilder(maxLen);
        for (int i = 0; i < count; i++) {
            sb.setLength(0);
            int len = minLen + rnd.nextInt(maxLen - minLen + 1);
            for (int k = 0; k < len; k++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            String label = sb.toString();
            if (!benign.contains(label)) out.add(label);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: TrainDgaModel SHARED_DIR OUTPUT_FILE");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        DgaModel model = train(new DgaCorpus(Path.of(args[0])), System.out);
        Path out = Path.of(args[1]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        try (OutputStream os = Files.newOutputStream(out)) {
            model.write(os);
        }
        System.out.printf("wrote %s (%d bytes) in %.1f s%n", out, Files.size(out), (System.nanoTime() - t0) / 1e9);
    }

    static DgaModel train(DgaCorpus corpus, java.io.PrintStream log) throws IOException {
        // fitted rows: benign first, then malicious (trainCnn relies on that order)
        DomainName d = new DomainName();
        List<String> lmA = new ArrayList<>(), lmB = new ArrayList<>(), benign = new ArrayList<>(),
                calib = new ArrayList<>(), validBenign = new ArrayList<>();
        for (String label : benignLabels(corpus, d)) {
            int b = DgaCorpus.bucket(label);
            if (b < 4) lmA.add(label); else if (b < 8) lmB.add(label);
            if (VALIDATE && b == VALID_BUCKET) validBenign.add(label);
            else (b < 9 ? benign : calib).add(label);
        }
        Set<String> maliciousSet = new LinkedHashSet<>(), validMalicious = new LinkedHashSet<>();
        for (DgaCorpus.Family f : corpus.families()) {
            for (String dom : f.domains()) {
                if (!DgaCorpus.trainSplit(f, dom)) continue;
                String label = DgaCorpus.registeredLabel(d, dom);
                if (label == null) continue;
                if (VALIDATE && DgaCorpus.bucket(label) == DgaCorpus.MALICIOUS_TRAIN_BUCKETS - 1) {
                    if (f.group().randomCharacter()) validMalicious.add(label);
                } else {
                    maliciousSet.add(label);
                }
            }
        }
        maliciousSet.removeAll(validMalicious);
        int real = maliciousSet.size();
        Set<String> benignAll = new java.util.HashSet<>(benign);
        benignAll.addAll(calib);
        synthetic(maliciousSet, benignAll, "0123456789abcdef", SYNTH_HEX, 8, 32, new Random(SEED + 11));
        synthetic(maliciousSet, benignAll, "0123456789abcdefghijklmnopqrstuvwxyz", SYNTH_ALNUM, 8, 24, new Random(SEED + 12));
        synthetic(maliciousSet, benignAll, "abcdefghijklmnopqrstuvwxyz", SYNTH_LETTERS, 6, 24, new Random(SEED + 13));
        if (maliciousSet.size() > real) log.printf("synthetic uniform random labels: %d%n", maliciousSet.size() - real);
        List<String> malicious = new ArrayList<>(maliciousSet);
        NgramTable tableA = ngrams(lmA, ORDER), tableB = ngrams(lmB, ORDER);
        log.printf("n-gram order %d from %d (+%d cross-fit) benign labels; regression on %d benign + %d malicious;"
                + " calibration %d%n", ORDER, lmA.size(), lmB.size(), benign.size(), malicious.size(), calib.size());

        int n = benign.size() + malicious.size();
        String[] labels = new String[n];
        double[][] x = new double[n][DgaFeatures.COUNT];
        boolean[] positive = new boolean[n];
        int[] counts = new int[Chars.SIZE];
        int i = 0;
        for (String s : benign) {
            labels[i] = s;
            features(DgaCorpus.bucket(s) < 4 ? tableB : tableA, s, x[i++], counts);
        }
        for (String s : malicious) {
            labels[i] = s;
            positive[i] = true;
            features(tableA, s, x[i++], counts);
        }
        double[] mean = new double[DgaFeatures.COUNT], std = new double[DgaFeatures.COUNT];
        standardize(x, mean, std);
        double wPos = POSITIVE_WEIGHT * benign.size() / malicious.size();
        Fit fit = adagrad(labels, x, positive, wPos);
        long tc = System.nanoTime();
        int nets = CNN_EPOCHS == 0 ? 0 : CNN_NETS;
        CharCnn[] net = new CharCnn[nets], shipped = new CharCnn[nets];
        for (int k = 0; k < nets; k++) {
            net[k] = trainCnn(labels, x, positive, benign.size(), SEED + 100L * k, log);
            shipped[k] = net[k].quantized();
        }
        if (nets > 0) {
            log.printf("cnn: %d x %d weights, trained in %.1f s%n", nets, net[0].parameterCount(),
                    (System.nanoTime() - tc) / 1e9);
        }
        double cnnWeight = nets == 0 ? 0 : CNN_WEIGHT;

        // quantize, then calibrate on exactly what will be shipped
        double max = 0;
        for (double v : fit.hashed) max = Math.max(max, Math.abs(v));
        double scale = max == 0 ? 1 : max / Short.MAX_VALUE;
        short[] q = new short[fit.hashed.length];
        for (int j = 0; j < q.length; j++) q[j] = (short) Math.round(fit.hashed[j] / scale);
        DgaModel untuned = new DgaModel(tableA, mean, std, fit.dense, HASH_BITS, q, scale, shipped, cnnWeight, 0, 0, "");
        DgaModel.Scorer scorer = untuned.newScorer();
        double[] cs = new double[calib.size()];
        for (int j = 0; j < cs.length; j++) {
            byte[] b = calib.get(j).getBytes(StandardCharsets.ISO_8859_1);
            cs[j] = scorer.scoreLabel(b, 0, b.length);
        }
        for (int k = 0; k < nets; k++) {
            log.printf("cnn %d int16 quantization: largest CNN log-odds change on the calibration set %.4f%n", k,
                    quantizationError(net[k], shipped[k], untuned, calib));
        }
        if (VALIDATE) validate(untuned, validBenign, new ArrayList<>(validMalicious), log);
        Arrays.sort(cs);
        double t1 = cs[(int) Math.floor(cs.length * 0.99)], t01 = cs[(int) Math.floor(cs.length * 0.999)];
        StringBuilder desc = new StringBuilder("order=" + ORDER + " beta=" + BETA + " hashBits=" + HASH_BITS
                + " maxN=" + HashedNgrams.MAX_N + " epochs=" + EPOCHS + " lr=" + LEARNING_RATE + " l2=" + L2
                + " pos=" + POSITIVE_WEIGHT + " synth=" + SYNTH_HEX + "/" + SYNTH_ALNUM + "/" + SYNTH_LETTERS + " seed=" + SEED + " benign=" + DgaCorpus.BENIGN_TRAIN + " dense weights:");
        for (int k = 0; k < DgaFeatures.COUNT; k++) {
            desc.append(String.format(" %s=%.3f", DgaFeatures.NAMES[k], fit.dense[k]));
        }
        desc.append(String.format(" bias=%.3f", fit.dense[DgaFeatures.COUNT]));
        if (nets > 0) {
            desc.append(" cnn: nets=" + nets + " dim=" + CNN_DIM + " filters=" + CNN_FILTERS + "x" + Arrays.toString(CharCnn.WIDTHS)
                    + " hidden=" + CNN_HIDDEN + " epochs=" + CNN_EPOCHS + " batch=" + CNN_BATCH + " lr=" + CNN_LR
                    + " repeat=" + CNN_REPEAT + " weight=" + CNN_WEIGHT);
        }
        log.println(desc);
        log.printf("thresholds: 1%% FPR %.6f, 0.1%% FPR %.6f (calibration bucket)%n", t1, t01);
        return new DgaModel(tableA, mean, std, fit.dense, HASH_BITS, q, scale, shipped, cnnWeight, t1, t01,
                desc.toString());
    }

    /**
     * The CNN on the same rows as the regression ({@code x} already standardized); benign rows come
     * first ({@code nBenign}). Each epoch sees every benign label once and every malicious one
     * {@link #CNN_REPEAT} times, weighted so both classes carry equal total weight, as in the regression.
     */
    static CharCnn trainCnn(String[] labels, double[][] x, boolean[] positive, int nBenign, long seed,
            java.io.PrintStream log) {
        int n = labels.length, nMal = n - nBenign;
        byte[][] bytes = new byte[n][];
        float[][] dense = new float[n][DgaFeatures.COUNT];
        double[] w = new double[n];
        double wPos = POSITIVE_WEIGHT * nBenign / ((double) nMal * CNN_REPEAT);
        for (int i = 0; i < n; i++) {
            bytes[i] = labels[i].getBytes(StandardCharsets.ISO_8859_1);
            for (int j = 0; j < DgaFeatures.COUNT; j++) dense[i][j] = (float) x[i][j];
            w[i] = positive[i] ? wPos : 1;
        }
        int[] order = new int[nBenign + nMal * CNN_REPEAT];
        for (int i = 0; i < nBenign; i++) order[i] = i;
        for (int r = 0, k = nBenign; r < CNN_REPEAT; r++) for (int i = nBenign; i < n; i++) order[k++] = i;
        CharCnn net = CharCnn.initial(CNN_DIM, CNN_FILTERS, CNN_HIDDEN, DgaFeatures.COUNT, new Random(seed + 1));
        new CharCnnTrainer(net, bytes, dense, positive, w).train(order, CNN_EPOCHS, CNN_BATCH, CNN_LR, seed + 2, log);
        return net;
    }

    /**
     * Validation on training data only (never the evaluation lists): with {@code -Ddga.validate=true},
     * benign bucket {@link #VALID_BUCKET} and malicious training bucket 6 (random-character families) are
     * left out of fitting and scored here, for choosing hyper-parameters and the CNN share without
     * looking at the evaluation views. The model written in that mode is for comparison only.
     */
    static final boolean VALIDATE = Boolean.getBoolean("dga.validate");
    static final int VALID_BUCKET = 8;

    static void validate(DgaModel model, List<String> benign, List<String> malicious, java.io.PrintStream log) {
        for (double w : new double[] {0, 0.25, 0.5, 0.75, 1}) {
            if (w > 0 && model.cnns.length == 0) break;
            DgaModel.Scorer scorer = model.withCnnWeight(w).newScorer();
            double[] b = logits(scorer, benign), m = logits(scorer, malicious);
            Arrays.sort(b);
            double t01 = EvalDga.quantile(b, 0.999), t1 = EvalDga.quantile(b, 0.99);
            log.printf("validation (benign bucket %d: %d, random-character malicious: %d), cnn share %.2f:"
                    + " det@0.1%% %.1f%%, det@1%% %.1f%%, AUC %.4f%n", VALID_BUCKET, b.length, m.length, w,
                    100 * EvalDga.detection(m, t01), 100 * EvalDga.detection(m, t1), EvalDga.auc(b, m));
        }
    }

    private static double[] logits(DgaModel.Scorer scorer, List<String> labels) {
        double[] out = new double[labels.size()];
        for (int i = 0; i < out.length; i++) {
            byte[] l = labels.get(i).getBytes(StandardCharsets.ISO_8859_1);
            out[i] = scorer.logitLabel(l, 0, l.length);
        }
        return out;
    }

    /** Largest |CNN log-odds| difference between the float net and its int16 copy over the calibration labels. */
    private static double quantizationError(CharCnn exact, CharCnn shipped, DgaModel model, List<String> calib) {
        CharCnn.Scratch a = exact.newScratch(), b = shipped.newScratch();
        double[] f = new double[DgaFeatures.COUNT];
        float[] z = new float[DgaFeatures.COUNT];
        int[] counts = new int[Chars.SIZE];
        double worst = 0;
        for (String s : calib) {
            byte[] l = s.getBytes(StandardCharsets.ISO_8859_1);
            DgaFeatures.extract(model.lm, l, 0, l.length, f, counts);
            for (int j = 0; j < f.length; j++) z[j] = (float) ((f[j] - model.mean[j]) / model.std[j]);
            worst = Math.max(worst, Math.abs(exact.logit(a, l, 0, l.length, z) - shipped.logit(b, l, 0, l.length, z)));
        }
        return worst;
    }

    /** Fitted weights: dense (standardized features, then bias) and hashed n-grams. */
    record Fit(double[] dense, double[] hashed) {}

    /**
     * Logistic regression by AdaGrad SGD over the hashed n-grams and the standardized dense features,
     * in a seeded shuffled order per epoch. Hand-written because the model is tiny and dependency-free
     * training keeps the rebuild a single `java` command; L2 is applied lazily to the touched weights.
     */
    static Fit adagrad(String[] labels, double[][] x, boolean[] positive, double wPos) {
        int n = labels.length, d = DgaFeatures.COUNT;
        double[] dense = new double[d + 1], gDense = new double[d + 1];
        double[] hashed = new double[1 << HASH_BITS], gHashed = new double[1 << HASH_BITS];
        int[] idx = new int[HashedNgrams.MAX_INDICES];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random rnd = new Random(SEED);
        byte[][] bytes = new byte[n][];
        for (int i = 0; i < n; i++) bytes[i] = labels[i].getBytes(StandardCharsets.ISO_8859_1);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates with the seeded generator
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double loss = 0;
            for (int r = 0; r < n; r++) {
                int s = order[r];
                int k = HashedNgrams.fill(bytes[s], 0, bytes[s].length, HASH_BITS, idx);
                double v = DgaModel.ngramValue(k);
                double z = dense[d];
                for (int j = 0; j < d; j++) z += dense[j] * x[s][j];
                double hz = 0;
                for (int j = 0; j < k; j++) hz += hashed[idx[j]];
                z += hz * v;
                double p = DgaModel.sigmoid(z);
                double sw = positive[s] ? wPos : 1;
                loss += sw * (positive[s] ? -Math.log(Math.max(p, 1e-15)) : -Math.log(Math.max(1 - p, 1e-15)));
                double g = sw * (p - (positive[s] ? 1 : 0));
                for (int j = 0; j <= d; j++) {
                    double gj = g * (j < d ? x[s][j] : 1) + (j < d ? L2 * dense[j] : 0);
                    gDense[j] += gj * gj;
                    dense[j] -= LEARNING_RATE * gj / (Math.sqrt(gDense[j]) + 1e-8);
                }
                for (int j = 0; j < k; j++) {
                    int h = idx[j];
                    double gj = g * v + L2 * hashed[h];
                    gHashed[h] += gj * gj;
                    hashed[h] -= LEARNING_RATE * gj / (Math.sqrt(gHashed[h]) + 1e-8);
                }
            }
            System.out.printf("epoch %d: weighted log-loss %.5f%n", epoch + 1, loss / n);
        }
        return new Fit(dense, hashed);
    }

    /** Distinct registered labels of the benign training list, in file order. */
    static Set<String> benignLabels(DgaCorpus corpus, DomainName d) throws IOException {
        Set<String> labels = new LinkedHashSet<>();
        for (String dom : corpus.read(DgaCorpus.BENIGN_TRAIN)) {
            String label = DgaCorpus.registeredLabel(d, dom);
            if (label != null) labels.add(label);
        }
        return labels;
    }

    static void features(NgramTable lm, String label, double[] out, int[] counts) {
        byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
        DgaFeatures.extract(lm, b, 0, b.length, out, counts);
    }

    /** Interpolated n-gram estimates: P_k(c|h) = (C(hc) + BETA * P_{k-1}(c|h')) / (C(h) + BETA). */
    static NgramTable ngrams(List<String> labels, int order) {
        int a = Chars.SIZE;
        long[][] counts = new long[order + 1][];
        int[] pow = new int[order + 1];
        pow[0] = 1;
        for (int k = 1; k <= order; k++) {
            pow[k] = pow[k - 1] * a;
            counts[k] = new long[pow[k]];
        }
        for (String s : labels) {
            int ctx = 0;
            for (int i = 0; i <= s.length(); i++) {
                int c = i < s.length() ? Chars.code((byte) s.charAt(i)) : Chars.BOUNDARY;
                for (int k = 1; k <= order; k++) counts[k][(ctx % pow[k - 1]) * a + c]++;
                ctx = (ctx * a + c) % pow[order - 1];
            }
        }
        double[] p = new double[a];
        long total = Arrays.stream(counts[1]).sum();
        for (int c = 0; c < a; c++) p[c] = (counts[1][c] + 1.0) / (total + a);
        for (int k = 2; k <= order; k++) {
            double[] next = new double[pow[k]];
            for (int h = 0; h < pow[k - 1]; h++) {
                long ch = 0;
                for (int c = 0; c < a; c++) ch += counts[k][h * a + c];
                int lower = h % pow[k - 2];
                for (int c = 0; c < a; c++) {
                    next[h * a + c] = (counts[k][h * a + c] + BETA * p[lower * a + c]) / (ch + BETA);
                }
            }
            p = next;
        }
        byte[] q = new byte[p.length];
        for (int j = 0; j < p.length; j++) q[j] = NgramTable.quantize(Math.log(p[j]));
        return new NgramTable(order, q);
    }

    static void standardize(double[][] x, double[] mean, double[] std) {
        int n = x.length, d = mean.length;
        for (double[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j] / n;
        for (double[] r : x) for (int j = 0; j < d; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
        for (int j = 0; j < d; j++) std[j] = Math.max(1e-9, Math.sqrt(std[j]));
        for (double[] r : x) for (int j = 0; j < d; j++) r[j] = (r[j] - mean[j]) / std[j];
    }
}
