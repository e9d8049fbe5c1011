package io.netsensor.detectors;

import io.netsensor.events.DetectorKind;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.metrics.Metrics;

/**
 * A pure, incremental detector: events in (in event time), alerts out. No I/O, no wall clock, bounded
 * state. Events arrive roughly in time order; small disorder must be tolerated.
 */
public interface Detector {
    DetectorKind kind();

    default void onConn(ConnEvent event, AlertSink out) {}

    default void onDns(DnsEvent event, AlertSink out) {}

    /** A request/response burst inside a connection. */
    default void onBurst(io.netsensor.events.BurstEvent event, AlertSink out) {}

    /** Process details by entity id, for detectors that group by executable (set before the first event). */
    default void setProcessLookup(io.netsensor.events.ProcessLookup lookup) {}

    /** End of input (a replay's end, or shutdown): a detector may bring its open alerts up to date. */
    default void finish(AlertSink out) {}

    /**
     * Registers the detector's metrics: the common ones ({@code detector.keys}, {@code detector.evictions},
     * {@code detector.expirations}, {@code detector.alerts}, tagged {@code detector=<label>}, see
     * {@link BoundedStates#register}) and its own under {@code detector.<label>.*}. Counts read the
     * detector's own fields, so a detector stays pure: nothing is counted anywhere but in itself.
     */
    void register(Metrics m);

    /** The key of a metric every detector has, e.g. {@code detector.keys{detector=beacon}}. */
    static String metric(String what, DetectorKind kind) {
        return Metrics.name("detector." + what, "detector", kind.label);
    }
}
