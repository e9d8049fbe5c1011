package io.netsensor.format;

/**
 * Mnemonics of DNS record types, classes, opcodes and response codes, as the IANA "Domain Name System
 * (DNS) Parameters" registry names them. The tables hold exactly the names dnsjava 3.6.3 printed (which
 * the output used before format dropped dnsjava, so existing queries keep matching; DnsNamesTest checks
 * every code against it) and the same fallbacks: {@code TYPE<n>} and {@code CLASS<n>} (RFC 3597) for
 * unnamed types and classes, {@code RESERVED<n>} for unnamed opcodes and rcodes. Hand-written tables
 * rather than a library: format must not depend on dnsjava, and a lookup here is an array index.
 */
public final class DnsNames {
    private static final String[] TYPES = new String[261];
    private static final String TYPE_32768 = "TA", TYPE_32769 = "DLV";
    private static final String[] OPCODES = new String[16];
    private static final String[] RCODES = new String[24];

    static {
        String[] named = {
            "1", "A", "2", "NS", "3", "MD", "4", "MF", "5", "CNAME", "6", "SOA", "7", "MB", "8", "MG", "9", "MR",
            "10", "NULL", "11", "WKS", "12", "PTR", "13", "HINFO", "14", "MINFO", "15", "MX", "16", "TXT", "17", "RP",
            "18", "AFSDB", "19", "X25", "20", "ISDN", "21", "RT", "22", "NSAP", "23", "NSAP-PTR", "24", "SIG",
            "25", "KEY", "26", "PX", "27", "GPOS", "28", "AAAA", "29", "LOC", "30", "NXT", "31", "EID", "32", "NIMLOC",
            "33", "SRV", "34", "ATMA", "35", "NAPTR", "36", "KX", "37", "CERT", "38", "A6", "39", "DNAME", "40", "SINK",
            "41", "OPT", "42", "APL", "43", "DS", "44", "SSHFP", "45", "IPSECKEY", "46", "RRSIG", "47", "NSEC",
            "48", "DNSKEY", "49", "DHCID", "50", "NSEC3", "51", "NSEC3PARAM", "52", "TLSA", "53", "SMIMEA", "55", "HIP",
            "56", "NINFO", "57", "RKEY", "58", "TALINK", "59", "CDS", "60", "CDNSKEY", "61", "OPENPGPKEY", "62", "CSYNC",
            "63", "ZONEMD", "64", "SVCB", "65", "HTTPS", "99", "SPF", "100", "UINFO", "101", "UID", "102", "GID",
            "103", "UNSPEC", "104", "NID", "105", "L32", "106", "L64", "107", "LP", "108", "EUI48", "109", "EUI64",
            "249", "TKEY", "250", "TSIG", "251", "IXFR", "252", "AXFR", "253", "MAILB", "254", "MAILA", "255", "ANY",
            "256", "URI", "257", "CAA", "258", "AVC", "259", "DOA", "260", "AMTRELAY",
        };
        for (int i = 0; i < named.length; i += 2) TYPES[Integer.parseInt(named[i])] = named[i + 1];
        String[] opcodes = {"QUERY", "IQUERY", "STATUS", null, "NOTIFY", "UPDATE", "DSO"};
        System.arraycopy(opcodes, 0, OPCODES, 0, opcodes.length);
        // 11..15 are unassigned; 16 is BADVERS in the OPT (extended) range, which dnsjava prints for rcode 16
        String[] rcodes = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
            "NXRRSET", "NOTAUTH", "NOTZONE", null, null, null, null, null, "BADVERS", "BADKEY", "BADTIME", "BADMODE",
            "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE"};
        System.arraycopy(rcodes, 0, RCODES, 0, rcodes.length);
    }

    private DnsNames() {}

    /** Record type mnemonic ("AAAA"), else TYPE<n>. */
    public static String type(int type) {
        if (type >= 0 && type < TYPES.length && TYPES[type] != null) return TYPES[type];
        if (type == 32768) return TYPE_32768;
        if (type == 32769) return TYPE_32769;
        return "TYPE" + type;
    }

    /** Class mnemonic ("IN"), else CLASS<n>. */
    public static String dclass(int dclass) {
        switch (dclass) {
            case 1: return "IN";
            case 3: return "CH";
            case 4: return "HS";
            case 254: return "NONE";
            case 255: return "ANY";
            default: return "CLASS" + dclass;
        }
    }

    /** Header opcode mnemonic ("QUERY"), else RESERVED<n>. */
    public static String opcode(int opcode) {
        return opcode >= 0 && opcode < OPCODES.length && OPCODES[opcode] != null ? OPCODES[opcode] : "RESERVED" + opcode;
    }

    /**
     * Response code mnemonic ("NXDOMAIN"; extended codes from EDNS included), else RESERVED<n>. dnsjava
     * threw for codes above 4095; none can be encoded (8 EDNS bits over the 4 header bits), so that never mattered.
     */
    public static String rcode(int rcode) {
        return rcode >= 0 && rcode < RCODES.length && RCODES[rcode] != null ? RCODES[rcode] : "RESERVED" + rcode;
    }

    /** As {@link #rcode} but 16 is BADSIG, as in TSIG and TKEY error fields (RFC 8945). Null above 4095, where dnsjava failed. */
    static String tsigRcode(int rcode) {
        if (rcode == 16) return "BADSIG";
        return rcode > 0xFFF ? null : rcode(rcode);
    }
}
