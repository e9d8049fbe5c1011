package io.netsensor.agent.detect;

import io.netsensor.events.Alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert identity over a replay: a detector raises an alert again only when its severity rises, and the
 * re-alert keeps the id, so a SIEM can update one record instead of collecting duplicates.
 */
class AlertIdReplayTest {
    static final String HOST = LongBeacon.HOST;

    @TempDir
    Path dir;

    @Test
    void reAlertsKeepTheIdAndOnlyComeWithRisingSeverity() throws Exception {
        Traffic t = LongBeacon.traffic();
        // c2_port: three refused attempts (Medium once), then one that connects (High, same id), then more
        for (int i = 0; i < 3; i++) t.tcpRefused(100 + i * 30, HOST, "198.51.100.66", 6667);
        t.tcpSession(300, HOST, "198.51.100.66", 6667, 100, 300, 20);
        t.tcpSession(400, HOST, "198.51.100.66", 6667, 100, 300, 20);
        // fanout: 70 distinct hosts on port 22 within 3 minutes: Medium at 30, High at 60, nothing in between
        for (int i = 1; i <= 70; i++) t.tcpUnanswered(1200 + i * 2.0, HOST, "203.0.113." + i, 22);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("ids.pcap")));

        Map<String, List<String>> severitiesById = new LinkedHashMap<>();
        Map<String, String> detectorById = new LinkedHashMap<>();
        Map<String, List<Long>> progressCounts = new LinkedHashMap<>();
        for (JsonNode a : alerts) {
            String id = a.at("/netsensor/alert_id").asText();
            assertThat(id).startsWith(a.at("/rule/id").asText() + "-");
            detectorById.put(id, a.at("/rule/id").asText());
            if (a.at("/netsensor/evidence").path("progress_update").asBoolean()) {
                // a progress update restates a step at the same severity with a larger count
                progressCounts.computeIfAbsent(id, k -> new ArrayList<>()).add(a.at("/netsensor/count").asLong());
                assertThat(severitiesById.get(id)).as("a progress update follows a step").isNotEmpty();
                assertThat(a.at("/netsensor/severity").asText()).isEqualTo(severitiesById.get(id).get(severitiesById.get(id).size() - 1));
                continue;
            }
            severitiesById.computeIfAbsent(id, k -> new ArrayList<>()).add(a.at("/netsensor/severity").asText());
            detectorById.put(id, a.at("/rule/id").asText());
        }
        assertThat(detectorById.values()).as(Replays.describe(alerts)).containsExactlyInAnyOrder("beacon", "c2_port", "fanout");
        severitiesById.forEach((id, sevs) -> assertThat(rank(sevs)).as("%s %s", id, sevs).isSorted().doesNotHaveDuplicates());

        assertThat(severities(severitiesById, detectorById, "c2_port")).containsExactly("Medium", "High");
        assertThat(severities(severitiesById, detectorById, "fanout")).containsExactly("Medium", "High");
        List<String> beacon = severities(severitiesById, detectorById, "beacon");
        assertThat(beacon).contains("High").endsWith("Critical");

        // each re-alert describes the same subject, with later evidence
        List<JsonNode> fan = Replays.of(alerts, "fanout");
        assertThat(fan.get(1).at("/netsensor/evidence").path("unique_external_ips").asInt())
                .isGreaterThan(fan.get(0).at("/netsensor/evidence").path("unique_external_ips").asInt());
        List<JsonNode> beacons = Replays.of(alerts, "beacon");
        assertThat(beacons).extracting(b -> b.at("/destination/ip").asText()).containsOnly(LongBeacon.C2);
        // only the beacon restates itself as it runs on, and its last word is its final count (every check-in)
        assertThat(progressCounts.keySet()).allSatisfy(id -> assertThat(detectorById.get(id)).isEqualTo("beacon"));
        progressCounts.values().forEach(c -> assertThat(c).isSorted());
        assertThat(beacons.get(beacons.size() - 1).at("/netsensor/count").asLong()).isGreaterThanOrEqualTo(LongBeacon.CHECKINS);
        assertThat(beacons.get(beacons.size() - 1).at("/netsensor/count").asLong()).isGreaterThan(beacons.get(0).at("/netsensor/count").asLong());
    }

    @Test
    void theSameActivityReplayedAgainGetsTheSameIds() throws Exception {
        Path pcap = LongBeacon.write(dir.resolve("again.pcap"));
        List<String> first = ids(Replays.alerts(pcap)), second = ids(Replays.alerts(pcap));
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    private static List<String> ids(List<JsonNode> alerts) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : alerts) out.add(a.at("/netsensor/alert_id").asText());
        return out;
    }

    private static List<String> severities(Map<String, List<String>> byId, Map<String, String> detectors, String detector) {
        return byId.entrySet().stream().filter(e -> detectors.get(e.getKey()).equals(detector)).findFirst()
                .orElseThrow().getValue();
    }

    private static List<Integer> rank(List<String> severities) {
        List<String> order = List.of("Low", "Medium", "High", "Critical");
        List<Integer> out = new ArrayList<>();
        for (String s : severities) out.add(order.indexOf(s));
        return out;
    }
}
