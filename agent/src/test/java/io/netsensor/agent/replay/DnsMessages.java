package io.netsensor.agent.replay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** DNS wire messages built with dnsjava (a real encoder, with name compression). */
final class DnsMessages {
    private DnsMessages() {}

    static byte[] query(int id, String qname, int qtype) {
        return queryMessage(id, qname, qtype).toWire();
    }

    static byte[] response(int id, String qname, int qtype, Record... answers) {
        return response(id, qname, qtype, Rcode.NOERROR, answers);
    }

    static byte[] response(int id, String qname, int qtype, int rcode, Record... answers) {
        Message m = queryMessage(id, qname, qtype);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        for (Record r : answers) m.addRecord(r, Section.ANSWER);
        return m.toWire();
    }

    static Record a(String owner, String ip) {
        return new ARecord(name(owner), DClass.IN, 300, addr(ip));
    }

    static Record aaaa(String owner, String ip) {
        return new AAAARecord(name(owner), DClass.IN, 600, addr(ip));
    }

    static Record cname(String owner, String target) {
        return new CNAMERecord(name(owner), DClass.IN, 3600, name(target));
    }

    /** RFC 7766 framing: the message prefixed by its 2-byte length. */
    static byte[] tcpFramed(byte[] message) {
        byte[] b = new byte[message.length + 2];
        b[0] = (byte) (message.length >>> 8);
        b[1] = (byte) message.length;
        System.arraycopy(message, 0, b, 2, message.length);
        return b;
    }

    private static Message queryMessage(int id, String qname, int qtype) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.RD);
        m.addRecord(Record.newRecord(name(qname), qtype, DClass.IN), Section.QUESTION);
        return m;
    }

    static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip); // literal addresses only: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final int A = Type.A, AAAA = Type.AAAA;
}
