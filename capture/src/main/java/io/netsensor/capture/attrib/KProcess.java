package io.netsensor.capture.attrib;

import io.netsensor.events.ProcessInfo;

/**
 * A process as the kernel described it (exec/fork records, or /proc for one that predates the agent),
 * shared by the kernel reader thread (which writes {@link #exitNanos}) and the capture thread (which
 * reads it to tell a socket's owner that had already exited from one that was alive).
 */
final class KProcess {
    final ProcessInfo info;
    /**
     * Container id taken from the cgroup path (Docker, containerd, CRI-O, Podman), null when none. Kept
     * here, in attribution's own data: the journal's PROCESS record and the ECS output have no field for
     * it yet (container.id is for their owners to add).
     */
    final String containerId;
    /** cgroup v2 id of the last socket record seen from the process (0 when none yet). */
    volatile long cgroupId;
    /** Capture-clock time the process exited, 0 while it runs. */
    volatile long exitNanos;

    KProcess(ProcessInfo info, String containerId) {
        this.info = info;
        this.containerId = containerId;
    }
}
