package io.netsensor.detectors.dga;

import java.nio.charset.StandardCharsets;

/**
 * A reusable, lower-cased view of one DNS name with its label boundaries and the hash of every
 * suffix that starts at a label boundary. Parsing copies into an owned buffer and allocates nothing,
 * so suffix-rule lookups ({@link PublicSuffixes}, {@link CdnSuffixes}) are hash probes, not Strings.
 * Not thread-safe: one instance per caller.
 */
public final class DomainName {
    public static final int MAX_LENGTH = 253;
    static final int MAX_LABELS = 127;

    private final byte[] buf = new byte[MAX_LENGTH];
    private int length;
    /** labelStart[k]: start of the k-th label counted from the right (0 = top-level label). */
    private final int[] labelStart = new int[MAX_LABELS];
    /** suffixHash[k]: hash of buf[labelStart[k], length). */
    private final long[] suffixHash = new long[MAX_LABELS];
    private int labels;

    /**
     * Parses {@code src[off, off+len)} (dotted text, a trailing dot allowed). Returns false, leaving the
     * view empty, for names that are empty, too long, have empty labels or too many labels.
     */
    public boolean parse(byte[] src, int off, int len) {
        length = 0;
        labels = 0;
        if (len > 0 && src[off + len - 1] == '.') len--;
        if (len <= 0 || len > MAX_LENGTH) return false;
        for (int i = 0; i < len; i++) {
            byte c = src[off + i];
            buf[i] = (c >= 'A' && c <= 'Z') ? (byte) (c + 32) : c;
        }
        long h = FNV_OFFSET;
        int end = len; // exclusive end of the label being scanned
        for (int i = len - 1; i >= -1; i--) {
            if (i == -1 || buf[i] == '.') {
                if (i + 1 == end || labels == MAX_LABELS) return false; // empty label or too many
                labelStart[labels] = i + 1;
                suffixHash[labels] = mix(h);
                labels++;
                end = i;
            }
            if (i >= 0) h = step(h, buf[i]);
        }
        length = len;
        return true;
    }

    public boolean parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length);
    }

    public int length() {
        return length;
    }

    public int labelCount() {
        return labels;
    }

    /** Start of the k-th label from the right. */
    public int labelStart(int k) {
        return labelStart[k];
    }

    /** Exclusive end of the k-th label from the right. */
    public int labelEnd(int k) {
        return k == 0 ? length : labelStart[k - 1] - 1;
    }

    /** Hash of the suffix starting at the k-th label from the right (k = labelCount() - 1: the whole name). */
    public long suffixHash(int k) {
        return suffixHash[k];
    }

    /** The lower-cased name; read-only for callers. */
    public byte[] bytes() {
        return buf;
    }

    public boolean endsWithLabel(String tld) {
        if (labels == 0) return false;
        int s = labelStart[0];
        if (length - s != tld.length()) return false;
        for (int i = 0; i < tld.length(); i++) if (buf[s + i] != tld.charAt(i)) return false;
        return true;
    }

    /** Allocates: edges only. */
    public String substring(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return substring(0, length);
    }

    // FNV-1a over the suffix bytes read right to left, finished with a 64-bit mixer so that the low bits
    // index open-addressing tables well. Rules are hashed the same way by hashOf.
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long step(long h, byte c) {
        return (h ^ (c & 0xFF)) * FNV_PRIME;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot in the hash tables
    }

    /** Hash of a whole (lower-case) name, equal to suffixHash of the same text inside a parsed name. */
    static long hashOf(String s) {
        long h = FNV_OFFSET;
        for (int i = s.length() - 1; i >= 0; i--) h = step(h, (byte) s.charAt(i));
        return mix(h);
    }

    /** Hash of buf[from, length): used for registered-domain identities. */
    long hashFrom(int from) {
        for (int k = 0; k < labels; k++) if (labelStart[k] == from) return suffixHash[k];
        long h = FNV_OFFSET;
        for (int i = length - 1; i >= from; i--) h = step(h, buf[i]);
        return mix(h);
    }
}
