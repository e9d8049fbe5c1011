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
        String mix = System.getProperty("dga.cnn.weight");
        if (mix != null) { // evaluate the parts of a model with a CNN: 0 = regression alone, 1 = CNN alone
            model = model.withCnnWeight(Double.parseDouble(mix));
        }
        System.out.println("model: " + model.description + (model.cnns.length == 0 ? "" : "; cnn share " + model.cnnWeight));
        DgaCorpus corpus = new DgaCorpus(Path.of(args[0]));
        System.out.println("== benign: popular lists " + DgaCorpus.BENIGN_POPULAR);
        Result popular = evaluate(corpus, model, DgaCorpus.BENIGN_POPULAR);
        popular.print(true);
        System.out.println();
        System.out.println("highest-scoring benign (popular lists): " + popular.topBenign(40));
        System.out.println();
        System.out.println("== benign: recent popular lists " + DgaCorpus.BENIGN_RECENT
                + " (without the 2014 OpenDNS top list and its DGA look-ups)");
        Result recent = evaluate(corpus, model, DgaCorpus.BENIGN_RECENT);
        recent.print(false);
        System.out.println();
        System.out.println("highest-scoring benign (recent lists): " + recent.topBenign(40));
        System.out.println();
        System.out.println("== benign: popular lists, only registered labels absent from the training list"
                + " (the lists share their most popular names with Alexa)");
        evaluate(corpus, model, unseenBenign(corpus, DgaCorpus.BENIGN_POPULAR)).print(false);
        System.out.println();
        System.out.println("== benign: all held-out lists " + DgaCorpus.BENIGN_EVAL
                + " (the 2014 random sample contains DGA look-ups, so this bounds FPR from above)");
        evaluate(corpus, model, DgaCorpus.BENIGN_EVAL).print(false);
        System.out.println();
        System.out.println("== benign: Alexa held-out bucket 9 of " + DgaCorpus.BENIGN_TRAIN
                + " (never fitted; the published anchors' setting: Alexa vs feeds)");
        evaluate(corpus, model, alexaHeldOut(corpus)).print(true);
        System.out.println();
        throughput(corpus, model);
        System.out.printf("(%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Registered domains of {@code lists} whose registered label the training list does not contain. */
    static Set<String> unseenBenign(DgaCorpus corpus, List<String> lists) throws IOException {
        DomainName d = new DomainName();
        Set<String> trained = TrainDgaModel.benignLabels(corpus, d);
        Set<String> out = new LinkedHashSet<>();
        for (String reg : benignDomains(corpus, lists, new int[1])) {
            if (!trained.contains(DgaCorpus.registeredLabel(d, reg))) out.add(reg);
        }
        return out;
    }

    /** Registered domains of the training list whose label falls in the calibration bucket 9. */
    static Set<String> alexaHeldOut(DgaCorpus corpus) throws IOException {
        DomainName d = new DomainName();
        Set<String> out = new LinkedHashSet<>();
        for (String reg : benignDomains(corpus, List.of(DgaCorpus.BENIGN_TRAIN), new int[1])) {
            String label = DgaCorpus.registeredLabel(d, reg);
            if (label != null && DgaCorpus.bucket(label) == 9) out.add(reg);
        }
        return out;
    }

    /** Scoring speed on the held-out gen/ names (registered label already split, as in the detector). */
    static void throughput(DgaCorpus corpus, DgaModel model) throws IOException {
        List<byte[]> names = new ArrayList<>();
        DomainName d = new DomainName();
        for (DgaCorpus.Family f : corpus.families()) {
            for (String dom : f.domains()) {
                String label = DgaCorpus.registeredLabel(d, dom);
                if (label != null) names.add(label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        DgaModel.Scorer scorer = model.newScorer();
        double sink = 0;
        long scored = 0, start = 0;
        for (int round = 0; round < 30; round++) {
            if (round == 10) { // first rounds warm up the JIT
                start = System.nanoTime();
                scored = 0;
            }
            for (byte[] b : names) sink += scorer.scoreLabel(b, 0, b.length);
            scored += names.size();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("scoring throughput: %.2f M labels/s (one thread, mean label length %.1f; checksum %.3f)%n",
                scored / secs / 1e6, names.stream().mapToInt(b -> b.length).average().orElse(0), sink);
    }

    /** Per-family and per-group results. */
    public static final class Result {
        public final List<String> rows = new ArrayList<>();
        public final Map<DgaCorpus.Group, double[]> groupScores = new EnumMap<>(DgaCorpus.Group.class);
        public double[] benign;
        /** Benign domains with their log-odds, highest first. */
        final List<Map.Entry<String, Double>> benignRanked = new ArrayList<>();
        /** Random-character families never trained on (all names held out). */
        public double[] unseenRandom;
        /** Held-out names of random-character families whose registered label has at most 8 characters. */
        public double[] shortRandom;
        /** Held-out names of the hex generators (families whose labels are all 0-9a-f). */
        public double[] hexNames;
        public int benignCdnSkipped;
        public double thr01, thr1;
        public double randomAuc, randomDet01, randomDet1;

        String topBenign(int k) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Double> e : benignRanked.subList(0, Math.min(k, benignRanked.size()))) {
                sb.append(String.format("%s %.1f, ", e.getKey(), e.getValue()));
            }
            return sb.toString();
        }

        void print(boolean families) {
            System.out.printf("benign held-out registered domains: %d (skipped %d names under CDN suffixes)%n",
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
            groupRow("  of which never-trained fams", unseenRandom);
            groupRow("  of which short (<= 8 chars)", shortRandom);
            groupRow("  of which hex generators", hexNames);
            groupRow("ALL families", concat(new ArrayList<>(groupScores.values())));
        }

        private void groupRow(String name, double[] s) {
            System.out.printf("%-28s %6d %7.1f%% %7.1f%% %7.4f%n", name, s.length, 100 * detection(s, thr01),
                    100 * detection(s, thr1), auc(benign, s));
        }
    }

    /**
     * Distinct registered domains of the lists, minus names under {@link CdnSuffixes} (counted in
     * {@code cdnSkipped[0]}) as the detector skips them.
     */
    static Set<String> benignDomains(DgaCorpus corpus, List<String> lists, int[] cdnSkipped) throws IOException {
        DomainName d = new DomainName();
        Set<String> registered = new LinkedHashSet<>();
        for (String list : lists) {
            for (String dom : corpus.read(list)) {
                if (!d.parse(dom)) continue;
                if (CdnSuffixes.matches(d)) {
                    cdnSkipped[0]++;
                    continue;
                }
                String reg = DgaCorpus.registeredDomain(d, dom);
                if (reg != null) registered.add(reg);
            }
        }
        return registered;
    }

    public static Result evaluate(DgaCorpus corpus, DgaModel model, List<String> benignLists) throws IOException {
        int[] skipped = new int[1];
        Set<String> benign = benignDomains(corpus, benignLists, skipped);
        Result r = evaluate(corpus, model, benign);
        r.benignCdnSkipped = skipped[0];
        return r;
    }

    /** Scores are compared as log-odds, which keep their order where the 0..1 score rounds to 1.0. */
    public static Result evaluate(DgaCorpus corpus, DgaModel model, Set<String> benignDomains) throws IOException {
        DgaModel.Scorer scorer = model.newScorer();
        Result r = new Result();
        for (String dom : benignDomains) {
            double v = scorer.logit(dom);
            if (!Double.isNaN(v)) r.benignRanked.add(Map.entry(dom, v));
        }
        r.benignRanked.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        r.benign = r.benignRanked.stream().mapToDouble(Map.Entry::getValue).sorted().toArray();
        r.thr01 = quantile(r.benign, 0.999);
        r.thr1 = quantile(r.benign, 0.99);
        Map<DgaCorpus.Group, List<Double>> pooled = new EnumMap<>(DgaCorpus.Group.class);
        List<Double> unseenRandom = new ArrayList<>(), shortRandom = new ArrayList<>(), hexNames = new ArrayList<>();
        DomainName d = new DomainName();
        for (DgaCorpus.Family f : corpus.families()) {
            List<Double> s = new ArrayList<>(), shorts = new ArrayList<>();
            int hex = 0;
            for (String dom : f.domains()) {
                if (DgaCorpus.trainSplit(f, dom)) continue;
                double v = scorer.logit(dom);
                if (Double.isNaN(v)) continue;
                s.add(v);
                String label = DgaCorpus.registeredLabel(d, dom);
                if (label.length() <= 8) shorts.add(v);
                if (label.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) hex++;
            }
            if (s.size() < 20) continue; // too few held-out names to say anything
            double[] a = s.stream().mapToDouble(Double::doubleValue).toArray();
            pooled.computeIfAbsent(f.group(), g -> new ArrayList<>()).addAll(s);
            if (f.group().randomCharacter() && !DgaCorpus.trainable(f)) unseenRandom.addAll(s);
            if (f.group().randomCharacter()) shortRandom.addAll(shorts);
            if (f.group().randomCharacter() && hex >= 0.9 * s.size()) hexNames.addAll(s);
            boolean trained = DgaCorpus.trainable(f);
            r.rows.add(String.format("%-42s %-17s %5d %6s %7.1f%% %7.1f%% %7.4f", f.id(), f.group().label, a.length,
                    trained ? "split" : "no", 100 * detection(a, r.thr01), 100 * detection(a, r.thr1), auc(r.benign, a)));
        }
        pooled.forEach((g, s) -> r.groupScores.put(g, s.stream().mapToDouble(Double::doubleValue).toArray()));
        r.unseenRandom = unseenRandom.stream().mapToDouble(Double::doubleValue).toArray();
        r.shortRandom = shortRandom.stream().mapToDouble(Double::doubleValue).toArray();
        r.hexNames = hexNames.stream().mapToDouble(Double::doubleValue).toArray();
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
