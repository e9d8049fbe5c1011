package io.netsensor.capture.source;

import io.netsensor.capture.source.SourceDamage.Kind;
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
 * <p>Each frame is copied into one reused buffer of at most {@value #MAX_SNAPLEN} bytes: no length in the
 * file (a header's snaplen, a record's or block's length) decides an allocation. Damage never ends the
 * file quietly (tcpdump and tshark stop at it with an error; we read on, since everything after it is
 * usually intact): a record larger than libpcap's maximum is skipped as libpcap refuses it, a record or block
 * that contradicts itself is skipped up to the next one that reads (a pcapng block whose two length copies
 * agree, two consecutive plausible classic record headers), a file cut short ends there. Each is counted by
 * kind in {@link #damage()} with its byte offset and where reading resumed. Only a file that is not a
 * capture at all fails {@link #open}.
 */
public final class PcapFileSource implements PacketSource {
    private static final int PCAP_MICROS = 0xA1B2C3D4, PCAP_NANOS = 0xA1B23C4D;
    private static final int PCAPNG_SHB = 0x0A0D0D0A, PCAPNG_BOM = 0x1A2B3C4D;
    private static final int IDB = 1, PB = 2, SPB = 3, EPB = 6;
    /** libpcap's largest snap length (MAXIMUM_SNAPLEN): no record may exceed it, whatever the file's header says. */
    private static final int MAX_SNAPLEN = 262_144;
    /** libpcap's largest pcapng block it will read. */
    private static final int MAX_BLOCK = 16 << 20;

    private enum Format { PCAP, PCAPNG }

    private final Path path;
    private final MappedFile file;
    private final Format format;
    private final boolean nanos;    // classic only
    private final int fileLinkType; // classic only

    private volatile boolean stopped;
    private final SourceDamage damage = new SourceDamage();
    private long lastSeconds = -1; // classic only: the last good record's, for resynchronising
    private byte[] frame = new byte[65_536];
    private PcapNgInterface[] interfaces = new PcapNgInterface[4];
    private int interfaceCount;

    private PcapFileSource(Path path, MappedFile file, Format format, boolean nanos, int linkType) {
        this.path = path;
        this.file = file;
        this.format = format;
        this.nanos = nanos;
        this.fileLinkType = linkType;
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
            return new PcapFileSource(path, f, Format.PCAPNG, false, 0);
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
        // the header's snaplen (bytes 16-19) is not used: a record may never exceed MAX_SNAPLEN, whatever it says
        int linkType = f.i32(20) & 0x03FF_FFFF; // upper bits carry FCS length flags
        return new PcapFileSource(path, f, Format.PCAP, magic == PCAP_NANOS, linkType);
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
        long frames = 0;
        for (long pos = 24; pos < size && !stopped; ) {
            if (!f.require(pos, 16)) {
                damage(Kind.TRUNCATED, pos, "record header cut short (" + (size - pos) + " of 16 bytes)", -1);
                break;
            }
            long capLen = f.u32(pos + 8);
            if (capLen > MAX_SNAPLEN) {
                // libpcap refuses such a record ("bigger than maximum of 262144"); a garbage header looks the
                // same. Either way the next record is searched for, first where this one says it ends.
                long next = resyncPcap(pos, pos + 16 + capLen);
                damage(Kind.OVERSIZED, pos, "record of " + capLen + " bytes, larger than libpcap's maximum of "
                        + MAX_SNAPLEN, next);
                if (next < 0) break;
                pos = next;
                continue;
            }
            if (pos + 16 + capLen > size) {
                long next = resyncPcap(pos, -1);
                damage(next < 0 ? Kind.TRUNCATED : Kind.DAMAGED, pos, "record of " + capLen + " bytes, "
                        + (size - pos - 16) + " left in the file", next);
                if (next < 0) break;
                pos = next;
                continue;
            }
            f.require(pos, 16 + (int) capLen);
            long seconds = f.u32(pos);
            long frac = f.u32(pos + 4);
            int wireLen = f.i32(pos + 12);
            byte[] buf = frameBuffer((int) capLen);
            f.copy(pos + 16, buf, (int) capLen);
            long ts = seconds * 1_000_000_000L + (nanos ? frac : frac * 1000);
            lastSeconds = seconds;
            handler.onFrame(ts, fileLinkType, buf, 0, (int) capLen, wireLen);
            frames++;
            pos += 16 + capLen;
        }
        return frames;
    }

    /**
     * Finds the next classic record after a damaged one at {@code bad}: at {@code hint} when that is one (the
     * damaged record's own end), else the first offset after {@code bad} where a record header and the one
     * after it (or the end of the file) are both plausible. Classic pcap has no sync marker, so two
     * consecutive plausible headers are the evidence; random bytes pass one header check about once in 2^34.
     *
     * @return the offset to go on from, or -1 when nothing after {@code bad} reads
     */
    private long resyncPcap(long bad, long hint) throws IOException {
        long size = file.size();
        if (hint > bad && hint <= size - 16 && recordChainsAt(hint)) return hint;
        for (long c = bad + 1; c <= size - 16 && !stopped; c++) {
            if (recordChainsAt(c)) return c;
        }
        return -1;
    }

    /**
     * A plausible header at {@code c} followed by another (or by the end of the file) when its time is within a
     * day of the last good record's; a time further away needs two more plausible headers after it.
     */
    private boolean recordChainsAt(long c) throws IOException {
        long end = plausibleRecordEnd(c);
        if (end < 0) return false;
        long seconds = file.u32(c);
        if (lastSeconds < 0 || Math.abs(seconds - lastSeconds) <= 86_400) {
            return end == file.size() || plausibleRecordEnd(end) >= 0;
        }
        long second = plausibleRecordEnd(end);
        return second >= 0 && plausibleRecordEnd(second) >= 0;
    }

    /** The end of a record at {@code c} whose header is plausible and that fits in the file, else -1. */
    private long plausibleRecordEnd(long c) throws IOException {
        MappedFile f = file;
        if (!f.require(c, 16)) return -1;
        long frac = f.u32(c + 4), capLen = f.u32(c + 8), wireLen = f.u32(c + 12);
        if (frac >= (nanos ? 1_000_000_000L : 1_000_000L)) return -1;
        if (capLen > MAX_SNAPLEN || wireLen == 0 || wireLen < capLen || wireLen > MAX_BLOCK) return -1;
        long end = c + 16 + capLen;
        return end <= f.size() ? end : -1;
    }

    private long runPcapNg(FrameHandler handler) throws IOException {
        MappedFile f = file;
        long size = f.size();
        long frames = 0;
        for (long pos = 0; pos < size && !stopped; ) {
            if (!f.require(pos, 8)) {
                damage(Kind.TRUNCATED, pos, "block header cut short (" + (size - pos) + " of 8 bytes)", -1);
                break;
            }
            int type = f.i32(pos);
            String bad = type == PCAPNG_SHB && !startSection(pos) ? "bad byte-order magic" : null;
            long blockLen = f.u32(pos + 4);
            if (bad == null) bad = framingProblem(pos, type, blockLen, size);
            if (bad != null) {
                long next = resyncPcapNg(pos);
                boolean cut = next < 0 && pos + Math.max(blockLen, 12) > size;
                damage(cut ? Kind.TRUNCATED : Kind.DAMAGED, pos, blockName(type) + ": " + bad, next);
                if (next < 0) break;
                pos = next;
                continue;
            }
            // the block's framing holds: whatever is wrong inside it, reading goes on right after it
            // an interface block is read whole (at most MAX_BLOCK): checking its trailing length may have moved the window
            if (type == IDB && !(f.require(pos, (int) blockLen) && addInterface(pos, blockLen))) {
                damage(Kind.DAMAGED, pos, blockName(type) + ": unreadable (link type, resolution or options)", pos + blockLen);
            } else if (type == EPB || type == SPB || type == PB) {
                frames += deliverPacket(type, pos, blockLen, handler);
            }
            pos += blockLen;
        }
        return frames;
    }

    /** Why a block's length cannot be believed (null when it can): the leading and trailing copies must agree. */
    private String framingProblem(long pos, int type, long blockLen, long size) throws IOException {
        if (blockLen < 12 || (blockLen & 3) != 0) return "block total length " + blockLen + " (a multiple of 4, at least 12)";
        if (pos + blockLen > size) return "block total length " + blockLen + " runs past the end of the file (" + (size - pos) + " bytes left)";
        if ((type == IDB || type == PCAPNG_SHB) && blockLen > MAX_BLOCK) return "block of " + blockLen + " bytes, larger than 16 MiB";
        if (!file.require(pos + blockLen - 4, 4)) return "unreadable";
        long trailing = file.u32(pos + blockLen - 4);
        if (trailing != blockLen) return "block total length " + blockLen + " is not repeated at the block's end (found " + trailing + ")";
        return null;
    }

    /**
     * The next block after a damaged one at {@code bad}: the first 4-byte aligned offset (every block length
     * is a multiple of 4) holding a known block type whose leading and trailing lengths agree. A section
     * header found this way starts a new section (its own byte order), as it would in order.
     *
     * @return the offset to go on from, or -1 when nothing after {@code bad} reads
     */
    private long resyncPcapNg(long bad) throws IOException {
        MappedFile f = file;
        long size = f.size();
        ByteOrder order = f.order();
        for (long c = bad + 4; c + 12 <= size && !stopped; c += 4) {
            if (!f.require(c, 12)) return -1;
            int type = f.i32(c);
            if (type == PCAPNG_SHB) {
                ByteOrder section = sectionOrder(c);
                if (section == null) continue;
                f.order(section);
                boolean framed = framingProblem(c, type, f.u32(c + 4), size) == null;
                f.order(order); // the main loop starts the section itself
                if (framed) return c;
            } else if (KNOWN_BLOCKS.contains(type) && framingProblem(c, type, f.u32(c + 4), size) == null) {
                return c;
            }
        }
        return -1;
    }

    /** Block types of the pcapng specification, the only ones a resync believes. */
    private static final java.util.Set<Integer> KNOWN_BLOCKS =
            java.util.Set.of(IDB, PB, SPB, 4, 5, EPB, 7, 8, 9, 0x0A, 0x0BAD, 0x40000BAD);

    private static String blockName(int type) {
        switch (type) {
            case PCAPNG_SHB: return "section header block";
            case IDB: return "interface description block";
            case EPB: return "enhanced packet block";
            case SPB: return "simple packet block";
            case PB: return "packet block";
            default: return String.format("block type 0x%08x", type);
        }
    }

    /** Sets the byte order of a new section and forgets the previous section's interfaces. */
    private boolean startSection(long pos) throws IOException {
        ByteOrder order = sectionOrder(pos);
        if (order == null) return false;
        file.order(order);
        interfaceCount = 0;
        return true;
    }

    /** The byte order a section header at {@code pos} declares, null when its byte-order magic is bad. */
    private ByteOrder sectionOrder(long pos) throws IOException {
        if (!file.require(pos, 12)) return null;
        ByteOrder was = file.order();
        file.order(ByteOrder.BIG_ENDIAN);
        int bom = file.i32(pos + 8);
        file.order(was);
        if (bom == PCAPNG_BOM) return ByteOrder.BIG_ENDIAN;
        if (bom == Integer.reverseBytes(PCAPNG_BOM)) return ByteOrder.LITTLE_ENDIAN;
        return null;
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

    /** @return 1 when a frame was delivered, 0 when the block was skipped (counted as damage) */
    private int deliverPacket(int type, long pos, long blockLen, FrameHandler handler) throws IOException {
        MappedFile f = file;
        int ifId;
        long ts = 0;
        long capLen, wireLen;
        long data;
        if (type == SPB) {
            if (blockLen < 16 || interfaceCount == 0) return skipped(type, pos, blockLen, "no interface described before it");
            ifId = 0;
            // no timestamp in a simple packet block: 0, as libpcap reports
            f.require(pos, 12);
            wireLen = f.u32(pos + 8);
            capLen = Math.min(wireLen, blockLen - 16);
            int snap = interfaces[0].snapLen;
            if (snap > 0) capLen = Math.min(capLen, snap);
            data = pos + 12;
        } else {
            if (blockLen < 32) return skipped(type, pos, blockLen, "block of " + blockLen + " bytes, shorter than its header");
            f.require(pos, 28);
            ifId = type == PB ? f.u16(pos + 8) : f.i32(pos + 8);
            ts = (f.u32(pos + 12) << 32) | f.u32(pos + 16);
            capLen = f.u32(pos + 20);
            wireLen = f.u32(pos + 24);
            data = pos + 28;
            if (capLen > blockLen - 32) return skipped(type, pos, blockLen, "captured length " + capLen + " exceeds the block");
        }
        if (capLen > MAX_SNAPLEN) {
            damage(Kind.OVERSIZED, pos, blockName(type) + ": packet of " + capLen + " bytes, larger than libpcap's maximum of "
                    + MAX_SNAPLEN, pos + blockLen);
            return 0;
        }
        if (ifId < 0 || ifId >= interfaceCount) return skipped(type, pos, blockLen, "interface " + ifId + " was never described");
        PcapNgInterface itf = interfaces[ifId];
        long tsNanos = type == SPB ? 0 : itf.toNanos(ts);
        f.require(data, (int) capLen);
        byte[] buf = frameBuffer((int) capLen);
        f.copy(data, buf, (int) capLen);
        handler.onFrame(tsNanos, itf.linkType, buf, 0, (int) capLen, (int) Math.min(wireLen, Integer.MAX_VALUE));
        return 1;
    }

    private int skipped(int type, long pos, long blockLen, String why) {
        damage(Kind.DAMAGED, pos, blockName(type) + ": " + why, pos + blockLen);
        return 0;
    }

    /** The reused frame buffer, grown (rarely) to fit. */
    private byte[] frameBuffer(int len) {
        if (len > frame.length) frame = new byte[Math.max(len, frame.length * 2)];
        return frame;
    }

    /** Counts a damaged place; describes it (offset, what, where reading resumed) while descriptions are kept. */
    private void damage(Kind kind, long pos, String what, long resumedAt) {
        if (!damage.describing()) {
            damage.add(kind, null);
            return;
        }
        String where = resumedAt < 0 ? "nothing readable after it (" + (file.size() - pos) + " bytes to the end of the file)"
                : "resumed at byte " + resumedAt + " (" + (resumedAt - pos) + " bytes skipped)";
        damage.add(kind, "byte " + pos + ": " + what + "; " + where);
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public long sourceErrors() {
        return damage.total();
    }

    @Override
    public SourceDamage damage() {
        return damage;
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
