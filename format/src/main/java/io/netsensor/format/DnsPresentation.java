package io.netsensor.format;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Presentation text (master-file form, RFC 1035 section 5 and each type's RFC) of the rdata of the types
 * Zeek has no summary for, character for character as dnsjava 3.6.3's {@code Record.rdataToString()}
 * printed it, including which rdata it rejected. The JSON output used dnsjava for this until format had
 * to stop depending on it; reproducing its text keeps every answer string the same, and
 * DnsPresentationTest (with dnsjava as the oracle, test scope) holds it to that: generated records of
 * every type, random and mutated rdata, and the corpus captures' answers.
 *
 * <p>dnsjava's quirks are kept on purpose, because they are what was printed: absolute names with the
 * final dot, upper-case hex, IPv6 addresses in Java's uncompressed form (an IPv4-mapped one as a dotted
 * quad), names with the escapes of RFC 1035 (\DDD, \.), quoted strings with \DDD escapes, a compression
 * pointer inside the rdata followed when it points backwards. Addresses are formatted by
 * {@link InetAddress#getByAddress(byte[])}, as dnsjava did (no name lookup happens there).
 *
 * <p>Allocates: output edges only, like {@link DnsAnswerText}.
 */
final class DnsPresentation {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final DateTimeFormatter SIG_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final long MAX_TTL = 0x7FFFFFFFL;

    private DnsPresentation() {}

    /** Rdata that dnsjava would not have accepted; the caller prints the RFC 3597 form instead. */
    private static final class Rejected extends Exception {
        private static final Rejected INSTANCE = new Rejected();

        private Rejected() {
            super(null, null, false, false); // a control-flow signal: no message, no stack trace
        }
    }

    /**
     * The rdata's presentation text (without the type), or null where dnsjava rejected the record
     * (malformed rdata, a TTL above 2^31-1).
     */
    static String rdata(int type, int dclass, long ttl, byte[] d, int off, int len) {
        if (ttl < 0 || ttl > MAX_TTL) return null;
        try {
            In in = new In(d, off, len);
            String s = parse(type, dclass, ttl, in);
            if (in.remaining() > 0) return null; // dnsjava: "invalid record length"
            return s;
        } catch (Rejected e) {
            return null;
        }
    }

    private static String parse(int type, int dclass, long ttl, In in) throws Rejected {
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case 1: // A
                return dottedQuad(in.bytes(4));
            case 2: case 3: case 4: case 5: case 7: case 8: case 9: case 12: case 23: case 39: // NS MD MF CNAME MB MG MR PTR NSAP-PTR DNAME
                return in.name();
            case 10: // NULL
                return unknown(in.rest());
            case 13: // HINFO
                return quoted(in.counted()) + " " + quoted(in.counted());
            case 14: case 17: // MINFO, RP
                return in.name() + " " + in.name();
            case 15: case 18: case 21: case 36: // MX AFSDB RT KX
                return in.u16() + " " + in.name();
            case 19: // X25
                return quoted(in.counted());
            case 20: { // ISDN
                String address = quoted(in.counted());
                return in.remaining() > 0 ? address + " " + quoted(in.counted()) : address;
            }
            case 22: // NSAP
                return "0x" + hex(in.rest());
            case 24: // SIG
                return sig(in);
            case 25: case 60: // KEY, CDNSKEY
                return key(in);
            case 26: // PX
                return in.u16() + " " + in.name() + " " + in.name();
            case 27: // GPOS
                return gpos(in);
            case 28: // AAAA
                return aaaa(in.bytes(16));
            case 30: // NXT
                return nxt(in);
            case 37: // CERT
                sb.append(in.u16()).append(' ').append(in.u16()).append(' ').append(in.u8()).append(' ');
                return sb.append(base64(in.rest())).toString();
            case 38: // A6
                return a6(in);
            case 41: // OPT
                return opt(dclass, ttl, in);
            case 42: // APL
                return apl(in);
            case 45: // IPSECKEY
                return ipseckey(in);
            case 49: case 61: // DHCID, OPENPGPKEY
                return base64(in.rest());
            case 52: case 53: { // TLSA, SMIMEA
                sb.append(in.u8()).append(' ').append(in.u8()).append(' ').append(in.u8()).append(' ');
                byte[] data = in.rest();
                if (data.length == 0) throw Rejected.INSTANCE;
                return sb.append(hex(data)).toString();
            }
            case 55: // HIP
                return hip(in);
            case 59: case 32769: // CDS, DLV (DS itself has a Zeek summary)
                sb.append(in.u16()).append(' ').append(in.u8()).append(' ').append(in.u8()).append(' ');
                return sb.append(hex(in.rest())).toString();
            case 63: // ZONEMD
                return zonemd(in);
            case 64: case 65: // SVCB, HTTPS
                return svcb(in);
            case 249: // TKEY
                return tkey(in);
            case 250: // TSIG
                return tsig(in);
            case 256: // URI
                sb.append(in.u16()).append(' ').append(in.u16()).append(' ');
                return sb.append(quoted(in.rest())).toString();
            case 257: { // CAA
                int flags = in.u8();
                byte[] tag = in.counted();
                return flags + " " + text(tag, false) + " " + quoted(in.rest());
            }
            default: // no parser for the type: RFC 3597
                return unknown(in.rest());
        }
    }

    private static String sig(In in) throws Rejected {
        int covered = in.u16(), alg = in.u8(), labels = in.u8();
        long origTtl = in.u32(), expire = in.u32(), signed = in.u32();
        int footprint = in.u16();
        String signer = in.name();
        return DnsNames.type(covered) + " " + alg + " " + labels + " " + origTtl + " " + time(expire) + " "
                + time(signed) + " " + footprint + " " + signer + " " + base64(in.rest());
    }

    private static String key(In in) throws Rejected {
        String s = in.u16() + " " + in.u8() + " " + in.u8();
        return in.remaining() > 0 ? s + " " + base64(in.rest()) : s;
    }

    private static String gpos(In in) throws Rejected {
        byte[] longitude = in.counted(), latitude = in.counted(), altitude = in.counted();
        double lon, lat;
        try {
            lon = Double.parseDouble(text(longitude, false));
            lat = Double.parseDouble(text(latitude, false));
        } catch (NumberFormatException e) {
            throw Rejected.INSTANCE;
        }
        // dnsjava's bounds (longitude within ±90, latitude ±180: swapped against RFC 1712, kept as printed)
        if (lon < -90.0 || lon > 90.0 || lat < -180.0 || lat > 180.0) throw Rejected.INSTANCE;
        return quoted(longitude) + " " + quoted(latitude) + " " + quoted(altitude);
    }

    private static String nxt(In in) throws Rejected {
        StringBuilder sb = new StringBuilder(in.name());
        byte[] bitmap = in.rest();
        for (int i = 0; i < bitmap.length * 8; i++) {
            if ((bitmap[i >>> 3] & (0x80 >>> (i & 7))) == 0) continue;
            // dnsjava counted the types with a short, which wraps after 32767: a bit there or above made it fail
            if (i >= Short.MAX_VALUE) throw Rejected.INSTANCE;
            sb.append(' ').append(DnsNames.type(i));
        }
        return sb.toString();
    }

    private static String a6(In in) throws Rejected {
        int prefixBits = in.u8();
        StringBuilder sb = new StringBuilder().append(prefixBits);
        if (prefixBits < 128) {
            int suffixBytes = (128 - prefixBits + 7) / 8;
            byte[] addr = new byte[16];
            System.arraycopy(in.bytes(suffixBytes), 0, addr, 16 - suffixBytes, suffixBytes);
            sb.append(' ').append(address(addr).getHostAddress());
        }
        if (prefixBits > 0) sb.append(' ').append(in.name());
        return sb.toString();
    }

    private static String apl(In in) throws Rejected {
        StringBuilder sb = new StringBuilder();
        while (in.remaining() != 0) {
            int family = in.u16(), prefix = in.u8(), length = in.u8();
            boolean negative = (length & 0x80) != 0;
            byte[] data = in.bytes(length & 0x7F);
            if (!aplPrefixOk(family, prefix)) throw Rejected.INSTANCE;
            String value;
            if (family == 1 || family == 2) {
                int size = family == 1 ? 4 : 16;
                if (data.length > size) throw Rejected.INSTANCE;
                byte[] full = new byte[size];
                System.arraycopy(data, 0, full, 0, data.length);
                InetAddress a = address(full);
                family = a.getAddress().length == 4 ? 1 : 2; // an IPv4-mapped IPv6 address became an IPv4 element
                if (!aplPrefixOk(family, prefix)) throw Rejected.INSTANCE;
                value = a.getHostAddress();
            } else {
                value = hex(data);
            }
            if (sb.length() > 0) sb.append(' ');
            if (negative) sb.append('!');
            sb.append(family).append(':').append(value).append('/').append(prefix);
        }
        return sb.toString();
    }

    private static boolean aplPrefixOk(int family, int prefix) {
        return !((family == 1 && prefix > 32) || (family == 2 && prefix > 128));
    }

    private static String ipseckey(In in) throws Rejected {
        int precedence = in.u8(), gatewayType = in.u8(), algorithm = in.u8();
        String gateway;
        switch (gatewayType) {
            case 0: gateway = "."; break;
            case 1: gateway = address(in.bytes(4)).getHostAddress(); break;
            case 2: gateway = address(in.bytes(16)).getHostAddress(); break;
            case 3: gateway = in.name(); break;
            default: throw Rejected.INSTANCE;
        }
        String s = precedence + " " + gatewayType + " " + algorithm + " " + gateway;
        return in.remaining() > 0 ? s + " " + base64(in.rest()) : s;
    }

    private static String hip(In in) throws Rejected {
        int hitLength = in.u8(), algorithm = in.u8(), keyLength = in.u16();
        byte[] hit = in.bytes(hitLength), key = in.bytes(keyLength);
        StringBuilder sb = new StringBuilder().append(algorithm).append(' ').append(hex(hit)).append(' ').append(base64(key));
        while (in.remaining() > 0) sb.append(' ').append(in.name()); // rendezvous servers
        return sb.toString();
    }

    private static String zonemd(In in) throws Rejected {
        long serial = in.u32();
        int scheme = in.u8(), hash = in.u8();
        byte[] digest = in.rest();
        int need = hash == 1 ? 48 : hash == 2 ? 64 : -1; // SHA384, SHA512
        if ((need != -1 && need != digest.length) || digest.length < 12) throw Rejected.INSTANCE;
        return serial + " " + scheme + " " + hash + " " + hex(digest);
    }

    private static String tkey(In in) throws Rejected {
        String algorithm = in.name();
        long inception = in.u32(), expire = in.u32();
        int mode = in.u16(), error = in.u16();
        int keyLength = in.u16();
        byte[] key = keyLength > 0 ? in.bytes(keyLength) : null;
        int otherLength = in.u16();
        byte[] other = otherLength > 0 ? in.bytes(otherLength) : null;
        String errorName = DnsNames.tsigRcode(error);
        if (errorName == null) throw Rejected.INSTANCE;
        StringBuilder sb = new StringBuilder(algorithm).append(' ').append(time(inception)).append(' ')
                .append(time(expire)).append(' ').append(tkeyMode(mode)).append(' ').append(errorName).append(' ');
        if (key != null) sb.append(base64(key)).append(' ');
        if (other != null) sb.append(base64(other));
        return sb.toString();
    }

    private static String tkeyMode(int mode) {
        switch (mode) {
            case 1: return "SERVERASSIGNED";
            case 2: return "DIFFIEHELLMAN";
            case 3: return "GSSAPI";
            case 4: return "RESOLVERASSIGNED";
            case 5: return "DELETE";
            default: return Integer.toString(mode);
        }
    }

    private static String tsig(In in) throws Rejected {
        String algorithm = in.name();
        long timeHigh = in.u16(), timeLow = in.u32();
        long time = (timeHigh << 32) + timeLow;
        int fudge = in.u16();
        byte[] signature = in.bytes(in.u16());
        in.u16(); // original id: not printed
        int error = in.u16();
        int otherLength = in.u16();
        byte[] other = otherLength > 0 ? in.bytes(otherLength) : null;
        String errorName = DnsNames.tsigRcode(error);
        if (errorName == null) throw Rejected.INSTANCE;
        StringBuilder sb = new StringBuilder(algorithm).append(' ').append(time).append(' ').append(fudge).append(' ')
                .append(signature.length).append(' ').append(base64(signature)).append(' ').append(errorName).append(' ');
        if (other == null) return sb.append(0).toString();
        sb.append(other.length).append(' ');
        if (error == 18) { // BADTIME: the other data is the server's time
            if (other.length != 6) return sb.append("<invalid BADTIME other data>").toString();
            long t = 0;
            for (byte b : other) t = (t << 8) | (b & 0xFF);
            return sb.append("<server time: ").append(Instant.ofEpochSecond(t)).append('>').toString();
        }
        return sb.append('<').append(base64(other)).append('>').toString();
    }

    // ---- SVCB / HTTPS (RFC 9460) ----

    private static String svcb(In in) throws Rejected {
        int priority = in.u16();
        String target = in.name();
        Map<Integer, String> params = new TreeMap<>(); // by key; a repeated key keeps its last value, as dnsjava's map did
        int[] mandatory = null;
        while (in.remaining() >= 4) {
            int key = in.u16();
            byte[] v = in.bytes(in.u16());
            if (key == 0) mandatory = mandatoryKeys(v);
            params.put(key, svcValue(key, v));
        }
        if (in.remaining() > 0) throw Rejected.INSTANCE;
        if (mandatory != null) { // every key the (last) mandatory list names must be present
            for (int k : mandatory) if (!params.containsKey(k)) throw Rejected.INSTANCE;
        }
        StringBuilder sb = new StringBuilder().append(priority).append(' ').append(target);
        for (Map.Entry<Integer, String> p : params.entrySet()) {
            sb.append(' ').append(svcKey(p.getKey()));
            if (!p.getValue().isEmpty()) sb.append('=').append(p.getValue());
        }
        return sb.toString();
    }

    private static int[] mandatoryKeys(byte[] v) throws Rejected {
        if (v.length % 2 != 0) throw Rejected.INSTANCE;
        int[] keys = new int[v.length / 2];
        for (int i = 0; i < keys.length; i++) keys[i] = ((v[2 * i] & 0xFF) << 8) | (v[2 * i + 1] & 0xFF);
        return keys;
    }

    private static String svcKey(int key) {
        switch (key) {
            case 0: return "mandatory";
            case 1: return "alpn";
            case 2: return "no-default-alpn";
            case 3: return "port";
            case 4: return "ipv4hint";
            case 5: return "ech";
            case 6: return "ipv6hint";
            default: return "key" + key;
        }
    }

    private static String svcValue(int key, byte[] v) throws Rejected {
        StringBuilder sb = new StringBuilder();
        switch (key) {
            case 0:
                for (int k : mandatoryKeys(v)) {
                    if (sb.length() > 0) sb.append(',');
                    sb.append(svcKey(k));
                }
                return sb.toString();
            case 1: {
                In a = new In(v, 0, v.length);
                while (a.remaining() > 0) {
                    String id = text(a.counted(), false);
                    if (sb.length() > 0) sb.append(',');
                    sb.append(id.replace(",", "\\,"));
                }
                return sb.toString();
            }
            case 2:
                if (v.length > 0) throw Rejected.INSTANCE;
                return "";
            case 3:
                if (v.length != 2) throw Rejected.INSTANCE;
                return Integer.toString(((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
            case 4:
                if (v.length % 4 != 0) throw Rejected.INSTANCE;
                for (int i = 0; i < v.length; i += 4) {
                    if (i > 0) sb.append(',');
                    sb.append(v[i] & 0xFF).append('.').append(v[i + 1] & 0xFF).append('.').append(v[i + 2] & 0xFF)
                            .append('.').append(v[i + 3] & 0xFF);
                }
                return sb.toString();
            case 5:
                return base64(v);
            case 6:
                if (v.length % 16 != 0) throw Rejected.INSTANCE;
                for (int i = 0; i < v.length; i += 16) {
                    if (i > 0) sb.append(',');
                    sb.append(address(java.util.Arrays.copyOfRange(v, i, i + 16)).getHostAddress());
                }
                return sb.toString();
            default:
                return text(v, false);
        }
    }

    // ---- OPT (RFC 6891) and its options ----

    private static String opt(int dclass, long ttl, In in) throws Rejected {
        StringBuilder sb = new StringBuilder();
        if (in.remaining() > 0) {
            List<String> options = new ArrayList<>();
            while (in.remaining() > 0) {
                int code = in.u16(), length = in.u16();
                if (in.remaining() < length) throw Rejected.INSTANCE;
                options.add("{" + optionCode(code) + ": " + option(code, new In(in.bytes(length))) + "}");
            }
            sb.append(options).append(' ');
        }
        return sb.append(" ; payload ").append(dclass).append(", xrcode ").append(ttl >>> 24).append(", version ")
                .append((ttl >>> 16) & 0xFF).append(", flags ").append(ttl & 0xFFFF).toString();
    }

    private static final String[] OPTION_CODES = {null, "LLQ", "UL", "NSID", null, "DAU", "DHU", "N3U",
        "edns-client-subnet", "EDNS_EXPIRE", "COOKIE", "edns-tcp-keepalive", "Padding", "CHAIN", "edns-key-tag",
        "Extended_DNS_Error", "EDNS-Client-Tag", "EDNS-Server-Tag", "Report-Channel"};

    private static String optionCode(int code) {
        return code < OPTION_CODES.length && OPTION_CODES[code] != null ? OPTION_CODES[code] : "CODE" + code;
    }

    /** One option's text; o holds exactly its data. Every parser dnsjava had consumes all of it or fails. */
    private static String option(int code, In o) throws Rejected {
        switch (code) {
            case 5: case 6: case 7: { // DAU, DHU, N3U: algorithm lists
                StringBuilder sb = new StringBuilder("[");
                while (o.remaining() > 0) {
                    int alg = o.u8();
                    if (sb.length() > 1) sb.append(", ");
                    sb.append(code == 5 ? dnssecAlgorithm(alg) : code == 6 ? dsDigest(alg) : alg == 1 ? "SHA-1" : Integer.toString(alg));
                }
                return sb.append(']').toString();
            }
            case 8:
                return clientSubnet(o);
            case 10: { // COOKIE (RFC 7873)
                int length = o.remaining();
                if (length < 8) throw Rejected.INSTANCE;
                byte[] client = o.bytes(8);
                if (length == 8) return hex(client);
                if (length < 16 || length > 40) throw Rejected.INSTANCE;
                return hex(client) + " " + hex(o.rest());
            }
            case 11: { // edns-tcp-keepalive (RFC 7828)
                int length = o.remaining();
                if (length == 0) return "-";
                if (length != 2) throw Rejected.INSTANCE;
                return Integer.toString(o.u16());
            }
            case 15: { // Extended DNS Error (RFC 8914)
                String name = edeCode(o.u16());
                if (o.remaining() == 0) return name;
                byte[] text = o.rest();
                int n = text[text.length - 1] == 0 ? text.length - 1 : text.length; // may be NUL-terminated
                return name + ": " + new String(text, 0, n, StandardCharsets.UTF_8);
            }
            default: // NSID and the rest: the bytes
                return "<" + hex(o.rest()) + ">";
        }
    }

    private static String clientSubnet(In o) throws Rejected {
        int family = o.u16();
        if (family != 1 && family != 2) throw Rejected.INSTANCE;
        int bits = family == 1 ? 32 : 128;
        int source = o.u8();
        if (source > bits) throw Rejected.INSTANCE;
        int scope = o.u8();
        if (scope > bits) throw Rejected.INSTANCE;
        byte[] prefix = o.rest();
        if (prefix.length != (source + 7) / 8) throw Rejected.INSTANCE;
        byte[] full = new byte[bits / 8];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        InetAddress a = address(full);
        byte[] b = a.getAddress(); // 4 bytes for an IPv4-mapped IPv6 prefix, as Java converts it
        if (source > b.length * 8) throw Rejected.INSTANCE;
        for (int i = 0; i < b.length * 8; i++) {
            if (i >= source && (b[i >>> 3] & (0x80 >>> (i & 7))) != 0) throw Rejected.INSTANCE; // bits past the prefix
        }
        return a.getHostAddress() + "/" + source + ", scope netmask " + scope;
    }

    private static final String[] DNSSEC_ALGORITHMS = new String[256];
    private static final String[] DS_DIGESTS = {null, "SHA-1", "SHA-256", "GOST R 34.11-94", "SHA-384", "GOST12", "SM3"};
    private static final String[] EDE_CODES = {"OTHER", "UNSUPPORTED_DNSKEY_ALGORITHM", "UNSUPPORTED_DS_DIGEST_TYPE",
        "STALE_ANSWER", "FORGED_ANSWER", "DNSSEC_INDETERMINATE", "DNSSEC_BOGUS", "SIGNATURE_EXPIRED",
        "SIGNATURE_NOT_YET_VALID", "DNSKEY_MISSING", "RRSIGS_MISSING", "NO_ZONE_KEY_BIT_SET", "NSEC_MISSING",
        "CACHED_ERROR", "NOT_READY", "BLOCKED", "CENSORED", "FILTERED", "PROHIBITED", "STALE_NXDOMAIN_ANSWER",
        "NOT_AUTHORITATIVE", "NOT_SUPPORTED", "NO_REACHABLE_AUTHORITY", "NETWORK_ERROR", "INVALID_DATA",
        "SIGNATURE_EXPIRED_BEFORE_VALID", "TOO_EARLY", "UNSUPPORTED_NSEC3_ITERATIONS_VALUE",
        "UNABLE_TO_CONFORM_TO_POLICY", "SYNTHESIZED"};

    static {
        String[] algorithms = {"0", "DELETE", "1", "RSAMD5", "2", "DH", "3", "DSA", "5", "RSASHA1", "6", "DSA-NSEC3-SHA1",
            "7", "RSASHA1-NSEC3-SHA1", "8", "RSASHA256", "10", "RSASHA512", "12", "ECC-GOST", "13", "ECDSAP256SHA256",
            "14", "ECDSAP384SHA384", "15", "ED25519", "16", "ED448", "17", "SM2SM3", "23", "ECC-GOST12",
            "252", "INDIRECT", "253", "PRIVATEDNS", "254", "PRIVATEOID"};
        for (int i = 0; i < algorithms.length; i += 2) DNSSEC_ALGORITHMS[Integer.parseInt(algorithms[i])] = algorithms[i + 1];
    }

    /** DNSSEC algorithm mnemonic (IANA "DNS Security Algorithm Numbers"), else the number. */
    static String dnssecAlgorithm(int alg) {
        return alg >= 0 && alg < 256 && DNSSEC_ALGORITHMS[alg] != null ? DNSSEC_ALGORITHMS[alg] : Integer.toString(alg);
    }

    /** DS digest type mnemonic (IANA "Delegation Signer (DS) Resource Record Digest Algorithms"), else the number. */
    static String dsDigest(int digest) {
        return digest >= 0 && digest < DS_DIGESTS.length && DS_DIGESTS[digest] != null ? DS_DIGESTS[digest] : Integer.toString(digest);
    }

    /** Extended DNS Error code name (RFC 8914 registry), else EDE<n>. */
    static String edeCode(int code) {
        return code >= 0 && code < EDE_CODES.length ? EDE_CODES[code] : "EDE" + code;
    }

    // ---- text forms ----

    /** RFC 3597 form as dnsjava wrote it: upper-case hex, and a trailing space after an empty length. */
    private static String unknown(byte[] data) {
        return "\\# " + data.length + " " + hex(data);
    }

    private static String quoted(byte[] b) {
        return text(b, true);
    }

    /** A character-string: printable ASCII as is, '"' and '\' escaped, every other byte as \DDD. */
    private static String text(byte[] b, boolean quote) {
        StringBuilder sb = new StringBuilder(b.length + 2);
        if (quote) sb.append('"');
        for (byte x : b) {
            int c = x & 0xFF;
            if (c < 0x20 || c >= 0x7F) {
                decimalEscape(sb, c);
            } else {
                if (c == '"' || c == '\\') sb.append('\\');
                sb.append((char) c);
            }
        }
        if (quote) sb.append('"');
        return sb.toString();
    }

    private static void decimalEscape(StringBuilder sb, int c) {
        sb.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
    }

    private static String hex(byte[] b) {
        char[] c = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = HEX[(b[i] >>> 4) & 0xF];
            c[2 * i + 1] = HEX[b[i] & 0xF];
        }
        return new String(c);
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String time(long epochSeconds) {
        return SIG_TIME.format(Instant.ofEpochSecond(epochSeconds));
    }

    private static String dottedQuad(byte[] a) {
        return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }

    /** An AAAA as dnsjava printed it: Java's full form, an IPv4-mapped address as ::ffff:a.b.c.d. */
    private static String aaaa(byte[] a) {
        InetAddress addr = address(a);
        return addr.getAddress().length == 4 ? "::ffff:" + addr.getHostAddress() : addr.getHostAddress();
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw); // 4 or 16 bytes: never fails, never looks a name up
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cursor over rdata with dnsjava's DNSInput reads: every read past the end rejects the record. */
    private static final class In {
        private final byte[] d;
        private final int base, end;
        private int p;

        In(byte[] d, int off, int len) {
            this.d = d;
            this.base = off;
            this.end = off + len;
            this.p = off;
        }

        In(byte[] whole) {
            this(whole, 0, whole.length);
        }

        int remaining() {
            return end - p;
        }

        private void need(int n) throws Rejected {
            if (n > end - p) throw Rejected.INSTANCE;
        }

        int u8() throws Rejected {
            need(1);
            return d[p++] & 0xFF;
        }

        int u16() throws Rejected {
            need(2);
            int v = ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
            p += 2;
            return v;
        }

        long u32() throws Rejected {
            need(4);
            long v = ((long) (d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
            p += 4;
            return v;
        }

        byte[] bytes(int n) throws Rejected {
            need(n);
            byte[] b = java.util.Arrays.copyOfRange(d, p, p + n);
            p += n;
            return b;
        }

        byte[] rest() {
            byte[] b = java.util.Arrays.copyOfRange(d, p, end);
            p = end;
            return b;
        }

        byte[] counted() throws Rejected {
            return bytes(u8());
        }

        /**
         * A domain name in dnsjava's text form. As in dnsjava, a compression pointer is followed when it
         * points before itself within the rdata (the stored rdata is all there is); at most 255 bytes.
         */
        String name() throws Rejected {
            StringBuilder sb = new StringBuilder();
            int wire = 0;
            int resume = -1;
            while (true) {
                int len = u8();
                switch (len & 0xC0) {
                    case 0x00:
                        wire += len + 1;
                        if (len == 0) {
                            if (wire > 255) throw Rejected.INSTANCE;
                            if (resume >= 0) p = resume;
                            return sb.length() == 0 ? "." : sb.append('.').toString();
                        }
                        need(len);
                        if (wire > 255) throw Rejected.INSTANCE;
                        if (sb.length() > 0) sb.append('.');
                        label(sb, p, len);
                        p += len;
                        break;
                    case 0xC0: {
                        int target = ((len & 0x3F) << 8) | u8();
                        if (target >= p - base - 2) throw Rejected.INSTANCE; // only backwards
                        if (resume < 0) resume = p;
                        p = base + target;
                        break;
                    }
                    default:
                        throw Rejected.INSTANCE; // extended label types
                }
            }
        }

        private void label(StringBuilder sb, int from, int len) {
            for (int i = from; i < from + len; i++) {
                int c = d[i] & 0xFF;
                if (c <= 0x20 || c >= 0x7F) {
                    decimalEscape(sb, c);
                } else {
                    if (c == '"' || c == '(' || c == ')' || c == '.' || c == ';' || c == '\\' || c == '@' || c == '$') sb.append('\\');
                    sb.append((char) c);
                }
            }
        }
    }
}
