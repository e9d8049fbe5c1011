package io.netsensor.testkit.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Valid DNS messages built with dnsjava (a real encoder, with name compression), for parser, tracker and
 * replay tests: {@code DnsMessages.response(7, "example.com", A, a("example.com", "192.0.2.7")).toWire()}.
 * Queries ask for recursion; responses echo the question, set QR and RA and carry the answers given.
 */
public final class DnsMessages {
    public static final int A = Type.A, AAAA = Type.AAAA;

    private DnsMessages() {}

    public static Message query(int id, String qname, int qtype) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.RD);
        m.addRecord(Record.newRecord(name(qname), qtype, DClass.IN), Section.QUESTION);
        return m;
    }

    public static Message response(int id, String qname, int qtype, Record... answers) {
        return response(id, qname, qtype, Rcode.NOERROR, answers);
    }

    public static Message response(int id, String qname, int qtype, int rcode, Record... answers) {
        Message m = query(id, qname, qtype);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        for (Record r : answers) m.addRecord(r, Section.ANSWER);
        return m;
    }

    /** An A record, TTL 300 s. */
    public static Record a(String owner, String ip) {
        return a(owner, ip, 300);
    }

    public static Record a(String owner, String ip, long ttl) {
        return new ARecord(name(owner), DClass.IN, ttl, addr(ip));
    }

    /** An AAAA record, TTL 600 s. */
    public static Record aaaa(String owner, String ip) {
        return new AAAARecord(name(owner), DClass.IN, 600, addr(ip));
    }

    /** A CNAME record, TTL 3600 s. */
    public static Record cname(String owner, String target) {
        return cname(owner, target, 3600);
    }

    public static Record cname(String owner, String target, long ttl) {
        return new CNAMERecord(name(owner), DClass.IN, ttl, name(target));
    }

    public static Record mx(String owner, int pref, String target) {
        return new MXRecord(name(owner), DClass.IN, 7200, pref, name(target));
    }

    public static Record txt(String owner, String... strings) {
        return new TXTRecord(name(owner), DClass.IN, 60, List.of(strings));
    }

    public static Record soa(String zone) {
        return new SOARecord(name(zone), DClass.IN, 900, name("ns1." + zone), name("hostmaster." + zone),
                2024010101L, 7200, 3600, 1209600, 300);
    }

    /** RFC 7766 framing (DNS over TCP): the message prefixed by its 2-byte length. */
    public static byte[] tcpFramed(byte[] message) {
        byte[] b = new byte[message.length + 2];
        b[0] = (byte) (message.length >>> 8);
        b[1] = (byte) message.length;
        System.arraycopy(message, 0, b, 2, message.length);
        return b;
    }

    /** A selection of valid messages covering each rdata encoding, compression, EDNS and NXDOMAIN. */
    public static List<byte[]> corpus() {
        Message nx = response(7, "nope.example.org", Type.A);
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        nx.addRecord(soa("example.org"), Section.AUTHORITY);
        Message edns = response(8, "example.net", Type.AAAA, aaaa("example.net", "2001:db8::1"));
        edns.addRecord(new OPTRecord(1232, 1, 0), Section.ADDITIONAL); // extended rcode 16 (BADVERS)
        return List.of(
                query(1, "www.example.com", Type.A).toWire(),
                response(2, "WwW.ExAmple.COM", Type.A, cname("WwW.ExAmple.COM", "edge.example.net"),
                        cname("edge.example.net", "e1.cdn.example.net"), a("e1.cdn.example.net", "192.0.2.7"),
                        a("e1.cdn.example.net", "192.0.2.8")).toWire(),
                response(3, "example.com", Type.MX, mx("example.com", 10, "mail.example.com"),
                        mx("example.com", 20, "backup.mail.example.com")).toWire(),
                response(4, "t.example.com", Type.TXT, txt("t.example.com", "v=spf1 -all", "second string")).toWire(),
                response(5, "v6.example.com", Type.AAAA, aaaa("v6.example.com", "2001:db8::53")).toWire(),
                response(6, "example.org", Type.SOA, soa("example.org")).toWire(),
                nx.toWire(),
                edns.toWire());
    }

    /** A fully qualified name ("example.com" and "example.com." alike). */
    public static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A literal address (no lookup happens). */
    public static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
