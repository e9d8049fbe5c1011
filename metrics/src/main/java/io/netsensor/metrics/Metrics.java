package io.netsensor.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The agent's one metric registry (a Dropwizard {@link MetricRegistry}) with the project's naming rules.
 * Components register their metrics once, at wiring time ({@code register(Metrics)}); the stop line, the
 * replay summary, the bench and (later) the Prometheus endpoint read them here.
 *
 * <h2>Names</h2>
 * A metric's key is {@code base} or {@code base{key=value,key=value}}:
 * <ul>
 * <li>{@code base}: dotted lower-case words, the owning component first ({@code capture.}, {@code conn.},
 *     {@code dns.}, {@code attribution.}, {@code journal.}, {@code detector.}, {@code detect.}, {@code sink.}),
 *     then what is counted, e.g. {@code conn.flows_created}. A base names one fixed thing in the code.</li>
 * <li>tags: what varies at run time or is one of a closed set (a reason, a detector, a sink name from the
 *     config), e.g. {@code capture.decode.malformed{reason=truncated_ip}}. Keys are sorted in the key,
 *     so {@link #name} is the one way to spell it. A base always carries the same tag keys (or none);
 *     a total over a tag's values is read with {@link #sum}.</li>
 * </ul>
 * The Prometheus exporter maps a key to {@code netsensor_} + base with dots as underscores, the tags as
 * labels, and the type from the Java type: {@link Count} and {@link Counter} are counters ({@code _total}),
 * {@link Level} is a gauge, {@link Histogram} a summary. metrics/README.md lists every metric.
 *
 * <h2>Which type at which site</h2>
 * The per-packet path must not allocate or slow down, so its components keep their plain {@code long}
 * fields (single writer, the capture thread) and register a {@link Count} that reads the field when the
 * registry is read: nothing is added per packet. A read from another thread sees a recent value (64-bit
 * fields are read whole on the JVMs we run), and an exact one after the writer thread was joined, which is
 * when the stop line and the replay summary read. {@link #counter} (a LongAdder) is for rare events
 * counted where no field exists yet, or by more than one thread.
 */
public final class Metrics {
    private static final Pattern BASE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
    private static final Pattern TAG_KEY = Pattern.compile("[a-z][a-z0-9_]*");
    /** Tag values are free text (sink names come from the config) except for the key's own punctuation. */
    private static final Pattern TAG_VALUE = Pattern.compile("[^{}=,\\s\"\\\\]+");
    /** Samples a histogram keeps: a fixed array, so an update allocates nothing. */
    static final int HISTOGRAM_WINDOW = 1024;

    private final MetricRegistry registry = new MetricRegistry();

    /** A monotonic count read from a component's own counter (exported as a counter). */
    public static final class Count implements Gauge<Long>, Counting {
        private final LongSupplier source;

        Count(LongSupplier source) {
            this.source = source;
        }

        @Override
        public Long getValue() {
            return source.getAsLong();
        }

        @Override
        public long getCount() {
            return source.getAsLong();
        }
    }

    /** A current level that goes up and down: flows open, cache sizes (exported as a gauge). */
    public static final class Level implements Gauge<Long> {
        private final LongSupplier source;

        Level(LongSupplier source) {
            this.source = source;
        }

        @Override
        public Long getValue() {
            return source.getAsLong();
        }
    }

    /**
     * The key of {@code base} with tags given as key, value pairs: {@code name("dns.malformed", "reason",
     * "short_header")} is {@code dns.malformed{reason=short_header}}.
     */
    public static String name(String base, String... tags) {
        if (!BASE.matcher(base).matches()) throw new IllegalArgumentException("bad metric name: " + base);
        if (tags.length % 2 != 0) throw new IllegalArgumentException("tags come in key, value pairs: " + base);
        if (tags.length == 0) return base;
        TreeMap<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            if (!TAG_KEY.matcher(tags[i]).matches()) throw new IllegalArgumentException("bad tag key: " + tags[i]);
            if (!TAG_VALUE.matcher(tags[i + 1]).matches()) {
                throw new IllegalArgumentException("bad tag value for " + tags[i] + ": '" + tags[i + 1] + "'");
            }
            if (sorted.put(tags[i], tags[i + 1]) != null) throw new IllegalArgumentException("tag twice: " + tags[i]);
        }
        StringBuilder sb = new StringBuilder(base).append('{');
        sorted.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        sb.setCharAt(sb.length() - 1, '}');
        return sb.toString();
    }

    /** A key taken apart: its base and its tags (sorted by key); for exporters. */
    public record Name(String base, SortedMap<String, String> tags) {
        public static Name parse(String key) {
            int brace = key.indexOf('{');
            if (brace < 0) return new Name(key, new TreeMap<>());
            TreeMap<String, String> tags = new TreeMap<>();
            for (String kv : key.substring(brace + 1, key.length() - 1).split(",")) {
                int eq = kv.indexOf('=');
                tags.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            return new Name(key.substring(0, brace), tags);
        }
    }

    /** Registers a monotonic count over a component's own counter; see the class comment for when. */
    public Count count(String name, LongSupplier source) {
        return registry.register(checked(name), new Count(source));
    }

    /** Registers a level (a value that also goes down) read when the registry is read. */
    public Level gauge(String name, LongSupplier source) {
        return registry.register(checked(name), new Level(source));
    }

    /** A counter of its own (LongAdder): for rare events, any thread; not for the per-packet path. */
    public Counter counter(String name) {
        return registry.register(checked(name), new Counter());
    }

    /** A histogram of the last {@value #HISTOGRAM_WINDOW} samples (updates allocate nothing); not per packet. */
    public Histogram histogram(String name) {
        return registry.register(checked(name), new Histogram(new SlidingWindowReservoir(HISTOGRAM_WINDOW)));
    }

    private static String checked(String key) {
        Name n = Name.parse(key);
        String canonical = name(n.base(), n.tags().entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new));
        if (!canonical.equals(key)) throw new IllegalArgumentException("not a canonical metric key (use Metrics.name): " + key);
        return key;
    }

    /** True when a metric of this exact key is registered. */
    public boolean contains(String key) {
        return registry.getMetrics().containsKey(key);
    }

    /**
     * The value of one metric: a count, a gauge's value, a histogram's sample count.
     *
     * @throws IllegalArgumentException when no metric has this key (a misspelt name fails loudly)
     */
    public long value(String key) {
        Metric m = registry.getMetrics().get(key);
        if (m == null) throw new IllegalArgumentException("no metric " + key);
        return valueOf(m);
    }

    /** The value of {@code name(base, tags...)}. */
    public long value(String base, String... tags) {
        return value(name(base, tags));
    }

    /** The total of a base over all its tag sets (0 when none is registered, e.g. detection is off). */
    public long sum(String base) {
        long sum = 0;
        for (Map.Entry<String, Metric> e : registry.getMetrics().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(base) && (k.length() == base.length() || k.charAt(base.length()) == '{')) {
                sum += valueOf(e.getValue());
            }
        }
        return sum;
    }

    /** Every metric whose key starts with {@code prefix} and its value now, by key (tests, dumps). */
    public SortedMap<String, Long> values(String prefix) {
        SortedMap<String, Long> out = new TreeMap<>();
        registry.getMetrics().forEach((k, m) -> {
            if (k.startsWith(prefix)) out.put(k, valueOf(m));
        });
        return out;
    }

    private static long valueOf(Metric m) {
        if (m instanceof Counting c) return c.getCount();
        if (m instanceof Gauge<?> g) {
            Object v = g.getValue();
            return v instanceof Number n ? n.longValue() : 0;
        }
        throw new IllegalStateException("no single value for a " + m.getClass().getSimpleName());
    }

    /**
     * Unregisters every metric tagged {@code tag=value} (a sink a config reload removed or replaced, whose
     * successor registers the same keys); returns how many.
     */
    public int removeTagged(String tag, String value) {
        int[] n = {0};
        registry.removeMatching((key, m) -> {
            boolean match = value.equals(Name.parse(key).tags().get(tag));
            if (match) n[0]++;
            return match;
        });
        return n[0];
    }

    /** The underlying registry, for reporters and exporters. */
    public MetricRegistry registry() {
        return registry;
    }
}
