package io.netsensor.events;

import java.nio.charset.StandardCharsets;

/**
 * A process that owns a socket of a journaled record, written to the journal once per process (the first
 * time one of its records is attributed) so connection and DNS records stay fixed-size and only carry
 * {@link ConnEvent#processEntityId}. Readers keep a bounded map entity id -> process to enrich output.
 * Strings are UTF-8 bytes cut at fixed bounds (never split inside a character). A mutable record reused
 * by its producer: copy what you keep.
 */
public final class ProcessEvent {
    public static final int MAX_USER = 64, MAX_NAME = 64, MAX_EXECUTABLE = 1024, MAX_COMMAND_LINE = 2048;
    /** Container ids (Docker, containerd, CRI-O, Podman) are 64 hex digits. */
    public static final int MAX_CONTAINER_ID = 64;

    /** Event time of the first record attributed to the process, epoch ns. */
    public long tsNanos;
    /** Stable id for the life of the process: a hash of boot id, pid and start time (never 0). */
    public long entityId;
    public int pid;
    /** Parent pid, 0 when unknown. */
    public int ppid;
    /** Process start, epoch ns (clock-tick resolution). */
    public long startNanos;
    /** Real uid, -1 when unknown. */
    public int uid = -1;
    public final byte[] user = new byte[MAX_USER];
    public int userLen;
    /** Kernel comm (at most 15 bytes on Linux). */
    public final byte[] name = new byte[MAX_NAME];
    public int nameLen;
    public final byte[] executable = new byte[MAX_EXECUTABLE];
    public int executableLen;
    /** Arguments joined by spaces. */
    public final byte[] commandLine = new byte[MAX_COMMAND_LINE];
    public int commandLineLen;
    /** cgroup v2 id of the process (the cgroup directory's inode), 0 when unknown (user-space attribution). */
    public long cgroupId;
    /** Container id from the cgroup path (ASCII), containerIdLen 0 when not in a container or unknown. */
    public final byte[] containerId = new byte[MAX_CONTAINER_ID];
    public int containerIdLen;

    public String user() { return text(user, userLen); }
    public String name() { return text(name, nameLen); }
    public String executable() { return text(executable, executableLen); }
    public String commandLine() { return text(commandLine, commandLineLen); }
    /** The container id, null when none. */
    public String containerId() { return containerIdLen == 0 ? null : text(containerId, containerIdLen); }

    /** Sets the strings (null = empty); allocates, for the rare once-per-process path. */
    public void setStrings(String user, String name, String executable, String commandLine) {
        userLen = put(user, this.user);
        nameLen = put(name, this.name);
        executableLen = put(executable, this.executable);
        commandLineLen = put(commandLine, this.commandLine);
    }

    /** Sets the container fields (id null = none); allocates, for the rare once-per-process path. */
    public void setContainer(String id, long cgroupId) {
        this.cgroupId = cgroupId;
        containerIdLen = put(id, containerId);
    }

    private static int put(String s, byte[] dst) {
        if (s == null) return 0;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, dst.length);
        while (n < b.length && n > 0 && (b[n] & 0xC0) == 0x80) n--; // do not cut a character in half
        System.arraycopy(b, 0, dst, 0, n);
        return n;
    }

    private static String text(byte[] b, int len) {
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    public void clear() {
        tsNanos = entityId = startNanos = cgroupId = 0;
        pid = ppid = 0;
        uid = -1;
        userLen = nameLen = executableLen = commandLineLen = containerIdLen = 0;
    }

    public void copyFrom(ProcessEvent o) {
        tsNanos = o.tsNanos; entityId = o.entityId; pid = o.pid; ppid = o.ppid; startNanos = o.startNanos; uid = o.uid;
        System.arraycopy(o.user, 0, user, 0, o.userLen); userLen = o.userLen;
        System.arraycopy(o.name, 0, name, 0, o.nameLen); nameLen = o.nameLen;
        System.arraycopy(o.executable, 0, executable, 0, o.executableLen); executableLen = o.executableLen;
        System.arraycopy(o.commandLine, 0, commandLine, 0, o.commandLineLen); commandLineLen = o.commandLineLen;
        cgroupId = o.cgroupId;
        System.arraycopy(o.containerId, 0, containerId, 0, o.containerIdLen); containerIdLen = o.containerIdLen;
    }

    @Override
    public String toString() {
        return "process " + pid + " " + executable() + " (" + user() + ")";
    }
}
