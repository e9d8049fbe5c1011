package io.netsensor.sinks.hec;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.Severity;
import io.netsensor.events.Transport;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
import io.netsensor.testkit.events.Times;

/** Records for sink tests; times start at 2023-11-14T22:13:20.123456789Z. */
final class Records {
    /** The kit's time base with a sub-second part, so documents show their fractions. */
    static final long T0 = Times.T0 + 123_456_789L;

    private Records() {}

    /** A finished TCP flow; {@code flowId} is in the document as netsensor.flow_id (hex). */
    static ConnEvent conn(ConnEvent e, long flowId) {
        e.clear();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.transport = Transport.TCP;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.SF;
        e.flowId = flowId;
        e.origIpHi = Ip.V4_HI;
        e.origIpLo = Ip.v4Lo(0x0a000001);
        e.origPort = 40000 + (int) (flowId % 20000);
        e.respIpHi = Ip.V4_HI;
        e.respIpLo = Ip.v4Lo(0xc6336407); // 198.51.100.7
        e.respPort = 443;
        e.origPkts = 10;
        e.respPkts = 8;
        e.origIpBytes = 1200;
        e.respIpBytes = 5400;
        e.setHistory("ShADadFf");
        e.startNanos = T0 + flowId * 1_000_000L;
        e.endNanos = e.startNanos + 2_000_000_000L;
        return e;
    }

    static DnsEvent dns(String name) {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0;
        e.clientIpHi = Ip.V4_HI;
        e.clientIpLo = Ip.v4Lo(0x0a000001);
        e.clientPort = 53000;
        e.serverIpHi = Ip.V4_HI;
        e.serverIpLo = Ip.v4Lo(0x01010101);
        e.serverPort = 53;
        e.transId = 4242;
        e.qtype = 1;
        e.qclass = 1;
        e.rcode = 0;
        e.queried = true;
        e.responded = true;
        e.queryCount = 1;
        e.rttNanos = 3_000_000;
        e.setQname(name);
        return e;
    }

    static Alert alert(String id) {
        Alert.Draft d = new Alert.Draft();
        d.id = id;
        d.detector = DetectorKind.BEACON;
        d.severity = Severity.HIGH;
        d.score = 0.91;
        d.hostIp = "10.0.0.1";
        d.remoteIp = "198.51.100.7";
        d.remotePort = 8443;
        d.firstSeenNanos = T0 - 3_600_000_000_000L;
        d.lastSeenNanos = T0;
        d.count = 60;
        d.evidence.put("period_s", 60.0);
        d.summary = "periodic connections every ~60 s to 198.51.100.7:8443";
        return d.build();
    }

    /** Appends flows [from, to) to the journal. */
    static void journal(Journal journal, long from, long to) {
        JournalWriter w = journal.writer();
        ConnEvent e = new ConnEvent();
        for (long i = from; i < to; i++) w.onConn(conn(e, i));
        w.close();
    }
}
