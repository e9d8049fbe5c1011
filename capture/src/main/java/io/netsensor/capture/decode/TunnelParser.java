package io.netsensor.capture.decode;

import static io.netsensor.capture.decode.Bytes.u16;
import static io.netsensor.capture.decode.Bytes.u8;

/**
 * Recognises the tunnels Zeek decodes by default (GRE incl. PPTP's enhanced GRE and GRE over UDP/4754,
 * VXLAN, Teredo, GTP-U G-PDUs, IP-in-IP) in a decoded packet and locates the encapsulated packet.
 * UDP tunnels are found by port, so their headers are validated and anything that does not look like
 * the tunnel is left alone as plain UDP. Reused: the result is in {@link #innerOff}/{@link #innerType}.
 */
final class TunnelParser {
    static final int NOT_TUNNEL = 0, TUNNEL = 1, BAD = 2, UNSUPPORTED = 3;

    /** Inner packet is an Ethernet frame (VXLAN, GRE 0x6558). */
    static final int INNER_ETHERNET = -1;
    /** Inner packet is IPv4 or IPv6, told apart by the version nibble (GTP-U). */
    static final int INNER_IP_BY_VERSION = -2;

    static final int VXLAN_PORT = 4789, TEREDO_PORT = 3544, GTPU_PORT = 2152, GRE_UDP_PORT = 4754;
    private static final int ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86DD, ETH_TEB = 0x6558, ETH_PPP = 0x880B;

    int innerOff;
    /** An ethertype, or INNER_ETHERNET / INNER_IP_BY_VERSION. */
    int innerType;

    int parse(PacketView v) {
        byte[] b = v.buf;
        int off = v.payloadOff, end = v.payloadOff + v.payloadLen;
        switch (v.protocol) {
            case 4:
                return inner(off, ETH_IPV4);
            case 41:
                return inner(off, ETH_IPV6);
            case 47:
                return gre(b, off, end);
            case 17:
                return udp(v, b, off, end);
            default:
                return NOT_TUNNEL;
        }
    }

    private int udp(PacketView v, byte[] b, int off, int end) {
        if (isPort(v, VXLAN_PORT)) return vxlan(b, off, end);
        if (isPort(v, TEREDO_PORT)) return teredo(v, b, off, end);
        if (isPort(v, GTPU_PORT)) return gtpu(v, b, off, end);
        if (isPort(v, GRE_UDP_PORT)) return gre(b, off, end) == TUNNEL ? TUNNEL : NOT_TUNNEL;
        return NOT_TUNNEL;
    }

    private static boolean isPort(PacketView v, int port) {
        return v.dstPort == port || v.srcPort == port;
    }

    private int inner(int off, int type) {
        innerOff = off;
        innerType = type;
        return TUNNEL;
    }

    /** RFC 2784/2890 GRE, and version 1 (RFC 2637, PPTP) carrying PPP. */
    private int gre(byte[] b, int off, int end) {
        if (end - off < 4) return BAD;
        int flags = u16(b, off), proto = u16(b, off + 2), version = flags & 7;
        int p = off + 4;
        if (version == 0) {
            if ((flags & 0x4000) != 0) return UNSUPPORTED; // source routing (RFC 1701), obsolete
            if ((flags & 0x8000) != 0) p += 4; // checksum + reserved
            if ((flags & 0x2000) != 0) p += 4; // key
            if ((flags & 0x1000) != 0) p += 4; // sequence number
            if (p > end) return BAD;
            return inner(p, proto == ETH_TEB ? INNER_ETHERNET : proto);
        }
        if (version != 1 || proto != ETH_PPP || (flags & 0x2000) == 0) return UNSUPPORTED;
        p += 4; // payload length + call id (the key)
        if ((flags & 0x1000) != 0) p += 4; // sequence number
        if ((flags & 0x0080) != 0) p += 4; // acknowledgement number
        if (p >= end) return p == end ? NOT_TUNNEL : BAD; // an ack without payload
        if (p + 2 <= end && u8(b, p) == 0xFF && u8(b, p + 1) == 0x03) p += 2; // PPP address + control
        if (p >= end) return BAD;
        int pppProto;
        if ((u8(b, p) & 1) != 0) { // protocol field compression: one byte
            pppProto = u8(b, p);
            p += 1;
        } else {
            if (p + 2 > end) return BAD;
            pppProto = u16(b, p);
            p += 2;
        }
        return inner(p, pppToEthertype(pppProto));
    }

    static int pppToEthertype(int pppProto) {
        if (pppProto == 0x0021) return ETH_IPV4;
        if (pppProto == 0x0057) return ETH_IPV6;
        return 0; // LCP, CCP, compressed data...: decodes as NON_IP
    }

    /** RFC 7348: 8-byte header with the I flag, then an Ethernet frame. */
    private int vxlan(byte[] b, int off, int end) {
        if (end - off < 8 + 14 || (u8(b, off) & 0x08) == 0) return NOT_TUNNEL;
        return inner(off + 8, INNER_ETHERNET);
    }

    /** RFC 4380: optional authentication and origin indications, then an IPv6 packet filling the datagram. */
    private int teredo(PacketView v, byte[] b, int off, int end) {
        int p = off;
        if (p + 4 <= end && u16(b, p) == 0x0001) {
            p += 4 + u8(b, p + 2) + u8(b, p + 3) + 8 + 1; // id, auth value, nonce, confirmation
        }
        if (p + 2 <= end && u16(b, p) == 0x0000) p += 8;
        if (p + 40 > end || (u8(b, p) >>> 4) != 6) return NOT_TUNNEL;
        int remainingOnWire = v.payloadWireLen - (p - off);
        if (u16(b, p + 4) + 40 != remainingOnWire) return NOT_TUNNEL;
        return inner(p, ETH_IPV6);
    }

    /** 3GPP TS 29.281 GTPv1-U: only G-PDUs (type 255) carry user packets; signalling stays UDP. */
    private int gtpu(PacketView v, byte[] b, int off, int end) {
        if (end - off < 8) return NOT_TUNNEL;
        int flags = u8(b, off);
        if ((flags >>> 5) != 1 || (flags & 0x10) == 0 || u8(b, off + 1) != 0xFF) return NOT_TUNNEL;
        if (u16(b, off + 2) != v.payloadWireLen - 8) return NOT_TUNNEL;
        int p = off + 8;
        if ((flags & 0x07) != 0) { // sequence number, N-PDU number, next extension type
            if (p + 4 > end) return NOT_TUNNEL;
            int next = u8(b, p + 3);
            p += 4;
            for (int i = 0; next != 0; i++) {
                if (i == 16 || p >= end) return NOT_TUNNEL;
                int len = u8(b, p) * 4;
                if (len == 0 || p + len > end) return NOT_TUNNEL;
                p += len;
                next = u8(b, p - 1);
            }
        }
        if (!plausibleIp(b, p, end)) return NOT_TUNNEL;
        return inner(p, INNER_IP_BY_VERSION);
    }

    /** A version 4 or 6 header that fits, so port-2152 traffic that is not GTP is not misread. */
    private static boolean plausibleIp(byte[] b, int p, int end) {
        if (p >= end) return false;
        int version = u8(b, p) >>> 4;
        if (version == 4) return p + 20 <= end && (u8(b, p) & 0xF) >= 5 && u16(b, p + 2) >= 20;
        return version == 6 && p + 40 <= end;
    }
}
