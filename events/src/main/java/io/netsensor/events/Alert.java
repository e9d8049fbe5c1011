package io.netsensor.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scored alert, immutable: detectors fill a {@link Draft} and {@link Draft#build() build} it; the engine
 * derives the final alert (id, process) with {@link #toDraft()}. Alerts are rare, so this is an ordinary
 * object (allocation is fine here, unlike on the event path). Times are event time, ns since the epoch.
 * Journaled as ALERT records ({@link io.netsensor.events.codec.AlertCodec}), so every consumer reads
 * alerts from the journal like any other record.
 */
public final class Alert {
    /** Stable across re-emission: same detector, key and subject give the same id. */
    public final String id;
    public final DetectorKind detector;
    public final Severity severity;
    /** 0..1 */
    public final double score;
    /** The local endpoint (host or LAN client) the alert is about. */
    public final String hostIp;
    /** The LAN client's MAC (gateway mode), or null. */
    public final String hostMac;
    /** Process attribution, or null when none exists (replayed pcaps, forwarded traffic). */
    public final ProcessInfo process;
    /** Remote endpoint, where the alert has one. */
    public final String remoteIp;
    public final Integer remotePort;
    public final long firstSeenNanos;
    public final long lastSeenNanos;
    public final long count;
    /** Sub-scores and samples that explain the score; values are JSON-friendly (numbers, strings, lists, maps). Unmodifiable. */
    public final Map<String, Object> evidence;
    /** One line for a person, e.g. "periodic connections every ~60 s (jitter 12 %) to 198.51.100.7:8443". */
    public final String summary;

    private Alert(Draft d) {
        this.id = d.id;
        this.detector = d.detector;
        this.severity = d.severity;
        this.score = d.score;
        this.hostIp = d.hostIp;
        this.hostMac = d.hostMac;
        this.process = d.process;
        this.remoteIp = d.remoteIp;
        this.remotePort = d.remotePort;
        this.firstSeenNanos = d.firstSeenNanos;
        this.lastSeenNanos = d.lastSeenNanos;
        this.count = d.count;
        this.evidence = Collections.unmodifiableMap(new LinkedHashMap<>(d.evidence));
        this.summary = d.summary;
    }

    /** A draft holding this alert's values, to derive a changed alert from. */
    public Draft toDraft() {
        Draft d = new Draft();
        d.id = id;
        d.detector = detector;
        d.severity = severity;
        d.score = score;
        d.hostIp = hostIp;
        d.hostMac = hostMac;
        d.process = process;
        d.remoteIp = remoteIp;
        d.remotePort = remotePort;
        d.firstSeenNanos = firstSeenNanos;
        d.lastSeenNanos = lastSeenNanos;
        d.count = count;
        d.evidence.putAll(evidence);
        d.summary = summary;
        return d;
    }

    /** This alert with another id. */
    public Alert withId(String newId) {
        Draft d = toDraft();
        d.id = newId;
        return d.build();
    }

    /** This alert naming a process. */
    public Alert withProcess(ProcessInfo p) {
        Draft d = toDraft();
        d.process = p;
        return d.build();
    }

    @Override
    public String toString() {
        return detector.label + " " + severity.label + " " + String.format("%.2f", score) + " " + hostIp + " -> "
                + remoteIp + ":" + remotePort + " " + summary;
    }

    /**
     * The mutable form a detector fills field by field (the fields mirror {@link Alert}'s); not shared
     * between threads, and dead once built.
     */
    public static final class Draft {
        public String id;
        public DetectorKind detector;
        public Severity severity;
        public double score;
        public String hostIp;
        public String hostMac;
        public ProcessInfo process;
        public String remoteIp;
        public Integer remotePort;
        public long firstSeenNanos;
        public long lastSeenNanos;
        public long count;
        public final Map<String, Object> evidence = new LinkedHashMap<>();
        public String summary;

        public Alert build() {
            return new Alert(this);
        }
    }
}
