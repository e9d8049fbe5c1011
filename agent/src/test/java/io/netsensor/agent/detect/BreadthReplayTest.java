package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.testkit.Shared;
import io.netsensor.testkit.dns.DnsMessages;
import io.netsensor.testkit.pcap.Traffic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * DNS tunnels, slow and fast spreading, vertical scans and relays by tight pairing, end to end: generated
 * captures through `netsensor replay`, and the real dnscat2 and IoT-week captures of ../shared/real-c2-dev.
 */
class BreadthReplayTest {
    private static final String HOST = "10.20.0.5", RESOLVER = "10.20.0.1";
    @TempDir Path dir;
    private final Random rnd = new Random(8);

    private String base32(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("abcdefghijklmnopqrstuvwxyz234567".charAt(rnd.nextInt(32)));
        return sb.toString();
    }

    private String external() {
        return (11 + rnd.nextInt(100)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    }

    @Test
    void aTxtTunnelIsRaisedAndLookupServicesAreNot() throws IOException {
        Traffic tunnel = new Traffic(), benign = new Traffic();
        for (int i = 0; i < 60; i++) {
            String q = base32(50) + "." + base32(30) + ".t.tunnel-example.org";
            byte[] data = new byte[120];
            rnd.nextBytes(data);
            tunnel.dnsExchange(i, HOST, RESOLVER, q, Type.TXT, DnsMessages.txt(q, Base64.getEncoder().encodeToString(data)));
            String hash = Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong());
            benign.dnsNxdomain(i, HOST, RESOLVER, hash + ".avqs.mcafee.com");
            benign.dnsNxdomain(i + 0.3, HOST, RESOLVER, rnd.nextInt(256) + "." + rnd.nextInt(256) + ".113.203.bl.some-rbl.net");
            benign.dnsExchange(i + 0.5, HOST, RESOLVER, "_ipp._tcp." + base32(8) + ".example.com", Type.SRV);
        }
        List<JsonNode> alerts = Replays.alerts(tunnel.write(dir.resolve("tunnel.pcap")));
        List<JsonNode> t = Replays.of(alerts, "dns_tunnel");
        assertThat(t).as(Replays.describe(alerts)).isNotEmpty();
        assertThat(t.get(t.size() - 1).at("/netsensor/evidence/zone").asText()).isEqualTo("tunnel-example.org");
        assertThat(t.get(0).at("/threat/technique/subtechnique").toString()).contains("T1071.004");
        assertThat(Replays.alerts(benign.write(dir.resolve("benign.pcap")))).isEmpty();
    }

    @Test
    void aSlowTelnetScanOverHoursIsRaisedAndAVerticalScanIsAScan() throws IOException {
        Traffic slow = new Traffic();
        for (int i = 0; i < 400; i++) slow.tcpUnanswered(i * 20.0, HOST, external(), 2323); // 3 a minute, 2.2 h
        List<JsonNode> alerts = Replays.alerts(slow.write(dir.resolve("slow.pcap")));
        List<JsonNode> f = Replays.of(alerts, "fanout");
        assertThat(f).as(Replays.describe(alerts)).isNotEmpty();
        assertThat(f.get(0).at("/netsensor/evidence/pattern").asText()).isEqualTo("slow");
        assertThat(f.get(0).at("/netsensor/severity").asText()).isEqualTo("High"); // a worm port

        Traffic vertical = new Traffic();
        for (int p = 1; p <= 300; p++) vertical.tcpRefused(p * 0.05, HOST, "203.0.113.80", p);
        List<JsonNode> v = Replays.alerts(vertical.write(dir.resolve("vertical.pcap")));
        assertThat(v).as(Replays.describe(v)).isNotEmpty().allSatisfy(a -> assertThat(a.at("/rule/id").asText()).isEqualTo("scan"));
        assertThat(v.get(v.size() - 1).at("/netsensor/severity").asText()).isEqualTo("Medium");
        // detectors.disabled turns it off
        Path config = java.nio.file.Files.writeString(dir.resolve("netsensor.yml"), "detectors:\n  disabled: [scan]\n");
        assertThat(Replays.alerts(dir.resolve("vertical.pcap"), "-c", config.toString())).isEmpty();
    }

    @Test
    void aRelayOn443IsRaisedAndAWebServerCallingAnApiIsNot() throws IOException {
        Traffic relay = new Traffic(), web = new Traffic();
        for (int i = 0; i < 4; i++) {
            relay.tcpSession(i * 30.0, "203.0.113.50", HOST, 443, 1400, 18_000, 4);
            relay.tcpSession(i * 30.0 + 0.05, HOST, "198.51.100." + (20 + i), 443, 1400, 18_000, 3.8);
            web.tcpSession(i * 30.0, "198.18.0." + (1 + i), HOST, 443, 700, 15_000, 1);
            web.tcpSession(i * 30.0 + 0.05, HOST, "203.0.113.200", 443, 300, 2_000, 0.5);
        }
        List<JsonNode> r = Replays.alerts(relay.write(dir.resolve("relay.pcap")));
        assertThat(Replays.of(r, "relay")).as(Replays.describe(r)).isNotEmpty();
        assertThat(Replays.of(r, "relay").get(0).at("/netsensor/evidence/pattern").asText()).isEqualTo("paired");
        assertThat(Replays.alerts(web.write(dir.resolve("web.pcap")))).isEmpty();
    }

    @Test
    void theDnscat2CaptureIsADnsTunnelUnderBothProfiles() {
        Path pcap = Shared.require("real-c2-dev/ndpi-dnscat2/dns_exfiltration.pcap");
        for (String profile : List.of("default", "short-window")) {
            List<JsonNode> alerts = Replays.alerts(pcap, "--home-net", "192.168.220.56/32", "--profile", profile);
            List<JsonNode> t = Replays.of(alerts, "dns_tunnel");
            assertThat(t).as("%s:%s", profile, Replays.describe(alerts)).isNotEmpty();
            assertThat(t.get(t.size() - 1).at("/netsensor/severity").asText()).isEqualTo("Critical");
            assertThat(t.get(0).at("/destination/ip").asText()).isEqualTo("192.168.203.167");
        }
    }

    @Test
    void theSmartLocksWeekRaisesNoneOfTheseAndNoBeaconAboveLow() {
        Path pcap = Shared.require("real-c2-dev/fit-iot-benign-week/schlage-lock-01.pcap");
        for (String profile : List.of("default", "short-window")) {
            List<JsonNode> alerts = Replays.alerts(pcap, "--home-net", "192.168.1.122/32", "--profile", profile);
            assertThat(alerts).as("%s:%s", profile, Replays.describe(alerts)).allSatisfy(a -> {
                assertThat(a.at("/rule/id").asText()).isEqualTo("beacon");
                assertThat(a.at("/netsensor/severity").asText()).isEqualTo("Low");
            });
        }
    }
}
