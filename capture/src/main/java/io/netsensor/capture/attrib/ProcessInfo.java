package io.netsensor.capture.attrib;

/** What attribution knows about one process (immutable: published from the resolver thread). */
public final class ProcessInfo {
    public final long entityId;
    public final int pid, ppid, uid;
    public final long startTicks, startNanos;
    public final String name, executable, commandLine, user;

    ProcessInfo(long entityId, int pid, int ppid, int uid, long startTicks, long startNanos, String name,
                String executable, String commandLine, String user) {
        this.entityId = entityId;
        this.pid = pid;
        this.ppid = ppid;
        this.uid = uid;
        this.startTicks = startTicks;
        this.startNanos = startNanos;
        this.name = name;
        this.executable = executable;
        this.commandLine = commandLine;
        this.user = user;
    }

    @Override
    public String toString() {
        return pid + " " + executable + " (" + user + ")";
    }
}
