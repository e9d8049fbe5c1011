package io.netsensor.agent.detect;
import io.netsensor.testkit.pcap.Traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.agent.CliRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `netsensor alerts`: the journal's alerts for an operator, as a ranked table or ECS JSON, by time and severity. */
class AlertsCommandTest {
    @TempDir Path dir;

    private Path journalWithAlerts() throws Exception {
        Traffic t = new Traffic();
        t.tcpSession(10, "10.0.0.5", "198.51.100.66", 6667, 100, 300, 20); // c2_port High
        for (int i = 1; i <= 30; i++) t.tcpUnanswered(60 + i * 0.5, "10.0.0.5", "203.0.113." + i, 22); // fanout Medium
        Path pcap = t.write(dir.resolve("alerts.pcap"));
        Path data = dir.resolve("data");
        Replays.run(pcap, "--data-dir", data.toString());
        return data;
    }

    @Test
    void tableJsonSeverityAndSince() throws Exception {
        Path data = journalWithAlerts();
        CliRunner.Result table = CliRunner.run("alerts", "--data-dir", data.toString());
        assertThat(table.exitCode()).as(table.toString()).isZero();
        List<String> lines = table.stdout().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        // the table: a header, a row per alert (each followed by its summary line), a legend
        List<String> rows = lines.stream().filter(l -> l.matches("^(Critical|High|Medium|Low) .*")).collect(Collectors.toList());
        assertThat(lines.get(0)).startsWith("SEVERITY");
        assertThat(rows).as(table.stdout()).hasSize(2);
        assertThat(rows.get(0)).startsWith("High").contains(" c2_port ", "198.51.100.66:6667");
        assertThat(rows.get(1)).startsWith("Medium").contains(" fanout ");

        CliRunner.Result high = CliRunner.run("alerts", "--data-dir", data.toString(), "--severity", "high", "--format", "json");
        assertThat(high.exitCode()).as(high.toString()).isZero();
        List<JsonNode> docs = high.jsonLines();
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).at("/event/kind").asText()).isEqualTo("alert");
        assertThat(docs.get(0).at("/rule/id").asText()).isEqualTo("c2_port");
        assertThat(docs.get(0).at("/netsensor/severity").asText()).isEqualTo("High");

        // the trace is from 2023 (the test kit's time base): nothing in the last hour, everything since 2023
        CliRunner.Result recent = CliRunner.run("alerts", "--data-dir", data.toString(), "--since", "1h");
        assertThat(recent.stdout().strip()).isEqualTo("no alerts");
        CliRunner.Result since = CliRunner.run("alerts", "--data-dir", data.toString(), "--since", "2023-01-01T00:00:00Z", "--format", "json");
        assertThat(since.jsonLines()).hasSize(2);
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        CliRunner.Result none = CliRunner.run("alerts", "--data-dir", dir.resolve("nothing").toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr().strip()).isEqualTo("netsensor: " + dir.resolve("nothing") + ": no journal here (expected "
                + dir.resolve("nothing").resolve("journal") + ")");
        CliRunner.Result bad = CliRunner.run("alerts", "--severity", "urgent");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr().lines().count()).isEqualTo(1);
        assertThat(bad.stderr()).contains("'urgent' is not one of Low, Medium, High or Critical");
    }
}
