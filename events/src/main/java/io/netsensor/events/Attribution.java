package io.netsensor.events;

/**
 * Outcome of attributing a record to the local process that owns its socket. Stored as its ordinal in
 * the journal: never reorder, only append.
 */
public enum Attribution {
    /** Not attempted (replay, attribution off) or a record from a writer without attribution. */
    UNKNOWN("unknown"),
    /** pid, start time and entity id are set. */
    RESOLVED("resolved"),
    /** Neither endpoint is this host (forwarded traffic on a gateway): no local process exists. */
    NOT_LOCAL("not_local"),
    /** No socket with this tuple existed when it was looked up (closed already, or another netns). */
    NO_SOCKET("no_socket"),
    /** The socket exists but its owner's /proc/PID/fd could not be read (needs CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH). */
    NO_PERMISSION("no_permission"),
    /** The socket existed but no process held it any more when /proc was scanned (exited, or another pid namespace). */
    NO_PROCESS("no_process"),
    /** The lookup had not finished when the record was written. */
    PENDING("pending"),
    /** The lookup was never made: the request queue was full. */
    DROPPED("dropped");

    private static final Attribution[] VALUES = values();
    public final String ecsName;

    Attribution(String ecsName) {
        this.ecsName = ecsName;
    }

    public static int count() {
        return VALUES.length;
    }

    /** The value of an ordinal, UNKNOWN for codes from a newer writer. */
    public static Attribution ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }
}
