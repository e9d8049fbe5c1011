package io.netsensor.detectors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scored alert. Alerts are rare, so this is an ordinary immutable-by-convention object (allocation is
 * fine here, unlike on the event path). Times are event time, nanoseconds since the epoch.
 */
public final class Alert {
    /** Stable across re-emission: same detector, key and subject give the same id. */
    public String id;
    public DetectorKind detector;
    public Severity severity;
    /** 0..1 */
    public double score;
    /** The local endpoint (host or LAN client) the alert is about. */
    public String hostIp;
    /** The LAN client's MAC (gateway mode), or null. */
    public String hostMac;
    /** Process attribution, or null when none exists (replayed pcaps, forwarded traffic). */
    public ProcessRef process;
    /** Remote endpoint, where the alert has one. */
    public String remoteIp;
    public Integer remotePort;
    public long firstSeenNanos;
    public long lastSeenNanos;
    public long count;
    /** Sub-scores and samples that explain the score; values are JSON-friendly (numbers, strings, lists, maps). */
    public final Map<String, Object> evidence = new LinkedHashMap<>();
    /** One line for a person, e.g. "periodic connections every ~60 s (jitter 12 %) to 198.51.100.7:8443". */
    public String summary;

    @Override
    public String toString() {
        return detector.label + " " + severity.label + " " + String.format("%.2f", score) + " " + hostIp + " -> "
                + remoteIp + ":" + remotePort + " " + summary;
    }

    /** Process identity and context, as far as attribution knows it. */
    public static final class ProcessRef {
        public final int pid;
        public final long startTimeNanos;
        public final String name;
        public final String executable;
        public final String commandLine;
        public final String user;
        /** Stable id for the life of the process (hash of boot id, pid, start time); 0 when unknown. */
        public final long entityId;
        /** Parent pid, 0 when unknown; uid, -1 when unknown. */
        public final int parentPid, uid;

        public ProcessRef(int pid, long startTimeNanos, String name, String executable, String commandLine, String user) {
            this(pid, startTimeNanos, name, executable, commandLine, user, 0, 0, -1);
        }

        public ProcessRef(int pid, long startTimeNanos, String name, String executable, String commandLine, String user,
                          long entityId, int parentPid, int uid) {
            this.pid = pid;
            this.startTimeNanos = startTimeNanos;
            this.name = name;
            this.executable = executable;
            this.commandLine = commandLine;
            this.user = user;
            this.entityId = entityId;
            this.parentPid = parentPid;
            this.uid = uid;
        }
    }
}
