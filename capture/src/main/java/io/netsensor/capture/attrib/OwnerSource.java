package io.netsensor.capture.attrib;

import io.netsensor.events.Attribution;
import io.netsensor.events.ProcessInfo;

/**
 * Where {@link AttributingHandler} learns which process owns a flow's local socket: the kernel's own
 * records ({@link KernelAttribution}, eBPF) or the user-space resolver ({@link SocketOwnerResolver},
 * sock_diag + /proc). Called on the capture thread only; {@link #find} and {@link #version} must not
 * allocate or block.
 */
public interface OwnerSource {
    /**
     * A flow with a local endpoint started (its first packet): the source may start a lookup. With
     * {@code listener}, the local side is a TCP responder (the SYN arrives before the accepted socket
     * exists). False when the request was dropped (queue full).
     */
    boolean request(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long tsNanos);

    /**
     * The outcome for the socket (local endpoint, remote endpoint) of a flow that started at
     * {@code flowStartNanos} (capture clock): PENDING while not known yet; when RESOLVED, {@link #process()}
     * is the owner. {@code listener} as for {@link #request}.
     */
    Attribution find(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long flowStartNanos);

    /** The owner found by the last {@link #find} (null unless it returned RESOLVED). */
    ProcessInfo process();

    /**
     * The best answer once a record may wait no longer: RESOLVED with a doubtful owner (a socket whose
     * creator has exited, e.g. passed to a child) rather than nothing; PENDING when there is none.
     */
    default Attribution last(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long flowStartNanos) {
        return Attribution.PENDING;
    }

    /** Changes whenever something new may be found (so held records are re-probed only then). */
    long version();

    /**
     * True when the address is one a local socket was seen on, although it is not this host's (a
     * container's address in another network namespace): its flows are attributed like this host's.
     */
    default boolean mayOwn(long hi, long lo) {
        return false;
    }
}
