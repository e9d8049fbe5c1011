package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every capture of the shared third-party corpus replayed through `netsensor replay`. Only captures
 * that really hold C2 or tunnelling may alert with the default profile, and only with the detectors
 * that fit what they hold; the SLIPS beacon captures must be found as beacons with the short-window
 * profile. The per-file outcome is written to target/corpus-detections.tsv (summarised in
 * agent/DETECTIONS.md).
 */
class CorpusReplayTest {
    /** Captures holding malicious traffic, relative to the corpus, and the detectors that may fire on them. */
    static final Map<String, Set<String>> MALICIOUS = Map.of(
            "chrissanders-c2/ratinfected.pcapng", Set.of("beacon"), // RAT reconnecting every 10 s to a LAN peer :4433
            "chrissanders-c2/cryptowall4_c2.pcapng", Set.of("beacon"), // CryptoWall 4 HTTP POST C2
            "slips-beacon-cc/test-cc-capture-1.pcap", Set.of("beacon"), // HTTPS every 2 s
            "slips-beacon-cc/test-cc-capture-2.pcap", Set.of("beacon"),
            "zeek-ctu-malware-tcp/ctu-64702-888.pcap", Set.of("beacon", "c2_port"), // CTU malware -> :888
            "sv-tls-malicious-c2/TLSv1-Extracted-MaliciousC2.pcap", Set.of("beacon"),
            "dns-tunnels/iodine.pcap", Set.of("dga", "dns_tunnel"), // DNS tunnels: random-looking labels
            "dns-tunnels/dns2tcp.pcap", Set.of("dga", "dns_tunnel"),
            "sv-dns-iodine-tunnel/input.pcap", Set.of("dga", "dns_tunnel"));

    static Path corpus() {
        return io.netsensor.testkit.Shared.require("corpus");
    }

    static List<Path> captures(Path corpus) throws IOException {
        try (Stream<Path> s = Files.walk(corpus)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap");
            }).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void slipsBeaconCapturesAreBeaconsWithTheShortWindowProfile() {
        Path corpus = corpus();
        for (String f : List.of("slips-beacon-cc/test-cc-capture-1.pcap", "slips-beacon-cc/test-cc-capture-2.pcap")) {
            Path pcap = corpus.resolve(f);
            io.netsensor.testkit.Shared.require("corpus/" + f);
            List<JsonNode> alerts = Replays.alerts(pcap, "--profile", "short-window");
            List<JsonNode> beacons = Replays.of(alerts, "beacon");
            assertThat(beacons).as("%s:%s", f, Replays.describe(alerts)).isNotEmpty();
            assertThat(beacons).allSatisfy(b -> {
                assertThat(b.at("/destination/port").asInt()).isEqualTo(443);
                assertThat(b.at("/netsensor/evidence").path("interval_median_s").asDouble()).isBetween(1.5, 4.0);
            });
            assertThat(alerts).as("%s: only beacons:%s", f, Replays.describe(alerts)).hasSameSizeAs(beacons);
        }
    }

    @Test
    void everyCorpusCaptureAlertsOnlyWhereItHoldsC2() throws IOException {
        Path corpus = corpus();
        List<Path> files = captures(corpus);
        assertThat(files).hasSizeGreaterThan(10);
        Map<String, List<JsonNode>> byDefault = new LinkedHashMap<>(), byShortWindow = new LinkedHashMap<>();
        for (Path f : files) {
            String name = corpus.relativize(f).toString();
            byDefault.put(name, Replays.alerts(f));
            byShortWindow.put(name, Replays.alerts(f, "--profile", "short-window"));
        }
        writeReport(byDefault, byShortWindow);

        assertThat(unexpected(byDefault)).as("default profile: alerts on captures without such activity").isEmpty();
        assertThat(unexpected(byShortWindow)).as("short-window: alerts on captures without such activity").isEmpty();
        // capture-1 curls every 2 s for 11 min: a fast regular series even the default profile reports
        List<JsonNode> slips = byDefault.get("slips-beacon-cc/test-cc-capture-1.pcap");
        assertThat(Replays.of(slips, "beacon")).as("slips capture-1:%s", Replays.describe(slips)).isNotEmpty();
    }

    private static List<String> unexpected(Map<String, List<JsonNode>> outcome) {
        List<String> wrong = new ArrayList<>();
        outcome.forEach((file, alerts) -> {
            Set<String> allowed = MALICIOUS.getOrDefault(file, Set.of());
            for (JsonNode a : alerts) {
                if (!allowed.contains(a.at("/rule/id").asText())) wrong.add(file + ":" + Replays.describe(List.of(a)));
            }
        });
        return wrong;
    }

    private static void writeReport(Map<String, List<JsonNode>> byDefault, Map<String, List<JsonNode>> byShortWindow)
            throws IOException {
        StringBuilder sb = new StringBuilder("file\tdefault\tshort-window\n");
        byDefault.forEach((file, alerts) -> sb.append(file).append('\t').append(brief(alerts)).append('\t')
                .append(brief(byShortWindow.get(file))).append('\n'));
        Path out = Path.of("target", "corpus-detections.tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
    }

    private static String brief(List<JsonNode> alerts) {
        if (alerts.isEmpty()) return "none";
        return alerts.stream().map(a -> a.at("/rule/id").asText() + "/" + a.at("/netsensor/severity").asText() + " "
                + a.path("host").path("ip").asText() + "->" + a.at("/destination/ip").asText() + ":"
                + a.at("/destination/port").asText() + " " + a.path("message").asText())
                .collect(Collectors.joining(" | "));
    }
}
