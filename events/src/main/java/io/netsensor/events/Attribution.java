package io.netsensor.events;

/**
 * Outcome of attributing a record to the local process that owns its socket. Journaled by {@link #code}:
 * codes are on-disk, never renumber, only add (the codec reads codes it does not know as UNKNOWN).
 */
public enum Attribution {
    /** Not attempted (replay, attribution off) or a record from a writer without attribution. */
    UNKNOWN(0, "unknown"),
    /** pid, start time and entity id are set. */
    RESOLVED(1, "resolved"),
    /** Neither endpoint is this host (forwarded traffic on a gateway): no local process exists. */
    NOT_LOCAL(2, "not_local"),
    /** No socket with this tuple existed when it was looked up (closed already, or another netns). */
    NO_SOCKET(3, "no_socket"),
    /** The socket exists but its owner's /proc/PID/fd could not be read (needs CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH). */
    NO_PERMISSION(4, "no_permission"),
    /** The socket existed but no process held it any more when /proc was scanned (exited, or another pid namespace). */
    NO_PROCESS(5, "no_process"),
    /** The lookup had not finished when the record was written. */
    PENDING(6, "pending"),
    /** The lookup was never made: the request queue was full. */
    DROPPED(7, "dropped");

    private static final Attribution[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
    private static final int COUNT = values().length;
    public final int code;
    public final String ecsName;

    Attribution(int code, String ecsName) {
        this.code = code;
        this.ecsName = ecsName;
    }

    /** Number of values (to size per-value counters). */
    public static int count() {
        return COUNT;
    }

    /** The value with this code, null for a code this build does not know (a newer writer's). */
    public static Attribution ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
