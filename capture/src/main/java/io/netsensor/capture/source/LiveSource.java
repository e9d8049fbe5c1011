package io.netsensor.capture.source;

import io.netsensor.metrics.Metrics;

/**
 * A live capture on an interface, whichever way it reads the kernel (libpcap through pcap4j, or the
 * TPACKET_V3 ring directly). The counters are the capture thread's last readings (about once a second),
 * safe to read from other threads.
 */
public interface LiveSource extends PacketSource {
    /** libpcap DLT/LINKTYPE of the frames delivered. */
    int linkType();

    /** Packets the kernel passed to the capture socket. */
    long receivedByKernel();

    /** Packets dropped because the capture buffer was full. */
    long droppedForBuffer();

    /** Packets the interface or its driver dropped (libpcap's ps_ifdrop), 0 where unknown. */
    long droppedByInterface();

    /** "TPACKET_V3 ring (...)" or "libpcap (pcap4j)": for the start line. */
    String reader();

    /** Registers counters of this source's own beyond the common ones (none by default). */
    default void register(Metrics m) {}
}
