package io.netsensor.journal;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.Transport;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * The records of the golden journal (src/test/resources/golden) and a text dump of every field of a
 * decoded record. {@link GoldenJournalMain} wrote the journal from these records and the expected dump
 * from the same values; {@link GoldenJournalTest} reads the committed journal back and compares dumps,
 * so the expectation is fixed in the committed expected.txt, not recomputed from this class.
 */
final class GoldenRecords {
    static final long T0 = 1_700_000_000_000_000_000L; // 2023-11-14T22:13:20Z

    private GoldenRecords() {}

    static ProcessEvent curl() {
        ProcessEvent e = new ProcessEvent();
        e.tsNanos = T0 + 1_000;
        e.entityId = 0x1111_2222_3333_4444L;
        e.pid = 4242;
        e.ppid = 1;
        e.startNanos = T0 - 5_000_000_000L;
        e.uid = 1000;
        e.setStrings("alice", "curl", "/usr/bin/curl", "curl -s https://example.org/");
        return e;
    }

    static ProcessEvent sshd() {
        ProcessEvent e = new ProcessEvent();
        e.tsNanos = T0 + 4_000;
        e.entityId = -0x0123_4567_89AB_CDEFL;
        e.pid = 77;
        e.ppid = 0;
        e.startNanos = 0;
        e.uid = -1; // unknown uid, no user name
        e.setStrings(null, "sshd", "/opt/\u00e9t\u00e9/sshd", "sshd: bob [priv] \u2013 \u4e2d\u6587");
        return e;
    }

    static ProcessEvent daemon() {
        ProcessEvent e = new ProcessEvent();
        e.tsNanos = T0 + 1_000_000_000L + 3_000;
        e.entityId = 0x7FFF_FFFF_FFFF_FFFFL;
        e.pid = 4_194_303;
        e.ppid = 4_194_302;
        e.startNanos = T0 + 999_000_000L;
        e.uid = 0;
        e.setStrings("root", "", "", ""); // empty strings (kernel thread)
        return e;
    }

    static ConnEvent connOpen() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.OPEN;
        e.endReason = ConnEvent.EndReason.OPEN;
        e.flowId = 0x0F1E_2D3C_4B5A_6978L;
        e.startNanos = T0 + 2_000;
        e.endNanos = T0 + 2_500;
        e.transport = Transport.TCP;
        e.origIpLo = Ip.v4Lo(0x0A00_0005); // 10.0.0.5
        e.respIpLo = Ip.v4Lo(0x5DB8_D822); // 93.184.216.34
        e.origPort = 51000;
        e.respPort = 443;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.S1;
        e.origPkts = 2;
        e.origBytes = 0;
        e.origIpBytes = 104;
        e.respPkts = 1;
        e.respBytes = 0;
        e.respIpBytes = 60;
        e.setHistory("ShA");
        e.origMac = 0x0200_0000_0005L;
        e.respMac = 0x0200_0000_0001L;
        e.pid = 4242;
        e.processStartNanos = T0 - 5_000_000_000L;
        e.processEntityId = 0x1111_2222_3333_4444L;
        e.attribution = Attribution.RESOLVED;
        return e;
    }

    static ConnEvent connFinV6() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.flowId = -2;
        e.startNanos = T0 + 5_000;
        e.endNanos = T0 + 900_000_000L;
        e.transport = Transport.TCP;
        long[] o = Ip.parse("2001:db8::7"), r = Ip.parse("fe80::1ff:fe23:4567:890a");
        e.origIpHi = o[0];
        e.origIpLo = o[1];
        e.respIpHi = r[0];
        e.respIpLo = r[1];
        e.origPort = 65535;
        e.respPort = 22;
        e.direction = Direction.INBOUND;
        e.state = ConnState.SF;
        e.origPkts = 40;
        e.origBytes = 4_096;
        e.origIpBytes = 6_000;
        e.respPkts = 38;
        e.respBytes = 1L << 33;
        e.respIpBytes = (1L << 33) + 2_000;
        e.setHistory("ShADadFf");
        e.vlan = 4094;
        e.innerVlan = 7;
        e.origMac = 0xFFFF_FFFF_FFFFL;
        e.respMac = 0x0200_5E10_0001L;
        e.attribution = Attribution.NO_PERMISSION;
        return e;
    }

    static ConnEvent connUdpIdle() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.IDLE;
        e.flowId = 123_456_789L;
        e.startNanos = T0 + 1_000_000_000L;
        e.endNanos = T0 + 1_000_000_000L + 60_000_000_000L;
        e.transport = Transport.UDP;
        e.origIpLo = Ip.v4Lo(0xC0A8_0102); // 192.168.1.2
        e.respIpLo = Ip.v4Lo(0x0808_0808);
        e.origPort = 5353;
        e.respPort = 123;
        e.direction = Direction.EXTERNAL;
        e.state = ConnState.S0;
        e.origPkts = 1;
        e.origBytes = 48;
        e.origIpBytes = 76;
        e.setHistory("D");
        e.vlan = 12;
        e.attribution = Attribution.NOT_LOCAL;
        return e;
    }

    static ConnEvent connRst() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.RST;
        e.flowId = Long.MIN_VALUE;
        e.startNanos = T0 + 1_000_000_000L + 10_000;
        e.endNanos = T0 + 1_000_000_000L + 20_000;
        e.transport = Transport.TCP;
        e.origIpLo = Ip.v4Lo(0x0A00_0005);
        e.respIpLo = Ip.v4Lo(0x0A00_0009);
        e.origPort = 40000;
        e.respPort = 6667;
        e.direction = Direction.INTERNAL;
        e.state = ConnState.REJ;
        e.origPkts = 1;
        e.origIpBytes = 60;
        e.respPkts = 1;
        e.respIpBytes = 40;
        e.setHistory("Sr");
        e.pid = 4_194_303;
        e.processStartNanos = T0 + 999_000_000L;
        e.processEntityId = 0x7FFF_FFFF_FFFF_FFFFL;
        e.attribution = Attribution.RESOLVED;
        return e;
    }

    /** Source of the version-1 CONN record (attribution is not in version 1). */
    static ConnEvent connEvictedV1() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.EVICTED;
        e.flowId = 42;
        e.startNanos = T0 + 1_000_000_000L + 30_000;
        e.endNanos = T0 + 1_000_000_000L + 40_000;
        e.transport = Transport.TCP;
        e.origIpLo = Ip.v4Lo(0x0A00_0006);
        e.respIpLo = Ip.v4Lo(0xC633_6407); // 198.51.100.7
        e.origPort = 33333;
        e.respPort = 8443;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.OTH;
        e.origPkts = 3;
        e.origBytes = 300;
        e.origIpBytes = 420;
        e.respPkts = 2;
        e.respBytes = 200;
        e.respIpBytes = 280;
        e.setHistory("ShADadFfRrTtWwIiQqCcGgNnXx^ShADa"); // 32 letters, the maximum
        e.origMac = 0x0200_0000_0006L;
        e.respMac = 0x0200_0000_0001L;
        return e;
    }

    static DnsEvent dnsA() {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0 + 3_000;
        e.rttNanos = 12_345_678;
        e.transport = Transport.UDP;
        e.clientIpLo = Ip.v4Lo(0x0A00_0005);
        e.serverIpLo = Ip.v4Lo(0x0101_0101);
        e.clientPort = 40001;
        e.serverPort = 53;
        e.direction = Direction.OUTBOUND;
        e.transId = 0xBEEF;
        e.opcode = 0;
        e.qtype = 1;
        e.qclass = 1;
        e.rcode = 0;
        e.flags = DnsEvent.FLAG_RD | DnsEvent.FLAG_RA;
        e.queried = true;
        e.responded = true;
        e.queryCount = 1;
        e.setQname("example.org");
        e.ancount = 1;
        e.addAnswer(1, 1, 3600, DnsEvent.RDATA_ADDRESS, new byte[] {93, (byte) 184, (byte) 216, 34}, 0, 4);
        e.clientMac = 0x0200_0000_0005L;
        e.pid = 4242;
        e.processStartNanos = T0 - 5_000_000_000L;
        e.processEntityId = 0x1111_2222_3333_4444L;
        e.attribution = Attribution.RESOLVED;
        return e;
    }

    static DnsEvent dnsCnameAaaaMx() {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0 + 6_000;
        e.rttNanos = 999;
        e.transport = Transport.TCP;
        long[] c = Ip.parse("2001:db8::7"), s = Ip.parse("2606:4700:4700::1111");
        e.clientIpHi = c[0];
        e.clientIpLo = c[1];
        e.serverIpHi = s[0];
        e.serverIpLo = s[1];
        e.clientPort = 50123;
        e.serverPort = 53;
        e.direction = Direction.OUTBOUND;
        e.transId = 1;
        e.opcode = 0;
        e.qtype = 28;
        e.qclass = 1;
        e.rcode = 0;
        e.flags = DnsEvent.FLAG_RD | DnsEvent.FLAG_RA | DnsEvent.FLAG_AD;
        e.queried = true;
        e.responded = true;
        e.queryCount = 2;
        e.setQname("www.Example.COM");
        byte[] cname = "edge.example.net".getBytes(StandardCharsets.US_ASCII);
        e.addAnswer(5, 1, 300, DnsEvent.RDATA_NAME, cname, 0, cname.length);
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 0x42;
        e.addAnswer(28, 1, 0xFFFF_FFFFL, DnsEvent.RDATA_ADDRESS, v6, 0, 16);
        byte[] host = "mx.example.net".getBytes(StandardCharsets.US_ASCII);
        byte[] mx = new byte[2 + host.length]; // preference 10, then the name
        mx[1] = 10;
        System.arraycopy(host, 0, mx, 2, host.length);
        e.addAnswer(15, 1, 60, DnsEvent.RDATA_MX, mx, 0, mx.length);
        byte[] raw = {0, 1, 2, (byte) 0xFF};
        e.addAnswer(99, 3, 0, DnsEvent.RDATA_RAW, raw, 0, raw.length);
        e.ancount = 4;
        e.nscount = 1;
        e.arcount = 2;
        e.vlan = 100;
        e.attribution = Attribution.PENDING;
        return e;
    }

    static DnsEvent dnsNxdomain() {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0 + 1_000_000_000L + 5_000;
        e.rttNanos = 40_000_000;
        e.transport = Transport.UDP;
        e.clientIpLo = Ip.v4Lo(0xC0A8_0102);
        e.serverIpLo = Ip.v4Lo(0xC0A8_0101);
        e.clientPort = 1;
        e.serverPort = 53;
        e.direction = Direction.INTERNAL;
        e.transId = 0;
        e.opcode = 0;
        e.qtype = 16;
        e.qclass = 1;
        e.rcode = 3;
        e.flags = DnsEvent.FLAG_RD | DnsEvent.FLAG_RA;
        e.queried = true;
        e.responded = true;
        e.queryCount = 1;
        e.setQname("qxkzjvw3l.example");
        e.nscount = 1;
        e.clientMac = 0x0200_0000_0102L;
        e.attribution = Attribution.NO_SOCKET;
        return e;
    }

    static DnsEvent dnsUnanswered() {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0 + 1_000_000_000L + 6_000;
        e.rttNanos = -1;
        e.transport = Transport.UDP;
        e.clientIpLo = Ip.v4Lo(0x0A00_0005);
        e.serverIpLo = Ip.v4Lo(0x0808_0404);
        e.clientPort = 40002;
        e.serverPort = 53;
        e.direction = Direction.OUTBOUND;
        e.transId = 0x1234;
        e.opcode = 2;
        e.qtype = 255;
        e.qclass = 255;
        e.rcode = -1;
        e.flags = DnsEvent.FLAG_RD;
        e.queried = true;
        e.responded = false;
        e.queryCount = 3;
        e.setQname("lost.example");
        e.attribution = Attribution.DROPPED;
        return e;
    }

    /** Source of the version-1 DNS record (attribution is not in version 1). */
    static DnsEvent dnsTruncatedV1() {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0 + 1_000_000_000L + 50_000;
        e.rttNanos = 5;
        e.transport = Transport.UDP;
        e.clientIpLo = Ip.v4Lo(0x0A00_0006);
        e.serverIpLo = Ip.v4Lo(0x0101_0101);
        e.clientPort = 40003;
        e.serverPort = 53;
        e.direction = Direction.OUTBOUND;
        e.transId = 7;
        e.qtype = 1;
        e.qclass = 1;
        e.rcode = 0;
        e.flags = DnsEvent.FLAG_TC | DnsEvent.FLAG_RD | DnsEvent.FLAG_RA;
        e.queried = true;
        e.responded = true;
        e.queryCount = 1;
        e.setQname("many.example");
        for (int i = 0; i < 2; i++) {
            e.addAnswer(1, 1, 30 + i, DnsEvent.RDATA_ADDRESS, new byte[] {10, 1, 2, (byte) (3 + i)}, 0, 4);
        }
        e.answersTruncated = true;
        e.ancount = 40;
        return e;
    }

    /** What a version-1 record reads as: the record without attribution. */
    static ConnEvent asV1(ConnEvent in) {
        ConnEvent e = new ConnEvent();
        e.copyFrom(in);
        e.pid = 0;
        e.processStartNanos = e.processEntityId = 0;
        e.attribution = Attribution.UNKNOWN;
        return e;
    }

    static DnsEvent asV1(DnsEvent in) {
        DnsEvent e = new DnsEvent();
        e.copyFrom(in);
        e.pid = 0;
        e.processStartNanos = e.processEntityId = 0;
        e.attribution = Attribution.UNKNOWN;
        return e;
    }

    // ---- dump: every field, by name, in a stable text form ----

    static String dump(ConnEvent e) {
        StringJoiner j = new StringJoiner(" ", "CONN ", "");
        j.add("phase=" + e.phase).add("endReason=" + e.endReason).add("flowId=" + e.flowId)
                .add("startNanos=" + e.startNanos).add("endNanos=" + e.endNanos).add("transport=" + e.transport)
                .add("origIpHi=" + e.origIpHi).add("origIpLo=" + e.origIpLo).add("origPort=" + e.origPort)
                .add("respIpHi=" + e.respIpHi).add("respIpLo=" + e.respIpLo).add("respPort=" + e.respPort)
                .add("direction=" + e.direction).add("state=" + e.state)
                .add("origPkts=" + e.origPkts).add("origBytes=" + e.origBytes).add("origIpBytes=" + e.origIpBytes)
                .add("respPkts=" + e.respPkts).add("respBytes=" + e.respBytes).add("respIpBytes=" + e.respIpBytes)
                .add("history=" + hex(e.history, 0, e.historyLen)).add("historyLen=" + e.historyLen)
                .add("vlan=" + e.vlan).add("innerVlan=" + e.innerVlan).add("origMac=" + e.origMac).add("respMac=" + e.respMac)
                .add("pid=" + e.pid).add("processStartNanos=" + e.processStartNanos)
                .add("processEntityId=" + e.processEntityId).add("attribution=" + e.attribution)
                .add("names=" + names(e.names));
        return j + " # " + Ip.toString(e.origIpHi, e.origIpLo) + " -> " + Ip.toString(e.respIpHi, e.respIpLo)
                + " " + e.historyString();
    }

    /** DNS|SNI|Host|User-Agent as text, "-" for none (records before version 3 have none). */
    private static String names(io.netsensor.events.ConnNames n) {
        if (n.isEmpty()) return "-";
        StringJoiner j = new StringJoiner("|");
        for (int i = 0; i < io.netsensor.events.ConnNames.COUNT; i++) j.add(n.text(i) == null ? "" : n.text(i));
        return j.toString();
    }

    static String dump(DnsEvent e) {
        StringJoiner j = new StringJoiner(" ", "DNS ", "");
        j.add("tsNanos=" + e.tsNanos).add("rttNanos=" + e.rttNanos).add("transport=" + e.transport)
                .add("clientIpHi=" + e.clientIpHi).add("clientIpLo=" + e.clientIpLo).add("clientPort=" + e.clientPort)
                .add("serverIpHi=" + e.serverIpHi).add("serverIpLo=" + e.serverIpLo).add("serverPort=" + e.serverPort)
                .add("direction=" + e.direction).add("transId=" + e.transId).add("opcode=" + e.opcode)
                .add("qtype=" + e.qtype).add("qclass=" + e.qclass).add("rcode=" + e.rcode).add("flags=" + e.flags)
                .add("queried=" + e.queried).add("responded=" + e.responded).add("queryCount=" + e.queryCount)
                .add("qname=" + hex(e.qname, 0, e.qnameLen)).add("qnameLen=" + e.qnameLen)
                .add("answerCount=" + e.answerCount).add("answersTruncated=" + e.answersTruncated)
                .add("ancount=" + e.ancount).add("nscount=" + e.nscount).add("arcount=" + e.arcount);
        StringJoiner type = new StringJoiner(","), cls = new StringJoiner(","), ttl = new StringJoiner(","),
                enc = new StringJoiner(","), off = new StringJoiner(","), len = new StringJoiner(",");
        for (int i = 0; i < e.answerCount; i++) {
            type.add(Integer.toString(e.answerType[i]));
            cls.add(Integer.toString(e.answerClass[i]));
            ttl.add(Long.toString(e.answerTtl[i]));
            enc.add(Byte.toString(e.answerEncoding[i]));
            off.add(Integer.toString(e.answerOffset[i]));
            len.add(Integer.toString(e.answerLength[i]));
        }
        j.add("answerType=" + type).add("answerClass=" + cls).add("answerTtl=" + ttl).add("answerEncoding=" + enc)
                .add("answerOffset=" + off).add("answerLength=" + len)
                .add("answerData=" + hex(e.answerData, 0, e.answerDataLen)).add("answerDataLen=" + e.answerDataLen)
                .add("clientMac=" + e.clientMac).add("vlan=" + e.vlan)
                .add("pid=" + e.pid).add("processStartNanos=" + e.processStartNanos)
                .add("processEntityId=" + e.processEntityId).add("attribution=" + e.attribution);
        return j + " # " + e.qnameString();
    }

    static String dump(ProcessEvent e) {
        StringJoiner j = new StringJoiner(" ", "PROCESS ", "");
        j.add("tsNanos=" + e.tsNanos).add("entityId=" + e.entityId).add("pid=" + e.pid).add("ppid=" + e.ppid)
                .add("startNanos=" + e.startNanos).add("uid=" + e.uid)
                .add("user=" + hex(e.user, 0, e.userLen)).add("userLen=" + e.userLen)
                .add("name=" + hex(e.name, 0, e.nameLen)).add("nameLen=" + e.nameLen)
                .add("executable=" + hex(e.executable, 0, e.executableLen)).add("executableLen=" + e.executableLen)
                .add("commandLine=" + hex(e.commandLine, 0, e.commandLineLen)).add("commandLineLen=" + e.commandLineLen)
                .add("cgroupId=" + e.cgroupId)
                .add("containerId=" + hex(e.containerId, 0, e.containerIdLen)).add("containerIdLen=" + e.containerIdLen);
        return j + " # " + e.name() + " " + e.executable();
    }

    private static String hex(byte[] b, int off, int len) {
        return len == 0 ? "-" : HexFormat.of().formatHex(b, off, off + len);
    }
}
