package io.netsensor.capture.decode;

/**
 * A flyweight over one captured frame: FrameDecoder fills these primitive fields in place from the raw
 * bytes, and the same instance is reused for every packet (nothing is allocated per packet). Offsets
 * index into {@link #buf}. After IP reassembly, buf may point at the reassembler's buffer instead of the
 * capture buffer; consumers must not keep references past the call.
 */
public final class PacketView {
    // --- capture metadata
    public long tsNanos;
    public int linkType;
    public byte[] buf;
    public int frameOff;
    public int capLen;
    public int wireLen;

    // --- link layer
    /** Ethernet source/destination addresses (48 bits), 0 when the link has no MAC (raw IP, NULL). */
    public long srcMac, dstMac;
    /** Outer and inner 802.1Q tag (VLAN id), 0 when absent; further tags are skipped. */
    public int vlan, innerVlan;
    /** Number of tunnel layers (GRE, VXLAN, Teredo, GTP-U, IP-in-IP) peeled to reach the inner packet. */
    public int tunnelDepth;

    // --- network layer (innermost IP header)
    public int ipVersion; // 4 or 6
    public long srcHi, srcLo, dstHi, dstLo; // see io.netsensor.events.Ip (IPv4 is v4-mapped)
    public int ipOff; // offset of the IP header in buf
    /** Length of the IP packet per its header (total length, or 40 + payload length), incl. IP header. */
    public int ipLen;
    public int ttl;
    /** Upper-layer protocol (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...), after IPv6 extension headers. */
    public int protocol;

    // --- transport layer (valid when protocol is 6 or 17)
    public int srcPort, dstPort;
    public int tcpFlags; // FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128
    public long tcpSeq, tcpAck; // unsigned 32-bit values
    public int tcpWindow;
    /** Offset of the transport payload in buf. */
    public int payloadOff;
    /** Payload bytes actually captured (bounded by snaplen). */
    public int payloadLen;
    /** Payload length per the IP/transport headers (may exceed payloadLen when truncated by snaplen). */
    public int payloadWireLen;

    public static final int FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16, URG = 32;

    public boolean isTcp() { return protocol == 6; }

    public boolean isUdp() { return protocol == 17; }

    public void reset() {
        srcMac = dstMac = 0;
        vlan = innerVlan = tunnelDepth = 0;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        ipOff = ipLen = ttl = protocol = 0;
        srcPort = dstPort = tcpFlags = tcpWindow = 0;
        tcpSeq = tcpAck = 0;
        payloadOff = payloadLen = payloadWireLen = 0;
    }
}
