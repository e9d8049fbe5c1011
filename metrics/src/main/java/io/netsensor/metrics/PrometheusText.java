package io.netsensor.metrics;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Snapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry as Prometheus text (exposition format 0.0.4), written by the Prometheus client library's own
 * writer from snapshots built here, so escaping, {@code _total} suffixes and summaries follow the spec.
 * The mapping (metrics/README.md): {@code netsensor_} + the key's base with dots as underscores, its tags as
 * labels; {@link Metrics.Count} and Dropwizard counters are counters, other gauges ({@link Metrics.Level})
 * gauges, histograms summaries (quantiles over the histogram's window, a count and a sum).
 */
public final class PrometheusText {
    /** What to put in a Content-Type header. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};

    private PrometheusText() {}

    /** {@code capture.decode.malformed} is {@code netsensor_capture_decode_malformed}. */
    public static String prometheusName(String base) {
        return "netsensor_" + base.replace('.', '_');
    }

    /** Writes every metric of the registry now (reads each once). */
    public static void write(Metrics metrics, OutputStream out) throws IOException {
        WRITER.write(out, snapshots(metrics));
    }

    /** The registry's metrics as Prometheus snapshots, one family per base, sorted by name. */
    public static MetricSnapshots snapshots(Metrics metrics) {
        // base -> (labels -> metric); the registry's map is sorted by key, so one base's keys are grouped
        Map<String, List<Map.Entry<Labels, Metric>>> families = new TreeMap<>();
        for (Map.Entry<String, Metric> e : metrics.registry().getMetrics().entrySet()) {
            Metrics.Name n = Metrics.Name.parse(e.getKey());
            Labels labels = Labels.of(new ArrayList<>(n.tags().keySet()), new ArrayList<>(n.tags().values()));
            families.computeIfAbsent(n.base(), k -> new ArrayList<>()).add(Map.entry(labels, e.getValue()));
        }
        List<MetricSnapshot> out = new ArrayList<>();
        families.forEach((base, points) -> {
            MetricSnapshot s = family(base, points);
            if (s != null) out.add(s);
        });
        return new MetricSnapshots(out);
    }

    private static MetricSnapshot family(String base, List<Map.Entry<Labels, Metric>> points) {
        String name = prometheusName(base);
        String help = base + " (metrics/README.md)";
        Metric first = points.get(0).getValue();
        if (first instanceof Histogram) {
            SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
            for (Map.Entry<Labels, Metric> p : points) {
                if (!(p.getValue() instanceof Histogram h)) continue; // a base has one type; never mixed in practice
                Snapshot snap = h.getSnapshot();
                Quantiles.Builder q = Quantiles.builder();
                for (double quantile : QUANTILES) q.quantile(new Quantile(quantile, snap.getValue(quantile)));
                double sum = 0;
                for (long v : snap.getValues()) sum += v;
                // count and sum over the window the quantiles come from, so sum/count is their mean
                b.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                        .count(snap.size()).sum(sum).quantiles(q.build()).labels(p.getKey()).build());
            }
            return b.build();
        }
        if (first instanceof Counting) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
            for (Map.Entry<Labels, Metric> p : points) {
                if (p.getValue() instanceof Counting c) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(c.getCount()).labels(p.getKey()).build());
                }
            }
            return b.build();
        }
        if (first instanceof Gauge<?>) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            for (Map.Entry<Labels, Metric> p : points) {
                if (p.getValue() instanceof Gauge<?> g && !(p.getValue() instanceof Counting)
                        && g.getValue() instanceof Number v) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v.doubleValue()).labels(p.getKey()).build());
                }
            }
            return b.build();
        }
        return null; // meters and timers: the agent registers none
    }
}
