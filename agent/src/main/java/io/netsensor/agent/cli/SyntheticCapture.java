package io.netsensor.agent.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Generates a realistic mixed capture for `netsensor bench`: TCP connections (handshake, data both ways,
 * FIN close; some refused, some unanswered), DNS over UDP (query + response), IPv4 and IPv6, Ethernet,
 * some 802.1Q. Deterministic for a given seed so figures are comparable between runs.
 */
final class SyntheticCapture {
    private static final long START_NANOS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    private final ByteBuffer frame = ByteBuffer.allocate(2048).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private final SplittableRandom random;
    private OutputStream out;
    private long ts = START_NANOS;
    private long packets;
    private long flows;
    /** Data packets per TCP session; 0 = 2 to 11 at random (short sessions: many new flows per packet). */
    private final int sessionDataPackets;

    SyntheticCapture(long seed) {
        this(seed, 0);
    }

    SyntheticCapture(long seed, int sessionDataPackets) {
        random = new SplittableRandom(seed);
        this.sessionDataPackets = sessionDataPackets;
    }

    /** Flows (TCP sessions, refused connects, DNS exchanges) in the last written capture. */
    long flows() {
        return flows;
    }

    /** Writes at least {@code minPackets} packets to a nanosecond pcap file; returns the packet count. */
    long write(Path file, long minPackets) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out = os;
            ByteBuffer hdr = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            hdr.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            os.write(hdr.array());
            int flow = 0;
            while (packets < minPackets) {
                flow++;
                flows++;
                boolean v6 = flow % 5 == 0;
                int vlan = flow % 7 == 0 ? 100 : 0;
                int kind = flow % 10;
                if (kind < 3) {
                    dns(flow, v6, vlan);
                } else if (kind == 3) {
                    refused(flow, v6, vlan);
                } else {
                    tcpSession(flow, v6, vlan, sessionDataPackets > 0 ? sessionDataPackets : 2 + random.nextInt(10));
                }
            }
        }
        return packets;
    }

    private byte[] client(int flow, boolean v6) {
        return v6 ? new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (flow >> 8), (byte) flow}
                : new byte[] {10, 0, (byte) (flow >> 8), (byte) flow};
    }

    private byte[] server(int flow, boolean v6) {
        int s = flow % 251;
        return v6 ? new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) s}
                : new byte[] {(byte) 198, 51, 100, (byte) s};
    }

    private void tcpSession(int flow, boolean v6, int vlan, int dataPackets) throws IOException {
        byte[] c = client(flow, v6), s = server(flow, v6);
        int cp = 32768 + (flow % 28000), sp = flow % 3 == 0 ? 443 : 8000 + flow % 100;
        long cs = random.nextInt() & 0xFFFFFFFFL, ss = random.nextInt() & 0xFFFFFFFFL;
        tcp(vlan, c, s, cp, sp, cs, 0, 0x02, 0);
        tcp(vlan, s, c, sp, cp, ss, cs + 1, 0x12, 0);
        tcp(vlan, c, s, cp, sp, cs + 1, ss + 1, 0x10, 0);
        long co = 1, so = 1;
        for (int i = 0; i < dataPackets; i++) {
            int len = 40 + random.nextInt(1200);
            if ((i & 1) == 0) {
                tcp(vlan, c, s, cp, sp, cs + co, ss + so, 0x18, len);
                co += len;
            } else {
                tcp(vlan, s, c, sp, cp, ss + so, cs + co, 0x18, len);
                so += len;
            }
        }
        tcp(vlan, c, s, cp, sp, cs + co, ss + so, 0x11, 0);
        tcp(vlan, s, c, sp, cp, ss + so, cs + co + 1, 0x11, 0);
        tcp(vlan, c, s, cp, sp, cs + co + 1, ss + so + 1, 0x10, 0);
    }

    private void refused(int flow, boolean v6, int vlan) throws IOException {
        byte[] c = client(flow, v6), s = server(flow, v6);
        int cp = 40000 + (flow % 20000);
        long cs = random.nextInt() & 0xFFFFFFFFL;
        tcp(vlan, c, s, cp, 23, cs, 0, 0x02, 0);
        tcp(vlan, s, c, 23, cp, 0, cs + 1, 0x14, 0);
    }

    private void dns(int flow, boolean v6, int vlan) throws IOException {
        byte[] c = client(flow, v6), s = server(flow % 3, v6);
        int cp = 20000 + (flow % 40000);
        byte[] name = ("h" + (flow % 5000) + ".example.com").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer q = ByteBuffer.allocate(512);
        int id = flow & 0xFFFF;
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        qname(q, name);
        q.putShort((short) 1).putShort((short) 1);
        int qlen = q.position();
        udp(vlan, c, s, cp, 53, q.array(), qlen);
        ByteBuffer r = ByteBuffer.allocate(512);
        r.put(q.array(), 0, qlen);
        r.putShort(2, (short) 0x8180).putShort(6, (short) 1);
        r.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(300).putShort((short) 4)
                .put(new byte[] {(byte) 203, 0, 113, (byte) (flow % 250)});
        udp(vlan, s, c, 53, cp, r.array(), r.position());
    }

    private static void qname(ByteBuffer b, byte[] name) {
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i == name.length || name[i] == '.') {
                b.put((byte) (i - start)).put(name, start, i - start);
                start = i + 1;
            }
        }
        b.put((byte) 0);
    }

    private void tcp(int vlan, byte[] src, byte[] dst, int sp, int dp, long seq, long ack, int flags, int payload) throws IOException {
        beginIp(vlan, src, dst, 6, 20 + payload);
        frame.putShort((short) sp).putShort((short) dp).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < payload; i++) frame.put((byte) i);
        emit();
    }

    private void udp(int vlan, byte[] src, byte[] dst, int sp, int dp, byte[] payload, int len) throws IOException {
        beginIp(vlan, src, dst, 17, 8 + len);
        frame.putShort((short) sp).putShort((short) dp).putShort((short) (8 + len)).putShort((short) 0).put(payload, 0, len);
        emit();
    }

    private void beginIp(int vlan, byte[] src, byte[] dst, int proto, int l4len) {
        frame.clear();
        frame.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        if (vlan != 0) frame.putShort((short) 0x8100).putShort((short) vlan);
        if (src.length == 4) {
            frame.putShort((short) 0x0800);
            frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4len)).putShort((short) 0).putShort((short) 0x4000)
                    .put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst);
        } else {
            frame.putShort((short) 0x86DD);
            frame.putInt(0x60000000).putShort((short) l4len).put((byte) proto).put((byte) 64).put(src).put(dst);
        }
    }

    private void emit() throws IOException {
        int len = frame.position();
        ts += 1_000 + random.nextInt(1_000);
        rec.clear();
        rec.putInt((int) (ts / 1_000_000_000L)).putInt((int) (ts % 1_000_000_000L)).putInt(len).putInt(len);
        out.write(rec.array(), 0, 16);
        out.write(frame.array(), 0, len);
        packets++;
    }
}
