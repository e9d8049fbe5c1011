package io.netsensor.capture.dns;

import io.netsensor.capture.decode.PacketView;

/**
 * Reassembles DNS over TCP (RFC 7766: each message prefixed by a 2-byte length) per direction, from TCP
 * sequence numbers, into buffers preallocated in one pool. Several messages per segment and messages split
 * across segments are delivered whole. Retransmitted bytes are dropped; on a gap (lost or reordered data,
 * or a snaplen-truncated segment) the partial message is discarded and the next segment is assumed to
 * start a message, which is how senders usually write DNS over TCP. Messages larger than the buffer are
 * skipped. All counted; streams are bounded (least recently used one is recycled) and expire when idle.
 */
final class TcpDnsStreams {
    interface MessageSink {
        /** A complete message in buf[off, off+len); valid during the call only. */
        void onTcpMessage(byte[] buf, int off, int len);
    }

    private final SlotChains index;
    private final long[] srcHi, srcLo, dstHi, dstLo;
    private final int[] srcPort, dstPort;
    private final long[] nextSeq, lastSeen;
    private final int[] have, skip;
    private final boolean[] used;
    private final byte[] pool;
    private final int bufSize;

    long gaps, retransmits, oversize, streamEvictions;

    TcpDnsStreams(int streams, int bufSize) {
        index = new SlotChains(streams);
        this.bufSize = bufSize;
        pool = new byte[streams * bufSize];
        srcHi = new long[streams];
        srcLo = new long[streams];
        dstHi = new long[streams];
        dstLo = new long[streams];
        srcPort = new int[streams];
        dstPort = new int[streams];
        nextSeq = new long[streams];
        lastSeen = new long[streams];
        have = new int[streams];
        skip = new int[streams];
        used = new boolean[streams];
    }

    int active() { return index.size(); }

    void segment(PacketView v, MessageSink sink) {
        boolean syn = (v.tcpFlags & PacketView.SYN) != 0;
        boolean end = (v.tcpFlags & (PacketView.FIN | PacketView.RST)) != 0;
        int h = hash(v.srcHi, v.srcLo, v.srcPort, v.dstHi, v.dstLo, v.dstPort);
        int s = find(h, v);
        if (s < 0) {
            if (!syn && v.payloadWireLen == 0) return; // a bare ACK/FIN/RST of a stream we do not hold
            s = open(h, v);
            nextSeq[s] = v.tcpSeq; // picked up mid-stream: assume the segment starts a message
        }
        lastSeen[s] = v.tsNanos;
        if (syn) {
            nextSeq[s] = (v.tcpSeq + 1) & 0xFFFF_FFFFL;
            have[s] = 0;
            skip[s] = 0;
        } else if (v.payloadWireLen > 0) {
            data(s, v, sink);
        }
        if (end) close(s);
    }

    private void data(int s, PacketView v, MessageSink sink) {
        int diff = (int) (v.tcpSeq - nextSeq[s]);
        int off = v.payloadOff;
        int len = v.payloadLen;
        if (v.payloadLen < v.payloadWireLen) { // bytes missing from the capture: a gap after this segment
            gaps++;
            resync(s, (v.tcpSeq + v.payloadWireLen) & 0xFFFF_FFFFL);
            return;
        }
        if (diff < 0) {
            if (-diff >= len) {
                retransmits++;
                return;
            }
            off -= diff;
            len += diff;
        } else if (diff > 0) {
            gaps++;
            resync(s, v.tcpSeq);
        }
        nextSeq[s] = (nextSeq[s] + len) & 0xFFFF_FFFFL;
        append(s, v.buf, off, len, sink);
    }

    private void resync(int s, long seq) {
        nextSeq[s] = seq;
        have[s] = 0;
        skip[s] = 0;
    }

    private void append(int s, byte[] src, int off, int len, MessageSink sink) {
        int base = s * bufSize;
        while (len > 0) {
            if (skip[s] > 0) {
                int n = Math.min(skip[s], len);
                skip[s] -= n;
                off += n;
                len -= n;
                continue;
            }
            int n = Math.min(bufSize - have[s], len);
            System.arraycopy(src, off, pool, base + have[s], n);
            have[s] += n;
            off += n;
            len -= n;
            int pos = 0;
            while (have[s] - pos >= 2) {
                int msgLen = ((pool[base + pos] & 0xFF) << 8) | (pool[base + pos + 1] & 0xFF);
                if (2 + msgLen > bufSize) {
                    oversize++;
                    skip[s] = 2 + msgLen - (have[s] - pos);
                    pos = have[s];
                    break;
                }
                if (have[s] - pos < 2 + msgLen) break;
                sink.onTcpMessage(pool, base + pos + 2, msgLen);
                pos += 2 + msgLen;
            }
            if (pos > 0) {
                System.arraycopy(pool, base + pos, pool, base, have[s] - pos);
                have[s] -= pos;
            }
        }
    }

    /** Drops streams idle for longer than idleNanos. */
    void expire(long nowNanos, long idleNanos) {
        for (int s = 0; s < used.length; s++) {
            if (used[s] && nowNanos - lastSeen[s] > idleNanos) close(s);
        }
    }

    void clear() {
        index.clear();
        java.util.Arrays.fill(used, false);
    }

    private int open(int h, PacketView v) {
        if (index.full()) {
            int lru = -1;
            for (int s = 0; s < used.length; s++) {
                if (used[s] && (lru < 0 || lastSeen[s] < lastSeen[lru])) lru = s;
            }
            close(lru);
            streamEvictions++;
        }
        int s = index.add(h);
        used[s] = true;
        srcHi[s] = v.srcHi;
        srcLo[s] = v.srcLo;
        srcPort[s] = v.srcPort;
        dstHi[s] = v.dstHi;
        dstLo[s] = v.dstLo;
        dstPort[s] = v.dstPort;
        have[s] = 0;
        skip[s] = 0;
        return s;
    }

    private void close(int s) {
        index.remove(s);
        used[s] = false;
    }

    private int find(int h, PacketView v) {
        for (int s = index.first(h); s != -1; s = index.next(s)) {
            if (srcPort[s] == v.srcPort && dstPort[s] == v.dstPort && srcLo[s] == v.srcLo && dstLo[s] == v.dstLo
                    && srcHi[s] == v.srcHi && dstHi[s] == v.dstHi) {
                return s;
            }
        }
        return -1;
    }

    private static int hash(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        long h = sLo * 31 + sHi;
        h = h * 31 + dLo;
        h = h * 31 + dHi;
        return SlotChains.mix(h * 31 + (((long) sPort << 16) | dPort));
    }
}
