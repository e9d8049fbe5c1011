package io.netsensor.events;

/**
 * IP addresses as two longs (IPv6 layout; IPv4 is v4-mapped ::ffff:a.b.c.d) so the hot path never
 * allocates an InetAddress. Formatting and parsing allocate and are for the edges only.
 */
public final class Ip {
    /** High word of every v4-mapped address. */
    public static final long V4_HI = 0L;
    /** Low word prefix (bits 32..63) of a v4-mapped address. */
    public static final long V4_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    private Ip() {}

    public static long v4Lo(int v4) {
        return V4_LO_PREFIX | (v4 & 0xFFFF_FFFFL);
    }

    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_LO_PREFIX;
    }

    public static int v4(long lo) {
        return (int) lo;
    }

    /** Reads 16 bytes big-endian as the high word. */
    public static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    public static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static String toString(long hi, long lo) {
        if (isV4(hi, lo)) {
            int a = v4(lo);
            return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (hi >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            // JDK's formatter keeps RFC 5952 compression aside; compress the longest zero run ourselves.
            return compress(java.net.InetAddress.getByAddress(bytes).getHostAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5952 text form (as Zeek prints): longest run of zero groups replaced by "::". */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(groups[i]);
        }
        return sb.toString();
    }

    /** Parses an IPv4 or IPv6 literal into {hi, lo}. */
    public static long[] parse(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        byte[] b = literalBytes(t);
        if (b.length == 4) {
            return new long[] {0L, v4Lo(readInt(b, 0))};
        }
        return new long[] {readLong(b, 0), readLong(b, 8)};
    }

    private static byte[] literalBytes(String t) {
        boolean v4 = t.indexOf(':') < 0;
        if (v4 && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IP address: " + t);
        }
        if (!v4 && !t.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + t);
        }
        try {
            return java.net.InetAddress.getByName(t).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + t, e);
        }
    }
}
