package io.netsensor.capture.source;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads classic pcap (either byte order, micro- or nanosecond magic) and pcapng (multiple sections of
 * either byte order, per-interface link types and timestamp resolutions) from a memory-mapped file.
 * Written by hand rather than through libpcap because replaying files through pcap4j costs a JNA call
 * and several allocations per packet; live capture stays on pcap4j.
 *
 * <p>Each frame is copied into one reused buffer. A record cut short at the end of the file or a block
 * with an impossible length is counted in {@link #sourceErrors()} and ends the file quietly, as
 * tcpdump does; only a file that is not a capture at all fails {@link #open}.
 */
public final class PcapFileSource implements PacketSource {
    private static final int PCAP_MICROS = 0xA1B2C3D4, PCAP_NANOS = 0xA1B23C4D;
    private static final int PCAPNG_SHB = 0x0A0D0D0A, PCAPNG_BOM = 0x1A2B3C4D;
    private static final int IDB = 1, PB = 2, SPB = 3, EPB = 6;
    /** libpcap's largest snap length; a classic record may not exceed it (or the file's own snaplen). */
    private static final int MAX_SNAPLEN = 262_144;
    /** libpcap's largest pcapng block it will read. */
    private static final int MAX_BLOCK = 16 << 20;

    private enum Format { PCAP, PCAPNG }

    private final Path path;
    private final MappedFile file;
    private final Format format;
    private final boolean nanos;    // classic only
    private final int fileLinkType; // classic only
    private final int fileSnapLen;  // classic only

    private volatile boolean stopped;
    private long errors;
    private byte[] frame = new byte[65_536];
    private PcapNgInterface[] interfaces = new PcapNgInterface[4];
    private int interfaceCount;

    private PcapFileSource(Path path, MappedFile file, Format format, boolean nanos, int linkType, int snapLen) {
        this.path = path;
        this.file = file;
        this.format = format;
        this.nanos = nanos;
        this.fileLinkType = linkType;
        this.fileSnapLen = snapLen;
    }

    /**
     * Opens a capture file, telling pcap from pcapng by its magic number.
     *
     * @throws NotACaptureException when the file is a directory, empty, or of another format
     */
    public static PcapFileSource open(Path path) throws IOException {
        return open(path, MappedFile.DEFAULT_WINDOW);
    }

    /** As {@link #open(Path)} with a given mapping window (small windows exercise remapping in tests). */
    static PcapFileSource open(Path path, int windowBytes) throws IOException {
        // A directory opens for reading on Linux, and mapping it then fails with "No such device".
        if (Files.isDirectory(path)) throw new NotACaptureException(path + ": is a directory, not a capture file");
        MappedFile f = new MappedFile(path, windowBytes);
        try {
            return detect(path, f);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static PcapFileSource detect(Path path, MappedFile f) throws IOException {
        if (f.size() == 0) throw notCapture(path, "empty file, not a capture");
        if (!f.require(0, 4)) throw notCapture(path, "file too short (" + f.size() + " bytes), not a capture");
        int magic = f.i32(0); // big-endian until told otherwise
        if (magic == PCAPNG_SHB) {
            if (!f.require(0, 12)) throw notCapture(path, "truncated pcapng section header");
            int bom = f.i32(8);
            if (bom != PCAPNG_BOM && bom != Integer.reverseBytes(PCAPNG_BOM)) {
                throw notCapture(path, String.format("bad pcapng byte-order magic 0x%08x", bom));
            }
            return new PcapFileSource(path, f, Format.PCAPNG, false, 0, 0);
        }
        ByteOrder order;
        if (magic == PCAP_MICROS || magic == PCAP_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PCAP_MICROS || Integer.reverseBytes(magic) == PCAP_NANOS) {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else {
            throw notCapture(path, String.format("not a pcap or pcapng file (magic 0x%08x)", magic));
        }
        if (!f.require(0, 24)) throw notCapture(path, "truncated pcap file header");
        f.order(order);
        int major = f.u16(4);
        if (major != 2) throw notCapture(path, "unsupported pcap version " + major + "." + f.u16(6));
        int snapLen = f.i32(16);
        int linkType = f.i32(20) & 0x03FF_FFFF; // upper bits carry FCS length flags
        return new PcapFileSource(path, f, Format.PCAP, magic == PCAP_NANOS, linkType, snapLen);
    }

    private static NotACaptureException notCapture(Path path, String reason) {
        return new NotACaptureException(path + ": " + reason);
    }

    @Override
    public long run(FrameHandler handler) throws IOException {
        return format == Format.PCAP ? runPcap(handler) : runPcapNg(handler);
    }

    private long runPcap(FrameHandler handler) throws IOException {
        MappedFile f = file;
        long size = f.size();
        long maxFrame = Math.max(MAX_SNAPLEN, fileSnapLen & 0xFFFF_FFFFL);
        long frames = 0;
        for (long pos = 24; pos < size && !stopped; ) {
            if (!f.require(pos, 16)) return fail(frames);
            long seconds = f.u32(pos);
            long frac = f.u32(pos + 4);
            long capLen = f.u32(pos + 8);
            int wireLen = f.i32(pos + 12);
            if (capLen > maxFrame || !f.require(pos + 16, (int) capLen)) return fail(frames);
            byte[] buf = frameBuffer((int) capLen);
            f.copy(pos + 16, buf, (int) capLen);
            long ts = seconds * 1_000_000_000L + (nanos ? frac : frac * 1000);
            handler.onFrame(ts, fileLinkType, buf, 0, (int) capLen, wireLen);
            frames++;
            pos += 16 + capLen;
        }
        return frames;
    }

    private long runPcapNg(FrameHandler handler) throws IOException {
        MappedFile f = file;
        long size = f.size();
        long frames = 0;
        for (long pos = 0; pos < size && !stopped; ) {
            if (!f.require(pos, 8)) return fail(frames);
            int type = f.i32(pos);
            if (type == PCAPNG_SHB && !startSection(pos)) return fail(frames);
            long blockLen = f.u32(pos + 4);
            if (blockLen < 12 || (blockLen & 3) != 0 || pos + blockLen > size) return fail(frames);
            boolean packet = type == EPB || type == SPB || type == PB;
            if (packet || type == IDB || type == PCAPNG_SHB) {
                // blocks we parse are mapped whole; others are only skipped, whatever their size
                if (blockLen > MAX_BLOCK || !f.require(pos, (int) blockLen)) return fail(frames);
            } else if (!f.require(pos + blockLen - 4, 4)) {
                return fail(frames);
            }
            if (f.u32(pos + blockLen - 4) != blockLen) return fail(frames);
            if (type == IDB && !addInterface(pos, blockLen)) return fail(frames);
            if (packet) {
                int r = deliverPacket(type, pos, blockLen, handler);
                if (r < 0) return fail(frames);
                frames += r;
            }
            pos += blockLen;
        }
        return frames;
    }

    /** Sets the byte order of a new section and forgets the previous section's interfaces. */
    private boolean startSection(long pos) throws IOException {
        if (!file.require(pos, 12)) return false;
        file.order(ByteOrder.BIG_ENDIAN);
        int bom = file.i32(pos + 8);
        if (bom == PCAPNG_BOM) {
            file.order(ByteOrder.BIG_ENDIAN);
        } else if (bom == Integer.reverseBytes(PCAPNG_BOM)) {
            file.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            return false;
        }
        interfaceCount = 0;
        return true;
    }

    private boolean addInterface(long pos, long blockLen) {
        MappedFile f = file;
        if (blockLen < 20) return false;
        int linkType = f.u16(pos + 8);
        int snapLen = f.i32(pos + 12);
        int tsresol = PcapNgInterface.DEFAULT_TSRESOL;
        long tsoffset = 0;
        long end = pos + blockLen - 4;
        for (long o = pos + 16; o + 4 <= end; ) {
            int code = f.u16(o), len = f.u16(o + 2);
            if (code == 0) break; // opt_endofopt
            if (o + 4 + len > end) return false;
            if (code == 9 && len == 1) tsresol = f.u8(o + 4);
            if (code == 14 && len == 8) tsoffset = f.i64(o + 4);
            o += 4 + ((len + 3) & ~3);
        }
        PcapNgInterface itf = PcapNgInterface.of(linkType, snapLen, tsresol, tsoffset);
        if (itf == null) return false;
        if (interfaceCount == interfaces.length) interfaces = Arrays.copyOf(interfaces, interfaceCount * 2);
        interfaces[interfaceCount++] = itf;
        return true;
    }

    /** @return 1 when a frame was delivered, -1 when the block is inconsistent */
    private int deliverPacket(int type, long pos, long blockLen, FrameHandler handler) {
        MappedFile f = file;
        int ifId;
        long ts = 0;
        long capLen, wireLen;
        long data;
        if (type == SPB) {
            if (blockLen < 16 || interfaceCount == 0) return -1;
            ifId = 0;
            // no timestamp in a simple packet block: 0, as libpcap reports
            wireLen = f.u32(pos + 8);
            capLen = Math.min(wireLen, blockLen - 16);
            int snap = interfaces[0].snapLen;
            if (snap > 0) capLen = Math.min(capLen, snap);
            data = pos + 12;
        } else {
            if (blockLen < 32) return -1;
            ifId = type == PB ? f.u16(pos + 8) : f.i32(pos + 8);
            ts = (f.u32(pos + 12) << 32) | f.u32(pos + 16);
            capLen = f.u32(pos + 20);
            wireLen = f.u32(pos + 24);
            data = pos + 28;
            if (capLen > blockLen - 32) return -1;
        }
        if (ifId < 0 || ifId >= interfaceCount) return -1;
        PcapNgInterface itf = interfaces[ifId];
        long tsNanos = type == SPB ? 0 : itf.toNanos(ts);
        byte[] buf = frameBuffer((int) capLen);
        f.copy(data, buf, (int) capLen);
        handler.onFrame(tsNanos, itf.linkType, buf, 0, (int) capLen, (int) Math.min(wireLen, Integer.MAX_VALUE));
        return 1;
    }

    /** The reused frame buffer, grown (rarely) to fit. */
    private byte[] frameBuffer(int len) {
        if (len > frame.length) frame = new byte[Math.max(len, frame.length * 2)];
        return frame;
    }

    private long fail(long frames) {
        errors++;
        return frames;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public long sourceErrors() {
        return errors;
    }

    @Override
    public String describe() {
        String kind = format == Format.PCAPNG ? "pcapng" : (nanos ? "pcap (ns)" : "pcap (us)");
        return kind + " file " + path;
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        file.close();
    }
}
