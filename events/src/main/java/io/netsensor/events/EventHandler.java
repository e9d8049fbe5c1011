package io.netsensor.events;

/**
 * Receives decoded events. Implementations must not keep a reference to the event: it is a reused
 * flyweight-style record and changes after the call returns (copy what you need).
 */
public interface EventHandler {
    void onConn(ConnEvent event);

    void onDns(DnsEvent event);

    /** A request/response exchange inside a connection (BURST records); default: ignored. */
    default void onBurst(BurstEvent event) {}

    /** A process that owns sockets of later (or, for deferred records, nearby) records; once per process. */
    default void onProcess(ProcessEvent event) {}

    /**
     * An alert, as journaled by the detectors (ALERT records; every re-alert of an id too). Unlike the
     * other callbacks the alert is an immutable value the handler may keep.
     */
    default void onAlert(Alert alert) {}

    /** A row of summarized telemetry (TELEMETRY records), an immutable value the handler may keep. */
    default void onTelemetry(TelemetryRow row) {}
}
