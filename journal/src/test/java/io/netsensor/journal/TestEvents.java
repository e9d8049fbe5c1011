package io.netsensor.journal;

import static io.netsensor.testkit.events.Times.T0;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import io.netsensor.events.codec.EventCodec;

import java.nio.ByteBuffer;

/**
 * Deterministic mixed events numbered by a sequence number: event {@code seq} has event time
 * {@code T0 + seq * STEP_NANOS} (T0: the test kit's time base), so a reader can tell which event it got
 * and compare it with a freshly generated copy. Two of three are connections, one of three DNS transactions.
 */
final class TestEvents {
    static final long STEP_NANOS = 1_000_000L;
    private static final byte[] DATA = new byte[64];

    static {
        for (int i = 0; i < DATA.length; i++) DATA[i] = (byte) (i * 13 + 1);
    }

    private final ConnEvent conn = new ConnEvent();
    private final DnsEvent dns = new DnsEvent();

    static long timeOf(long seq) {
        return T0 + seq * STEP_NANOS;
    }

    static boolean isConn(long seq) {
        return seq % 3 != 2;
    }

    /** Writes event {@code seq} to the handler (reusing this generator's records). */
    void emit(long seq, EventHandler h) {
        if (isConn(seq)) h.onConn(conn(seq));
        else h.onDns(dns(seq));
    }

    ConnEvent conn(long seq) {
        ConnEvent e = conn;
        e.clear();
        e.phase = seq % 2 == 0 ? ConnEvent.Phase.END : ConnEvent.Phase.OPEN;
        e.endReason = ConnEvent.EndReason.values()[(int) (seq % ConnEvent.EndReason.values().length)];
        e.flowId = seq * 0x9E37_79B9_7F4A_7C15L;
        e.endNanos = timeOf(seq);
        e.startNanos = e.endNanos - seq % 10_000;
        e.transport = seq % 5 == 0 ? Transport.UDP : Transport.TCP;
        if (seq % 4 == 0) {
            e.origIpHi = 0x2001_0db8_0000_0000L | seq;
            e.origIpLo = ~seq;
            e.respIpHi = 0x2a00_1450_0000_0000L;
            e.respIpLo = seq * 31;
        } else {
            e.origIpLo = Ip.v4Lo(0x0A00_0000 | (int) (seq & 0xFFFFFF));
            e.respIpLo = Ip.v4Lo(0xC633_6400 | (int) (seq & 0xFF));
        }
        e.origPort = (int) (1024 + seq % 60_000);
        e.respPort = seq % 7 == 0 ? 53 : 443;
        e.direction = Direction.ofCode((int) (seq % 4));
        e.state = ConnState.ofCode((int) (seq % ConnState.values().length));
        e.origPkts = seq;
        e.origBytes = seq * 100;
        e.origIpBytes = seq * 140;
        e.respPkts = seq / 2;
        e.respBytes = seq * 1000;
        e.respIpBytes = seq * 1040;
        e.setHistory("ShADadFf".substring(0, (int) (seq % 9)));
        e.vlan = (int) (seq % 4095);
        e.origMac = seq & 0xFFFF_FFFF_FFFFL;
        e.respMac = ~seq & 0xFFFF_FFFF_FFFFL;
        return e;
    }

    DnsEvent dns(long seq) {
        DnsEvent e = dns;
        e.clear();
        e.tsNanos = timeOf(seq);
        e.rttNanos = seq % 11 == 0 ? -1 : seq % 50_000_000;
        e.transport = seq % 13 == 0 ? Transport.TCP : Transport.UDP;
        e.clientIpLo = Ip.v4Lo(0xC0A8_0000 | (int) (seq & 0xFFFF));
        e.serverIpHi = seq % 2 == 0 ? 0x2606_4700_4700_0000L : 0;
        e.serverIpLo = seq % 2 == 0 ? 0x1111 : Ip.v4Lo(0x0101_0101);
        e.clientPort = (int) (seq % 65_536);
        e.serverPort = 53;
        e.transId = (int) (seq & 0xFFFF);
        e.qtype = (int) (1 + seq % 30);
        e.qclass = 1;
        e.rcode = seq % 11 == 0 ? -1 : (int) (seq % 6);
        e.flags = (int) (seq & 0x7F);
        e.queried = seq % 17 != 0;
        e.responded = seq % 11 != 0;
        e.queryCount = (int) (1 + seq % 3);
        e.setQname("host-" + seq + ".sub" + (seq % 97) + ".example.org");
        int answers = (int) (seq % 5);
        for (int i = 0; i < answers; i++) {
            e.addAnswer(i == 0 ? 1 : 5, 1, 300 + i, i == 0 ? DnsEvent.RDATA_ADDRESS : DnsEvent.RDATA_NAME,
                    DATA, i, i == 0 ? 4 : 10 + i);
        }
        e.ancount = answers;
        e.clientMac = seq;
        e.vlan = (int) (seq % 100);
        return e;
    }

    /** Checks that it receives events seq, seq+1, ... exactly as generated. */
    static final class Checker implements EventHandler {
        private final TestEvents expected = new TestEvents();
        private final ByteBuffer a = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        private final ByteBuffer b = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        /** Events that differ from the generated ones; jumps in the sequence (order, loss). */
        long firstSeq = -1, lastSeq = -1, nextSeq = -1, received, mismatches, gaps;

        Checker startingAt(long seq) {
            nextSeq = seq;
            return this;
        }

        @Override
        public void onConn(ConnEvent event) {
            long seq = seqOf(event.endNanos);
            check(seq, isConn(seq) && same(event, expected.conn(seq)));
        }

        @Override
        public void onDns(DnsEvent event) {
            long seq = seqOf(event.tsNanos);
            check(seq, !isConn(seq) && same(event, expected.dns(seq)));
        }

        private void check(long seq, boolean same) {
            if (firstSeq < 0) firstSeq = seq;
            if (nextSeq >= 0 && seq != nextSeq) gaps++;
            if (!same) mismatches++;
            lastSeq = seq;
            nextSeq = seq + 1;
            received++;
        }

        private boolean same(ConnEvent got, ConnEvent want) {
            a.clear();
            b.clear();
            EventCodec.encode(got, a);
            EventCodec.encode(want, b);
            return a.flip().equals(b.flip());
        }

        private boolean same(DnsEvent got, DnsEvent want) {
            a.clear();
            b.clear();
            EventCodec.encode(got, a);
            EventCodec.encode(want, b);
            return a.flip().equals(b.flip()) && got.qnameString().equals(want.qnameString());
        }

        private static long seqOf(long timeNanos) {
            return (timeNanos - T0) / STEP_NANOS;
        }
    }

    /** Reads everything currently in the journal. */
    static long drain(JournalReader reader, EventHandler h) {
        long total = 0;
        for (int n; (n = reader.poll(h, 1024)) > 0; ) total += n;
        return total;
    }
}
