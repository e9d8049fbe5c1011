package io.netsensor.sinks;

import io.netsensor.events.codec.EventType;

/**
 * What a sink forwards, chosen per sink: alerts, summarized telemetry, raw events (connection and DNS
 * records), bursts (the request/response exchanges inside a connection). The config's {@code events} means
 * EVENT and BURST together (a sink forwarding raw events forwards every raw record, as Zeek's or Packetbeat's
 * shippers do); {@code bursts} alone selects BURST.
 */
public enum RecordKind {
    ALERT, TELEMETRY, EVENT, BURST;

    /** The kind of a journal record type; null for records every sink reads for context (PROCESS) or skips. */
    static RecordKind of(EventType type) {
        switch (type) {
            case ALERT: return ALERT;
            case TELEMETRY: return TELEMETRY;
            case CONN: case DNS: return EVENT;
            case BURST: return BURST;
            default: return null;
        }
    }
}
