package io.netsensor.events.codec;

/**
 * Record type codes of the binary journal layout (byte 1 of every record header). Codes are part of
 * the on-disk format: never renumber, only add. Readers skip (and count) codes they do not know.
 */
public enum EventType {
    /** A code this build does not know (a newer writer, or a damaged record). */
    UNKNOWN(0),
    CONN(1),
    DNS(2),
    /** A detector alert ({@link io.netsensor.events.Alert}, {@link AlertCodec}), and every re-alert of it. */
    ALERT(3),
    /** A process that owns sockets of journaled records ({@link io.netsensor.events.ProcessEvent}), once per process. */
    PROCESS(4),
    /** A row of summarized telemetry ({@link io.netsensor.events.TelemetryRow}, {@link TelemetryCodec}). */
    TELEMETRY(5),
    /** An ALERT record copied forward by retention before its cycle was deleted ({@link SalvagedCodec}). */
    SALVAGED(6),
    /** A request/response exchange inside a connection ({@link io.netsensor.events.BurstEvent}). */
    BURST(7);

    public final int code;

    EventType(int code) {
        this.code = code;
    }

    public static EventType ofCode(int code) {
        switch (code) {
            case 1: return CONN;
            case 2: return DNS;
            case 3: return ALERT;
            case 4: return PROCESS;
            case 5: return TELEMETRY;
            case 6: return SALVAGED;
            case 7: return BURST;
            default: return UNKNOWN;
        }
    }
}
