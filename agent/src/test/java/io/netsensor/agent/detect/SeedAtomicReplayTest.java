package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed rule's four atomic tests (T1583.005), plus a long jittered beacon and a DGA burst, as
 * captures replayed through `netsensor replay` with the default profile. The seed's own tests talk to
 * 127.0.0.1, which its queries exclude (and so do we: loopback is never a remote peer); as its test 3
 * advises, we point them at external (documentation-range) peers instead.
 */
class SeedAtomicReplayTest {
    static final String HOST = "10.0.0.5";

    @TempDir
    Path dir;

    @Test
    void atomic1_thirtyConnectsTenSecondsApartAreALowerSeverityBeacon() throws Exception {
        Traffic t = new Traffic();
        // the atomic test's connects are refused (no listener); a real C2 peer would answer
        for (int i = 0; i < 30; i++) t.tcpRefused(i * 10.0, HOST, "198.51.100.10", 8080);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic1.pcap")));

        List<JsonNode> beacons = Replays.of(alerts, "beacon");
        assertThat(beacons.stream().map(a -> a.at("/netsensor/alert_id").asText()).distinct()).as(Replays.describe(alerts)).hasSize(1);
        // the alert, then (the series running on past it) its final count as a progress update
        JsonNode b = beacons.get(beacons.size() - 1);
        assertThat(b.at("/netsensor/severity").asText()).isIn("Low", "Medium");
        assertThat(b.path("host").path("ip").asText()).isEqualTo(HOST);
        assertThat(b.at("/destination/ip").asText()).isEqualTo("198.51.100.10");
        assertThat(b.at("/destination/port").asInt()).isEqualTo(8080);
        assertThat(b.at("/netsensor/evidence").path("interval_median_s").asDouble()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(b.at("/netsensor/count").asLong()).isEqualTo(30L);
        assertThat(alerts).as("only the beacon: " + Replays.describe(alerts)).hasSameSizeAs(beacons);
    }

    @Test
    void atomic2_inboundAcceptThenOutboundTcpDnsIsARelay() throws Exception {
        Traffic t = new Traffic()
                .tcpSession(0, "203.0.113.77", HOST, 19876, 64, 0, 2)
                .tcpSession(5, HOST, "8.8.8.8", 53, 0, 0, 1);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic2.pcap")));

        List<JsonNode> relays = Replays.of(alerts, "relay");
        assertThat(relays).as(Replays.describe(alerts)).hasSize(1);
        JsonNode r = relays.get(0);
        assertThat(r.path("host").path("ip").asText()).isEqualTo(HOST);
        assertThat(r.at("/destination/ip").asText()).isEqualTo("8.8.8.8");
        assertThat(r.at("/destination/port").asInt()).isEqualTo(53);
        assertThat(r.at("/netsensor/evidence").path("inbound_sources").toString()).contains("203.0.113.77");
        assertThat(r.at("/netsensor/evidence").path("inbound_ports").toString()).contains("19876");
        assertThat(r.at("/netsensor/evidence").path("follow_gap_s").asDouble()).isBetween(4.0, 6.0);
        assertThat(r.at("/netsensor/severity").asText()).isEqualTo("Medium");
    }

    @Test
    void atomic2_relayIsFoundOnALinuxAnyCaptureWhereInboundPacketsLackTheHostMac() throws Exception {
        Traffic t = new Traffic().linuxCooked()
                .tcpSession(0, "203.0.113.77", HOST, 19876, 64, 0, 2)
                .tcpSession(5, HOST, "8.8.8.8", 53, 0, 0, 1);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic2-any.pcap")));
        List<JsonNode> relays = Replays.of(alerts, "relay");
        assertThat(relays).as(Replays.describe(alerts)).hasSize(1);
        assertThat(relays.get(0).path("host").path("ip").asText()).isEqualTo(HOST);
        assertThat(relays.get(0).at("/netsensor/evidence").path("inbound_sources").toString()).contains("203.0.113.77");
    }

    @Test
    void atomic2_sameLegsOverUdpDnsAreOrdinaryResolution() throws Exception {
        Traffic t = new Traffic()
                .tcpSession(0, "203.0.113.77", HOST, 19876, 64, 0, 2)
                .dnsResolved(5, HOST, "8.8.8.8", "example.org", List.of(), "93.184.216.34");
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic2-udp.pcap")));
        assertThat(alerts).as(Replays.describe(alerts)).isEmpty();
    }

    @Test
    void atomic3_ircPortOnAnExternalHostIsC2Port() throws Exception {
        Traffic t = new Traffic().tcpSession(0, HOST, "198.51.100.66", 6667, 120, 400, 30);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic3.pcap")));

        List<JsonNode> c2 = Replays.of(alerts, "c2_port");
        assertThat(c2).as(Replays.describe(alerts)).hasSize(1);
        JsonNode a = c2.get(0);
        assertThat(a.at("/netsensor/severity").asText()).isEqualTo("High"); // established
        assertThat(a.at("/destination/ip").asText()).isEqualTo("198.51.100.66");
        assertThat(a.at("/destination/port").asInt()).isEqualTo(6667);
        assertThat(a.at("/netsensor/evidence").path("port_class").asText()).isEqualTo("IRC");
    }

    @Test
    void atomic3_refusedIrcAttemptIsMediumAndLoopbackIsIgnored() throws Exception {
        Traffic t = new Traffic()
                .tcpRefused(0, HOST, "198.51.100.67", 6667)
                .tcpSession(10, "127.0.0.1", "127.0.0.1", 6667, 10, 10, 1);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic3-refused.pcap")));
        assertThat(alerts).as(Replays.describe(alerts)).hasSize(1);
        assertThat(alerts.get(0).at("/rule/id").asText()).isEqualTo("c2_port");
        assertThat(alerts.get(0).at("/netsensor/severity").asText()).isEqualTo("Medium");
        assertThat(alerts.get(0).at("/destination/ip").asText()).isEqualTo("198.51.100.67");
    }

    @Test
    void atomic4_thirtyHostsOnPort22IsFanout() throws Exception {
        Traffic t = new Traffic();
        for (int i = 1; i <= 30; i++) t.tcpUnanswered(i * 0.5, HOST, "203.0.113." + i, 22);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic4.pcap")));

        List<JsonNode> fan = Replays.of(alerts, "fanout");
        assertThat(fan).as(Replays.describe(alerts)).hasSize(1);
        JsonNode f = fan.get(0);
        assertThat(f.at("/netsensor/severity").asText()).isEqualTo("Medium");
        assertThat(f.at("/destination/port").asInt()).isEqualTo(22);
        assertThat(f.at("/netsensor/evidence").path("unique_external_ips").asInt()).isEqualTo(30);
        assertThat(f.at("/netsensor/evidence").path("no_answer").asInt()).isEqualTo(30);
        assertThat(alerts).as("only the fan-out: " + Replays.describe(alerts)).hasSize(1);
    }

    @Test
    void atomic4_twentyNineHostsStayBelowTheThreshold() throws Exception {
        Traffic t = new Traffic();
        for (int i = 1; i <= 29; i++) t.tcpUnanswered(i * 0.5, HOST, "203.0.113." + i, 22);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("atomic4-29.pcap")));
        assertThat(alerts).as(Replays.describe(alerts)).isEmpty();
    }

    @Test
    void longJitteredHttpsBeaconIsHighThenCritical() throws Exception {
        List<JsonNode> beacons = Replays.of(Replays.alerts(LongBeacon.write(dir.resolve("long-beacon.pcap"))), "beacon");
        assertThat(beacons).isNotEmpty();
        JsonNode last = beacons.get(beacons.size() - 1);
        assertThat(last.at("/netsensor/severity").asText()).isEqualTo("Critical");
        assertThat(last.at("/destination/ip").asText()).isEqualTo(LongBeacon.C2);
        assertThat(last.at("/destination/port").asInt()).isEqualTo(443);
        assertThat(last.at("/netsensor/evidence").path("interval_median_s").asDouble()).isBetween(50.0, 70.0);
        assertThat(beacons).extracting(b -> b.at("/netsensor/severity").asText()).contains("High");
    }

    @Test
    void dgaBurstOfFiftyNxdomainRandomNamesIsDga() throws Exception {
        Random rnd = new Random(7);
        Traffic t = new Traffic();
        String[] tlds = {"com", "net", "org", "info", "biz"};
        for (int i = 0; i < 50; i++) {
            StringBuilder label = new StringBuilder();
            int len = 12 + rnd.nextInt(8);
            for (int j = 0; j < len; j++) label.append((char) ('a' + rnd.nextInt(26)));
            t.dnsNxdomain(i * 1.2, HOST, "10.0.0.1", label + "." + tlds[rnd.nextInt(tlds.length)]);
        }
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("dga.pcap")));
        List<JsonNode> dga = Replays.of(alerts, "dga");
        assertThat(dga).as(Replays.describe(alerts)).isNotEmpty();
        assertThat(dga).allSatisfy(a -> assertThat(a.path("host").path("ip").asText()).isEqualTo(HOST));
        assertThat(alerts).as("only DGA: " + Replays.describe(alerts)).hasSameSizeAs(dga);
    }
}
