package io.netsensor.capture.decode;

import java.util.Arrays;

/**
 * Reassembles IPv4 and IPv6 fragments into whole datagrams with bounded, preallocated memory: at most
 * {@code maxDatagrams} datagrams in progress, each at most 65535 bytes, expired after a timeout measured
 * in packet (event) time, the oldest evicted when all slots are busy. Overlapping data is resolved
 * "first copy wins" (what Linux and BSD stacks do for the bytes already received) and counted.
 *
 * <p>Received data is tracked in a bitmap of 8-byte blocks, the unit of fragment offsets. The finished
 * datagram is handed out by swapping the slot's buffer with a spare one, so it stays valid until the
 * next completed datagram even if its slot is immediately reused (tunnelled fragments).
 */
public final class FragmentReassembler {
    static final int HELD = 0, COMPLETE = 1, BAD = 2;

    /** Room before the data for the IP header and IPv6 unfragmentable extension headers. */
    static final int PREFIX_ROOM = 512;
    static final int MAX_DATA = 65535;
    private static final int BUF_SIZE = PREFIX_ROOM + MAX_DATA;
    private static final int BITMAP_LONGS = (MAX_DATA + 7) / 8 / 64 + 1;

    public static final int DEFAULT_MAX_DATAGRAMS = 64;
    public static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;

    private final Slot[] slots;
    private final long timeoutNanos;
    private byte[] spare = new byte[BUF_SIZE];

    // output of the last COMPLETE
    private byte[] out;
    private int outIpOff, outIpLen, outDataOff, outDataLen, outProtocol;

    private long reassembled, timedOut, evicted, overlaps, fragments;

    public FragmentReassembler() {
        this(DEFAULT_MAX_DATAGRAMS, DEFAULT_TIMEOUT_NANOS);
    }

    public FragmentReassembler(int maxDatagrams, long timeoutNanos) {
        if (maxDatagrams < 1) throw new IllegalArgumentException("maxDatagrams must be >= 1");
        slots = new Slot[maxDatagrams];
        for (int i = 0; i < maxDatagrams; i++) slots[i] = new Slot();
        this.timeoutNanos = timeoutNanos;
    }

    private static final class Slot {
        boolean used;
        int version, id, protocol;
        long srcHi, srcLo, dstHi, dstLo;
        long firstTs;
        int totalDataLen = -1; // known once the last fragment arrived
        int hdrLen = -1;       // known once the offset-0 fragment arrived
        int nextHeaderPos;     // IPv6: offset within the header prefix of the byte naming the fragment header
        byte[] buf = new byte[BUF_SIZE];
        final long[] blocks = new long[BITMAP_LONGS];

        boolean matches(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int protocol) {
            return used && this.id == id && this.srcLo == srcLo && this.dstLo == dstLo && this.srcHi == srcHi
                    && this.dstHi == dstHi && this.version == version && this.protocol == protocol;
        }
    }

    /**
     * Stores one fragment.
     *
     * @param hdrBuf/hdrOff/hdrLen the IP header (IPv4 incl. options; IPv6 header plus the extension headers
     *                             before the fragment header), used from the offset-0 fragment
     * @param nextHeaderPos        IPv6: position within that header of the next-header byte that names the
     *                             fragment header (patched to {@code protocol}); ignored for IPv4
     * @param protocol             upper-layer protocol (IPv4 protocol field, IPv6 fragment header next header)
     * @return HELD, COMPLETE (see output accessors) or BAD (malformed fragment, dropped)
     */
    int add(long nowNs, int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int protocol,
            byte[] hdrBuf, int hdrOff, int hdrLen, int nextHeaderPos,
            int fragOff, boolean more, byte[] data, int dataOff, int dataLen) {
        fragments++;
        int end = fragOff + dataLen;
        if (dataLen <= 0 || end > MAX_DATA || (more && (dataLen & 7) != 0) || hdrLen > PREFIX_ROOM) return BAD;
        expire(nowNs);
        Slot s = find(version, srcHi, srcLo, dstHi, dstLo, id, protocol);
        boolean fresh = s == null;
        if (fresh) s = claim(nowNs, version, srcHi, srcLo, dstHi, dstLo, id, protocol);
        if (!consistentEnd(s, end, more)) {
            if (fresh) release(s);
            return BAD;
        }
        if (!more) s.totalDataLen = end;
        if (fragOff == 0 && s.hdrLen < 0) {
            s.hdrLen = hdrLen;
            s.nextHeaderPos = nextHeaderPos;
            System.arraycopy(hdrBuf, hdrOff, s.buf, PREFIX_ROOM - hdrLen, hdrLen);
        }
        store(s, fragOff, data, dataOff, dataLen);
        if (s.totalDataLen < 0 || s.hdrLen < 0 || !allBlocksSet(s.blocks, (s.totalDataLen + 7) >>> 3)) return HELD;
        return complete(s);
    }

    private int complete(Slot s) {
        int hdrLen = s.hdrLen, dataLen = s.totalDataLen;
        int ipOff = PREFIX_ROOM - hdrLen;
        if (hdrLen + dataLen > (s.version == 4 ? 65535 : 65535 + 40)) {
            release(s);
            return BAD;
        }
        byte[] b = s.buf;
        if (s.version == 4) {
            int total = hdrLen + dataLen;
            b[ipOff + 2] = (byte) (total >>> 8);
            b[ipOff + 3] = (byte) total;
            b[ipOff + 6] &= 0x40; // keep DF, clear MF and the offset
            b[ipOff + 7] = 0;
        } else {
            int payload = hdrLen - 40 + dataLen;
            b[ipOff + 4] = (byte) (payload >>> 8);
            b[ipOff + 5] = (byte) payload;
            b[ipOff + s.nextHeaderPos] = (byte) s.protocol;
        }
        // hand the buffer out, give the slot the spare
        out = b;
        s.buf = spare;
        spare = b;
        outIpOff = ipOff;
        outIpLen = hdrLen + dataLen;
        outDataOff = PREFIX_ROOM;
        outDataLen = dataLen;
        outProtocol = s.protocol;
        reassembled++;
        release(s);
        return COMPLETE;
    }

    /** A last fragment must agree with the known length and with data already seen; others must fit inside. */
    private static boolean consistentEnd(Slot s, int end, boolean more) {
        if (more) return s.totalDataLen < 0 || end <= s.totalDataLen;
        if (s.totalDataLen >= 0) return s.totalDataLen == end;
        int blocksSeen = highestBlockSet(s);
        return blocksSeen == 0 || (blocksSeen - 1) * 8 < end;
    }

    private void store(Slot s, int fragOff, byte[] data, int dataOff, int dataLen) {
        int first = fragOff >>> 3, last = (fragOff + dataLen + 7) >>> 3; // block range [first, last)
        if (!anyBlockSet(s.blocks, first, last)) {
            System.arraycopy(data, dataOff, s.buf, PREFIX_ROOM + fragOff, dataLen);
            setBlocks(s.blocks, first, last);
            return;
        }
        overlaps++;
        for (int blk = first; blk < last; blk++) {
            if (isSet(s.blocks, blk)) continue;
            int from = blk << 3;
            int n = Math.min(8, fragOff + dataLen - from);
            System.arraycopy(data, dataOff + from - fragOff, s.buf, PREFIX_ROOM + from, n);
            s.blocks[blk >>> 6] |= 1L << blk;
        }
    }

    private Slot find(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int protocol) {
        for (Slot s : slots) {
            if (s.matches(version, srcHi, srcLo, dstHi, dstLo, id, protocol)) return s;
        }
        return null;
    }

    private Slot claim(long now, int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int protocol) {
        Slot victim = null;
        for (Slot s : slots) {
            if (!s.used) {
                victim = s;
                break;
            }
            if (victim == null || s.firstTs < victim.firstTs) victim = s;
        }
        if (victim.used) {
            evicted++;
            release(victim);
        }
        victim.used = true;
        victim.version = version;
        victim.srcHi = srcHi;
        victim.srcLo = srcLo;
        victim.dstHi = dstHi;
        victim.dstLo = dstLo;
        victim.id = id;
        victim.protocol = protocol;
        victim.firstTs = now;
        return victim;
    }

    /** Drops datagrams whose first fragment is older than the timeout (in packet time). */
    public void expire(long nowNs) {
        for (Slot s : slots) {
            if (s.used && nowNs - s.firstTs > timeoutNanos) {
                timedOut++;
                release(s);
            }
        }
    }

    private static void release(Slot s) {
        s.used = false;
        s.totalDataLen = -1;
        s.hdrLen = -1;
        Arrays.fill(s.blocks, 0L);
    }

    private static boolean isSet(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void setBlocks(long[] bits, int from, int to) {
        for (int i = from; i < to; i++) bits[i >>> 6] |= 1L << i;
    }

    private static boolean anyBlockSet(long[] bits, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((bits[i >>> 6] & (1L << i)) != 0) return true;
        }
        return false;
    }

    private static boolean allBlocksSet(long[] bits, int n) {
        int full = n >>> 6;
        for (int w = 0; w < full; w++) {
            if (bits[w] != -1L) return false;
        }
        int rest = n & 63;
        return rest == 0 || (bits[full] & ((1L << rest) - 1)) == ((1L << rest) - 1);
    }

    /** Number of blocks up to and including the highest one received (0 when none). */
    private static int highestBlockSet(Slot s) {
        for (int w = BITMAP_LONGS - 1; w >= 0; w--) {
            if (s.blocks[w] != 0) return w * 64 + 64 - Long.numberOfLeadingZeros(s.blocks[w]);
        }
        return 0;
    }

    // --- output of the last COMPLETE add()
    byte[] outBuf() { return out; }
    int outIpOff() { return outIpOff; }
    int outIpLen() { return outIpLen; }
    int outDataOff() { return outDataOff; }
    int outDataLen() { return outDataLen; }
    int outProtocol() { return outProtocol; }

    // --- counters
    public long fragments() { return fragments; }
    public long reassembled() { return reassembled; }
    public long timedOut() { return timedOut; }
    public long evicted() { return evicted; }
    public long overlaps() { return overlaps; }

    /** Datagrams currently waiting for fragments. */
    public int inProgress() {
        int n = 0;
        for (Slot s : slots) if (s.used) n++;
        return n;
    }

    /** Registers {@code capture.fragments.*}: counts of fragments and datagrams, and the datagrams in progress. */
    public void register(io.netsensor.metrics.Metrics m) {
        m.count("capture.fragments.received", () -> fragments);
        m.count("capture.fragments.reassembled", () -> reassembled);
        m.count("capture.fragments.timed_out", () -> timedOut);
        m.count("capture.fragments.evicted", () -> evicted);
        m.count("capture.fragments.overlaps", () -> overlaps);
        m.gauge("capture.fragments.in_progress", this::inProgress);
    }

    public String summary() {
        return "fragments=" + fragments + " reassembled=" + reassembled + " timed_out=" + timedOut
                + " evicted=" + evicted + " overlaps=" + overlaps + " in_progress=" + inProgress();
    }
}
