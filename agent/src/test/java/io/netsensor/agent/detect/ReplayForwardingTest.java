package io.netsensor.agent.detect;
import io.netsensor.testkit.pcap.Traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `replay --data-dir D -c CONFIG` forwards to the config's sinks from their positions in D (a second replay
 * sends only its own records); without --data-dir it says it does not. `config show` prints the effective
 * sinks and never the HEC token.
 */
class ReplayForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private Path pcap(String name, String remote) throws Exception {
        Traffic t = new Traffic();
        t.tcpSession(10, "10.0.0.5", remote, 6667, 100, 300, 20); // c2_port High
        return t.write(dir.resolve(name));
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        for (String l : Files.readAllLines(file)) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }

    @Test
    void replayForwardsFromTheSinksPositionsInTheDataDir() throws Exception {
        Path alerts = dir.resolve("alerts.json");
        Path config = dir.resolve("netsensor.yaml");
        Files.writeString(config, "sinks:\n  - name: local\n    type: file\n    path: " + alerts + "\n");
        Path data = dir.resolve("data");

        CliRunner.Result noDir = CliRunner.run("replay", "-c", config.toString(), pcap("a.pcap", "198.51.100.66").toString());
        assertThat(noDir.exitCode()).as(noDir.toString()).isZero();
        assertThat(noDir.stderr()).contains("netsensor replay: not forwarding to the config's sinks: give --data-dir (their positions live there)");
        assertThat(alerts).doesNotExist();

        CliRunner.Result first = CliRunner.run("replay", "-c", config.toString(), "--data-dir", data.toString(), dir.resolve("a.pcap").toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stderr()).contains("netsensor: sink local (file " + alerts + "; alerts): first start: forwarding from the journal's beginning")
                .contains("netsensor replay: forwarded sink local: 1 delivered, 0 retries, 0 lost to retention");
        assertThat(lines(alerts)).extracting(a -> a.at("/destination/ip").asText()).containsExactly("198.51.100.66");
        assertThat(data.resolve("sinks/local.pos")).exists();

        CliRunner.Result second = CliRunner.run("replay", "-c", config.toString(), "--data-dir", data.toString(),
                pcap("b.pcap", "198.51.100.77").toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stderr()).contains("netsensor: sink local (file " + alerts + "; alerts): resuming at journal index");
        assertThat(lines(alerts)).extracting(a -> a.at("/destination/ip").asText()).containsExactly("198.51.100.66", "198.51.100.77");
    }

    @Test
    void configShowPrintsTheEffectiveSinksButNeverTheToken() throws Exception {
        Path token = dir.resolve("hec.token");
        Files.writeString(token, "5ecret-7oken-f00d\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("netsensor.yaml");
        Files.writeString(config, "sinks:\n  - name: splunk\n    type: hec\n    flavor: splunk\n    url: https://splunk.example:8088\n"
                + "    token_file: " + token + "\n  - {name: siem, type: syslog, host: 127.0.0.1}\n");
        CliRunner.Result r = CliRunner.run("config", "show", "-c", config.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout() + r.stderr()).doesNotContain("5ecret-7oken-f00d");
        assertThat(r.stdout()).contains("token_file: " + token, "sourcetype: netsensor:ecs", "ack_timeout: 5m", "port: 514",
                "alerts_on_stderr: true", "interval: 1m");

        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result open = CliRunner.run("config", "show", "-c", config.toString());
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.stderr().strip()).isEqualTo("netsensor: config error: " + config + ":6:17: sinks[0].token_file: " + token
                + " is readable by group or others; restrict it (chmod 600) and restart");
        // a reader of the journal does not need the sinks' files
        CliRunner.Result events = CliRunner.run("alerts", "-c", config.toString(), "--data-dir", dir.resolve("none").toString());
        assertThat(events.stderr()).doesNotContain("token_file");
    }
}
