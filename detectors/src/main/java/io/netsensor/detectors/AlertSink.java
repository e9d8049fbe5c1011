package io.netsensor.detectors;

/** Receives alerts as detectors raise them. */
@FunctionalInterface
public interface AlertSink {
    void onAlert(Alert alert);
}
