package io.netsensor.capture.source;

/** Receives raw frames from a PacketSource. The buffer is reused: do not keep it past the call. */
@FunctionalInterface
public interface FrameHandler {
    /**
     * @param tsNanos  capture timestamp, nanoseconds since the epoch
     * @param linkType libpcap DLT/LINKTYPE of this frame (per interface in pcapng)
     * @param capLen   bytes captured (valid in buf from off)
     * @param wireLen  original length on the wire
     */
    void onFrame(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen);

    /**
     * Live sources call this between reads with the wall clock, so time-based state (idle flows,
     * unanswered queries) still advances on a quiet wire. Capture files never call it.
     */
    default void onIdle(long nowNanos) {}
}
