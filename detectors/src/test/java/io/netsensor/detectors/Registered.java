package io.netsensor.detectors;

import io.netsensor.metrics.Metrics;

/** Reads a detector's (or the engine's) metrics from a fresh registry, as the agent's summaries read them. */
public final class Registered {
    private Registered() {}

    public static Metrics of(Detector d) {
        Metrics m = new Metrics();
        d.register(m);
        return m;
    }

    public static Metrics of(DetectorEngine e) {
        Metrics m = new Metrics();
        e.register(m);
        return m;
    }

    /** One metric of a detector, e.g. {@code value(d, "detector.keys{detector=beacon}")}. */
    public static long value(Detector d, String key) {
        return of(d).value(key);
    }
}
