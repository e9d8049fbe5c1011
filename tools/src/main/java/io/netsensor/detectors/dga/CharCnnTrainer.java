package io.netsensor.detectors.dga;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a {@link CharCnn} with Adam on weighted log-loss, in seeded mini-batches. Each batch is cut
 * into fixed halves whose gradients two threads compute into their own buffers; the halves are then
 * summed in a fixed order, so the result does not depend on thread scheduling (byte-for-byte reproducible).
 *
 * <p>Backward pass through the factorized convolution: a pooled filter's gradient lands on the table
 * rows its argmax window read ({@code dTable}); once per batch, {@code dTable} is pushed back to the
 * embedding and convolution weights (both linear), which costs per batch what the table rebuild costs.
 */
final class CharCnnTrainer {
    static final int THREADS = 2;

    private final CharCnn net;
    private final byte[][] labels;
    private final float[][] dense;
    private final boolean[] positive;
    private final double[] weight;
    private final Worker[] workers = new Worker[THREADS];
    private final float[] grad;
    private final float[] gTable;
    private final double[] m, v;
    private int step;

    CharCnnTrainer(CharCnn net, byte[][] labels, float[][] dense, boolean[] positive, double[] weight) {
        this.net = net;
        this.labels = labels;
        this.dense = dense;
        this.positive = positive;
        this.weight = weight;
        for (int t = 0; t < THREADS; t++) workers[t] = new Worker();
        grad = new float[net.parameterCount()];
        gTable = new float[net.table.length];
        m = new double[grad.length];
        v = new double[grad.length];
    }

    /**
     * Runs {@code epochs} passes over {@code order} (a list of sample indices, repeated entries allowed,
     * reshuffled every epoch), with a learning rate decaying linearly from {@code lr} to {@code lr / 10}.
     */
    void train(int[] order, int epochs, int batch, double lr, long seed, PrintStream log) {
        Random rnd = new Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread th = new Thread(r, "cnn-train");
            th.setDaemon(true);
            return th;
        });
        try {
            long totalSteps = (long) epochs * ((order.length + batch - 1) / batch);
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                shuffle(order, rnd);
                double loss = 0, wsum = 0;
                for (int start = 0; start < order.length; start += batch) {
                    int end = Math.min(order.length, start + batch), mid = (start + end) >>> 1;
                    List<Callable<Void>> tasks = new ArrayList<>(THREADS);
                    final int s0 = start, e0 = end;
                    tasks.add(() -> workers[0].run(order, s0, mid));
                    tasks.add(() -> workers[1].run(order, mid, e0));
                    for (Future<Void> f : pool.invokeAll(tasks)) f.get();
                    double bw = combine();
                    for (Worker w : workers) loss += w.loss;
                    wsum += bw;
                    double rate = lr * (1 - 0.9 * step / (double) totalSteps);
                    adam(rate, (float) (1 / bw));
                    net.rebuildTable();
                }
                log.printf("cnn epoch %d: weighted log-loss %.5f (%.1f s)%n", epoch + 1, loss / wsum,
                        (System.nanoTime() - t0) / 1e9);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sums the workers' gradients in a fixed order (deterministic float sums); returns the batch weight. */
    private double combine() {
        double bw = 0;
        Arrays.fill(grad, 0);
        Arrays.fill(gTable, 0);
        for (Worker w : workers) {
            bw += w.weight;
            for (int i = 0; i < grad.length; i++) grad[i] += w.grad[i];
            for (int i = 0; i < gTable.length; i++) gTable[i] += w.gTable[i];
        }
        tableToWeights();
        return bw;
    }

    /** Gradient of the summed weighted log-loss over samples {@code order[from, to)} at the current weights (tests). */
    float[] gradient(int[] order, int from, int to) {
        int mid = (from + to) >>> 1;
        workers[0].run(order, from, mid);
        workers[1].run(order, mid, to);
        combine();
        return grad.clone();
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Chain rule from the table gradient to the embedding and convolution weights (table = conv x embedding). */
    private void tableToWeights() {
        float[] p = net.params;
        int F = net.filters, D = net.dim;
        for (int w = 0; w < CharCnn.WIDTHS.length; w++) {
            int width = CharCnn.WIDTHS[w], rowLen = width * D;
            for (int k = 0; k < width; k++) {
                for (int sym = 0; sym < Chars.SIZE; sym++) {
                    int t = ((net.slotOffset[w] + k) * Chars.SIZE + sym) * F, e = net.emb + sym * D;
                    for (int f = 0; f < F; f++) {
                        float g = gTable[t + f];
                        if (g == 0) continue;
                        int c = net.convOffset[w] + f * rowLen + k * D;
                        for (int d = 0; d < D; d++) {
                            grad[c + d] += g * p[e + d];
                            grad[e + d] += g * p[c + d];
                        }
                    }
                }
            }
        }
    }

    private void adam(double rate, float scale) {
        step++;
        double b1 = 0.9, b2 = 0.999, c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
        float[] p = net.params;
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] * scale;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            p[i] -= (float) (rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }

    /** One thread's share of a batch: forward, backward, gradients into its own buffers. */
    private final class Worker {
        final CharCnn.Scratch s = net.newScratch();
        final float[] grad = new float[net.parameterCount()];
        final float[] gTable = new float[net.table.length];
        final float[] dh = new float[net.hidden];
        double loss, weight;

        Void run(int[] order, int from, int to) {
            Arrays.fill(grad, 0);
            Arrays.fill(gTable, 0);
            loss = 0;
            weight = 0;
            for (int r = from; r < to; r++) sample(order[r]);
            return null;
        }

        private void sample(int i) {
            CharCnn n = net;
            float[] p = n.params;
            byte[] b = labels[i];
            CharCnn.encode(s, b, 0, b.length);
            System.arraycopy(dense[i], 0, s.in, CharCnn.WIDTHS.length * n.filters, n.dense);
            double z = n.forward(s, true);
            double prob = DgaModel.sigmoid(z), sw = CharCnnTrainer.this.weight[i];
            boolean y = positive[i];
            loss += sw * (y ? -Math.log(Math.max(prob, 1e-15)) : -Math.log(Math.max(1 - prob, 1e-15)));
            weight += sw;
            float g = (float) (sw * (prob - (y ? 1 : 0)));
            int H = n.hidden;
            float[] h = s.h, in = s.in;
            grad[n.b2] += g;
            for (int k = 0; k < H; k++) {
                grad[n.w2 + k] += g * h[k];
                dh[k] = h[k] > 0 ? g * p[n.w2 + k] : 0;
                grad[n.b1 + k] += dh[k];
            }
            int conv = CharCnn.WIDTHS.length * n.filters;
            for (int j = 0; j < n.inputs; j++) {
                float x = in[j];
                if (x == 0) continue; // ReLU-inactive pooled filter (or zero feature): no gradient either way
                int row = n.w1 + j * H;
                float din = 0;
                for (int k = 0; k < H; k++) {
                    grad[row + k] += x * dh[k];
                    din += p[row + k] * dh[k];
                }
                if (j >= conv) continue;
                int w = j / n.filters, f = j % n.filters, pos = s.argmax[j];
                grad[n.convBias + j] += din;
                for (int k = 0; k < CharCnn.WIDTHS[w]; k++) {
                    gTable[((n.slotOffset[w] + k) * Chars.SIZE + s.seq[pos + k]) * n.filters + f] += din;
                }
            }
        }
    }
}
