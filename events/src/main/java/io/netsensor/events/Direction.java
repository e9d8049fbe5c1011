package io.netsensor.events;

/**
 * Direction of a flow relative to the monitored host or home_net (ECS network.direction values).
 * OUTBOUND: local originator to remote responder; INBOUND: remote originator to local responder;
 * INTERNAL: both local; EXTERNAL: neither local (forwarded traffic seen on a gateway).
 */
public enum Direction {
    OUTBOUND("outbound"), INBOUND("inbound"), INTERNAL("internal"), EXTERNAL("external");

    private static final Direction[] VALUES = values();
    public final String ecsName;

    Direction(String ecsName) {
        this.ecsName = ecsName;
    }

    public static Direction of(boolean origLocal, boolean respLocal) {
        if (origLocal) return respLocal ? INTERNAL : OUTBOUND;
        return respLocal ? INBOUND : EXTERNAL;
    }

    public static Direction ofCode(int code) {
        return VALUES[code];
    }
}
