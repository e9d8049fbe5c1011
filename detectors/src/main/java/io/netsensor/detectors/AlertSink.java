package io.netsensor.detectors;
import io.netsensor.events.Alert;

/** Receives alerts as detectors raise them. */
@FunctionalInterface
public interface AlertSink {
    void onAlert(Alert alert);
}
