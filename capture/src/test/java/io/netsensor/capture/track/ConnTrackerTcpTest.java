package io.netsensor.capture.track;

import static io.netsensor.capture.track.Packets.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.testing.TestMetrics;
import io.netsensor.capture.track.Packets.Recorder;
import io.netsensor.capture.track.Packets.Tcp;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnEvent.EndReason;
import io.netsensor.events.ConnEvent.Phase;
import io.netsensor.events.ConnState;
import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import io.netsensor.events.Transport;
import org.junit.jupiter.api.Test;

/** TCP records compared with what Zeek writes to conn.log for the same packet sequences. */
class ConnTrackerTcpTest {
    private final Recorder rec = new Recorder();
    private final ConnTracker tracker = new ConnTracker(ConnTrackerSettings.builder().maxFlows(1024).build(),
            new HomeNetLocality(IpRanges.defaultHomeNet()), rec);

    private Tcp conn(long startMs) {
        return new Tcp(tracker, "192.168.2.16", 1580, "67.228.110.120", 80, startMs);
    }

    @Test
    void fullConnectionIsSfWithZeekHistoryBytesAndCounts() {
        Tcp c = conn(0);
        c.client("S").server("SA").client("A")
                .client("PA", 100).server("A").server("PA", 300)
                .client("FA").server("FA").client("A");

        assertThat(rec.ends()).isEmpty(); // still lingering for stray packets
        tracker.expire(ms(70 + 4_999));
        assertThat(rec.ends()).isEmpty();
        tracker.expire(ms(70 + 5_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.state).isEqualTo(ConnState.SF);
        assertThat(e.historyString()).isEqualTo("ShADadFf");
        assertThat(e.endReason).isEqualTo(EndReason.FIN);
        assertThat(e.transport).isEqualTo(Transport.TCP);
        assertThat(Ip.toString(e.origIpHi, e.origIpLo)).isEqualTo("192.168.2.16");
        assertThat(e.origPort).isEqualTo(1580);
        assertThat(Ip.toString(e.respIpHi, e.respIpLo)).isEqualTo("67.228.110.120");
        assertThat(e.respPort).isEqualTo(80);
        assertThat(e.origBytes).isEqualTo(100);
        assertThat(e.respBytes).isEqualTo(300);
        assertThat(e.origPkts).isEqualTo(5);
        assertThat(e.respPkts).isEqualTo(4);
        assertThat(e.origIpBytes).isEqualTo(5 * 40 + 100);
        assertThat(e.respIpBytes).isEqualTo(4 * 40 + 300);
        // Zeek stops the clock once both sides closed: the final ACK does not extend the duration.
        assertThat(e.durationNanos()).isEqualTo(ms(70) - ms(0));
        assertThat(e.direction.ecsName).isEqualTo("outbound");
        assertThat(e.origMac).isNotZero().isNotEqualTo(e.respMac);
    }

    @Test
    void openIsEmittedOnceWhenHandshakeCompletesWithTheSameFlowIdAsEnd() {
        Tcp c = conn(0);
        c.client("S").server("SA");
        assertThat(rec.opens()).isEmpty();
        c.client("A");
        assertThat(rec.opens()).hasSize(1);
        for (int i = 0; i < 20; i++) c.client("PA", 10).server("A");
        c.client("FA").server("FA");
        tracker.flush(ms(10_000));

        ConnEvent open = rec.opens().get(0);
        assertThat(rec.opens()).hasSize(1);
        assertThat(open.state).isEqualTo(ConnState.S1);
        assertThat(open.historyString()).isEqualTo("ShA");
        assertThat(open.endReason).isEqualTo(EndReason.OPEN);
        ConnEvent end = rec.onlyEnd();
        assertThat(end.flowId).isEqualTo(open.flowId);
        assertThat(end.origBytes).isEqualTo(200);
    }

    @Test
    void refusedConnectionIsRej() {
        Tcp c = conn(0);
        c.client("S").server("RA");
        tracker.expire(ms(10 + 5_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.state).isEqualTo(ConnState.REJ);
        assertThat(e.historyString()).isEqualTo("Sr");
        assertThat(e.endReason).isEqualTo(EndReason.RST);
        assertThat(e.origBytes).isZero();
        assertThat(e.respBytes).isZero();
        assertThat(rec.opens()).isEmpty();
    }

    @Test
    void unansweredSynsEndAsS0FiveSecondsAfterTheFirstSyn() {
        tracker.onPacket(Packets.tcp("10.0.0.5", 40000, "198.51.100.7", 443, ms(0), "S", 777, 0, 0));
        tracker.onPacket(Packets.tcp("10.0.0.5", 40000, "198.51.100.7", 443, ms(3_000), "S", 777, 0, 0));
        tracker.expire(ms(4_999));
        assertThat(rec.ends()).isEmpty();
        tracker.expire(ms(5_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.state).isEqualTo(ConnState.S0);
        assertThat(e.historyString()).isEqualTo("S");
        assertThat(e.origPkts).isEqualTo(2);
        assertThat(e.respPkts).isZero();
        assertThat(e.endReason).isEqualTo(EndReason.IDLE);

        // A later retry of the same tuple is a new connection, as in Zeek.
        tracker.onPacket(Packets.tcp("10.0.0.5", 40000, "198.51.100.7", 443, ms(9_000), "S", 777, 0, 0));
        tracker.flush(ms(9_000));
        assertThat(rec.ends()).hasSize(2);
        assertThat(rec.ends().get(1).flowId).isNotEqualTo(e.flowId);
    }

    @Test
    void originatorResetIsRstoAndResponderResetIsRstr() {
        conn(0).client("S").server("SA").client("A").client("PA", 50).server("A").client("RA");
        new Tcp(tracker, "192.168.2.16", 1581, "67.228.110.120", 80, 0)
                .client("S").server("SA").client("A").server("R");
        tracker.expire(ms(60_000));

        assertThat(rec.ends()).extracting(e -> e.state + " " + e.historyString() + " " + e.endReason)
                .containsExactlyInAnyOrder("RSTO ShADaR RST", "RSTR ShAr RST");
    }

    @Test
    void midStreamFlowIsOthWithBytesFromSequenceNumbers() {
        // wikipedia.pcap 35634 -> 80: orig data, resp data, orig ACK => OTH "DdA", 463/350 bytes
        Tcp c = new Tcp(tracker, "141.142.220.118", 35634, "208.80.152.2", 80, 0);
        c.client("PA", 463).server("PA", 350).client("A");
        tracker.flush(ms(1_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.state).isEqualTo(ConnState.OTH);
        assertThat(e.historyString()).isEqualTo("DdA");
        assertThat(e.origBytes).isEqualTo(463);
        assertThat(e.respBytes).isEqualTo(350);
        assertThat(e.origPort).isEqualTo(35634);
        assertThat(e.endReason).isEqualTo(EndReason.SHUTDOWN);
        assertThat(rec.opens()).isEmpty();
    }

    @Test
    void flowFirstSeenWithSynAckIsFlipped() {
        // wikipedia.pcap: a lone SYN-ACK from 173.192.163.128:80 is logged as "^h" OTH from the client
        tracker.onPacket(Packets.tcp("173.192.163.128", 80, "141.142.220.235", 6705, ms(0), "SA", 9000, 1234, 0));
        tracker.flush(ms(0));

        ConnEvent e = rec.onlyEnd();
        assertThat(Ip.toString(e.origIpHi, e.origIpLo)).isEqualTo("141.142.220.235");
        assertThat(e.origPort).isEqualTo(6705);
        assertThat(e.respPort).isEqualTo(80);
        assertThat(e.historyString()).isEqualTo("^h");
        assertThat(e.state).isEqualTo(ConnState.OTH);
        assertThat(e.origPkts).isZero();
        assertThat(e.respPkts).isEqualTo(1);
    }

    @Test
    void synAckFirstOnAnUnusualPortIsFlippedToo() {
        Tcp c = new Tcp(tracker, "192.168.1.108", 64702, "185.33.86.224", 888, 0);
        c.server("SA").client("A").server("PA", 100).client("A");
        tracker.flush(ms(1_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.origPort).isEqualTo(64702);
        assertThat(e.historyString()).isEqualTo("^hAd");
        assertThat(e.state).isEqualTo(ConnState.S1);
        assertThat(e.respBytes).isEqualTo(100);
    }

    @Test
    void retransmittedDataIsMarkedOnceAndNotCountedTwice() {
        Tcp c = conn(0);
        c.client("S").server("SA").client("A").client("PA", 100).clientRetransmit().server("A");
        tracker.flush(ms(1_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.historyString()).isEqualTo("ShADTa");
        assertThat(e.origBytes).isEqualTo(100);
        assertThat(e.origPkts).isEqualTo(4);
        assertThat(e.origIpBytes).isEqualTo(4 * 40 + 200); // ip_bytes counts what was on the wire
    }

    @Test
    void retransmissionLetterRepeatsAtTenAndHundred() {
        Tcp c = conn(0);
        c.client("S").server("SA").client("A").client("PA", 100);
        for (int i = 0; i < 100; i++) c.clientRetransmit();
        tracker.flush(ms(10_000));
        assertThat(rec.onlyEnd().historyString()).isEqualTo("ShADTTT");
    }

    @Test
    void zeroWindowIsRecorded() {
        Tcp c = conn(0);
        c.client("S").server("SA").client("A");
        c.window = 0;
        c.server("A");
        tracker.flush(ms(1_000));
        assertThat(rec.onlyEnd().historyString()).isEqualTo("ShAaw");
    }

    @Test
    void synThenDataThenFinWithoutAnswerIsSh() {
        // vlan-mpls baseline: 10.1.2.1:11001 -> 10.34.0.1:23 "SADF", SH, 26 payload bytes
        Tcp c = new Tcp(tracker, "10.1.2.1", 11001, "10.34.0.1", 23, 0);
        c.client("S").client("A").client("PA", 26).client("FA");
        tracker.expire(ms(30 + 5_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.historyString()).isEqualTo("SADF");
        assertThat(e.state).isEqualTo(ConnState.SH);
        assertThat(e.origBytes).isEqualTo(26);
        assertThat(e.respBytes).isZero();
        assertThat(e.endReason).isEqualTo(EndReason.FIN);
        assertThat(e.direction.ecsName).isEqualTo("internal");
    }

    @Test
    void teredoTraceEdgeCasesMatchZeek() {
        // Teredo.pcap baseline: "^fA" SHR, "R" OTH, "^r" RSTRH
        Tcp finFirst = new Tcp(tracker, "192.168.2.16", 1576, "75.126.130.163", 80, 0);
        finFirst.server("FA").client("A");
        Tcp rstFromClient = new Tcp(tracker, "192.168.2.16", 1590, "75.126.130.163", 80, 0);
        rstFromClient.client("R");
        Tcp rstFromServer = new Tcp(tracker, "192.168.2.16", 1591, "75.126.130.163", 80, 0);
        rstFromServer.server("R");
        tracker.expire(ms(60_000));

        assertThat(rec.ends()).extracting(e -> e.origPort + " " + e.historyString() + " " + e.state)
                .containsExactlyInAnyOrder("1576 ^fA SHR", "1590 R OTH", "1591 ^r RSTRH");
    }

    @Test
    void newSynOnClosedTupleStartsANewConnection() {
        Tcp first = conn(0);
        first.client("S").server("SA").client("A").client("FA").server("FA").client("A");
        Tcp second = conn(1_000);
        second.clientSeq = 900_000;
        second.client("S");

        assertThat(rec.ends()).hasSize(1);
        assertThat(rec.ends().get(0).state).isEqualTo(ConnState.SF);
        assertThat(rec.ends().get(0).endReason).isEqualTo(EndReason.FIN);
        tracker.flush(ms(2_000));
        assertThat(rec.ends()).hasSize(2);
        assertThat(rec.ends().get(1).historyString()).isEqualTo("S");
        assertThat(TestMetrics.of(tracker::register).value("conn.flows_reused")).isEqualTo(1L);
    }

    @Test
    void establishedFlowIdlesOutAfterFiveMinutes() {
        conn(0).client("S").server("SA").client("A").client("PA", 5);
        tracker.expire(ms(30 + 299_999));
        assertThat(rec.ends()).isEmpty();
        tracker.expire(ms(30 + 300_000));
        ConnEvent e = rec.onlyEnd();
        assertThat(e.endReason).isEqualTo(EndReason.IDLE);
        assertThat(e.state).isEqualTo(ConnState.S1);
    }

    @Test
    void timestampsGoingBackwardsNeverGiveNegativeDurations() {
        tracker.onPacket(Packets.tcp("10.0.0.5", 40001, "198.51.100.7", 443, ms(100), "S", 1, 0, 0));
        tracker.onPacket(Packets.tcp("198.51.100.7", 443, "10.0.0.5", 40001, ms(90), "SA", 500, 2, 0));
        tracker.onPacket(Packets.tcp("10.0.0.5", 40001, "198.51.100.7", 443, ms(80), "A", 2, 501, 0));
        tracker.flush(ms(100));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.durationNanos()).isGreaterThanOrEqualTo(0);
        assertThat(e.state).isEqualTo(ConnState.S1);
        assertThat(rec.opens()).hasSize(1);
        assertThat(rec.events).allSatisfy(ev -> assertThat(ev.endNanos).isGreaterThanOrEqualTo(ev.startNanos));
    }

    @Test
    void vlanTagsSeparateFlowsAndAreReported() {
        var a = Packets.tcp("10.0.0.5", 40002, "10.0.0.6", 22, ms(0), "S", 1, 0, 0);
        a.vlan = 13;
        a.innerVlan = 10;
        var b = Packets.tcp("10.0.0.5", 40002, "10.0.0.6", 22, ms(1), "S", 1, 0, 0);
        tracker.onPacket(a);
        tracker.onPacket(b);
        tracker.flush(ms(2));

        assertThat(rec.ends()).extracting(e -> e.vlan + "/" + e.innerVlan)
                .containsExactlyInAnyOrder("13/10", "0/0");
        assertThat(rec.events).allSatisfy(e -> assertThat(e.phase).isEqualTo(Phase.END));
    }
}
