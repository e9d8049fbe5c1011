package io.netsensor.capture.decode;

/**
 * Outcome of decoding one layer of a frame. {@link Kind#DECODED} results filled the view,
 * {@link Kind#NOT_DECODED} ones are legitimate traffic the sensor does not look into, and
 * {@link Kind#MALFORMED} ones are broken or cut-short input (counted by reason, never thrown).
 */
public enum DecodeResult {
    /** IP and TCP/UDP headers decoded; ports, flags and payload bounds are valid. */
    OK(Kind.DECODED),
    /** IP decoded, upper protocol is neither TCP nor UDP (ICMP, ESP, GRE, ...); payload = IP payload. */
    IP_ONLY(Kind.DECODED),

    /** ARP, LLDP, STP, MPLS carrying non-IP, ... */
    NON_IP(Kind.NOT_DECODED),
    UNSUPPORTED_LINKTYPE(Kind.NOT_DECODED),
    /** An IP fragment was stored; the datagram decodes when its last missing piece arrives. */
    FRAGMENT_HELD(Kind.NOT_DECODED),
    /** A tunnel nested deeper than the configured maximum; the outer layers were still decoded. */
    TUNNEL_TOO_DEEP(Kind.NOT_DECODED),
    /** GRE with source routing or an unknown GRE version or payload type. */
    UNSUPPORTED_TUNNEL(Kind.NOT_DECODED),

    TRUNCATED_LINK(Kind.MALFORMED),
    /** Too many VLAN tags or MPLS labels, bad PPPoE header. */
    BAD_LINK_HEADER(Kind.MALFORMED),
    BAD_IP_VERSION(Kind.MALFORMED),
    BAD_IPV4_HEADER(Kind.MALFORMED),
    BAD_IPV6_HEADER(Kind.MALFORMED),
    BAD_EXTENSION_HEADER(Kind.MALFORMED),
    /** IP header cut short by the capture, or the IP length exceeds what was on the wire. */
    TRUNCATED_IP(Kind.MALFORMED),
    /** Fragment beyond 65535 bytes, non-final fragment not a multiple of 8, conflicting lengths. */
    BAD_FRAGMENT(Kind.MALFORMED),
    BAD_TCP_HEADER(Kind.MALFORMED),
    TRUNCATED_TCP(Kind.MALFORMED),
    TRUNCATED_UDP(Kind.MALFORMED),
    BAD_UDP_LENGTH(Kind.MALFORMED),
    BAD_TUNNEL_HEADER(Kind.MALFORMED);

    public enum Kind { DECODED, NOT_DECODED, MALFORMED }

    private final Kind kind;

    DecodeResult(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the view holds a decoded IP packet (addresses, protocol, payload bounds). */
    public boolean hasIp() {
        return kind == Kind.DECODED;
    }

    public boolean isMalformed() {
        return kind == Kind.MALFORMED;
    }

    static final DecodeResult[] VALUES = values();
}
