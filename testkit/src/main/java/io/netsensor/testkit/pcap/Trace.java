package io.netsensor.testkit.pcap;

import static io.netsensor.testkit.events.Times.T0;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Timestamped frames of one link type, written as the capture file a test replays. Offsets count from the
 * kit's time base {@link io.netsensor.testkit.events.Times#T0} (2023-11-14T22:13:20Z): the first packet of
 * a test trace is usually at offset 0.
 */
public final class Trace {
    private final List<Long> times = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Integer> capLens = new ArrayList<>();

    /** Adds a frame at T0 + offset (milliseconds). */
    public Trace at(double offsetMillis, byte[] frame) {
        return add(T0 + (long) (offsetMillis * 1_000_000L), frame, frame.length);
    }

    /** Adds the frames one millisecond apart, the first at T0 + offset. */
    public Trace at(double offsetMillis, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) at(offsetMillis + i, frames.get(i));
        return this;
    }

    /** Adds a frame of which only the first capLen bytes were captured (a snap length cut). */
    public Trace cut(double offsetMillis, byte[] frame, int capLen) {
        return add(T0 + (long) (offsetMillis * 1_000_000L), frame, capLen);
    }

    /** Adds a frame at an absolute event time (nanoseconds since the epoch). */
    public Trace add(long tsNanos, byte[] frame) {
        return add(tsNanos, frame, frame.length);
    }

    private Trace add(long ts, byte[] frame, int capLen) {
        times.add(ts);
        frames.add(frame);
        capLens.add(capLen);
        return this;
    }

    public int size() {
        return frames.size();
    }

    /** The same frames in time order (a capture file's order), equal times in the order added. */
    public Trace sorted() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) order.add(i);
        order.sort(Comparator.comparingLong(times::get));
        Trace t = new Trace();
        for (int i : order) t.add(times.get(i), frames.get(i), capLens.get(i));
        return t;
    }

    /** Frames [from, to): a part of this capture, as a rotating capture (tcpdump -C/-G) would write it. */
    public Trace slice(int from, int to) {
        Trace t = new Trace();
        for (int i = from; i < to; i++) t.add(times.get(i), frames.get(i), capLens.get(i));
        return t;
    }

    /** The same packets with each frame replaced by {@code reframe(frame)} (e.g. another link layer). */
    public Trace map(UnaryOperator<byte[]> reframe) {
        Trace t = new Trace();
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = reframe.apply(frames.get(i));
            t.add(times.get(i), f, capLens.get(i) == frames.get(i).length ? f.length : capLens.get(i));
        }
        return t;
    }

    /** Writes a classic little-endian microsecond pcap with the given link type. */
    public Path pcap(Path file, int linkType) throws IOException {
        try (PcapWriter w = PcapWriter.pcap(file, linkType)) {
            writeTo(w, 0);
        }
        return file;
    }

    /** Writes the frames as packets of one interface of an open pcapng writer (or as classic records). */
    public void writeTo(PcapWriter w, int iface) {
        for (int i = 0; i < frames.size(); i++) w.write(iface, times.get(i), frames.get(i), capLens.get(i));
    }
}
