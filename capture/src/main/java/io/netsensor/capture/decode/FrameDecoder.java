package io.netsensor.capture.decode;

import static io.netsensor.capture.decode.Bytes.i32;
import static io.netsensor.capture.decode.Bytes.i64;
import static io.netsensor.capture.decode.Bytes.mac;
import static io.netsensor.capture.decode.Bytes.u16;
import static io.netsensor.capture.decode.Bytes.u32;
import static io.netsensor.capture.decode.Bytes.u8;

import io.netsensor.events.Ip;

/**
 * Decodes raw frames into a reused {@link PacketView}: link layer, IPv4/IPv6 (with extension headers and
 * fragment reassembly), TCP/UDP. Never allocates and never throws on bad input: every outcome is a
 * {@link DecodeResult}, counted in {@link #stats()}.
 *
 * <p>Tunnels are peeled one layer at a time, as Zeek does, so outer and inner flows are both seen:
 * <pre>{@code
 * DecodeResult r = decoder.decode(view, ts, linkType, buf, off, capLen, wireLen);
 * if (r.hasIp()) {
 *     do { process(view); } while (decoder.nextLayer(view));
 * }
 * }</pre>
 * One instance per capture thread (it owns the reassembly state). The code is a handful of static
 * dispatches on header fields rather than a protocol-object graph, so the JIT can inline it.
 */
public final class FrameDecoder {
    /** Zeek's Tunnel::max_depth default; Zeek enforces it for IP-carried tunnels (IP-in-IP, GRE). */
    public static final int DEFAULT_MAX_TUNNEL_DEPTH = 2;
    /**
     * Zeek does not apply max_depth to UDP-carried tunnels (its own max-depth test decodes DNS inside three
     * VXLAN layers with default settings); this cap only bounds the work per packet.
     */
    static final int MAX_UDP_TUNNEL_DEPTH = 8;

    private static final int MAX_VLAN_TAGS = 8, MAX_MPLS_LABELS = 16, MAX_IPV6_EXT_HEADERS = 16;

    private final DecodeStats stats;
    private final FragmentReassembler reassembler;
    private final TunnelParser tunnels = new TunnelParser();
    private final int maxTunnelDepth;

    // per-call state (fields rather than parameters to keep the signatures short)
    private long now;
    private int capEnd;  // end of the captured bytes of the current packet in buf
    private int wireEnd; // where the packet would end if nothing had been cut by the snaplen
    private DecodeResult last;

    public FrameDecoder() {
        this(new DecodeStats(), new FragmentReassembler(), DEFAULT_MAX_TUNNEL_DEPTH);
    }

    public FrameDecoder(DecodeStats stats, FragmentReassembler reassembler, int maxTunnelDepth) {
        this.stats = stats;
        this.reassembler = reassembler;
        this.maxTunnelDepth = maxTunnelDepth;
    }

    public DecodeStats stats() {
        return stats;
    }

    public FragmentReassembler reassembler() {
        return reassembler;
    }

    /** Result of the last decode() or nextLayer() that reached a packet. */
    public DecodeResult lastResult() {
        return last;
    }

    /** Decodes the outermost packet of a frame into {@code v} (reset first). */
    public DecodeResult decode(PacketView v, long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        v.reset();
        v.tsNanos = tsNanos;
        v.linkType = linkType;
        v.buf = buf;
        v.frameOff = off;
        v.capLen = capLen;
        v.wireLen = wireLen;
        now = tsNanos;
        capEnd = off + Math.max(0, Math.min(capLen, buf.length - off));
        wireEnd = off + Math.max(capLen, wireLen);
        DecodeResult r = link(v, linkType, buf, off);
        stats.count(r);
        last = r;
        return r;
    }

    /**
     * When the packet in {@code v} is a recognised tunnel, decodes the encapsulated packet into the same
     * view (tunnelDepth + 1) and returns true if it reached an IP packet. Returns false when the packet is
     * not a tunnel, the tunnel is nested too deep, or the inner packet is not IP / malformed / a held
     * fragment (those outcomes are counted in the stats, see {@link #lastResult()}).
     */
    public boolean nextLayer(PacketView v) {
        if (last == null || !last.hasIp()) return false;
        int t = tunnels.parse(v);
        if (t == TunnelParser.NOT_TUNNEL) return false;
        DecodeResult r;
        if (t == TunnelParser.BAD) {
            r = DecodeResult.BAD_TUNNEL_HEADER;
        } else if (t == TunnelParser.UNSUPPORTED) {
            r = DecodeResult.UNSUPPORTED_TUNNEL;
        } else if (v.tunnelDepth >= (v.protocol == 17 ? Math.max(maxTunnelDepth, MAX_UDP_TUNNEL_DEPTH) : maxTunnelDepth)) {
            r = DecodeResult.TUNNEL_TOO_DEEP;
        } else {
            capEnd = v.payloadOff + v.payloadLen;
            wireEnd = v.payloadOff + v.payloadWireLen;
            int depth = v.tunnelDepth + 1;
            clearNetworkLayer(v);
            v.tunnelDepth = depth;
            stats.countTunnelLayer();
            int off = tunnels.innerOff, type = tunnels.innerType;
            byte[] b = v.buf;
            if (type == TunnelParser.INNER_ETHERNET) r = ethernet(v, b, off);
            else if (type == TunnelParser.INNER_IP_BY_VERSION) r = ipByVersion(v, b, off);
            else r = ethertype(v, b, type, off);
        }
        stats.count(r);
        last = r;
        return r.hasIp();
    }

    private static void clearNetworkLayer(PacketView v) {
        long srcMac = v.srcMac, dstMac = v.dstMac;
        int vlan = v.vlan, innerVlan = v.innerVlan;
        v.reset();
        v.srcMac = srcMac;
        v.dstMac = dstMac;
        v.vlan = vlan;
        v.innerVlan = innerVlan;
    }

    // ------------------------------------------------------------------ link layer

    private DecodeResult link(PacketView v, int linkType, byte[] b, int off) {
        switch (linkType) {
            case LinkTypes.ETHERNET:
                return ethernet(v, b, off);
            case LinkTypes.LINUX_SLL:
                return sll(v, b, off);
            case LinkTypes.LINUX_SLL2:
                return sll2(v, b, off);
            case LinkTypes.RAW:
            case LinkTypes.DLT_RAW_12:
            case LinkTypes.DLT_RAW_14:
                return ipByVersion(v, b, off);
            case LinkTypes.IPV4:
                return ip4(v, b, off);
            case LinkTypes.IPV6:
                return ip6(v, b, off);
            case LinkTypes.NULL:
            case LinkTypes.LOOP:
                return loopback(v, b, off);
            default:
                return DecodeResult.UNSUPPORTED_LINKTYPE;
        }
    }

    private DecodeResult ethernet(PacketView v, byte[] b, int off) {
        if (capEnd - off < 14) return DecodeResult.TRUNCATED_LINK;
        v.dstMac = mac(b, off);
        v.srcMac = mac(b, off + 6);
        return ethertype(v, b, u16(b, off + 12), off + 14);
    }

    /** Linux cooked v1: packet type, ARPHRD type, address length, 8 address bytes, protocol. */
    private DecodeResult sll(PacketView v, byte[] b, int off) {
        if (capEnd - off < 16) return DecodeResult.TRUNCATED_LINK;
        if (u16(b, off + 2) == 1 && u16(b, off + 4) == 6) v.srcMac = mac(b, off + 6);
        return ethertype(v, b, u16(b, off + 14), off + 16);
    }

    /** Linux cooked v2: protocol, reserved, ifindex, ARPHRD type, packet type, address length, address. */
    private DecodeResult sll2(PacketView v, byte[] b, int off) {
        if (capEnd - off < 20) return DecodeResult.TRUNCATED_LINK;
        if (u16(b, off + 8) == 1 && u8(b, off + 11) == 6) v.srcMac = mac(b, off + 12);
        return ethertype(v, b, u16(b, off), off + 20);
    }

    /**
     * BSD loopback: a 4-byte address family, in the capturing host's byte order for NULL (so either
     * order here) and network order for LOOP. AF_INET6 differs per OS (24 NetBSD/OpenBSD, 28 FreeBSD,
     * 30 macOS).
     */
    private DecodeResult loopback(PacketView v, byte[] b, int off) {
        if (capEnd - off < 4) return DecodeResult.TRUNCATED_LINK;
        int family = i32(b, off);
        if ((family & 0xFFFF_0000) != 0) family = Integer.reverseBytes(family);
        switch (family) {
            case 2:
                return ip4(v, b, off + 4);
            case 24:
            case 28:
            case 30:
                return ip6(v, b, off + 4);
            default:
                return DecodeResult.NON_IP;
        }
    }

    /** Ethertype dispatch shared by Ethernet, SLL, SLL2, GRE: VLAN tags, MPLS, PPPoE, IP. */
    private DecodeResult ethertype(PacketView v, byte[] b, int type, int off) {
        for (int tags = 0; type == 0x8100 || type == 0x88A8 || type == 0x9100; tags++) {
            if (tags == MAX_VLAN_TAGS) return DecodeResult.BAD_LINK_HEADER;
            if (capEnd - off < 4) return DecodeResult.TRUNCATED_LINK;
            int id = u16(b, off) & 0xFFF;
            if (tags == 0) v.vlan = id;
            else if (tags == 1) v.innerVlan = id;
            type = u16(b, off + 2);
            off += 4;
        }
        switch (type) {
            case 0x0800:
                return ip4(v, b, off);
            case 0x86DD:
                return ip6(v, b, off);
            case 0x8847:
            case 0x8848:
                return mpls(v, b, off);
            case 0x8864:
                return pppoe(v, b, off);
            default:
                return DecodeResult.NON_IP;
        }
    }

    /** MPLS label stack up to the bottom-of-stack bit; the payload type is not signalled, so guess by nibble. */
    private DecodeResult mpls(PacketView v, byte[] b, int off) {
        for (int labels = 0; ; labels++) {
            if (labels == MAX_MPLS_LABELS) return DecodeResult.BAD_LINK_HEADER;
            if (capEnd - off < 4) return DecodeResult.TRUNCATED_LINK;
            boolean bottom = (b[off + 2] & 1) != 0;
            off += 4;
            if (bottom) break;
        }
        if (off >= capEnd) return DecodeResult.TRUNCATED_LINK;
        int version = u8(b, off) >>> 4;
        if (version == 4) return ip4(v, b, off);
        if (version == 6) return ip6(v, b, off);
        return DecodeResult.NON_IP; // pseudowire control word, Ethernet over MPLS
    }

    /** PPPoE session stage (RFC 2516): version/type 0x11, code 0, session, length, then PPP. */
    private DecodeResult pppoe(PacketView v, byte[] b, int off) {
        if (capEnd - off < 8) return DecodeResult.TRUNCATED_LINK;
        if (u8(b, off) != 0x11 || u8(b, off + 1) != 0) return DecodeResult.BAD_LINK_HEADER;
        int type = TunnelParser.pppToEthertype(u16(b, off + 6));
        if (type == 0x0800) return ip4(v, b, off + 8);
        if (type == 0x86DD) return ip6(v, b, off + 8);
        return DecodeResult.NON_IP; // LCP, IPCP, ...
    }

    // ------------------------------------------------------------------ network layer

    private DecodeResult ipByVersion(PacketView v, byte[] b, int off) {
        if (off >= capEnd) return DecodeResult.TRUNCATED_IP;
        int version = u8(b, off) >>> 4;
        if (version == 4) return ip4(v, b, off);
        if (version == 6) return ip6(v, b, off);
        return DecodeResult.BAD_IP_VERSION;
    }

    private DecodeResult ip4(PacketView v, byte[] b, int off) {
        int captured = capEnd - off;
        if (captured < 1) return DecodeResult.TRUNCATED_IP;
        int vihl = u8(b, off);
        if ((vihl >>> 4) != 4) return DecodeResult.BAD_IP_VERSION;
        int hdrLen = (vihl & 0xF) * 4;
        if (hdrLen < 20) return DecodeResult.BAD_IPV4_HEADER;
        if (captured < hdrLen) return DecodeResult.TRUNCATED_IP;
        int onWire = wireEnd - off;
        int total = u16(b, off + 2);
        // Segmentation offload: host captures of >64 KiB super-packets carry 0 here; trust the frame.
        if (total == 0) total = onWire;
        if (total < hdrLen) return DecodeResult.BAD_IPV4_HEADER;
        if (total > onWire) return DecodeResult.TRUNCATED_IP;
        v.ipVersion = 4;
        v.srcHi = Ip.V4_HI;
        v.srcLo = Ip.v4Lo(i32(b, off + 12));
        v.dstHi = Ip.V4_HI;
        v.dstLo = Ip.v4Lo(i32(b, off + 16));
        v.ttl = u8(b, off + 8);
        v.ipOff = off;
        v.ipLen = total;
        int protocol = u8(b, off + 9);
        v.protocol = protocol;
        int dataOff = off + hdrLen;
        int ipEnd = off + total;
        int frag = u16(b, off + 6);
        if ((frag & 0x3FFF) != 0) { // MF or a fragment offset
            if (capEnd < ipEnd) return DecodeResult.TRUNCATED_IP; // a snaplen-cut fragment cannot be rebuilt
            int r = reassembler.add(now, 4, v.srcHi, v.srcLo, v.dstHi, v.dstLo, u16(b, off + 4), protocol,
                    b, off, hdrLen, 0, (frag & 0x1FFF) * 8, (frag & 0x2000) != 0, b, dataOff, total - hdrLen);
            if (r != FragmentReassembler.COMPLETE) return fragmentResult(r);
            return transport(v, useReassembled(v), protocol, reassembler.outDataOff(),
                    reassembler.outDataLen(), reassembler.outDataLen());
        }
        return transport(v, b, protocol, dataOff, Math.min(capEnd, ipEnd) - dataOff, total - hdrLen);
    }

    private DecodeResult ip6(PacketView v, byte[] b, int off) {
        int captured = capEnd - off;
        if (captured < 1) return DecodeResult.TRUNCATED_IP;
        if ((u8(b, off) >>> 4) != 6) return DecodeResult.BAD_IP_VERSION;
        if (captured < 40) return DecodeResult.TRUNCATED_IP;
        int onWire = wireEnd - off;
        int payload = u16(b, off + 4);
        int next = u8(b, off + 6);
        // Jumbogram (hop-by-hop jumbo option) or offloaded super-packet: trust the frame length.
        if (payload == 0 && next == 0) payload = onWire - 40;
        if (40 + payload > onWire) return DecodeResult.TRUNCATED_IP;
        v.ipVersion = 6;
        v.srcHi = i64(b, off + 8);
        v.srcLo = i64(b, off + 16);
        v.dstHi = i64(b, off + 24);
        v.dstLo = i64(b, off + 32);
        v.ttl = u8(b, off + 7);
        v.ipOff = off;
        v.ipLen = 40 + payload;
        int ipEnd = off + 40 + payload;
        int capLimit = Math.min(capEnd, ipEnd);
        int p = off + 40;
        int nextHeaderPos = 6; // where the byte naming the current header sits, relative to off
        for (int n = 0; ; n++) {
            int len;
            switch (next) {
                case 0:   // hop-by-hop options
                case 43:  // routing
                case 60:  // destination options
                case 135: // mobility
                    if (p + 2 > ipEnd) return DecodeResult.BAD_EXTENSION_HEADER;
                    if (p + 2 > capLimit) return DecodeResult.TRUNCATED_IP;
                    len = (u8(b, p + 1) + 1) * 8;
                    break;
                case 51: // authentication header
                    if (p + 2 > ipEnd) return DecodeResult.BAD_EXTENSION_HEADER;
                    if (p + 2 > capLimit) return DecodeResult.TRUNCATED_IP;
                    len = (u8(b, p + 1) + 2) * 4;
                    break;
                case 44: // fragment
                    len = 8;
                    break;
                default: // upper layer, ESP (50) or no next header (59)
                    v.protocol = next;
                    return transport(v, b, next, p, capLimit - p, ipEnd - p);
            }
            if (n == MAX_IPV6_EXT_HEADERS || p + len > ipEnd) return DecodeResult.BAD_EXTENSION_HEADER;
            if (p + len > capLimit) return DecodeResult.TRUNCATED_IP;
            if (next == 44) {
                int frag = u16(b, p + 2);
                int fragOff = frag & 0xFFF8;
                boolean more = (frag & 1) != 0;
                int inner = u8(b, p);
                if (fragOff != 0 || more) {
                    if (capEnd < ipEnd) return DecodeResult.TRUNCATED_IP;
                    int dataOff = p + 8;
                    int r = reassembler.add(now, 6, v.srcHi, v.srcLo, v.dstHi, v.dstLo, i32(b, p + 4), inner,
                            b, off, p - off, nextHeaderPos, fragOff, more, b, dataOff, ipEnd - dataOff);
                    if (r != FragmentReassembler.COMPLETE) return fragmentResult(r);
                    // continue with the headers of the fragmentable part, now contiguous
                    b = useReassembled(v);
                    p = reassembler.outDataOff();
                    ipEnd = p + reassembler.outDataLen();
                    capLimit = ipEnd;
                    next = inner;
                    continue;
                }
                // atomic fragment (RFC 6946): a whole datagram with a fragment header
            }
            nextHeaderPos = p - off;
            next = u8(b, p);
            p += len;
        }
    }

    private static DecodeResult fragmentResult(int r) {
        return r == FragmentReassembler.HELD ? DecodeResult.FRAGMENT_HELD : DecodeResult.BAD_FRAGMENT;
    }

    /** Points the view at the datagram the reassembler just completed. */
    private byte[] useReassembled(PacketView v) {
        byte[] out = reassembler.outBuf();
        v.buf = out;
        v.ipOff = reassembler.outIpOff();
        v.ipLen = reassembler.outIpLen();
        capEnd = reassembler.outDataOff() + reassembler.outDataLen();
        wireEnd = capEnd;
        return out;
    }

    // ------------------------------------------------------------------ transport layer

    /**
     * @param captured bytes of the IP payload present in the buffer
     * @param onWire   IP payload length per the IP header
     */
    private static DecodeResult transport(PacketView v, byte[] b, int protocol, int off, int captured, int onWire) {
        v.protocol = protocol;
        if (protocol == 6) return tcp(v, b, off, captured, onWire);
        if (protocol == 17) return udp(v, b, off, captured, onWire);
        v.payloadOff = off;
        v.payloadLen = captured;
        v.payloadWireLen = onWire;
        return DecodeResult.IP_ONLY;
    }

    private static DecodeResult tcp(PacketView v, byte[] b, int off, int captured, int onWire) {
        if (onWire < 20) return DecodeResult.BAD_TCP_HEADER;
        if (captured < 20) return DecodeResult.TRUNCATED_TCP;
        int hdrLen = (u8(b, off + 12) >>> 4) * 4;
        if (hdrLen < 20 || hdrLen > onWire) return DecodeResult.BAD_TCP_HEADER;
        if (hdrLen > captured) return DecodeResult.TRUNCATED_TCP;
        v.srcPort = u16(b, off);
        v.dstPort = u16(b, off + 2);
        v.tcpSeq = u32(b, off + 4);
        v.tcpAck = u32(b, off + 8);
        v.tcpFlags = u8(b, off + 13);
        v.tcpWindow = u16(b, off + 14);
        v.payloadOff = off + hdrLen;
        v.payloadLen = captured - hdrLen;
        v.payloadWireLen = onWire - hdrLen;
        return DecodeResult.OK;
    }

    private static DecodeResult udp(PacketView v, byte[] b, int off, int captured, int onWire) {
        if (onWire < 8) return DecodeResult.BAD_UDP_LENGTH;
        if (captured < 8) return DecodeResult.TRUNCATED_UDP;
        int len = u16(b, off + 4);
        if (len < 8 || len > onWire) return DecodeResult.BAD_UDP_LENGTH;
        v.srcPort = u16(b, off);
        v.dstPort = u16(b, off + 2);
        v.payloadOff = off + 8;
        v.payloadLen = Math.min(captured, len) - 8;
        v.payloadWireLen = len - 8;
        return DecodeResult.OK;
    }
}
