package io.netsensor.capture.attrib;

import io.netsensor.events.ProcessInfo;

/**
 * A process as the kernel described it (exec/fork records, or /proc for one that predates the agent),
 * shared by the kernel reader thread (which writes {@link #exitNanos}) and the capture thread (which
 * reads it to tell a socket's owner that had already exited from one that was alive).
 */
final class KProcess {
    /**
     * The description, with its cgroup id and container id. Written by the reader thread only, and replaced
     * (not changed) when a socket record shows the process in another cgroup than described.
     */
    volatile ProcessInfo info;
    /**
     * Container id taken from the cgroup path (Docker, containerd, CRI-O, Podman), null when none; the
     * same as {@code info.containerId}, kept apart as what decides whether the process's sockets in another
     * network namespace are this host's (a container's) or another machine's.
     */
    final String containerId;
    /** Capture-clock time the process exited, 0 while it runs. */
    volatile long exitNanos;

    KProcess(ProcessInfo info, String containerId) {
        this.info = info.containerId == null && containerId != null ? info.withCgroup(containerId, info.cgroupId) : info;
        this.containerId = containerId;
    }

    /** The cgroup a socket record showed the process in (reader thread; allocates only when it changed). */
    void inCgroup(long cgroupId) {
        ProcessInfo i = info;
        if (cgroupId != 0 && i.cgroupId != cgroupId) info = i.withCgroup(i.containerId, cgroupId);
    }
}
