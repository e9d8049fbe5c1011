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
import java.util.Set;

/**
 * Rebuilds the bundled DGA model from {@code shared/dga}. Deterministic: the splits are hash buckets
 * of the names and the fit is full-batch Newton (no sampling), so the same data gives the same bytes.
 *
 * <pre>usage: TrainDgaModel SHARED_DIR OUTPUT_FILE [ngram-order, default 4]</pre>
 *
 * Benign labels of {@link DgaCorpus#BENIGN_TRAIN} are split by hash bucket: 0-7 train the n-gram
 * table, 8 trains the regression (so its n-gram features are out-of-sample, as at run time), 9
 * calibrates the 1 % / 0.1 % thresholds. Malicious: the training split of the feed families except
 * dictionary ones (words look benign to a lexical model; teaching it otherwise only costs false
 * positives; the detector catches them by behaviour).
 */
public final class TrainDgaModel {
    /** Dirichlet prior weight of the lower-order estimate when smoothing each n-gram order. */
    static final double BETA = 2.0;
    /** L2 penalty of the regression, per unit of total sample weight. */
    static final double L2 = 1e-4;

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: TrainDgaModel SHARED_DIR OUTPUT_FILE [ngram-order]");
            System.exit(2);
        }
        int order = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        long t0 = System.nanoTime();
        DgaModel model = train(new DgaCorpus(Path.of(args[0])), order, System.out);
        Path out = Path.of(args[1]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        try (OutputStream os = Files.newOutputStream(out)) {
            model.write(os);
        }
        System.out.printf("wrote %s (%d bytes) in %.1f s%n", out, Files.size(out), (System.nanoTime() - t0) / 1e9);
    }

    static DgaModel train(DgaCorpus corpus, int order, java.io.PrintStream log) throws IOException {
        DomainName d = new DomainName();
        List<String> lmLabels = new ArrayList<>(), lrBenign = new ArrayList<>(), calib = new ArrayList<>();
        for (String label : benignLabels(corpus, d)) {
            int b = DgaCorpus.bucket(label);
            (b < 8 ? lmLabels : b == 8 ? lrBenign : calib).add(label);
        }
        Set<String> malicious = new LinkedHashSet<>();
        for (DgaCorpus.Family f : corpus.families()) {
            if (f.group() == DgaCorpus.Group.DICTIONARY) continue;
            for (String dom : f.domains()) {
                if (!DgaCorpus.trainSplit(f, dom)) continue;
                String label = DgaCorpus.registeredLabel(d, dom);
                if (label != null) malicious.add(label);
            }
        }
        NgramTable lm = ngrams(lmLabels, order);
        log.printf("n-gram order %d from %d benign labels; regression on %d benign + %d malicious; calibration %d%n",
                order, lmLabels.size(), lrBenign.size(), malicious.size(), calib.size());

        int n = lrBenign.size() + malicious.size();
        double[][] x = new double[n][DgaFeatures.COUNT];
        double[] y = new double[n];
        int[] counts = new int[Chars.SIZE];
        int i = 0;
        for (String s : lrBenign) features(lm, s, x[i++], counts);
        for (String s : malicious) {
            y[i] = 1;
            features(lm, s, x[i++], counts);
        }
        double[] mean = new double[DgaFeatures.COUNT], std = new double[DgaFeatures.COUNT];
        standardize(x, mean, std);
        // class-balanced weights: each class carries half of the total weight
        double wPos = n / (2.0 * malicious.size()), wNeg = n / (2.0 * lrBenign.size());
        double[] w = newton(x, y, wPos, wNeg);
        // weights were fitted on standardized x; DgaModel standardizes itself, so store as is
        DgaModel untuned = new DgaModel(lm, mean, std, w, 0, 0, "");
        double[] f = new double[DgaFeatures.COUNT];
        double[] cs = new double[calib.size()];
        for (int j = 0; j < cs.length; j++) {
            features(lm, calib.get(j), f, counts);
            cs[j] = untuned.scoreFeatures(f);
        }
        Arrays.sort(cs);
        double t1 = cs[(int) Math.floor(cs.length * 0.99)], t01 = cs[(int) Math.floor(cs.length * 0.999)];
        StringBuilder desc = new StringBuilder("order=" + order + " beta=" + BETA + " l2=" + L2 + " benign="
                + DgaCorpus.BENIGN_TRAIN + " weights:");
        for (int k = 0; k < DgaFeatures.COUNT; k++) desc.append(String.format(" %s=%.3f", DgaFeatures.NAMES[k], w[k]));
        desc.append(String.format(" bias=%.3f", w[DgaFeatures.COUNT]));
        log.println(desc);
        log.printf("thresholds: 1%% FPR %.4f, 0.1%% FPR %.4f (calibration bucket)%n", t1, t01);
        return new DgaModel(lm, mean, std, w, t1, t01, desc.toString());
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

    /** Weighted L2-regularized logistic regression by Newton's method; returns weights then bias. */
    static double[] newton(double[][] x, double[] y, double wPos, double wNeg) {
        int d = x[0].length + 1, n = x.length;
        double[] w = new double[d];
        for (int iter = 0; iter < 25; iter++) {
            double[] grad = new double[d];
            double[][] hess = new double[d][d];
            for (int i = 0; i < n; i++) {
                double z = w[d - 1];
                for (int j = 0; j < d - 1; j++) z += w[j] * x[i][j];
                double p = 1 / (1 + Math.exp(-z));
                double sw = y[i] > 0 ? wPos : wNeg;
                double g = sw * (p - y[i]), h = sw * p * (1 - p);
                for (int j = 0; j < d; j++) {
                    double xj = j < d - 1 ? x[i][j] : 1;
                    grad[j] += g * xj;
                    for (int k = 0; k <= j; k++) hess[j][k] += h * xj * (k < d - 1 ? x[i][k] : 1);
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) hess[k][j] = hess[j][k];
                if (j < d - 1) {
                    grad[j] += L2 * n * w[j];
                    hess[j][j] += L2 * n;
                }
            }
            double[] step = solve(hess, grad);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                w[j] -= step[j];
                norm += step[j] * step[j];
            }
            if (norm < 1e-12) break;
        }
        return w;
    }

    /** Gaussian elimination with partial pivoting (d is ~13, so no library is worth it). */
    static double[] solve(double[][] m, double[] b) {
        int d = b.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = Arrays.copyOf(m[i], d + 1);
            a[i][d] = b[i];
        }
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int r = c + 1; r < d; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= d; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int k = r + 1; k < d; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        return x;
    }
}
