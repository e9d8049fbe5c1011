package io.netsensor.capture.testing;

import io.netsensor.metrics.Metrics;
import java.util.function.Consumer;

/** A fresh registry with one component's metrics in it: tests read counters as the summary lines do. */
public final class TestMetrics {
    private TestMetrics() {}

    /** E.g. {@code TestMetrics.of(tracker::register).value("conn.flows_created")}. */
    public static Metrics of(Consumer<Metrics> register) {
        Metrics m = new Metrics();
        register.accept(m);
        return m;
    }
}
