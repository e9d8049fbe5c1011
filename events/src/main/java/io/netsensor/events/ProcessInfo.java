package io.netsensor.events;

/**
 * What is known about one process: the one immutable process model shared by attribution (which builds
 * it from /proc), the readers (which rebuild it from journaled {@link ProcessEvent}s) and alerts. Immutable,
 * so attribution can publish it from its resolver thread and alerts can keep it.
 */
public final class ProcessInfo {
    /** Stable id for the life of the process (hash of boot id, pid, start time); 0 when unknown. */
    public final long entityId;
    public final int pid;
    /** Parent pid, 0 when unknown. */
    public final int ppid;
    /** Real uid, -1 when unknown. */
    public final int uid;
    /** Process start, epoch ns; 0 when unknown. */
    public final long startNanos;
    /** Kernel comm, executable path, arguments joined by spaces, user name: each null when unknown. */
    public final String name, executable, commandLine, user;
    /** Container id from the cgroup path (kernel attribution), null when not in a container or unknown. */
    public final String containerId;
    /** cgroup v2 id (kernel attribution), 0 when unknown. */
    public final long cgroupId;

    public ProcessInfo(long entityId, int pid, int ppid, int uid, long startNanos, String name, String executable,
                       String commandLine, String user) {
        this(entityId, pid, ppid, uid, startNanos, name, executable, commandLine, user, null, 0);
    }

    public ProcessInfo(long entityId, int pid, int ppid, int uid, long startNanos, String name, String executable,
                       String commandLine, String user, String containerId, long cgroupId) {
        this.entityId = entityId;
        this.pid = pid;
        this.ppid = ppid;
        this.uid = uid;
        this.startNanos = startNanos;
        this.name = name;
        this.executable = executable;
        this.commandLine = commandLine;
        this.user = user;
        this.containerId = containerId;
        this.cgroupId = cgroupId;
    }

    /** This process in another cgroup (the same process, entity id and all); this one when nothing changes. */
    public ProcessInfo withCgroup(String containerId, long cgroupId) {
        if (cgroupId == this.cgroupId && java.util.Objects.equals(containerId, this.containerId)) return this;
        return new ProcessInfo(entityId, pid, ppid, uid, startNanos, name, executable, commandLine, user, containerId, cgroupId);
    }

    /** Only the identity a record carries (pid, start, entity id), when no PROCESS record was seen. */
    public static ProcessInfo identityOnly(long entityId, int pid, long startNanos) {
        return new ProcessInfo(entityId, pid, 0, -1, startNanos, null, null, null, null);
    }

    /** Copies a journaled process record (the reused flyweight) into an immutable value. */
    public static ProcessInfo of(ProcessEvent e) {
        return new ProcessInfo(e.entityId, e.pid, e.ppid, e.uid, e.startNanos, e.name(), e.executable(),
                e.commandLine(), e.userLen == 0 ? null : e.user(), e.containerId(), e.cgroupId);
    }

    @Override
    public String toString() {
        return pid + " " + executable + " (" + user + ")";
    }
}
