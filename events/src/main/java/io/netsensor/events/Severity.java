package io.netsensor.events;

/**
 * Alert severity, ordered: a re-alert is only raised when severity rises. Journaled by {@link #code}
 * (ALERT records): codes are on-disk, never renumber, only add.
 */
public enum Severity {
    LOW(0, "Low"), MEDIUM(1, "Medium"), HIGH(2, "High"), CRITICAL(3, "Critical");

    private static final Severity[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
    public final int code;
    public final String label;

    Severity(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The severity with this code, null for a code this build does not know. */
    public static Severity ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
