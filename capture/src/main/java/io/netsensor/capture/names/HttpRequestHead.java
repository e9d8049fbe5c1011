package io.netsensor.capture.names;

/**
 * Finds the Host and User-Agent header values of a cleartext HTTP/1.x request at the start of a TCP payload,
 * in place and without allocating (an HTTP parser would build objects per request; only two header values of
 * a flow's first request are wanted). Headers beyond the bytes captured are not found.
 */
public final class HttpRequestHead {
    private static final byte[][] METHODS = {
        ascii("GET "), ascii("POST "), ascii("HEAD "), ascii("PUT "), ascii("DELETE "), ascii("OPTIONS "),
        ascii("PATCH "), ascii("CONNECT ")
    };
    private static final byte[] HOST = ascii("host:"), USER_AGENT = ascii("user-agent:");

    private HttpRequestHead() {}

    /** True when the payload starts with an HTTP request method and a space. */
    public static boolean isRequest(byte[] b, int off, int len) {
        for (byte[] m : METHODS) if (startsWith(b, off, len, m, false)) return true;
        return false;
    }

    /** Host header value as {@code off << 16 | len}, -1 when absent. */
    public static long host(byte[] b, int off, int len) {
        return header(b, off, len, HOST);
    }

    /** User-Agent header value as {@code off << 16 | len}, -1 when absent. */
    public static long userAgent(byte[] b, int off, int len) {
        return header(b, off, len, USER_AGENT);
    }

    private static long header(byte[] b, int off, int len, byte[] name) {
        int end = off + len;
        int p = off;
        // each header line starts after a CRLF (or LF); stop at the empty line that ends the head
        while (p < end) {
            int nl = indexOf(b, p, end, (byte) '\n');
            if (nl < 0) return -1;
            int line = nl + 1;
            if (line >= end || b[line] == '\r' || b[line] == '\n') return -1;
            if (startsWith(b, line, end - line, name, true)) {
                int v = line + name.length;
                while (v < end && (b[v] == ' ' || b[v] == '\t')) v++;
                int e = v;
                while (e < end && b[e] != '\r' && b[e] != '\n') e++;
                if (e == end && e - v == 0) return -1;
                return e > v ? (long) v << 16 | Math.min(0xFFFF, e - v) : -1;
            }
            p = line;
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) if (b[i] == c) return i;
        return -1;
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix, boolean ignoreCase) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            int c = b[off + i];
            if (ignoreCase && c >= 'A' && c <= 'Z') c += 32;
            if (c != prefix[i]) return false;
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
