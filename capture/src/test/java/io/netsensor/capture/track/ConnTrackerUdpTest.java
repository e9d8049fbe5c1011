package io.netsensor.capture.track;

import static io.netsensor.capture.track.Packets.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.testing.TestMetrics;
import io.netsensor.capture.track.Packets.Recorder;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnEvent.EndReason;
import io.netsensor.events.ConnState;
import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import io.netsensor.events.Transport;
import org.junit.jupiter.api.Test;

class ConnTrackerUdpTest {
    private final Recorder rec = new Recorder();
    private final ConnTracker tracker = new ConnTracker(ConnTrackerSettings.builder().maxFlows(64).build(),
            new HomeNetLocality(IpRanges.defaultHomeNet()), rec);

    @Test
    void dnsRequestResponseIsSfAndEndsAfterTenSecondsIdle() {
        // Teredo.pcap baseline: 192.168.2.16:1920 -> 192.168.2.1:53, "Dd" SF, 2+2 packets
        tracker.onPacket(Packets.udp("192.168.2.16", 1920, "192.168.2.1", 53, ms(0), 33));
        tracker.onPacket(Packets.udp("192.168.2.1", 53, "192.168.2.16", 1920, ms(5), 200));
        tracker.onPacket(Packets.udp("192.168.2.16", 1920, "192.168.2.1", 53, ms(100), 33));
        tracker.onPacket(Packets.udp("192.168.2.1", 53, "192.168.2.16", 1920, ms(223), 238));

        // Zeek's DNS analyzer sets the connection's inactivity timeout to dns_session_timeout (10 s)
        tracker.expire(ms(223 + 9_999));
        assertThat(rec.ends()).isEmpty();
        tracker.expire(ms(223 + 10_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.transport).isEqualTo(Transport.UDP);
        assertThat(e.state).isEqualTo(ConnState.SF);
        assertThat(e.historyString()).isEqualTo("Dd");
        assertThat(e.origPort).isEqualTo(1920);
        assertThat(e.origBytes).isEqualTo(66);
        assertThat(e.respBytes).isEqualTo(438);
        assertThat(e.origPkts).isEqualTo(2);
        assertThat(e.respPkts).isEqualTo(2);
        assertThat(e.origIpBytes).isEqualTo(66 + 2 * 28);
        assertThat(e.respIpBytes).isEqualTo(438 + 2 * 28);
        assertThat(e.durationNanos()).isEqualTo(ms(223) - ms(0));
        assertThat(e.endReason).isEqualTo(EndReason.IDLE);
        assertThat(e.direction.ecsName).isEqualTo("internal");
        assertThat(rec.opens()).isEmpty();
    }

    @Test
    void resolverPortReusedAfterAPauseIsANewConnection() {
        // Teredo.pcap baseline: 192.168.2.16:1920 -> :53 is two conn.log rows (2+2 and 3+3 packets), 15.7 s apart
        tracker.onPacket(Packets.udp("192.168.2.16", 1920, "192.168.2.1", 53, ms(0), 33));
        tracker.onPacket(Packets.udp("192.168.2.1", 53, "192.168.2.16", 1920, ms(87), 200));
        tracker.onPacket(Packets.udp("192.168.2.16", 1920, "192.168.2.1", 53, ms(15_914), 35));
        tracker.onPacket(Packets.udp("192.168.2.1", 53, "192.168.2.16", 1920, ms(16_076), 35));
        tracker.flush(ms(16_076));
        assertThat(rec.ends()).extracting(e -> e.origPkts + "+" + e.respPkts).containsExactly("1+1", "1+1");
    }

    @Test
    void otherUdpFlowsEndAfterOneMinuteIdle() {
        tracker.onPacket(Packets.udp("192.168.2.16", 3797, "83.170.1.38", 32900, ms(0), 100));
        tracker.expire(ms(59_999));
        assertThat(rec.ends()).isEmpty();
        tracker.expire(ms(60_000));
        assertThat(rec.onlyEnd().endReason).isEqualTo(EndReason.IDLE);
    }

    @Test
    void unansweredDatagramsAreS0() {
        tracker.onPacket(Packets.udp("141.142.220.226", 137, "141.142.220.255", 137, ms(0), 50));
        tracker.onPacket(Packets.udp("141.142.220.226", 137, "141.142.220.255", 137, ms(1_000), 50));
        tracker.flush(ms(1_000));

        ConnEvent e = rec.onlyEnd();
        assertThat(e.state).isEqualTo(ConnState.S0);
        assertThat(e.historyString()).isEqualTo("D");
        assertThat(e.origBytes).isEqualTo(100);
        assertThat(e.endReason).isEqualTo(EndReason.SHUTDOWN);
        assertThat(e.direction.ecsName).isEqualTo("external");
    }

    @Test
    void responseFromServerPortIsFlippedToTheClient() {
        // Teredo.pcap baseline: a lone packet from 65.55.158.81:3544 is "^d" SHR from 192.168.2.16:3797
        tracker.onPacket(Packets.udp("65.55.158.81", 3544, "192.168.2.16", 3797, ms(0), 109));
        tracker.flush(ms(0));

        ConnEvent e = rec.onlyEnd();
        assertThat(Ip.toString(e.origIpHi, e.origIpLo)).isEqualTo("192.168.2.16");
        assertThat(e.origPort).isEqualTo(3797);
        assertThat(e.historyString()).isEqualTo("^d");
        assertThat(e.state).isEqualTo(ConnState.SHR);
        assertThat(e.respBytes).isEqualTo(109);
        assertThat(e.direction.ecsName).isEqualTo("outbound");
    }

    @Test
    void sameServicePortOnBothSidesKeepsFirstSender() {
        tracker.onPacket(Packets.udp("fe80::1", 5353, "ff02::fb", 5353, ms(0), 100));
        tracker.flush(ms(0));
        ConnEvent e = rec.onlyEnd();
        assertThat(Ip.toString(e.origIpHi, e.origIpLo)).isEqualTo("fe80::1");
        assertThat(e.origIpBytes).isEqualTo(40 + 8 + 100);
        assertThat(e.historyString()).isEqualTo("D");
    }

    @Test
    void backwardsTimestampsDoNotShortenOrInvertTheFlow() {
        tracker.onPacket(Packets.udp("10.0.0.1", 5000, "10.0.0.2", 6000, ms(1_000), 10));
        tracker.onPacket(Packets.udp("10.0.0.2", 6000, "10.0.0.1", 5000, ms(990), 10));
        tracker.flush(ms(1_000));
        ConnEvent e = rec.onlyEnd();
        assertThat(e.durationNanos()).isZero();
        assertThat(e.state).isEqualTo(ConnState.SF);
    }

    @Test
    void nonTcpUdpPacketsAreCountedAndIgnored() {
        var icmp = Packets.udp("10.0.0.1", 0, "10.0.0.2", 0, ms(0), 10);
        icmp.protocol = 1;
        tracker.onPacket(icmp);
        tracker.flush(ms(0));
        assertThat(rec.events).isEmpty();
        assertThat(TestMetrics.of(tracker::register).values("conn.")).containsEntry("conn.packets_ignored", 1L)
                .containsEntry("conn.flows_active", 0L);
    }
}
