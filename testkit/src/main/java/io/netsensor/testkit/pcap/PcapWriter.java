package io.netsensor.testkit.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes capture files for tests: classic pcap (micro- or nanosecond timestamps, either byte order)
 * and pcapng (any number of interfaces with their own link type and timestamp resolution, several
 * sections, simple and obsolete packet blocks, blocks a reader must skip).
 *
 * <pre>{@code
 * try (PcapWriter w = PcapWriter.pcap(file, LinkType.ETHERNET)) {
 *     w.write(1_700_000_000_000_000_000L, Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(Frames.SYN).build());
 * }
 * try (PcapWriter w = PcapWriter.pcapng(file)) {
 *     int eth = w.addInterface(LinkType.ETHERNET);
 *     int raw = w.addInterface(LinkType.RAW, 9, 0);    // if_tsresol 10^-9
 *     w.write(eth, ts, ethernetFrame).write(raw, ts + 1, rawIpPacket);
 * }
 * }</pre>
 */
public final class PcapWriter implements Closeable {
    private final OutputStream out;
    private final boolean pcapng;
    private final boolean nanos; // classic only
    private ByteOrder order;
    private final List<int[]> interfaces = new ArrayList<>(); // {linkType, tsresol, offsetSeconds}

    private PcapWriter(Path path, boolean pcapng, boolean nanos, ByteOrder order) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(path));
        this.pcapng = pcapng;
        this.nanos = nanos;
        this.order = order;
    }

    /** Classic pcap, microsecond timestamps, little-endian (what tcpdump writes on x86). */
    public static PcapWriter pcap(Path path, int linkType) throws IOException {
        return pcap(path, linkType, false, ByteOrder.LITTLE_ENDIAN);
    }

    public static PcapWriter pcap(Path path, int linkType, boolean nanos, ByteOrder order) throws IOException {
        PcapWriter w = new PcapWriter(path, false, nanos, order);
        ByteBuffer b = w.buffer(24);
        b.putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(262_144).putInt(linkType);
        w.emit(b);
        return w;
    }

    /** pcapng, little-endian, one section; add interfaces before writing packets. */
    public static PcapWriter pcapng(Path path) throws IOException {
        return pcapng(path, ByteOrder.LITTLE_ENDIAN);
    }

    public static PcapWriter pcapng(Path path, ByteOrder order) throws IOException {
        PcapWriter w = new PcapWriter(path, true, false, order);
        w.newSection(order);
        return w;
    }

    /** Starts a new pcapng section (its interfaces start again from 0). */
    public PcapWriter newSection(ByteOrder sectionOrder) {
        requirePcapng();
        order = sectionOrder;
        interfaces.clear();
        ByteBuffer b = buffer(28);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
                .putLong(-1L).putInt(28);
        return emit(b);
    }

    /** Adds a pcapng interface with microsecond timestamps; returns its id. */
    public int addInterface(int linkType) {
        return addInterface(linkType, 6, 0);
    }

    /**
     * @param tsresol         if_tsresol byte: n = 10^-n seconds, 0x80 | n = 2^-n seconds
     * @param tsOffsetSeconds if_tsoffset, added by readers to every timestamp (0 = option omitted)
     */
    public int addInterface(int linkType, int tsresol, long tsOffsetSeconds) {
        requirePcapng();
        int optLen = 8 + (tsOffsetSeconds != 0 ? 12 : 0) + 4; // tsresol (4 + 1 padded to 8), tsoffset, end
        int len = 20 + optLen;
        ByteBuffer b = buffer(len);
        b.putInt(1).putInt(len).putShort((short) linkType).putShort((short) 0).putInt(262_144);
        b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        if (tsOffsetSeconds != 0) b.putShort((short) 14).putShort((short) 8).putLong(tsOffsetSeconds);
        b.putInt(0).putInt(len);
        emit(b);
        interfaces.add(new int[] {linkType, tsresol, (int) tsOffsetSeconds});
        return interfaces.size() - 1;
    }

    /** Writes a frame: classic record, or an enhanced packet block on pcapng interface 0. */
    public PcapWriter write(long tsNanos, byte[] frame) {
        return write(0, tsNanos, frame, frame.length);
    }

    public PcapWriter write(int iface, long tsNanos, byte[] frame) {
        return write(iface, tsNanos, frame, frame.length);
    }

    /** Writes only the first {@code capLen} bytes (as a snap length would) with the full wire length. */
    public PcapWriter write(int iface, long tsNanos, byte[] frame, int capLen) {
        if (!pcapng) {
            ByteBuffer b = buffer(16 + capLen);
            long sec = Math.floorDiv(tsNanos, 1_000_000_000L), ns = Math.floorMod(tsNanos, 1_000_000_000L);
            b.putInt((int) sec).putInt((int) (nanos ? ns : ns / 1000)).putInt(capLen).putInt(frame.length);
            b.put(frame, 0, capLen);
            return emit(b);
        }
        long units = toUnits(iface, tsNanos);
        int len = 32 + pad4(capLen);
        ByteBuffer b = buffer(len);
        b.putInt(6).putInt(len).putInt(iface).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(capLen).putInt(frame.length).put(frame, 0, capLen);
        b.position(len - 4);
        b.putInt(len);
        return emit(b);
    }

    /** pcapng simple packet block (no interface id, no timestamp: belongs to interface 0). */
    public PcapWriter simplePacket(byte[] frame) {
        requirePcapng();
        int len = 16 + pad4(frame.length);
        ByteBuffer b = buffer(len);
        b.putInt(3).putInt(len).putInt(frame.length).put(frame);
        b.position(len - 4);
        b.putInt(len);
        return emit(b);
    }

    /** pcapng obsolete packet block (type 2). */
    public PcapWriter obsoletePacket(int iface, long tsNanos, byte[] frame) {
        requirePcapng();
        long units = toUnits(iface, tsNanos);
        int len = 32 + pad4(frame.length);
        ByteBuffer b = buffer(len);
        b.putInt(2).putInt(len).putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32))
                .putInt((int) units).putInt(frame.length).putInt(frame.length).put(frame);
        b.position(len - 4);
        b.putInt(len);
        return emit(b);
    }

    /** A block of another type (name resolution 4, interface statistics 5, custom...) readers skip. */
    public PcapWriter otherBlock(int type, int bodyLen) {
        requirePcapng();
        int len = 12 + pad4(bodyLen);
        ByteBuffer b = buffer(len);
        b.putInt(type).putInt(len);
        b.position(len - 4);
        b.putInt(len);
        return emit(b);
    }

    /** Raw bytes, for deliberately broken files. */
    public PcapWriter raw(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private long toUnits(int iface, long tsNanos) {
        int[] itf = interfaces.get(iface);
        int tsresol = itf[1];
        long ns = tsNanos - itf[2] * 1_000_000_000L;
        int exp = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            long sec = ns / 1_000_000_000L, frac = ns % 1_000_000_000L;
            return (sec << exp) + (long) (frac * Math.pow(2, exp) / 1e9);
        }
        long scale = 1;
        for (int i = 0; i < Math.abs(9 - exp); i++) scale *= 10;
        return exp <= 9 ? ns / scale : ns * scale;
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private ByteBuffer buffer(int len) {
        return ByteBuffer.allocate(len).order(order);
    }

    private PcapWriter emit(ByteBuffer b) {
        try {
            out.write(b.array(), 0, b.capacity());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void requirePcapng() {
        if (!pcapng) throw new IllegalStateException("pcapng only");
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
