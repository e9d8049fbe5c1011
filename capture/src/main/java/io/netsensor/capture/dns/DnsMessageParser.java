package io.netsensor.capture.dns;

import io.netsensor.events.DnsWire;

import io.netsensor.events.DnsEvent;

/**
 * Parses one DNS message (RFC 1035 wire format) in place into a reused {@link DnsEvent}: header, first
 * question, the answer section, and the OPT record of the additional section (extended rcode).
 *
 * <p>Hand-written rather than dnsjava's {@code Message}: dnsjava builds a Name/Record object graph per
 * message, and this runs for every DNS packet. dnsjava stays at the edges ({@link DnsAnswerText}, tests).
 *
 * <p>Hostile input never throws: every read is bounds-checked and the first problem ends the parse with a
 * reason code ({@link #OK} when none) and the section it occurred in. Compression pointers must point
 * strictly backwards, before the start of the label run being read (so each jump lands earlier than the
 * last: no loops), at most {@link #MAX_POINTER_JUMPS} jumps; reserved label types 0x40/0x80 are rejected;
 * a name is at most 255 octets on the wire.
 *
 * <p>Name text: labels joined by '.', case preserved, escaped as Zeek's dns.log (TSV writer) prints
 * {@code query}: bytes 0x20..0x7e stay as they are except '\' which becomes "\\"; every other byte
 * (controls, 0x7f, 0x80..0xff) becomes "\xhh" (lower-case hex). A '.' inside a label is not escaped, as in
 * Zeek. Deliberate difference: Zeek prints a name that is entirely valid UTF-8 as raw UTF-8; we always
 * escape non-ASCII bytes (so raw tunnel bytes such as iodine's, which are not valid UTF-8, match Zeek).
 *
 * <p>NetBIOS name service (udp/137) uses DNS framing with "first-level encoded" names; when asked, the
 * first label of 32 letters 'A'..'P' is decoded to the 15-character NetBIOS name with trailing spaces and
 * NULs removed (the 16th, suffix byte dropped), like Zeek's decode_netbios_name in dns.log.
 */
public final class DnsMessageParser {
    /** Parse outcome / malformation reasons. */
    public static final int OK = 0, SHORT_HEADER = 1, TRUNCATED_NAME = 2, POINTER_OUT_OF_RANGE = 3,
            FORWARD_POINTER = 4, POINTER_LOOP = 5, RESERVED_LABEL_TYPE = 6, NAME_TOO_LONG = 7,
            TRUNCATED_QUESTION = 8, TRUNCATED_RECORD = 9, BAD_RDATA = 10;
    private static final String[] REASONS = {"ok", "short_header", "truncated_name", "pointer_out_of_range",
        "forward_pointer", "pointer_loop", "reserved_label_type", "name_too_long", "truncated_question",
        "truncated_record", "bad_rdata"};
    public static final int REASON_COUNT = REASONS.length;

    /** Section where parsing stopped; {@link #SECTION_END} when the whole message was read. */
    public static final int SECTION_HEADER = 0, SECTION_QUESTION = 1, SECTION_ANSWER = 2, SECTION_AUTHORITY = 3,
            SECTION_ADDITIONAL = 4, SECTION_END = 5;

    public static final int MAX_POINTER_JUMPS = 32;
    public static final int MAX_WIRE_NAME = 255;

    static final int TYPE_A = DnsWire.TYPE_A, TYPE_NS = DnsWire.TYPE_NS, TYPE_CNAME = DnsWire.TYPE_CNAME,
            TYPE_SOA = DnsWire.TYPE_SOA, TYPE_MINFO = DnsWire.TYPE_MINFO, TYPE_PTR = DnsWire.TYPE_PTR,
            TYPE_MX = DnsWire.TYPE_MX, TYPE_RP = DnsWire.TYPE_RP, TYPE_AFSDB = DnsWire.TYPE_AFSDB,
            TYPE_RT = DnsWire.TYPE_RT, TYPE_AAAA = DnsWire.TYPE_AAAA, TYPE_SRV = DnsWire.TYPE_SRV,
            TYPE_KX = DnsWire.TYPE_KX, TYPE_DNAME = DnsWire.TYPE_DNAME, TYPE_OPT = DnsWire.TYPE_OPT;

    private static final int MODE_SKIP = 0, MODE_TEXT = 1, MODE_WIRE = 2;

    // --- results of the last parse (besides what goes into the event)
    /** QR bit: true for a response. */
    public boolean response;
    public int qdcount;
    /** Header rcode before EDNS extension. */
    public int headerRcode;
    /** True when an OPT record was found (rcode then includes its upper 8 bits). */
    public boolean hasOpt;
    /** Section where the parse stopped (SECTION_END when complete). */
    public int section;
    /** Reason returned by the last parse. */
    public int status;

    // --- name walker outputs
    private int nameEnd;
    private int outLen;

    /** Rdata rebuilt here: MX preference + name text, or raw rdata with names decompressed. */
    private final byte[] scratch = new byte[4 * MAX_WIRE_NAME + 2 * DnsEvent.MAX_NAME];
    private final byte[] nbName = new byte[16];

    public static String reasonName(int reason) {
        return reason >= 0 && reason < REASONS.length ? REASONS[reason] : "unknown";
    }

    /** True when the header and question were read: the message can be keyed and reported. */
    public boolean usable() {
        return section > SECTION_QUESTION;
    }

    public int parse(byte[] buf, int off, int len, DnsEvent ev) {
        return parse(buf, off, len, ev, false);
    }

    /**
     * Parses buf[off, off+len) into ev (header, first question, answers). Fields of ev outside the message
     * (time, addresses) are left alone. Returns OK or the first malformation reason.
     */
    public int parse(byte[] buf, int off, int len, DnsEvent ev, boolean netbios) {
        ev.qnameLen = 0;
        ev.qtype = ev.qclass = 0;
        ev.answerCount = 0;
        ev.answerDataLen = 0;
        ev.answersTruncated = false;
        response = false;
        hasOpt = false;
        qdcount = 0;
        section = SECTION_HEADER;
        int end = off + len;
        if (len < 12 || off < 0 || end > buf.length) {
            return status = SHORT_HEADER;
        }
        int hdr = u16(buf, off + 2);
        ev.transId = u16(buf, off);
        response = (hdr & 0x8000) != 0;
        ev.opcode = (hdr >>> 11) & 0xF;
        ev.flags = headerFlags(hdr);
        headerRcode = hdr & 0xF;
        ev.rcode = headerRcode;
        qdcount = u16(buf, off + 4);
        ev.ancount = u16(buf, off + 6);
        ev.nscount = u16(buf, off + 8);
        ev.arcount = u16(buf, off + 10);

        section = SECTION_QUESTION;
        int p = off + 12;
        for (int q = 0; q < qdcount; q++) {
            boolean first = q == 0;
            int r = first ? readName(buf, off, end, p, end, ev.qname, 0, MODE_TEXT, netbios)
                    : readName(buf, off, end, p, end, null, 0, MODE_SKIP, false);
            if (r != OK) return status = r;
            p = nameEnd;
            if (p + 4 > end) return status = TRUNCATED_QUESTION;
            if (first) {
                ev.qnameLen = outLen;
                ev.qtype = u16(buf, p);
                ev.qclass = u16(buf, p + 2);
            }
            p += 4;
        }

        section = SECTION_ANSWER;
        if (ev.ancount > DnsEvent.MAX_ANSWERS) ev.answersTruncated = true;
        for (int i = 0; i < ev.ancount; i++) {
            if (i == 0 && qdcount == 0 && response) {
                // No question (mDNS announcements): Zeek logs the first answer's owner as the query.
                int r = readName(buf, off, end, p, end, ev.qname, 0, MODE_TEXT, false);
                if (r != OK) return status = r;
                ev.qnameLen = outLen;
            }
            int r = readRecord(buf, off, end, p, ev, true);
            if (r != OK) return status = r;
            p = nameEnd;
        }
        section = SECTION_AUTHORITY;
        for (int i = 0; i < ev.nscount; i++) {
            int r = readRecord(buf, off, end, p, ev, false);
            if (r != OK) return status = r;
            p = nameEnd;
        }
        section = SECTION_ADDITIONAL;
        for (int i = 0; i < ev.arcount; i++) {
            int r = readRecord(buf, off, end, p, ev, false);
            if (r != OK) return status = r;
            p = nameEnd;
        }
        section = SECTION_END;
        return status = OK;
    }

    static int headerFlags(int hdr) {
        int f = 0;
        if ((hdr & 0x0400) != 0) f |= DnsEvent.FLAG_AA;
        if ((hdr & 0x0200) != 0) f |= DnsEvent.FLAG_TC;
        if ((hdr & 0x0100) != 0) f |= DnsEvent.FLAG_RD;
        if ((hdr & 0x0080) != 0) f |= DnsEvent.FLAG_RA;
        if ((hdr & 0x0040) != 0) f |= DnsEvent.FLAG_Z;
        if ((hdr & 0x0020) != 0) f |= DnsEvent.FLAG_AD;
        if ((hdr & 0x0010) != 0) f |= DnsEvent.FLAG_CD;
        return f;
    }

    /** Reads one resource record at p; stores it when store is set. Leaves the next position in nameEnd. */
    private int readRecord(byte[] b, int msgOff, int end, int p, DnsEvent ev, boolean store) {
        int r = readName(b, msgOff, end, p, end, null, 0, MODE_SKIP, false);
        if (r != OK) return r;
        p = nameEnd;
        if (p + 10 > end) return TRUNCATED_RECORD;
        int type = u16(b, p);
        int dclass = u16(b, p + 2);
        long ttl = u32(b, p + 4);
        int rdlen = u16(b, p + 8);
        int rd = p + 10;
        int rdEnd = rd + rdlen;
        if (rdEnd > end) return TRUNCATED_RECORD;
        if (store) {
            r = storeAnswer(b, msgOff, end, rd, rdEnd, type, dclass, ttl, ev);
            if (r != OK) return r;
        } else if (type == TYPE_OPT && section == SECTION_ADDITIONAL) {
            hasOpt = true;
            ev.rcode = (int) ((ttl >>> 24) << 4) | headerRcode;
        }
        nameEnd = rdEnd;
        return OK;
    }

    private int storeAnswer(byte[] b, int msgOff, int end, int rd, int rdEnd, int type, int dclass, long ttl,
                            DnsEvent ev) {
        int rdlen = rdEnd - rd;
        switch (type) {
            case TYPE_A:
            case TYPE_AAAA:
                if (rdlen != (type == TYPE_A ? 4 : 16)) return BAD_RDATA;
                ev.addAnswer(type, dclass, ttl, DnsEvent.RDATA_ADDRESS, b, rd, rdlen);
                return OK;
            case TYPE_CNAME:
            case TYPE_PTR:
            case TYPE_NS:
            case TYPE_DNAME: {
                int r = rdataName(b, msgOff, end, rd, rdEnd, 0, MODE_TEXT);
                if (r != OK || nameEnd != rdEnd) return BAD_RDATA;
                ev.addAnswer(type, dclass, ttl, DnsEvent.RDATA_NAME, scratch, 0, outLen);
                return OK;
            }
            case TYPE_MX: {
                if (rdlen < 3) return BAD_RDATA;
                scratch[0] = b[rd];
                scratch[1] = b[rd + 1];
                int r = rdataName(b, msgOff, end, rd + 2, rdEnd, 2, MODE_TEXT);
                if (r != OK || nameEnd != rdEnd) return BAD_RDATA;
                ev.addAnswer(type, dclass, ttl, DnsEvent.RDATA_MX, scratch, 0, 2 + outLen);
                return OK;
            }
            case TYPE_SOA:
            case TYPE_RP:
            case TYPE_MINFO:
            case TYPE_SRV:
            case TYPE_AFSDB:
            case TYPE_RT:
            case TYPE_KX: {
                int n = expandRdata(b, msgOff, end, rd, rdEnd, type);
                if (n < 0) return BAD_RDATA;
                ev.addAnswer(type, dclass, ttl, DnsEvent.RDATA_RAW, scratch, 0, n);
                return OK;
            }
            default:
                ev.addAnswer(type, dclass, ttl, DnsEvent.RDATA_RAW, b, rd, rdlen);
                return OK;
        }
    }

    /**
     * Copies rdata of types that may carry compressed names into scratch with the names expanded to plain
     * wire labels, so the stored rdata decodes on its own later. Returns its length, or -1 when malformed.
     */
    private int expandRdata(byte[] b, int msgOff, int end, int rd, int rdEnd, int type) {
        int prefix = (type == TYPE_SRV) ? 6 : (type == TYPE_AFSDB || type == TYPE_RT || type == TYPE_KX) ? 2 : 0;
        int names = (type == TYPE_SOA || type == TYPE_RP || type == TYPE_MINFO) ? 2 : 1;
        int tail = (type == TYPE_SOA) ? 20 : 0;
        if (rd + prefix > rdEnd) return -1;
        System.arraycopy(b, rd, scratch, 0, prefix);
        int o = prefix;
        int p = rd + prefix;
        for (int i = 0; i < names; i++) {
            if (rdataName(b, msgOff, end, p, rdEnd, o, MODE_WIRE) != OK) return -1;
            o += outLen;
            p = nameEnd;
        }
        if (p + tail != rdEnd) return -1;
        System.arraycopy(b, p, scratch, o, tail);
        return o + tail;
    }

    /** A name inside rdata: inline labels must stay within the rdata, pointers may reach earlier data. */
    private int rdataName(byte[] b, int msgOff, int end, int p, int rdEnd, int outOff, int mode) {
        return readName(b, msgOff, end, p, rdEnd, scratch, outOff, mode, false);
    }

    /**
     * Walks the name at pos. Inline labels must end before limit; after a jump, before the message end.
     * Writes escaped text (MODE_TEXT) or uncompressed wire labels (MODE_WIRE) to out at outOff, setting
     * outLen, and sets nameEnd to the position after the name in the original sequence.
     */
    private int readName(byte[] b, int msgOff, int msgEnd, int pos, int limit, byte[] out, int outOff,
                         int mode, boolean netbios) {
        int p = pos;
        int end = limit;
        int runStart = pos;
        int jumps = 0;
        int after = -1;
        int wire = 1; // the root label
        int o = outOff;
        boolean firstLabel = true;
        while (true) {
            if (p >= end) return TRUNCATED_NAME;
            int len = b[p] & 0xFF;
            int kind = len & 0xC0;
            if (kind == 0xC0) {
                if (p + 1 >= end) return TRUNCATED_NAME;
                int target = msgOff + (((len & 0x3F) << 8) | (b[p + 1] & 0xFF));
                if (after < 0) after = p + 2;
                if (target >= msgEnd) return POINTER_OUT_OF_RANGE;
                if (target >= p) return FORWARD_POINTER;
                if (target >= runStart || ++jumps > MAX_POINTER_JUMPS) return POINTER_LOOP;
                runStart = target;
                p = target;
                end = msgEnd;
                continue;
            }
            if (kind != 0) return RESERVED_LABEL_TYPE;
            if (len == 0) {
                p++;
                break;
            }
            wire += len + 1;
            if (wire > MAX_WIRE_NAME) return NAME_TOO_LONG;
            if (p + 1 + len > end) return TRUNCATED_NAME;
            if (mode == MODE_TEXT) {
                if (!firstLabel) out[o++] = '.';
                if (firstLabel && netbios && isNetbiosEncoded(b, p + 1, len)) {
                    o = writeNetbios(b, p + 1, out, o);
                } else {
                    o = escape(b, p + 1, len, out, o);
                }
            } else if (mode == MODE_WIRE) {
                System.arraycopy(b, p, out, o, len + 1);
                o += len + 1;
            }
            firstLabel = false;
            p += 1 + len;
        }
        if (mode == MODE_WIRE) out[o++] = 0;
        nameEnd = after >= 0 ? after : p;
        outLen = o - outOff;
        return OK;
    }

    static int escape(byte[] src, int off, int len, byte[] out, int o) {
        return DnsWire.escape(src, off, len, out, o);
    }

    private static boolean isNetbiosEncoded(byte[] b, int off, int len) {
        if (len != 32) return false;
        for (int i = off; i < off + 32; i++) {
            if (b[i] < 'A' || b[i] > 'P') return false;
        }
        return true;
    }

    private int writeNetbios(byte[] b, int off, byte[] out, int o) {
        for (int i = 0; i < 16; i++) {
            nbName[i] = (byte) (((b[off + 2 * i] - 'A') << 4) | (b[off + 2 * i + 1] - 'A'));
        }
        int n = 15; // the 16th byte is the name type suffix
        while (n > 0 && (nbName[n - 1] == ' ' || nbName[n - 1] == 0)) n--;
        return escape(nbName, 0, n, out, o);
    }

    static int u16(byte[] b, int p) {
        return DnsWire.u16(b, p);
    }

    static long u32(byte[] b, int p) {
        return DnsWire.u32(b, p);
    }
}
