package io.netsensor.detectors.dga;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the DGA model on held-out data and prints a table.
 *
 * <pre>usage: EvalDga SHARED_DIR [MODEL_FILE, default: the bundled resource]</pre>
 *
 * Benign: the {@link DgaCorpus#BENIGN_EVAL} lists (never trained on), one entry per registered domain,
 * minus names under {@link CdnSuffixes} (the detector ignores those too). Malicious: the held-out split
 * of the feed families and every generated family. Thresholds are set on the benign scores at 0.1 %
 * and 1 % false positives; AUC is per family and pooled per group.
 */
public final class EvalDga {
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: EvalDga SHARED_DIR [MODEL_FILE]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        DgaModel model;
        if (args.length > 1) {
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                model = DgaModel.read(in);
            }
        } else {
            model = DgaModel.bundled();
        }
        DgaCorpus corpus = new DgaCorpus(Path.of(args[0]));
        System.out.println("== benign: popular lists " + DgaCorpus.BENIGN_POPULAR);
        evaluate(corpus, model, DgaCorpus.BENIGN_POPULAR).print(true);
        System.out.println();
        System.out.println("== benign: all held-out lists " + DgaCorpus.BENIGN_EVAL
                + " (the 2014 random sample contains DGA look-ups, so this bounds FPR from above)");
        evaluate(corpus, model, DgaCorpus.BENIGN_EVAL).print(false);
        System.out.printf("(%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Per-family and per-group results. */
    public static final class Result {
        public final List<String> rows = new ArrayList<>();
        public final Map<DgaCorpus.Group, double[]> groupScores = new EnumMap<>(DgaCorpus.Group.class);
        public double[] benign;
        public int benignCdnSkipped;
        public double thr01, thr1;
        public double randomAuc, randomDet01, randomDet1;

        void print(boolean families) {
            System.out.printf("benign held-out registered domains: %d (skipped %d under CDN suffixes)%n",
                    benign.length, benignCdnSkipped);
            System.out.printf("thresholds on held-out benign: 0.1%% FPR = score %.6f, 1%% FPR = score %.6f%n%n",
                    1 / (1 + Math.exp(-thr01)), 1 / (1 + Math.exp(-thr1)));
            if (families) {
                System.out.printf("%-42s %-17s %5s %6s %8s %8s %7s%n", "family", "group", "n", "train", "det@0.1%",
                        "det@1%", "AUC");
                rows.forEach(System.out::println);
                System.out.println();
            }
            System.out.printf("%-28s %6s %8s %8s %7s%n", "group (pooled)", "n", "det@0.1%", "det@1%", "AUC");
            for (Map.Entry<DgaCorpus.Group, double[]> e : groupScores.entrySet()) groupRow(e.getKey().label, e.getValue());
            List<double[]> random = new ArrayList<>();
            groupScores.forEach((g, s) -> {
                if (g.randomCharacter()) random.add(s);
            });
            groupRow("ALL random-character", concat(random));
            groupRow("ALL families", concat(new ArrayList<>(groupScores.values())));
        }

        private void groupRow(String name, double[] s) {
            System.out.printf("%-28s %6d %7.1f%% %7.1f%% %7.4f%n", name, s.length, 100 * detection(s, thr01),
                    100 * detection(s, thr1), auc(benign, s));
        }
    }

    /** Scores are compared as log-odds, which keep their order where the 0..1 score rounds to 1.0. */
    public static Result evaluate(DgaCorpus corpus, DgaModel model, List<String> benignLists) throws IOException {
        DgaModel.Scorer scorer = model.newScorer();
        DomainName d = new DomainName();
        Set<String> registered = new LinkedHashSet<>();
        Result r = new Result();
        for (String list : benignLists) {
            for (String dom : corpus.read(list)) {
                if (!d.parse(dom)) continue;
                if (CdnSuffixes.matches(d)) {
                    r.benignCdnSkipped++;
                    continue;
                }
                String reg = DgaCorpus.registeredDomain(d, dom);
                if (reg != null) registered.add(reg);
            }
        }
        r.benign = registered.stream().mapToDouble(scorer::logit).sorted().toArray();
        r.thr01 = quantile(r.benign, 0.999);
        r.thr1 = quantile(r.benign, 0.99);
        Map<DgaCorpus.Group, List<Double>> pooled = new EnumMap<>(DgaCorpus.Group.class);
        for (DgaCorpus.Family f : corpus.families()) {
            List<Double> s = new ArrayList<>();
            for (String dom : f.domains()) {
                if (DgaCorpus.trainSplit(f, dom)) continue;
                double v = scorer.logit(dom);
                if (!Double.isNaN(v)) s.add(v);
            }
            if (s.size() < 20) continue; // too few held-out names to say anything
            double[] a = s.stream().mapToDouble(Double::doubleValue).toArray();
            pooled.computeIfAbsent(f.group(), g -> new ArrayList<>()).addAll(s);
            boolean trained = f.fromFeed() && f.group() != DgaCorpus.Group.DICTIONARY;
            r.rows.add(String.format("%-42s %-17s %5d %6s %7.1f%% %7.1f%% %7.4f", f.id(), f.group().label, a.length,
                    trained ? "split" : "no", 100 * detection(a, r.thr01), 100 * detection(a, r.thr1), auc(r.benign, a)));
        }
        pooled.forEach((g, s) -> r.groupScores.put(g, s.stream().mapToDouble(Double::doubleValue).toArray()));
        List<double[]> random = new ArrayList<>();
        r.groupScores.forEach((g, s) -> {
            if (g.randomCharacter()) random.add(s);
        });
        double[] all = concat(random);
        r.randomAuc = auc(r.benign, all);
        r.randomDet01 = detection(all, r.thr01);
        r.randomDet1 = detection(all, r.thr1);
        return r;
    }

    /** Score above which a fraction (1 - q) of the sorted values lie. */
    static double quantile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(sorted.length * q))];
    }

    static double detection(double[] s, double threshold) {
        int n = 0;
        for (double v : s) if (v > threshold) n++;
        return n / (double) s.length;
    }

    /** Mann-Whitney AUC of malicious vs sorted benign scores, ties counted half. */
    static double auc(double[] sortedBenign, double[] malicious) {
        double sum = 0;
        for (double v : malicious) {
            int lo = lowerBound(sortedBenign, v), hi = upperBound(sortedBenign, v);
            sum += lo + 0.5 * (hi - lo);
        }
        return sum / ((double) sortedBenign.length * malicious.length);
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (a[m] < v) lo = m + 1; else hi = m;
        }
        return lo;
    }

    private static int upperBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (a[m] <= v) lo = m + 1; else hi = m;
        }
        return lo;
    }

    static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }
}
