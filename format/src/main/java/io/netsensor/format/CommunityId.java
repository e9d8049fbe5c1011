package io.netsensor.format;

import io.netsensor.events.Ip;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 (the flow hash Zeek, Suricata, Elastic and Arkime share, so one flow can be pivoted on
 * across tools): "1:" + base64(SHA-1(seed, lower endpoint address, higher address, protocol, 0, lower
 * endpoint's port, the other port)), all in network byte order, the endpoint with the smaller (address,
 * port) first so both directions of a flow hash alike. Ports are hashed only for protocols that have them
 * (TCP, UDP, SCTP); ICMP's type/code mapping is not implemented since netsensor's flows are TCP and UDP.
 */
public final class CommunityId {
    /** The seed everyone uses unless they agree on another (Zeek's and Suricata's default). */
    public static final int DEFAULT_SEED = 0;

    private CommunityId() {}

    /** The v1 id of a flow given by its originator and responder (either order gives the same id). */
    public static String v1(int seed, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort, int protocol) {
        int c = Long.compareUnsigned(srcHi, dstHi);
        if (c == 0) c = Long.compareUnsigned(srcLo, dstLo);
        boolean ports = protocol == 6 || protocol == 17 || protocol == 132;
        if (c > 0 || (c == 0 && ports && srcPort > dstPort)) {
            long h = srcHi, l = srcLo;
            int p = srcPort;
            srcHi = dstHi;
            srcLo = dstLo;
            srcPort = dstPort;
            dstHi = h;
            dstLo = l;
            dstPort = p;
        }
        boolean v4 = Ip.isV4(srcHi, srcLo) && Ip.isV4(dstHi, dstLo);
        byte[] in = new byte[2 + (v4 ? 8 : 32) + 2 + (ports ? 4 : 0)];
        int o = 0;
        in[o++] = (byte) (seed >>> 8);
        in[o++] = (byte) seed;
        o = address(in, o, srcHi, srcLo, v4);
        o = address(in, o, dstHi, dstLo, v4);
        in[o++] = (byte) protocol;
        in[o++] = 0; // padding
        if (ports) {
            in[o++] = (byte) (srcPort >>> 8);
            in[o++] = (byte) srcPort;
            in[o++] = (byte) (dstPort >>> 8);
            in[o] = (byte) dstPort;
        }
        return "1:" + Base64.getEncoder().encodeToString(sha1().digest(in));
    }

    /** With the default seed. */
    public static String v1(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort, int protocol) {
        return v1(DEFAULT_SEED, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, protocol);
    }

    private static int address(byte[] b, int o, long hi, long lo, boolean v4) {
        if (v4) {
            int a = Ip.v4(lo);
            for (int i = 3; i >= 0; i--) b[o++] = (byte) (a >>> (8 * i));
            return o;
        }
        for (int i = 7; i >= 0; i--) b[o++] = (byte) (hi >>> (8 * i));
        for (int i = 7; i >= 0; i--) b[o++] = (byte) (lo >>> (8 * i));
        return o;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-1", e); // required of every Java platform
        }
    }
}
