package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The real third-party C2 captures of ../shared/real-c2-dev (each dir's ORIGIN.txt is the ground truth),
 * replayed with home_net set to the victim as ORIGIN.txt says, under both profiles. What each raises is
 * written to target/real-c2-detections.tsv (summarised in agent/DETECTIONS.md).
 */
class RealC2DevReplayTest {
    record Capture(String file, String homeNet) {}

    static final List<Capture> CAPTURES = List.of(
            new Capture("woot-c2-frameworks/mythic-Athena-agent-for-C2-over-http-sample-packets.pcap", "10.11.54.186/32"),
            new Capture("otrf-empire-http/empire_shell_rubeus_asktgt_ptt_2020-09-21223848.cap", "172.18.0.0/16"),
            new Capture("corelight-caldera-agents/manx-tcp.pcap", "172.18.0.3/32"),
            new Capture("corelight-caldera-agents/ragdoll.pcap", "172.18.0.3/32"),
            new Capture("corelight-rats/quasarrat-09ffabf7-774a-43a3-8c97-68f2046fd385.pcap", "192.168.100.7/32"),
            new Capture("c2lab-sliver-mtls/capture_when_executing_the_malicious_file.pcap", "10.2.1.5/32"),
            new Capture("fit-iot-benign-week/schlage-lock-01.pcap", "192.168.1.122/32"),
            new Capture("ndpi-dnscat2/dns_exfiltration.pcap", "192.168.220.56/32"));

    static Path dev() {
        return io.netsensor.testkit.Shared.require("real-c2-dev");
    }

    @Test
    void realC2CapturesRaiseWhatTheyHoldAndNothingElse() throws IOException {
        Path dev = dev();
        Map<String, List<JsonNode>> byDefault = new LinkedHashMap<>(), byShort = new LinkedHashMap<>();
        for (Capture c : CAPTURES) {
            Path f = dev.resolve(c.file());
            byDefault.put(c.file(), Replays.alerts(f, "--home-net", c.homeNet()));
            byShort.put(c.file(), Replays.alerts(f, "--home-net", c.homeNet(), "--profile", "short-window"));
        }
        StringBuilder sb = new StringBuilder("file\tdefault\tshort-window\n");
        byDefault.forEach((f, a) -> sb.append(f).append('\t').append(brief(a)).append('\t').append(brief(byShort.get(f))).append('\n'));
        Path out = Path.of("target", "real-c2-detections.tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());

        for (Map<String, List<JsonNode>> outcome : List.of(byDefault, byShort)) {
            // Mythic: ONE connection seen from mid-stream, ~10 s check-ins inside it
            expectBeacon(outcome, "woot-c2-frameworks/mythic-Athena-agent-for-C2-over-http-sample-packets.pcap", "10.11.54.67", 80, b -> {
                assertThat(b.at("/netsensor/evidence/pattern").asText()).isEqualTo("bursts_in_connection");
                assertThat(b.at("/netsensor/evidence/interval_median_s").asDouble()).isBetween(8.0, 12.0);
                assertThat(b.at("/netsensor/count").asLong()).isGreaterThan(300);
            });
            // Empire: 5 s check-ins inside one keep-alive connection; the DC traffic raises nothing
            expectBeacon(outcome, "otrf-empire-http/empire_shell_rubeus_asktgt_ptt_2020-09-21223848.cap", "10.10.10.5", 80, b -> {
                assertThat(b.at("/netsensor/evidence/pattern").asText()).isEqualTo("bursts_in_connection");
                assertThat(b.at("/netsensor/evidence/interval_median_s").asDouble()).isBetween(4.0, 6.5);
            });
            // Caldera Manx: one persistent TCP session to :7010 with heartbeats
            expectBeacon(outcome, "corelight-caldera-agents/manx-tcp.pcap", "172.18.0.2", 7010, b ->
                    assertThat(b.at("/netsensor/evidence/pattern").asText()).isEqualTo("bursts_in_connection"));
            // QuasarRAT: a reconnect loop every ~3.5 s to a ddns name, which the alert names
            expectBeacon(outcome, "corelight-rats/quasarrat-09ffabf7-774a-43a3-8c97-68f2046fd385.pcap", "86.136.67.231", 1337, b -> {
                assertThat(b.at("/destination/domain").asText()).endsWith("ddns.net");
                assertThat(b.at("/netsensor/evidence/interval_median_s").asDouble()).isBetween(3.0, 4.5);
            });
            // benign: the Azure platform agent's polling (WireServer, IMDS) and the smart lock's MQTT session
            assertThat(outcome.get("c2lab-sliver-mtls/capture_when_executing_the_malicious_file.pcap"))
                    .noneSatisfy(a -> assertThat(a.at("/destination/ip").asText()).isIn("168.63.129.16", "169.254.169.254"));
            assertThat(outcome.get("fit-iot-benign-week/schlage-lock-01.pcap")).as("smart lock").isEmpty();
            // the DNS tunnel is only ever a DNS finding
            assertThat(outcome.get("ndpi-dnscat2/dns_exfiltration.pcap")).allSatisfy(a -> assertThat(a.at("/rule/id").asText()).isIn("dga", "dns_tunnel"));
            assertThat(outcome.get("ndpi-dnscat2/dns_exfiltration.pcap")).anySatisfy(a -> assertThat(a.at("/rule/id").asText()).isEqualTo("dns_tunnel"));
        }
    }

    private static void expectBeacon(Map<String, List<JsonNode>> outcome, String file, String remote, int port, Consumer<JsonNode> check) {
        List<JsonNode> alerts = outcome.get(file);
        List<JsonNode> beacons = Replays.of(alerts, "beacon").stream()
                .filter(b -> b.at("/destination/ip").asText().equals(remote) && b.at("/destination/port").asInt() == port)
                .collect(Collectors.toList());
        assertThat(beacons).as("%s:%s", file, Replays.describe(alerts)).isNotEmpty();
        assertThat(alerts).as("%s: only the C2's beacon:%s", file, Replays.describe(alerts)).hasSameSizeAs(beacons);
        check.accept(beacons.get(beacons.size() - 1));
    }

    private static String brief(List<JsonNode> alerts) {
        if (alerts.isEmpty()) return "none";
        // one entry per alert id, its last word (progress updates restate the same finding)
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (JsonNode a : alerts) last.put(a.at("/netsensor/alert_id").asText(), a);
        return last.values().stream().map(a -> a.at("/rule/id").asText() + "/" + a.at("/netsensor/severity").asText() + " "
                + a.path("host").path("ip").asText() + "->" + a.at("/destination/ip").asText() + ":"
                + a.at("/destination/port").asText() + " " + a.path("message").asText())
                .collect(Collectors.joining(" | "));
    }
}
