package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NETSENSOR_... variables over the file: mapped mechanically to keys, checked as the file is, named when wrong. */
class EnvOverridesTest {
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("netsensor.yml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void variablesOverrideTheFileKeyByKey() throws Exception {
        Path p = write("interface: eth0\nconntrack:\n  max_flows: 1024\n  tcp_inactivity: 5m\nhome_net: [10.0.0.0/8]\n"
                + "sinks:\n  - name: local\n    type: file\n    path: /var/log/a.json\n");
        Settings s = SettingsLoader.load(p, Map.of(
                "NETSENSOR_CONNTRACK_MAX_FLOWS", "8192",
                "NETSENSOR_DATA_DIR", "/srv/netsensor",
                "NETSENSOR_HOME_NET", "172.16.0.0/12, fd00::/8",
                "NETSENSOR_DETECTORS_BEACON_MIN_CONNECTIONS", "6",
                "NETSENSOR_DETECTORS_ALLOWLIST_PORTS_0", "123",
                "NETSENSOR_SINKS_0_PATH", "/data/alerts.json",
                "NETSENSOR_HOME", "/usr/lib/netsensor", // the launcher's, not a setting
                "PATH", "/usr/bin"));
        assertThat(s.captureInterface).isEqualTo("eth0"); // the file's, untouched
        assertThat(s.conntrack.maxFlows).isEqualTo(8192);
        assertThat(s.conntrack.tcpInactivity).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.dataDir).isEqualTo("/srv/netsensor");
        assertThat(s.homeNet).containsExactly("172.16.0.0/12", "fd00::/8");
        assertThat(s.detectors.beacon.minConnections).isEqualTo(6);
        assertThat(s.detectors.allowlist.ports).containsExactly(123);
        assertThat(((SinkSettings.File) s.sinks.get(0)).path).isEqualTo("/data/alerts.json");
        assertThat(s.sinks.get(0).name).isEqualTo("local");
        assertThat(s.environment()).containsEntry("conntrack.max_flows", "NETSENSOR_CONNTRACK_MAX_FLOWS")
                .containsEntry("sinks[0].path", "NETSENSOR_SINKS_0_PATH").containsEntry("home_net", "NETSENSOR_HOME_NET")
                .hasSize(6);
    }

    @Test
    void theNextIndexAddsAnEntryAndTheTypeMayComeFromTheEnvironmentToo() throws Exception {
        Settings s = SettingsLoader.defaults(Map.of(
                "NETSENSOR_SINKS_0_TYPE", "syslog", "NETSENSOR_SINKS_0_NAME", "siem", "NETSENSOR_SINKS_0_HOST", "10.1.2.3",
                "NETSENSOR_SINKS_0_PORT", "6514", "NETSENSOR_SINKS_0_KINDS", "alerts,telemetry",
                "NETSENSOR_SINKS_1_TYPE", "file", "NETSENSOR_SINKS_1_NAME", "local", "NETSENSOR_SINKS_1_PATH", "/tmp/a.json"));
        assertThat(s.sinks).hasSize(2);
        SinkSettings.Syslog y = (SinkSettings.Syslog) s.sinks.get(0);
        assertThat(y.host).isEqualTo("10.1.2.3");
        assertThat(y.port).isEqualTo(6514);
        assertThat(y.kinds).containsExactly(SinkSettings.Kind.ALERTS, SinkSettings.Kind.TELEMETRY);
        assertThat(((SinkSettings.File) s.sinks.get(1)).path).isEqualTo("/tmp/a.json");
    }

    @Test
    void aBadValueNamesItsVariableNotALine() throws Exception {
        Path p = write("snaplen: 100\n");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_CONNTRACK_MAX_FLOWS", "lots")))
                .hasMessage("NETSENSOR_CONNTRACK_MAX_FLOWS: conntrack.max_flows: 'lots' is not a whole number");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_DETECTORS_C2_PORTS", "6667,70000")))
                .hasMessage("NETSENSOR_DETECTORS_C2_PORTS: detectors.c2_ports[1]: not a port: 70000 (1-65535)");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_JOURNAL_MAX_AGE", "forever")))
                .hasMessageStartingWith("NETSENSOR_JOURNAL_MAX_AGE: journal.max_age: not a duration: 'forever'");
        // a file's own mistake is still reported at its line when the environment sets something else
        Path q = write("snaplen: 10\n");
        assertThatThrownBy(() -> SettingsLoader.load(q, Map.of("NETSENSOR_DATA_DIR", "/srv")))
                .hasMessage(q + ":1:10: snaplen: must be between 64 and 262144, not 10");
        Path r = write("conntrack:\n  max_flows: lots\n");
        assertThatThrownBy(() -> SettingsLoader.load(r, Map.of("NETSENSOR_DATA_DIR", "/srv")))
                .hasMessage(r + ":2:14: conntrack.max_flows: 'lots' is not a whole number");
    }

    @Test
    void aVariableNamingNoKeyIsAnErrorWithASuggestion() throws Exception {
        Path p = write("");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_CONNTRACK_MAX_FLOW", "1")))
                .hasMessage("NETSENSOR_CONNTRACK_MAX_FLOW: no setting conntrack.max_flow (did you mean NETSENSOR_CONNTRACK_MAX_FLOWS?)");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_JOURNAL", "x")))
                .hasMessageStartingWith("NETSENSOR_JOURNAL: journal is a section: name one of its keys (max_age, max_bytes, roll_cycle)");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_SINKS_1_URL", "https://x")))
                .hasMessage("NETSENSOR_SINKS_1_URL: sinks has 0 entries: the next one is index 0 (entries are numbered from 0, in order)");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("NETSENSOR_SINKS_0_URL", "https://x")))
                .hasMessage("NETSENSOR_SINKS_0_URL: sinks[0] has no type: set NETSENSOR_SINKS_0_TYPE (syslog, hec, kafka or file)");
        Path f = write("sinks:\n  - {name: a, type: file, path: /x}\n");
        assertThatThrownBy(() -> SettingsLoader.load(f, Map.of("NETSENSOR_SINKS_0_URL", "https://x")))
                .hasMessageStartingWith("NETSENSOR_SINKS_0_URL: no setting sinks[0].url");
    }

    @Test
    void aMissingKeyOfAnEntryTheEnvironmentAddedNamesTheVariable() {
        SettingsLoader.Check needsHost = (s, problems) -> {
            throw problems.at("sinks[0].host", "required");
        };
        assertThatThrownBy(() -> SettingsLoader.defaults(Map.of("NETSENSOR_SINKS_0_TYPE", "syslog", "NETSENSOR_SINKS_0_NAME", "a"), needsHost))
                .hasMessage("NETSENSOR_SINKS_0_NAME: sinks[0].host: required");
    }
}
