package io.netsensor.events;

/**
 * Direction of a flow relative to the monitored host or home_net (ECS network.direction values).
 * OUTBOUND: local originator to remote responder; INBOUND: remote originator to local responder;
 * INTERNAL: both local; EXTERNAL: neither local (forwarded traffic seen on a gateway). Journaled by
 * {@link #code}: codes are on-disk, never renumber, only add.
 */
public enum Direction {
    OUTBOUND(0, "outbound"), INBOUND(1, "inbound"), INTERNAL(2, "internal"), EXTERNAL(3, "external");

    private static final Direction[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
    public final int code;
    public final String ecsName;

    Direction(int code, String ecsName) {
        this.code = code;
        this.ecsName = ecsName;
    }

    public static Direction of(boolean origLocal, boolean respLocal) {
        if (origLocal) return respLocal ? INTERNAL : OUTBOUND;
        return respLocal ? INBOUND : EXTERNAL;
    }

    /** The direction with this code, null for a code this build does not know. */
    public static Direction ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
