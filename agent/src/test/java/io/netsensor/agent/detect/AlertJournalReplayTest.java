package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.CliRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts are journal records: what `replay --data-dir D` printed, `events --data-dir D` reads back from the
 * journal with the same ids and evidence; a second replay into D prints and counts only its own input.
 */
class AlertJournalReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static List<JsonNode> docs(String stdout) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : stdout.split("\n")) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }

    private static List<String> alertKeys(List<JsonNode> docs) {
        List<String> keys = new ArrayList<>();
        for (JsonNode d : docs) {
            if (!"alert".equals(d.at("/event/kind").asText())) continue;
            keys.add(d.at("/netsensor/alert_id").asText() + " " + d.at("/netsensor/severity").asText() + " " + d.at("/netsensor/evidence"));
        }
        return keys;
    }

    @Test
    void replayedAlertsAreReadBackFromTheJournalWithTheirIdsAndEvidence() throws Exception {
        Path pcap = LongBeacon.write(dir.resolve("beacon.pcap"));
        Path data = dir.resolve("data");
        CliRunner.Result replay = CliRunner.run("replay", pcap.toString(), "--data-dir", data.toString());
        assertThat(replay.exitCode()).as(replay.stderr()).isZero();
        List<String> printed = alertKeys(docs(replay.stdout()));
        assertThat(printed).isNotEmpty();

        CliRunner.Result events = CliRunner.run("events", "--data-dir", data.toString(), "--type", "alert");
        assertThat(events.exitCode()).as(events.stderr()).isZero();
        assertThat(alertKeys(docs(events.stdout()))).as("the journal holds every alert and re-alert, as printed").isEqualTo(printed);

        // the same capture replayed again into the same journal: its own alerts, its own counts
        CliRunner.Result again = CliRunner.run("replay", pcap.toString(), "--data-dir", data.toString());
        assertThat(alertKeys(docs(again.stdout()))).isEqualTo(printed);
        assertThat(again.stderr()).contains("alerts: " + printed.size());
        String firstCounts = replay.stderr().lines().filter(l -> l.contains("connection records")).findFirst().orElseThrow();
        String secondCounts = again.stderr().lines().filter(l -> l.contains("connection records")).findFirst().orElseThrow();
        assertThat(secondCounts).isEqualTo(firstCounts);
        CliRunner.Result both = CliRunner.run("events", "--data-dir", data.toString(), "--type", "alert");
        assertThat(alertKeys(docs(both.stdout()))).hasSize(2 * printed.size());
    }
}
