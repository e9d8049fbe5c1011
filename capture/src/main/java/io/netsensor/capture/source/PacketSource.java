package io.netsensor.capture.source;

import java.io.IOException;

/** Where frames come from: a live interface (pcap4j) or a capture file. */
public interface PacketSource extends AutoCloseable {
    /**
     * Delivers frames to the handler until the input ends or {@link #stop()} is called.
     *
     * @return number of frames delivered
     */
    long run(FrameHandler handler) throws IOException;

    /** Asks run() to return soon; safe from another thread or a signal handler. */
    void stop();

    /** Frames the source itself could not read (truncated records, bad block lengths). */
    long sourceErrors();

    /** Those errors by kind, with the first few places (capture files; libpcap fails on damage instead). */
    default SourceDamage damage() {
        return new SourceDamage();
    }

    /** Frames the kernel or libpcap dropped, when known (live capture), else 0. */
    default long droppedByKernel() { return 0; }

    String describe();

    @Override
    void close() throws IOException;
}
