package io.netsensor.capture.names;

/**
 * Finds the server name (SNI, RFC 6066) in a TLS ClientHello at the start of a TCP payload, in place and
 * without allocating. Hand-written because TLS libraries (the JDK's SSLEngine, Netty's SniHandler) want a
 * whole record in their own buffers and allocate per call; a sensor only needs these few bytes of the first
 * segment. A ClientHello cut short by the segment is searched as far as it goes.
 */
public final class ClientHello {
    private ClientHello() {}

    /**
     * The offset of the SNI host name in {@code b}, with its length in the low 16 bits of the result
     * ({@code off << 16 | len}), or -1 when the payload is not a ClientHello or has no SNI in the bytes captured.
     */
    public static long find(byte[] b, int off, int len) {
        int end = off + len;
        if (len < 44 || (b[off] & 0xFF) != 0x16 || (b[off + 1] & 0xFF) != 3 || (b[off + 5] & 0xFF) != 1) return -1;
        int p = off + 9 + 2 + 32; // record header 5, handshake header 4, client_version 2, random 32
        if (p >= end) return -1;
        p += 1 + (b[p] & 0xFF); // session id
        if (p + 2 > end) return -1;
        p += 2 + u16(b, p); // cipher suites
        if (p + 1 > end) return -1;
        p += 1 + (b[p] & 0xFF); // compression methods
        if (p + 2 > end) return -1;
        int extEnd = Math.min(end, p + 2 + u16(b, p));
        p += 2;
        while (p + 4 <= extEnd) {
            int type = u16(b, p), elen = u16(b, p + 2);
            int data = p + 4;
            if (type == 0) { // server_name: list length, then name_type 0 (host_name), length, name
                if (data + 5 > end || (b[data + 2] & 0xFF) != 0) return -1;
                int nlen = u16(b, data + 3);
                int name = data + 5;
                if (nlen == 0 || name + nlen > end) return -1;
                return (long) name << 16 | nlen;
            }
            p = data + elen;
        }
        return -1;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }
}
