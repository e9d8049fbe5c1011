package io.netsensor.events;

import java.nio.charset.StandardCharsets;

/**
 * The names a connection is known by, as reused byte buffers (no allocation to set or copy): the DNS name
 * the local host resolved for the remote address, the TLS SNI, and the cleartext HTTP Host and User-Agent.
 * Each is at most {@link #MAX} bytes (longer values are cut); a length of 0 means unknown.
 */
public final class ConnNames {
    public static final int MAX = 255;
    public static final int DNS = 0, SNI = 1, HTTP_HOST = 2, USER_AGENT = 3, COUNT = 4;

    private final byte[][] bytes = new byte[COUNT][MAX];
    private final int[] len = new int[COUNT];

    public int length(int which) {
        return len[which];
    }

    public byte[] bytes(int which) {
        return bytes[which];
    }

    public boolean isEmpty() {
        return len[DNS] == 0 && len[SNI] == 0 && len[HTTP_HOST] == 0 && len[USER_AGENT] == 0;
    }

    /** Copies up to MAX bytes; returns the length kept. */
    public int set(int which, byte[] src, int off, int n) {
        n = Math.max(0, Math.min(n, MAX));
        System.arraycopy(src, off, bytes[which], 0, n);
        len[which] = n;
        return n;
    }

    public void set(int which, String s) {
        byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        set(which, b, 0, b.length);
    }

    public void clear(int which) {
        len[which] = 0;
    }

    public void clear() {
        for (int i = 0; i < COUNT; i++) len[i] = 0;
    }

    public void copyFrom(ConnNames o) {
        for (int i = 0; i < COUNT; i++) {
            System.arraycopy(o.bytes[i], 0, bytes[i], 0, o.len[i]);
            len[i] = o.len[i];
        }
    }

    /** The name as text, null when unknown (allocates: for output and detectors, not the packet path). */
    public String text(int which) {
        return len[which] == 0 ? null : new String(bytes[which], 0, len[which], StandardCharsets.UTF_8);
    }

    /**
     * The best name of the server: the TLS SNI, else the HTTP Host (without a port), else the resolved DNS
     * name; null when none. Lower case, since names are case-insensitive and series group by them.
     */
    public String serverName() {
        String n = text(SNI);
        if (n == null) {
            n = text(HTTP_HOST);
            if (n != null) {
                int colon = n.lastIndexOf(':');
                if (colon > 0 && n.indexOf(':') == colon) n = n.substring(0, colon);
            }
        }
        if (n == null) n = text(DNS);
        return n == null ? null : n.toLowerCase(java.util.Locale.ROOT);
    }
}
