package io.netsensor.format;

import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.Ip;

import java.nio.charset.StandardCharsets;

/**
 * Text of the answers stored in a {@link DnsEvent}, as Zeek writes them in dns.log {@code answers}: an
 * address, a name (CNAME/PTR/NS/DNAME; the exchange for MX; mname for SOA; target for SRV), and for other
 * types Zeek's summaries ("TXT 12 hello world", "RRSIG 5 cmu.edu", "DNSKEY 5", "DS 5 1", "SSHFP: hex",
 * "NSEC3", "LOC:  18 21 19", ...). Types Zeek has no summary for are written as "TYPE presentation-rdata"
 * in the text dnsjava printed for them ({@link DnsPresentation}); {@link #loggedByZeek} tells which types
 * Zeek leaves out of its log.
 * Allocates: for output at the edges, not for the packet path.
 *
 * <p>Known difference: Zeek prints NSEC as "NSEC owner next"; the owner name is not stored, so this
 * prints "NSEC next".
 */
public final class DnsAnswerText {
    private static final int TXT = 16, SPF = 99, RRSIG = 46, DNSKEY = 48, DS = 43, NSEC = 47, NSEC3 = 50,
            NSEC3PARAM = 51, SSHFP = 44, LOC = 29, NAPTR = 35, BINDS = 65534, A6 = 38, WKS = 11;

    private DnsAnswerText() {}

    /** Text of answer i of ev. */
    public static String render(DnsEvent ev, int i) {
        byte[] d = ev.answerData;
        int off = ev.answerOffset[i];
        int len = ev.answerLength[i];
        switch (ev.answerEncoding[i]) {
            case DnsEvent.RDATA_ADDRESS:
                return address(d, off, len);
            case DnsEvent.RDATA_NAME:
                return lowerAscii(new String(d, off, len, StandardCharsets.ISO_8859_1));
            case DnsEvent.RDATA_MX:
                return lowerAscii(new String(d, off + 2, len - 2, StandardCharsets.ISO_8859_1));
            default:
                try {
                    return raw(ev.answerType[i], ev.answerClass[i], ev.answerTtl[i], d, off, len);
                } catch (RuntimeException e) {
                    return unknown(ev.answerType[i], d, off, len); // malformed rdata: RFC 3597 form
                }
        }
    }

    /** MX preference of answer i (an RDATA_MX answer). */
    public static int mxPreference(DnsEvent ev, int i) {
        return DnsWire.u16(ev.answerData, ev.answerOffset[i]);
    }

    /** Whether Zeek's dns.log lists answers of this type at all (it skips types it does not decode). */
    public static boolean loggedByZeek(int type) {
        switch (type) {
            case DnsWire.TYPE_A: case DnsWire.TYPE_AAAA: case A6: case DnsWire.TYPE_NS:
            case DnsWire.TYPE_CNAME: case DnsWire.TYPE_PTR: case DnsWire.TYPE_MX:
            case DnsWire.TYPE_SOA: case TXT: case SPF: case DnsWire.TYPE_SRV:
            case RRSIG: case DNSKEY: case NSEC: case NSEC3: case NSEC3PARAM: case DS: case BINDS: case SSHFP:
            case LOC: case NAPTR:
                return true;
            case WKS: // Zeek decodes WKS but logs no answer text for it (scripts.base.protocols.dns.wks baseline)
            default:
                return false;
        }
    }

    public static String typeName(int type) {
        return DnsNames.type(type);
    }

    private static String address(byte[] d, int off, int len) {
        if (len == 4) return Ip.toString(0, Ip.v4Lo(Ip.readInt(d, off)));
        long hi = Ip.readLong(d, off), lo = Ip.readLong(d, off + 8);
        if (Ip.isV4(hi, lo)) return "::ffff:" + Ip.toString(hi, lo); // an AAAA, not an A
        return Ip.toString(hi, lo);
    }

    private static String raw(int type, int dclass, long ttl, byte[] d, int off, int len) {
        int end = off + len;
        need(len, minLength(type));
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case TXT:
            case SPF:
                for (int p = off; p < end; ) {
                    int n = d[p] & 0xFF;
                    if (p + 1 + n > end) throw new IllegalArgumentException("string past rdata");
                    if (p > off) sb.append(' ');
                    sb.append(type == TXT ? "TXT " : "SPF ").append(n).append(' ');
                    escaped(sb, d, p + 1, n);
                    p += 1 + n;
                }
                return sb.toString();
            case DnsWire.TYPE_SOA:
                wireName(sb, d, off, end);
                return sb.toString();
            case DnsWire.TYPE_SRV:
                wireName(sb, d, off + 6, end);
                return sb.toString();
            case RRSIG:
                sb.append("RRSIG ").append(DnsWire.u16(d, off)).append(' ');
                if (wireName(sb, d, off + 18, end) == off + 19) sb.append("<Root>");
                return sb.toString();
            case DNSKEY:
                return "DNSKEY " + (d[off + 3] & 0xFF);
            case DS:
                return "DS " + (d[off + 2] & 0xFF) + " " + (d[off + 3] & 0xFF);
            case NSEC:
                sb.append("NSEC ");
                wireName(sb, d, off, end);
                return sb.toString();
            case NSEC3:
                return "NSEC3";
            case NSEC3PARAM:
                return "NSEC3PARAM";
            case SSHFP:
                sb.append("SSHFP: ");
                for (int p = off + 2; p < end; p++) sb.append(String.format("%02x", d[p] & 0xFF));
                return sb.toString();
            case LOC:
                return "LOC:  " + (d[off + 1] & 0xFF) + " " + (d[off + 2] & 0xFF) + " " + (d[off + 3] & 0xFF);
            case BINDS:
                return "BIND9 signing signal";
            case NAPTR:
                return naptr(sb, d, off, end);
            case WKS:
                return "";
            default:
                String text = DnsPresentation.rdata(type, dclass, ttl, d, off, len);
                return text == null ? unknown(type, d, off, len) : DnsNames.type(type) + " " + text;
        }
    }

    /** Fixed part of the rdata the summaries read; shorter rdata is malformed. */
    private static int minLength(int type) {
        switch (type) {
            case RRSIG: return 19;
            case DnsWire.TYPE_SRV: return 7;
            case NAPTR: return 8;
            case DNSKEY: case DS: case LOC: return 4;
            case SSHFP: return 2;
            case DnsWire.TYPE_SOA: case NSEC: return 1;
            default: return 0;
        }
    }

    private static void need(int len, int min) {
        if (len < min) throw new IllegalArgumentException("rdata shorter than " + min);
    }

    private static String naptr(StringBuilder sb, byte[] d, int off, int end) {
        sb.append("NAPTR ").append(DnsWire.u16(d, off)).append(' ').append(DnsWire.u16(d, off + 2));
        int p = off + 4;
        for (int i = 0; i < 3; i++) { // flags, services, regexp (an empty regexp is left out, as Zeek does)
            int n = d[p] & 0xFF;
            if (p + 1 + n > end) throw new IllegalArgumentException("string past rdata");
            if (n > 0) escaped(sb.append(' '), d, p + 1, n);
            p += 1 + n;
        }
        wireName(sb.append(' '), d, p, end);
        return sb.toString();
    }

    /** Zeek lower-cases every name it decodes (answers too); only ASCII letters, as DNS compares names. */
    static String lowerAscii(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) if (c[i] >= 'A' && c[i] <= 'Z') c[i] += 32;
        return new String(c);
    }

    /**
     * Appends an uncompressed wire name as text (escaped like query names, lower-cased as Zeek prints
     * names); returns the position after it.
     */
    private static int wireName(StringBuilder sb, byte[] d, int p, int end) {
        int from = sb.length();
        try {
            return wireNameCased(sb, d, p, end);
        } finally {
            for (int i = from; i < sb.length(); i++) {
                char c = sb.charAt(i);
                if (c >= 'A' && c <= 'Z') sb.setCharAt(i, (char) (c + 32));
            }
        }
    }

    private static int wireNameCased(StringBuilder sb, byte[] d, int p, int end) {
        boolean first = true;
        while (true) {
            if (p >= end) throw new IllegalArgumentException("name past rdata");
            int n = d[p] & 0xFF;
            if (n == 0) return p + 1;
            if (n > 63 || p + 1 + n > end) throw new IllegalArgumentException("bad label");
            if (!first) sb.append('.');
            escaped(sb, d, p + 1, n);
            first = false;
            p += 1 + n;
        }
    }

    private static StringBuilder escaped(StringBuilder sb, byte[] d, int off, int len) {
        byte[] tmp = new byte[len * 4];
        int n = DnsWire.escape(d, off, len, tmp, 0);
        return sb.append(new String(tmp, 0, n, StandardCharsets.ISO_8859_1));
    }

    private static String unknown(int type, byte[] d, int off, int len) {
        StringBuilder sb = new StringBuilder(DnsNames.type(type)).append(" \\# ").append(len);
        if (len > 0) sb.append(' ');
        for (int p = off; p < off + len; p++) sb.append(String.format("%02x", d[p] & 0xFF));
        return sb.toString();
    }
}
