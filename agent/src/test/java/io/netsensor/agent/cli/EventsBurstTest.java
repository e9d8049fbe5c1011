package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.CliRunner;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `netsensor events` prints BURST records (request/response exchanges inside a connection), JSON and table, and --type burst. */
class EventsBurstTest {
    static final String HOST = "10.0.0.5", C2 = "198.51.100.31";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<JsonNode> json(String stdout) {
        return stdout.lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    void burstsInsideALongLivedConnectionArePrintedWithTheirConnection() throws Exception {
        Traffic t = new Traffic();
        Traffic.Session s = t.tcpOpen(0, HOST, C2, 8443, true);
        for (int i = 0; i < 6; i++) s.exchange(10 + i * 30.0, 64 + i, 900 + i);
        s.close(200);
        // a connection the capture joins mid-stream: its first burst is journaled too (no connection start stands for it)
        Traffic.Session mid = t.tcpOpen(0, HOST, "198.51.100.32", 9001, false);
        for (int i = 0; i < 3; i++) mid.exchange(5 + i * 20.0, 40, 40);
        Path data = dir.resolve("data");
        CliRunner.Result r = CliRunner.run("replay", t.write(dir.resolve("session.pcap")).toString(), "--data-dir", data.toString(), "--no-detect");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        CliRunner.Result all = CliRunner.run("events", "--data-dir", data.toString());
        assertThat(all.exitCode()).as(all.toString()).isZero();
        List<JsonNode> records = json(all.stdout());
        List<JsonNode> bursts = records.stream().filter(d -> d.at("/event/dataset").asText().equals("netsensor.burst")
                && d.at("/destination/port").asInt() == 8443).toList();
        assertThat(bursts).as(all.stdout()).hasSizeGreaterThanOrEqualTo(5);
        JsonNode end = records.stream().filter(d -> d.at("/event/action").asText().equals("connection_end")
                && d.at("/destination/port").asInt() == 8443).findFirst().orElseThrow();
        for (JsonNode b : bursts) {
            assertThat(b.at("/netsensor/flow_id").asText()).isEqualTo(end.at("/netsensor/flow_id").asText());
            assertThat(b.at("/network/community_id").asText()).isEqualTo(end.at("/network/community_id").asText());
            assertThat(b.at("/source/ip").asText()).isEqualTo(HOST);
            assertThat(b.at("/destination/ip").asText()).isEqualTo(C2);
            assertThat(b.at("/destination/port").asInt()).isEqualTo(8443);
            assertThat(b.at("/network/direction").asText()).isEqualTo("outbound");
            assertThat(b.at("/netsensor/burst/orig_bytes").asInt()).isBetween(64, 69);
            assertThat(b.at("/netsensor/burst/resp_bytes").asInt()).isBetween(900, 905);
        }
        JsonNode later = bursts.get(bursts.size() - 1);
        assertThat(later.at("/netsensor/burst/idle_before").asLong() / 1e9).isBetween(25.0, 31.0);
        assertThat(later.at("/@timestamp").asText()).isEqualTo(later.at("/event/start").asText());

        CliRunner.Result only = CliRunner.run("events", "--data-dir", data.toString(), "--type", "BURST");
        assertThat(only.exitCode()).as(only.toString()).isZero();
        assertThat(json(only.stdout())).hasSize(bursts.size() + 3)
                .allSatisfy(d -> assertThat(d.at("/event/dataset").asText()).isEqualTo("netsensor.burst"));
        CliRunner.Result conns = CliRunner.run("events", "--data-dir", data.toString(), "--type", "conn");
        assertThat(json(conns.stdout())).isNotEmpty().noneSatisfy(d -> assertThat(d.at("/event/dataset").asText()).isEqualTo("netsensor.burst"));

        CliRunner.Result table = CliRunner.run("events", "--data-dir", data.toString(), "--type", "burst", "--format", "table");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        List<String> rows = table.stdout().lines().skip(1).filter(l -> l.contains(":8443")).toList();
        String flow = end.at("/netsensor/flow_id").asText();
        assertThat(rows).hasSize(bursts.size()).allSatisfy(l -> assertThat(l).contains(" burst ", HOST, C2 + ":8443", "flow " + flow)
                .containsPattern("tcp #\\d+, 6\\d/90\\d B, "));
        assertThat(table.stdout()).containsPattern("198\\.51\\.100\\.32:9001 +tcp #1, 40/40 B, first seen, flow [0-9a-f]+");
        assertThat(rows.get(rows.size() - 1)).containsPattern("idle (29|30)\\.\\d s");

        CliRunner.Result bad = CliRunner.run("events", "--data-dir", data.toString(), "--type", "bursts");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("conn, dns, burst or alert");
    }
}
