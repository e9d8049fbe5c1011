package io.netsensor.events.codec;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.Transport;

/** Fully populated events (every field away from its default) for round-trip tests. */
final class EventFixtures {
    private EventFixtures() {}

    static ConnEvent fullConn() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.OPEN;
        e.endReason = ConnEvent.EndReason.EVICTED;
        e.flowId = 0x8123_4567_89AB_CDEFL;
        e.startNanos = 1_700_000_000_123_456_789L;
        e.endNanos = 1_700_000_042_987_654_321L;
        e.transport = Transport.UDP;
        long[] orig = Ip.parse("2001:db8:85a3::8a2e:370:7334");
        long[] resp = Ip.parse("fe80::1ff:fe23:4567:890a");
        e.origIpHi = orig[0];
        e.origIpLo = orig[1];
        e.respIpHi = resp[0];
        e.respIpLo = resp[1];
        e.origPort = 65535;
        e.respPort = 443;
        e.direction = Direction.EXTERNAL;
        e.state = ConnState.RSTRH;
        e.origPkts = Long.MAX_VALUE;
        e.origBytes = 1L << 40;
        e.origIpBytes = (1L << 40) + 20;
        e.respPkts = 7;
        e.respBytes = -1; // out-of-range values survive bit-exact
        e.respIpBytes = 123_456_789_012L;
        e.setHistory("ShADadFfRrTtWwIiQqCcGgNnXx^ShADa");
        e.vlan = 4094;
        e.innerVlan = 100;
        e.origMac = 0xFFFF_FFFF_FFFFL;
        e.respMac = 0x0200_5E10_0001L;
        e.pid = Integer.MAX_VALUE;
        e.processStartNanos = 1_699_999_999_990_000_000L;
        e.processEntityId = 0xF00D_CAFE_1234_5678L;
        e.attribution = Attribution.DROPPED;
        return e;
    }

    static ProcessEvent fullProcess() {
        ProcessEvent e = new ProcessEvent();
        e.tsNanos = 1_700_000_002_000_000_003L;
        e.entityId = 0x8000_0000_0000_0001L;
        e.pid = 4_194_303;
        e.ppid = 1;
        e.startNanos = 1_699_000_000_120_000_000L;
        e.uid = 65534;
        e.setStrings("n".repeat(ProcessEvent.MAX_USER), "a b(c) d", "/usr/lib/\u00e9t\u00e9/" + "x".repeat(2000),
                "c".repeat(ProcessEvent.MAX_COMMAND_LINE + 5));
        e.setContainer("0123456789abcdef".repeat(4), 0x0123_4567_89AB_CDEFL);
        return e;
    }

    static DnsEvent fullDns() {
        DnsEvent e = new DnsEvent();
        e.tsNanos = 1_700_000_001_000_000_001L;
        e.rttNanos = 12_345_678;
        e.transport = Transport.TCP;
        long[] c = Ip.parse("2a00:1450:4007:80f::200e");
        long[] s = Ip.parse("2001:4860:4860::8888");
        e.clientIpHi = c[0];
        e.clientIpLo = c[1];
        e.serverIpHi = s[0];
        e.serverIpLo = s[1];
        e.clientPort = 54321;
        e.serverPort = 53;
        e.direction = Direction.INBOUND;
        e.transId = 0xFFFF;
        e.opcode = 15;
        e.qtype = 65535;
        e.qclass = 255;
        e.rcode = 4095;
        e.flags = DnsEvent.FLAG_AA | DnsEvent.FLAG_TC | DnsEvent.FLAG_RD | DnsEvent.FLAG_RA | DnsEvent.FLAG_Z
                | DnsEvent.FLAG_AD | DnsEvent.FLAG_CD;
        e.queried = true;
        e.responded = true;
        e.queryCount = 3;
        StringBuilder name = new StringBuilder();
        while (name.length() < DnsEvent.MAX_NAME) name.append("Ab\\001-z.");
        e.setQname(name.substring(0, DnsEvent.MAX_NAME));
        e.ancount = 65535;
        e.nscount = 2;
        e.arcount = 1;
        byte[] data = new byte[DnsEvent.ANSWER_DATA_CAPACITY];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
        int per = DnsEvent.ANSWER_DATA_CAPACITY / DnsEvent.MAX_ANSWERS;
        for (int i = 0; i < DnsEvent.MAX_ANSWERS; i++) {
            e.addAnswer(1 + i * 1000, i == 0 ? 254 : 1, 0xFFFF_FFFFL - i, (byte) (i % 4), data, i * per, per - (i % 3));
        }
        e.answersTruncated = true;
        e.clientMac = 0x0A0B_0C0D_0E0FL;
        e.vlan = 12;
        e.pid = 4_194_304;
        e.processStartNanos = 1_600_000_000_010_000_000L;
        e.processEntityId = -2;
        e.attribution = Attribution.RESOLVED;
        return e;
    }
}
