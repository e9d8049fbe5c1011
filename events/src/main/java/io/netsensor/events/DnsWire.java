package io.netsensor.events;

/**
 * DNS wire-format basics shared by the parser (capture) and the text renderers (format): the record type
 * numbers both switch on (RFC 1035 and successors, IANA "Resource Record (RR) TYPEs"), big-endian reads,
 * and the escaping of non-printable bytes as Zeek writes them. Allocation-free.
 */
public final class DnsWire {
    public static final int TYPE_A = 1, TYPE_NS = 2, TYPE_CNAME = 5, TYPE_SOA = 6, TYPE_MINFO = 14, TYPE_PTR = 12,
            TYPE_MX = 15, TYPE_RP = 17, TYPE_AFSDB = 18, TYPE_RT = 21, TYPE_AAAA = 28, TYPE_SRV = 33,
            TYPE_KX = 36, TYPE_DNAME = 39, TYPE_OPT = 41;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private DnsWire() {}

    public static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    public static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /**
     * Copies src[off, off+len) into out at o, printable ASCII as is, a backslash doubled, every other byte
     * as {@code \xNN} (Zeek's escaping); returns the new end in out (which needs up to 4 bytes per byte).
     */
    public static int escape(byte[] src, int off, int len, byte[] out, int o) {
        for (int i = off; i < off + len; i++) {
            int c = src[i] & 0xFF;
            if (c == '\\') {
                out[o++] = '\\';
                out[o++] = '\\';
            } else if (c >= 0x20 && c < 0x7F) {
                out[o++] = (byte) c;
            } else {
                out[o++] = '\\';
                out[o++] = 'x';
                out[o++] = HEX[c >>> 4];
                out[o++] = HEX[c & 0xF];
            }
        }
        return o;
    }
}
