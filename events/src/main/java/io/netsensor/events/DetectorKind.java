package io.netsensor.events;

/**
 * The detectors, by the name that appears in an alert's "detector" field. Journaled by {@link #code}
 * (ALERT records): codes are on-disk, never renumber, only add.
 */
public enum DetectorKind {
    BEACON(0, "beacon"), DGA(1, "dga"), RELAY(2, "relay"), FANOUT(3, "fanout"), C2_PORT(4, "c2_port"),
    DNS_TUNNEL(5, "dns_tunnel"), SCAN(6, "scan");

    private static final DetectorKind[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
    public final int code;
    public final String label;

    DetectorKind(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The detector with this code, null for a code this build does not know. */
    public static DetectorKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
