package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netsensor.events.DnsEvent;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DnssecAlgorithmOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TKEYRecord;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/**
 * The hand-written rdata text against dnsjava 3.6.3, which wrote it before format dropped the dependency
 * ({@code Type.string(type) + " " + Record.newRecord(...).rdataToString()}, and the RFC 3597 form where it
 * failed): generated records of every type it parses, then random and mutated rdata (truncations, bad
 * labels, compression pointers, odd lengths, TTLs past 2^31), compared text for text and on what is rejected.
 * The corpus captures' answers are compared in capture's CorpusAnswerTextTest (capture parses them).
 */
class DnsPresentationTest {
    /** Types DnsAnswerText writes as Zeek's summaries, never as presentation text. */
    static final int[] ZEEK_SUMMARIES = {6, 11, 16, 29, 33, 35, 43, 44, 46, 47, 48, 50, 51, 99, 65534};

    /** -Dfuzz.seed and -Dfuzz.mutations (per sample) for a longer search than the default run's. */
    private final Random random = new Random(Long.getLong("fuzz.seed", 20260401L));
    private static final int MUTATIONS = Integer.getInteger("fuzz.mutations", 1000);
    private long compared, rejected;

    /** What the output printed with dnsjava for rdata of a type without Zeek summary; null where dnsjava failed. */
    static String dnsjava(int type, int dclass, long ttl, byte[] rdata) {
        try {
            Record r = Record.newRecord(Name.root, type, dclass, ttl, rdata.length, rdata);
            return r.rdataToString(); // r is null for rdata dnsjava rejected: that NPE is a failure too
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Presentation text of each type dnsjava parses (read by dnsjava's own text parser). */
    static Map<Integer, List<String>> samples() {
        Map<Integer, List<String>> m = new LinkedHashMap<>();
        add(m, Type.A, "192.0.2.1", "0.0.0.0", "255.255.255.255");
        for (int t : new int[] {Type.NS, Type.MD, Type.MF, Type.CNAME, Type.MB, Type.MG, Type.MR, Type.PTR, Type.NSAP_PTR, Type.DNAME}) {
            add(m, t, "host.example.", ".", "a\\.b.c\\032d.\\\"q\\(\\)\\;\\@\\$\\\\.\\255\\000.example.");
        }
        add(m, Type.NULL, "\\# 3 010203", "\\# 0");
        add(m, Type.HINFO, "\"x86\" \"Linux\"", "\"\" \"with \\\"quote\\\" and \\\\ and \\007\"");
        add(m, Type.MINFO, "resp.example. err.example.");
        add(m, Type.MX, "10 mx.example.", "0 .");
        add(m, Type.RP, "mbox.example. txt.example.", ". .");
        add(m, Type.AFSDB, "1 afs.example.");
        add(m, Type.X25, "\"311061700956\"");
        add(m, Type.ISDN, "\"150862028003217\" \"004\"", "\"150862028003217\"");
        add(m, Type.RT, "10 relay.example.");
        add(m, Type.NSAP, "0x47000580005a0000000001e133aaaaaa00015100");
        add(m, Type.SIG, "A 5 2 3600 20260101000000 20251201000000 12345 example. AQIDBAU=");
        add(m, Type.KEY, "256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=", "256 3 8");
        add(m, Type.PX, "10 map822.example. mapx400.example.");
        add(m, Type.GPOS, "\"-32.6882\" \"116.8652\" \"10.0\"", "\"0\" \"0\" \"\"");
        add(m, Type.AAAA, "2001:db8::1", "::ffff:192.0.2.1", "::", "::1.2.3.4");
        add(m, Type.NXT, "next.example. A MX NXT", "next.example.");
        add(m, Type.KX, "10 kx.example.");
        add(m, Type.CERT, "1 12345 8 AQIDBA==");
        add(m, Type.A6, "64 ::1:2:3:4 prefix.example.", "0 2001:db8::1", "128 prefix.example.",
                "\\# 17 0000000000000000000000ffff01020304", "\\# 8 64010203040170 00");
        add(m, Type.APL, "1:192.168.32.0/21 !1:192.168.38.0/28 2:2001:db8::/32 !2:::/0", "");
        add(m, Type.IPSECKEY, "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==", "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
                "10 3 2 gw.example. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==", "10 2 2 2001:db8::1", "\\# 19 0a0202 00000000000000000000ffffc0000201");
        add(m, Type.DHCID, "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=");
        add(m, Type.TLSA, "3 1 1 0123456789ABCDEF");
        add(m, Type.SMIMEA, "3 1 1 0123456789abcdef0123");
        add(m, Type.HIP, "2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs1.example.com. rvs2.example.com.",
                "2 200100107B1A74DF365639CC39F1D578 AwEAAQ==");
        add(m, Type.CDS, "12345 8 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE", "0 0 0 00");
        add(m, Type.CDNSKEY, "257 3 8 AwEAAQ==", "0 3 0 AA==");
        add(m, Type.OPENPGPKEY, "mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjlqxx5gjtPhb2YhvyDMXjq");
        add(m, Type.ZONEMD, "2018031900 1 1 " + "a3b69bad980a3504e1cffcb0fd6397f93848071c93151f552ae2f6b1711d4bd2d8b39808226d7b9db71e34b72077f8fe",
                "2018031900 1 240 " + "00112233445566778899aabb");
        add(m, Type.SVCB, "1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AAAA ipv6hint=2001:db8::1,::ffff:1.2.3.4 mandatory=alpn,port key65333=ex1 no-default-alpn",
                "0 foo.example.", "16 svc.example. alpn=h\\,2 key7=\"a\\\\b\"");
        add(m, Type.HTTPS, "1 . alpn=h3 ipv6hint=2001:db8::53", "0 example.com.");
        add(m, Type.URI, "10 1 \"https://example.com/path\"", "0 0 \"\"");
        add(m, Type.CAA, "0 issue \"ca.example.net\"", "128 tbs \"Unknown \\\"x\\\"\"");
        add(m, Type.DLV, "12345 8 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE");
        add(m, 1234, "\\# 3 0a0b0c", "\\# 0");
        add(m, 0, "\\# 2 0001");
        add(m, Type.ANY, "\\# 1 ff");
        add(m, Type.EUI48, "\\# 6 00005e0053ff");
        return m;
    }

    private static void add(Map<Integer, List<String>> m, int type, String... texts) {
        m.computeIfAbsent(type, t -> new ArrayList<>()).addAll(List.of(texts));
    }

    /** Records built by dnsjava's constructors (types it has no text parser for: OPT, TKEY, TSIG). */
    static List<Record> builtRecords() throws Exception {
        List<Record> r = new ArrayList<>();
        List<EDNSOption> options = List.of(
                new NSIDOption(new byte[] {1, 2, (byte) 0xAB}),
                new ClientSubnetOption(24, 0, InetAddress.getByName("192.0.2.0")),
                new ClientSubnetOption(56, 0, InetAddress.getByName("2001:db8:1200::")),
                new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new byte[16]),
                new TcpKeepaliveOption(300), new TcpKeepaliveOption(),
                new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED, "blocked by policy"),
                new ExtendedErrorCodeOption(4711), new ExtendedErrorCodeOption(18, "naïve\u0000"),
                new DnssecAlgorithmOption(EDNSOption.Code.DAU, 8, 13, 15, 200),
                new DnssecAlgorithmOption(EDNSOption.Code.DHU, 1, 2, 4, 9),
                new DnssecAlgorithmOption(EDNSOption.Code.N3U, 1, 2),
                new GenericEDNSOption(12, new byte[4]), new GenericEDNSOption(65001, new byte[0]));
        r.add(new OPTRecord(1232, 0, 0, 0x8000, options));
        r.add(new OPTRecord(4096, 1, 0, 0));
        Name alg = Name.fromString("hmac-sha256.");
        r.add(new TKEYRecord(Name.root, DClass.ANY, 0, alg, Instant.ofEpochSecond(1_700_000_000L), Instant.ofEpochSecond(1_800_000_000L),
                TKEYRecord.GSSAPI, 0, new byte[] {1, 2, 3}, new byte[] {4, 5}));
        r.add(new TKEYRecord(Name.root, DClass.ANY, 0, alg, Instant.ofEpochSecond(0), Instant.ofEpochSecond(0xFFFFFFFFL),
                77, 16, null, null));
        r.add(new TSIGRecord(Name.root, DClass.ANY, 0, alg, Instant.ofEpochSecond(1_700_000_000L), Duration.ofSeconds(300),
                new byte[32], 4711, 0, null));
        r.add(new TSIGRecord(Name.root, DClass.ANY, 0, alg, Instant.ofEpochSecond(1_700_000_000L), Duration.ofSeconds(300),
                new byte[] {9}, 1, 18, new byte[] {0, 0, 0x65, 0x53, (byte) 0xF1, 0}));
        r.add(new TSIGRecord(Name.root, DClass.ANY, 0, alg, Instant.ofEpochSecond(0xFFFFFFFFFFFFL), Duration.ofSeconds(0),
                new byte[0], 1, 18, new byte[] {1, 2}));
        r.add(new TSIGRecord(Name.root, DClass.ANY, 0, alg, Instant.ofEpochSecond(1), Duration.ofSeconds(1),
                new byte[] {1}, 1, 17, new byte[] {1, 2, 3}));
        return r;
    }

    /** Every sample as (type, class, ttl, rdata), the seeds of the mutations. */
    private static List<Object[]> seeds() throws Exception {
        List<Object[]> out = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> e : samples().entrySet()) {
            for (String text : e.getValue()) {
                Record r = Record.fromString(Name.root, e.getKey(), DClass.IN, 3600, text, Name.root);
                // RFC 3597 text is the rdata itself (dnsjava cannot write every record it reads: an A6 with an IPv4-mapped suffix)
                byte[] rdata = text.startsWith("\\# ") ? unhex(text.split(" ", 3).length < 3 ? "" : text.split(" ", 3)[2]) : wire(r);
                out.add(new Object[] {e.getKey(), DClass.IN, 3600L, rdata, r.rdataToString()});
            }
        }
        for (Record r : builtRecords()) {
            // the text of what dnsjava reads back from the wire (a built record keeps what its reader drops, e.g. an EDE's final NUL)
            byte[] rdata = wire(r);
            out.add(new Object[] {r.getType(), r.getDClass(), r.getTTL(), rdata, dnsjava(r.getType(), r.getDClass(), r.getTTL(), rdata)});
        }
        return out;
    }

    /** Rdata as on the wire (uncompressed, case kept). */
    private static byte[] wire(Record r) {
        byte[] whole = r.toWire(org.xbill.DNS.Section.ANSWER);
        int nameLen = r.getName().length();
        return java.util.Arrays.copyOfRange(whole, nameLen + 10, whole.length);
    }

    @Test
    void generatedRecordsOfEveryTypeAreWrittenAsDnsjavaWroteThem() throws Exception {
        for (Object[] s : seeds()) {
            int type = (Integer) s[0];
            byte[] rdata = (byte[]) s[3];
            String got = DnsPresentation.rdata(type, (Integer) s[1], (Long) s[2], rdata, 0, rdata.length);
            assertThat(s[4]).as("a valid %s sample", Type.string(type)).isNotNull();
            assertThat(got).as("%s %s", Type.string(type), s[4]).isEqualTo(s[4]).isEqualTo(dnsjava(type, (Integer) s[1], (Long) s[2], rdata));
            assertThat(viaAnswerText(type, (Integer) s[1], (Long) s[2], rdata)).isEqualTo(Type.string(type) + " " + s[4]);
        }
    }

    @Test
    void mutatedRdataOfEveryTypeMatchesDnsjavaIncludingWhatItRejects() throws Exception {
        List<Object[]> seeds = seeds();
        for (Object[] s : seeds) {
            int type = (Integer) s[0], dclass = (Integer) s[1];
            byte[] rdata = (byte[]) s[3];
            for (int cut = 0; cut < rdata.length; cut++) same(type, dclass, (Long) s[2], java.util.Arrays.copyOf(rdata, cut));
            for (int i = 0; i < MUTATIONS; i++) same(type, dclass, ttl(), mutate(rdata));
        }
        assertThat(rejected).as("some mutations must be rejected").isGreaterThan(compared / 10);
        assertThat(compared - rejected).as("and some accepted").isGreaterThan(compared / 10);
    }

    @Test
    void randomRdataOfEveryTypeCodeMatchesDnsjava() {
        for (int type = 0; type <= 0xFFFF; type++) {
            if (isZeekSummary(type)) continue;
            int n = type <= 300 || type >= 32768 && type <= 32770 ? 400 : 1;
            for (int i = 0; i < n; i++) {
                byte[] rdata = new byte[random.nextInt(i % 4 == 0 ? 64 : 12)];
                random.nextBytes(rdata);
                same(type, random.nextInt(8) == 0 ? random.nextInt(0x10000) : DClass.IN, ttl(), rdata);
            }
        }
    }

    @Test
    void edgesDnsjavaHad() throws Exception {
        // NXT: dnsjava counted type bits with a short, so bit 32767 or above made it fail
        for (int bit : new int[] {32766, 32767, 32768, 40000}) {
            byte[] rdata = new byte[1 + bit / 8 + 1];
            rdata[1 + bit / 8] = (byte) (0x80 >>> (bit % 8));
            same(Type.NXT, DClass.IN, 60, rdata);
        }
        // names: 255 bytes is the limit; pointers backwards within the rdata are followed, others are not
        byte[] longName = new byte[256];
        for (int p = 0; p + 64 <= 255; p += 64) longName[p] = 63;
        longName[192] = 62; // 3 x 64 + 63 = 255 with the root
        same(Type.CNAME, DClass.IN, 60, java.util.Arrays.copyOf(longName, 255));
        longName[192] = 63;
        same(Type.CNAME, DClass.IN, 60, longName);
        same(Type.MINFO, DClass.IN, 60, new byte[] {1, 'a', 0, (byte) 0xC0, 0});
        same(Type.MINFO, DClass.IN, 60, new byte[] {1, 'a', 0, 1, 'b', (byte) 0xC0, 0});
        same(Type.MINFO, DClass.IN, 60, new byte[] {1, 'a', 0, (byte) 0xC0, 3});
        same(Type.MINFO, DClass.IN, 60, new byte[] {1, 'a', 0, (byte) 0xC0, 4});
        same(Type.PX, DClass.IN, 60, new byte[] {0, 1, 1, 'a', 0, 1, 'b', (byte) 0xC0, 2});
        same(Type.CNAME, DClass.IN, 60, new byte[] {(byte) 0x40, 0});
        same(Type.CNAME, DClass.IN, 60, new byte[] {(byte) 0x80, 0});
        // TTLs dnsjava refused
        same(Type.A, DClass.IN, 0x7FFFFFFFL, new byte[] {1, 2, 3, 4});
        same(Type.A, DClass.IN, 0x80000000L, new byte[] {1, 2, 3, 4});
        // SVCB: a mandatory key that is absent; a repeated key
        same(Type.SVCB, DClass.IN, 60, new byte[] {0, 1, 0, 0, 0, 2, 0, 3});
        same(Type.SVCB, DClass.IN, 60, new byte[] {0, 1, 0, 0, 3, 0, 2, 0, 1, 0, 3, 0, 2, 0, 2});
        // APL: an IPv4-mapped IPv6 prefix became an IPv4 element (and its prefix length then had to fit)
        same(Type.APL, DClass.IN, 60, new byte[] {0, 2, 24, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 0});
        same(Type.APL, DClass.IN, 60, new byte[] {0, 2, 112, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 0});
        // OPT: client subnet with bits past its prefix, an EDE of one byte, a truncated option
        same(Type.OPT, 512, 0, new byte[] {0, 8, 0, 7, 0, 1, 20, 0, 10, 1, 0x10});
        same(Type.OPT, 512, 0, new byte[] {0, 8, 0, 7, 0, 1, 20, 0, 10, 1, 0x0F});
        same(Type.OPT, 512, 0, new byte[] {0, 15, 0, 1, 0});
        same(Type.OPT, 512, 0, new byte[] {0, 15, 0, 3, 0, 1, 0});
        same(Type.OPT, 512, 0, new byte[] {0, 3, 0, 4, 1, 2});
        assertThat(rejected).isPositive();
    }

    private static boolean isZeekSummary(int type) {
        for (int t : ZEEK_SUMMARIES) if (t == type) return true;
        return false;
    }

    private long ttl() {
        switch (random.nextInt(10)) {
            case 0: return 0x80000000L + random.nextInt(1000);
            case 1: return 0x7FFFFFFFL;
            default: return random.nextInt(100_000);
        }
    }

    /** A few random edits: bytes replaced (by random, 0, label and pointer bytes), inserted, removed, cut. */
    private byte[] mutate(byte[] in) {
        List<Byte> b = new ArrayList<>();
        for (byte x : in) b.add(x);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(6);
            int at = b.isEmpty() ? 0 : random.nextInt(b.size());
            byte v = interesting();
            if (op <= 2 && !b.isEmpty()) b.set(at, v);
            else if (op == 3) b.add(at, v);
            else if (op == 4 && !b.isEmpty()) b.remove(at);
            else if (!b.isEmpty()) b.subList(random.nextInt(b.size()), b.size()).clear();
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        return out;
    }

    private byte interesting() {
        switch (random.nextInt(8)) {
            case 0: return 0;
            case 1: return (byte) 0xC0;
            case 2: return (byte) random.nextInt(64);
            case 3: return (byte) 0xFF;
            case 4: return (byte) (1 + random.nextInt(6));
            default: return (byte) random.nextInt(256);
        }
    }

    /** Compares our text with dnsjava's, with the rdata at a random offset inside a larger buffer. */
    private void same(int type, int dclass, long ttl, byte[] rdata) {
        String want = dnsjava(type, dclass, ttl, rdata);
        int off = random.nextInt(20);
        byte[] buf = new byte[off + rdata.length + random.nextInt(20)];
        random.nextBytes(buf);
        System.arraycopy(rdata, 0, buf, off, rdata.length);
        String got = DnsPresentation.rdata(type, dclass, ttl, buf, off, rdata.length);
        compared++;
        if (want == null) rejected++;
        if (!Objects.equals(want, got)) {
            fail("type %s class %d ttl %d rdata %s: dnsjava %s, ours %s", Type.string(type), dclass, ttl, hex(rdata), want, got);
        }
    }

    /** The full answer text DnsAnswerText writes for RAW rdata of the type. */
    private static String viaAnswerText(int type, int dclass, long ttl, byte[] rdata) {
        DnsEvent ev = new DnsEvent();
        ev.addAnswer(type, dclass, ttl, DnsEvent.RDATA_RAW, rdata, 0, rdata.length);
        return DnsAnswerText.render(ev, 0);
    }

    private static byte[] unhex(String s) {
        String h = s.replace(" ", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x & 0xFF));
        return sb.toString();
    }
}
