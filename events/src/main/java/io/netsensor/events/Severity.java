package io.netsensor.events;

/** Alert severity, ordered: a re-alert is only raised when severity rises. */
public enum Severity {
    LOW("Low"), MEDIUM("Medium"), HIGH("High"), CRITICAL("Critical");

    public final String label;

    Severity(String label) {
        this.label = label;
    }
}
