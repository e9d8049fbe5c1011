package io.netsensor.detectors;

import io.netsensor.events.DetectorKind;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import java.util.Map;

/**
 * A pure, incremental detector: events in (in event time), alerts out. No I/O, no wall clock, bounded
 * state. Events arrive roughly in time order; small disorder must be tolerated.
 */
public interface Detector {
    DetectorKind kind();

    default void onConn(ConnEvent event, AlertSink out) {}

    default void onDns(DnsEvent event, AlertSink out) {}

    /** Counters for metrics and the replay summary (keys, evictions, alerts, ...). */
    Map<String, Long> stats();
}
