package io.netsensor.detectors.dga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written character CNN: forward pass, gradients, training, serialization. */
class CharCnnTest {
    private static final int DENSE = 3;

    @Test
    void factorizedForwardEqualsAPlainEmbeddingAndConvolution() {
        CharCnn net = CharCnn.initial(6, 5, 7, DENSE, new Random(1));
        randomizeBiases(net, new Random(2));
        float[] dense = {0.5f, -1f, 2f};
        for (String label : new String[] {"a", "google", "xq7zk1vb9wm2", "my-shop-24", "\u00e9"}) {
            byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
            double fast = net.logit(net.newScratch(), b, 0, b.length, dense);
            assertThat(fast).as(label).isCloseTo(naiveLogit(net, b, dense), within(1e-4));
        }
    }

    @Test
    void backwardPassMatchesFiniteDifferences() {
        CharCnn net = CharCnn.initial(4, 3, 5, DENSE, new Random(3));
        randomizeBiases(net, new Random(4));
        Data data = data(net, 12, new Random(5));
        CharCnnTrainer trainer = new CharCnnTrainer(net, data.labels, data.dense, data.positive, data.weight);
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        float[] g = trainer.gradient(order, 0, order.length);
        int[] probes = {net.emb + 5, net.emb + 30, net.conv + 1, net.convOffset[3] + 7, net.convBias + 2, net.w1 + 4,
                net.w1 + 20, net.b1 + 1, net.w2 + 3, net.b2};
        int checked = 0;
        for (int i : probes) {
            float saved = net.params[i];
            double eps = 1e-2;
            net.params[i] = (float) (saved + eps);
            net.rebuildTable();
            double up = loss(net, data);
            net.params[i] = (float) (saved - eps);
            net.rebuildTable();
            double down = loss(net, data);
            net.params[i] = saved;
            net.rebuildTable();
            double numeric = (up - down) / (2 * eps);
            if (Math.abs(numeric) < 1e-3 && Math.abs(g[i]) < 1e-3) continue; // inactive unit: nothing to compare
            assertThat((double) g[i]).as("parameter %d", i).isCloseTo(numeric, within(0.02 + 0.05 * Math.abs(numeric)));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    @Test
    void learnsToSeparateRandomStringsFromWordsAndIsReproducible() {
        float[] first = null;
        for (int run = 0; run < 2; run++) {
            CharCnn net = CharCnn.initial(8, 8, 8, DENSE, new Random(7));
            Data data = data(net, 400, new Random(8));
            int[] order = new int[data.labels.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            double before = loss(net, data);
            new CharCnnTrainer(net, data.labels, data.dense, data.positive, data.weight)
                    .train(order, 15, 32, 0.01, 9, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(loss(net, data)).isLessThan(before * 0.3);
            // unseen names of both kinds
            CharCnn.Scratch s = net.newScratch();
            float[] zero = new float[DENSE];
            int right = 0;
            Random rnd = new Random(10);
            for (int i = 0; i < 100; i++) {
                byte[] word = word(rnd), random = randomString(rnd);
                if (net.logit(s, random, 0, random.length, zero) > net.logit(s, word, 0, word.length, zero)) right++;
            }
            assertThat(right).isGreaterThan(90);
            if (first == null) first = net.params.clone();
            else assertThat(Arrays.equals(first, net.params)).as("same seed, same weights").isTrue();
        }
    }

    @Test
    void serializedNetScoresLikeTheOriginal() throws Exception {
        CharCnn net = CharCnn.initial(6, 5, 7, DENSE, new Random(11));
        randomizeBiases(net, new Random(12));
        CharCnn copy = net.quantized();
        float[] dense = {1f, 0f, -0.5f};
        for (String label : new String[] {"wikipedia", "kgosquosixxhmfnjthb", "x1"}) {
            byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(copy.logit(copy.newScratch(), b, 0, b.length, dense))
                    .isCloseTo(net.logit(net.newScratch(), b, 0, b.length, dense), within(1e-3));
        }
    }

    /** Reference: embed every symbol, slide each filter over the embedded sequence, max-pool, dense layers. */
    private static double naiveLogit(CharCnn n, byte[] b, float[] dense) {
        float[] p = n.params;
        int len = Math.max(b.length + 2, 5);
        int[] seq = new int[len];
        for (int i = 0; i < b.length; i++) seq[i + 1] = Chars.code(b[i]);
        double[] in = new double[n.inputs];
        for (int w = 0; w < CharCnn.WIDTHS.length; w++) {
            int width = CharCnn.WIDTHS[w];
            for (int f = 0; f < n.filters; f++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int pos = 0; pos + width <= len; pos++) {
                    double sum = p[n.convBias + w * n.filters + f];
                    for (int k = 0; k < width; k++) {
                        for (int d = 0; d < n.dim; d++) {
                            sum += p[n.convOffset[w] + f * width * n.dim + k * n.dim + d] * p[n.emb + seq[pos + k] * n.dim + d];
                        }
                    }
                    best = Math.max(best, sum);
                }
                in[w * n.filters + f] = Math.max(0, best);
            }
        }
        for (int j = 0; j < n.dense; j++) in[CharCnn.WIDTHS.length * n.filters + j] = dense[j];
        double z = p[n.b2];
        for (int k = 0; k < n.hidden; k++) {
            double h = p[n.b1 + k];
            for (int j = 0; j < n.inputs; j++) h += in[j] * p[n.w1 + j * n.hidden + k];
            z += Math.max(0, h) * p[n.w2 + k];
        }
        return z;
    }

    private static void randomizeBiases(CharCnn n, Random rnd) {
        for (int i = n.convBias; i < n.w1; i++) n.params[i] = (float) (rnd.nextGaussian() * 0.3);
        for (int i = n.b1; i < n.w2; i++) n.params[i] = (float) (rnd.nextGaussian() * 0.3);
        n.params[n.b2] = 0.2f;
        n.rebuildTable();
    }

    private record Data(byte[][] labels, float[][] dense, boolean[] positive, double[] weight) {}

    /** Half pronounceable words (negative), half uniform random strings (positive), dense inputs zero. */
    private static Data data(CharCnn n, int count, Random rnd) {
        byte[][] labels = new byte[count][];
        float[][] dense = new float[count][n.dense];
        boolean[] positive = new boolean[count];
        double[] weight = new double[count];
        for (int i = 0; i < count; i++) {
            positive[i] = i % 2 == 1;
            labels[i] = positive[i] ? randomString(rnd) : word(rnd);
            weight[i] = positive[i] ? 1.5 : 1;
        }
        return new Data(labels, dense, positive, weight);
    }

    private static double loss(CharCnn n, Data d) {
        CharCnn.Scratch s = n.newScratch();
        double sum = 0;
        for (int i = 0; i < d.labels.length; i++) {
            double p = DgaModel.sigmoid(n.logit(s, d.labels[i], 0, d.labels[i].length, d.dense[i]));
            sum += d.weight[i] * -Math.log(d.positive[i] ? p : 1 - p);
        }
        return sum;
    }

    private static byte[] word(Random rnd) {
        String c = "bcdfglmnprst", v = "aeiou";
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 2 + rnd.nextInt(4); i < n; i++) {
            sb.append(c.charAt(rnd.nextInt(c.length()))).append(v.charAt(rnd.nextInt(v.length())));
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomString(Random rnd) {
        String a = "abcdefghijklmnopqrstuvwxyz0123456789";
        byte[] b = new byte[6 + rnd.nextInt(10)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) a.charAt(rnd.nextInt(a.length()));
        return b;
    }
}
