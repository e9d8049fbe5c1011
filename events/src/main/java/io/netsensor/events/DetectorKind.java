package io.netsensor.events;

/** The detectors, by the name that appears in an alert's "detector" field. */
public enum DetectorKind {
    BEACON("beacon"), DGA("dga"), RELAY("relay"), FANOUT("fanout"), C2_PORT("c2_port");

    public final String label;

    DetectorKind(String label) {
        this.label = label;
    }
}
