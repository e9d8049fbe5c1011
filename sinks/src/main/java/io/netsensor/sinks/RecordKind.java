package io.netsensor.sinks;

import io.netsensor.events.codec.EventType;

/** What a sink forwards, chosen per sink: alerts, summarized telemetry, raw events (connection and DNS records). */
public enum RecordKind {
    ALERT, TELEMETRY, EVENT;

    /** The kind of a journal record type; null for records every sink reads for context (PROCESS) or skips. */
    static RecordKind of(EventType type) {
        switch (type) {
            case ALERT: return ALERT;
            case TELEMETRY: return TELEMETRY;
            case CONN: case DNS: return EVENT;
            default: return null;
        }
    }
}
