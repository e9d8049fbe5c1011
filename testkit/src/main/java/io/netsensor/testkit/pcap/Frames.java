package io.netsensor.testkit.pcap;

import io.netsensor.events.Ip;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fluent builder of well-formed test frames: IPv4/IPv6 (extension headers, fragments) carrying TCP, UDP
 * or any other protocol, framed for any link type this sensor decodes, with correct lengths and checksums.
 *
 * <pre>{@code
 * byte[] syn  = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(Frames.SYN).seq(1000).build();
 * byte[] dns  = Frames.ipv6("2001:db8::1", "2001:db8::2").udp(5353, 53).payload(query)
 *                     .link(LinkType.LINUX_SLL2).build();
 * byte[] qinq = Frames.ipv4(a, b).udp(1, 2).qinq(100, 200).build();       // 0x88a8 + 0x8100
 * byte[] mpls = Frames.ipv4(a, b).udp(1, 2).vlan(7).mpls(16, 17).build();
 * List<byte[]> pieces = Frames.ipv6(a, b).extensionHeader(Frames.HOP_BY_HOP).udp(53, 5353)
 *                     .payload(new byte[3000]).fragments(1232);       // one frame per fragment
 * byte[] vxlan = Frames.ipv4(a, b).udp(50000, 4789).payload(Frames.vxlan(42, innerEthernetFrame)).build();
 * byte[] icmp  = Frames.ipv4(a, b).protocol(1).payload(echo).build();
 * }</pre>
 * Defaults: Ethernet, TTL 64, IPv4 id 1, TCP window 65535, empty payload.
 */
public final class Frames {
    /** TCP flag bits (the same as capture's {@code PacketView} flags). */
    public static final int FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16, URG = 32;
    public static final int HOP_BY_HOP = 0, ROUTING = 43, DEST_OPTIONS = 60, MOBILITY = 135, AUTH = 51;
    public static final long SRC_MAC = 0x0200_0000_0001L, DST_MAC = 0x0200_0000_0002L;

    private final int version;
    private final byte[] src, dst;
    private int protocol = -1;
    private int srcPort, dstPort;
    private int flags;
    private long seq, ack;
    private int window = 65535;
    private byte[] payload = new byte[0];
    private int ttl = 64;
    private int ipId = 1;
    private final List<Integer> extHeaders = new ArrayList<>();
    private final List<int[]> tags = new ArrayList<>(); // {tpid, id}
    private int[] mplsLabels = new int[0];
    private int pppoeSession = -1;
    private int linkType = LinkType.ETHERNET;

    private Frames(int version, String src, String dst) {
        this.version = version;
        this.src = addr(src, version);
        this.dst = addr(dst, version);
    }

    public static Frames ipv4(String src, String dst) {
        return new Frames(4, src, dst);
    }

    public static Frames ipv6(String src, String dst) {
        return new Frames(6, src, dst);
    }

    public Frames tcp(int srcPort, int dstPort) {
        this.protocol = 6;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        return this;
    }

    public Frames udp(int srcPort, int dstPort) {
        this.protocol = 17;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        return this;
    }

    /** Any other IP protocol (1 ICMP, 47 GRE, 4/41 IP-in-IP, ...): the payload is the whole IP payload. */
    public Frames protocol(int protocol) {
        this.protocol = protocol;
        return this;
    }

    /** TCP flags, e.g. {@code Frames.SYN | Frames.ACK}. */
    public Frames flags(int flags) {
        this.flags = flags;
        return this;
    }

    public Frames seq(long seq) {
        this.seq = seq;
        return this;
    }

    public Frames ack(long ack) {
        this.ack = ack;
        return this;
    }

    public Frames window(int window) {
        this.window = window;
        return this;
    }

    public Frames payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    public Frames payload(String text) {
        return payload(text.getBytes(StandardCharsets.UTF_8));
    }

    public Frames ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    /** IPv4 identification / IPv6 fragment identification. */
    public Frames id(int id) {
        this.ipId = id;
        return this;
    }

    /** Appends an IPv6 extension header (HOP_BY_HOP, ROUTING, DEST_OPTIONS, MOBILITY, AUTH). */
    public Frames extensionHeader(int type) {
        extHeaders.add(type);
        return this;
    }

    /** Adds an 802.1Q tag (0x8100); call again for a further tag. Ethernet only. */
    public Frames vlan(int id) {
        tags.add(new int[] {0x8100, id});
        return this;
    }

    /** Adds an 802.1ad service tag (0x88a8) followed by a customer tag (0x8100). */
    public Frames qinq(int outer, int inner) {
        tags.add(new int[] {0x88A8, outer});
        tags.add(new int[] {0x8100, inner});
        return this;
    }

    /** MPLS label stack between the Ethernet header (or its tags) and IP. */
    public Frames mpls(int... labels) {
        this.mplsLabels = labels.clone();
        return this;
    }

    /** PPPoE session header + PPP between Ethernet and IP. */
    public Frames pppoe(int session) {
        this.pppoeSession = session;
        return this;
    }

    /** Frames for this link type (a {@link LinkType} number); default Ethernet. */
    public Frames link(int linkType) {
        this.linkType = linkType;
        return this;
    }

    public int linkType() {
        return linkType;
    }

    /** The framed packet. */
    public byte[] build() {
        return frame(ip());
    }

    /** The IP packet alone (no link header), e.g. to nest in a tunnel. */
    public byte[] ip() {
        byte[] l4 = transport();
        return version == 4 ? ipv4Header(l4, 0, l4.length, 0, false) : ipv6Packet(l4, 0, l4.length, 0, false, false);
    }

    /**
     * The datagram split into IP fragments of at most {@code maxFragmentData} data bytes (rounded down to
     * a multiple of 8), each framed; IPv6 fragments carry a fragment header after the extension headers.
     */
    public List<byte[]> fragments(int maxFragmentData) {
        byte[] l4 = transport();
        int step = maxFragmentData & ~7;
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < l4.length; off += step) {
            int len = Math.min(step, l4.length - off);
            boolean more = off + len < l4.length;
            byte[] ip = version == 4 ? ipv4Header(l4, off, len, off, more) : ipv6Packet(l4, off, len, off, more, true);
            frames.add(frame(ip));
        }
        return frames;
    }

    // ------------------------------------------------------------------ tunnel payloads

    /** VXLAN header (I flag, VNI) + inner Ethernet frame: the UDP payload for port 4789. */
    public static byte[] vxlan(int vni, byte[] innerEthernet) {
        Buf b = new Buf();
        b.u8(0x08).u8(0).u16(0).u16(vni >>> 8).u8(vni & 0xFF).u8(0);
        return b.bytes(innerEthernet).toArray();
    }

    /** GRE (no options) with the given protocol type (0x0800, 0x86DD, 0x6558 ...): IP protocol 47 payload. */
    public static byte[] gre(int protocolType, byte[] inner) {
        return new Buf().u16(0).u16(protocolType).bytes(inner).toArray();
    }

    /** Teredo with an origin indication before the IPv6 packet: UDP payload for port 3544. */
    public static byte[] teredo(byte[] ipv6Packet) {
        return new Buf().u16(0).u16(0xFFFF ^ 3544).u32(0x7F000001 ^ -1).bytes(ipv6Packet).toArray();
    }

    /** GTPv1-U G-PDU header + inner IP packet: UDP payload for port 2152. */
    public static byte[] gtpu(int teid, byte[] innerIp) {
        return new Buf().u8(0x30).u8(0xFF).u16(innerIp.length).u32(teid).bytes(innerIp).toArray();
    }

    // ------------------------------------------------------------------ encoding

    private byte[] transport() {
        if (protocol == 6) {
            Buf b = new Buf().u16(srcPort).u16(dstPort).u32((int) seq).u32((int) ack)
                    .u8(5 << 4).u8(flags).u16(window).u16(0).u16(0).bytes(payload);
            byte[] seg = b.toArray();
            putChecksum(seg, 16, seg);
            return seg;
        }
        if (protocol == 17) {
            byte[] seg = new Buf().u16(srcPort).u16(dstPort).u16(8 + payload.length).u16(0).bytes(payload).toArray();
            putChecksum(seg, 6, seg);
            if (seg[6] == 0 && seg[7] == 0) seg[6] = seg[7] = (byte) 0xFF; // 0 means "no checksum" in UDP
            return seg;
        }
        if (protocol < 0) throw new IllegalStateException("choose tcp(), udp() or protocol() first");
        return payload.clone();
    }

    /** Transport checksum over the IPv4/IPv6 pseudo-header and the segment. */
    private void putChecksum(byte[] seg, int at, byte[] whole) {
        Buf pseudo = new Buf().bytes(src).bytes(dst);
        if (version == 4) pseudo.u8(0).u8(protocol).u16(whole.length);
        else pseudo.u32(whole.length).u16(0).u8(0).u8(protocol);
        int sum = checksum(pseudo.bytes(whole).toArray());
        seg[at] = (byte) (sum >>> 8);
        seg[at + 1] = (byte) sum;
    }

    private byte[] ipv4Header(byte[] data, int off, int len, int fragOff, boolean more) {
        int fragField = (more ? 0x2000 : 0) | (fragOff / 8);
        byte[] h = new Buf().u8(0x45).u8(0).u16(20 + len).u16(ipId).u16(fragField).u8(ttl).u8(protocol).u16(0)
                .bytes(src).bytes(dst).toArray();
        int sum = checksum(h);
        h[10] = (byte) (sum >>> 8);
        h[11] = (byte) sum;
        Buf b = new Buf().bytes(h);
        b.out.write(data, off, len);
        return b.toArray();
    }

    private byte[] ipv6Packet(byte[] data, int off, int len, int fragOff, boolean more, boolean fragmentHeader) {
        Buf ext = new Buf();
        for (int i = 0; i < extHeaders.size(); i++) {
            int next = i + 1 < extHeaders.size() ? extHeaders.get(i + 1) : (fragmentHeader ? 44 : protocol);
            if (extHeaders.get(i) == AUTH) { // 16 bytes: length field = 16/4 - 2
                ext.u8(next).u8(2).u16(0).u32(0x100).u32(1).u32(0);
            } else { // 8 bytes; options headers padded with one PadN option
                ext.u8(next).u8(0).u8(1).u8(4).u32(0);
            }
        }
        if (fragmentHeader) ext.u8(protocol).u8(0).u16(fragOff | (more ? 1 : 0)).u32(ipId);
        int first = extHeaders.isEmpty() ? (fragmentHeader ? 44 : protocol) : extHeaders.get(0);
        byte[] extBytes = ext.toArray();
        Buf b = new Buf().u32(0x6000_0000).u16(extBytes.length + len).u8(first).u8(ttl).bytes(src).bytes(dst)
                .bytes(extBytes);
        b.out.write(data, off, len);
        return b.toArray();
    }

    private byte[] frame(byte[] ip) {
        int ipType = version == 4 ? 0x0800 : 0x86DD;
        switch (linkType) {
            case LinkType.ETHERNET: {
                Buf b = new Buf().mac(DST_MAC).mac(SRC_MAC);
                for (int[] t : tags) b.u16(t[0]).u16(t[1]);
                return b.u16(ethertype(ipType)).bytes(l2Payload(ip)).toArray();
            }
            case LinkType.LINUX_SLL:
                return new Buf().u16(0).u16(1).u16(6).mac(SRC_MAC).u16(0).u16(ethertype(ipType))
                        .bytes(l2Payload(ip)).toArray();
            case LinkType.LINUX_SLL2:
                return new Buf().u16(ethertype(ipType)).u16(0).u32(1).u16(1).u8(0).u8(6).mac(SRC_MAC).u16(0)
                        .bytes(l2Payload(ip)).toArray();
            case LinkType.RAW:
            case LinkType.DLT_RAW_12:
            case LinkType.DLT_RAW_14:
            case LinkType.IPV4:
            case LinkType.IPV6:
                return ip;
            case LinkType.NULL: // host order of a little-endian capturer; AF_INET6 as on macOS
                return new Buf().u32(Integer.reverseBytes(version == 4 ? 2 : 30)).bytes(ip).toArray();
            case LinkType.LOOP: // network order; AF_INET6 as on OpenBSD
                return new Buf().u32(version == 4 ? 2 : 24).bytes(ip).toArray();
            default:
                throw new IllegalArgumentException("no framing for link type " + linkType);
        }
    }

    private int ethertype(int ipType) {
        if (mplsLabels.length > 0) return 0x8847;
        return pppoeSession >= 0 ? 0x8864 : ipType;
    }

    private byte[] l2Payload(byte[] ip) {
        Buf b = new Buf();
        for (int i = 0; i < mplsLabels.length; i++) {
            boolean bottom = i == mplsLabels.length - 1;
            b.u32((mplsLabels[i] << 12) | (bottom ? 0x100 : 0) | 64);
        }
        if (pppoeSession >= 0) b.u8(0x11).u8(0).u16(pppoeSession).u16(ip.length + 2).u16(version == 4 ? 0x21 : 0x57);
        return b.bytes(ip).toArray();
    }

    static int checksum(byte[] data) {
        long sum = 0;
        for (int i = 0; i + 1 < data.length; i += 2) sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        if ((data.length & 1) != 0) sum += (data[data.length - 1] & 0xFF) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }

    private static byte[] addr(String text, int version) {
        long[] a = Ip.parse(text);
        boolean v4 = Ip.isV4(a[0], a[1]);
        if (v4 != (version == 4)) throw new IllegalArgumentException(text + " is not IPv" + version);
        Buf b = new Buf();
        return v4 ? b.u32(Ip.v4(a[1])).toArray() : b.u32((int) (a[0] >>> 32)).u32((int) a[0])
                .u32((int) (a[1] >>> 32)).u32((int) a[1]).toArray();
    }

    /** Big-endian byte appender. */
    private static final class Buf {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Buf u8(int v) {
            out.write(v);
            return this;
        }

        Buf u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Buf u32(int v) {
            return u16(v >>> 16).u16(v);
        }

        Buf mac(long v) {
            return u16((int) (v >>> 32)).u32((int) v);
        }

        Buf bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
