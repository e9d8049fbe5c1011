package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("netsensor.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void bindsSnakeCaseYamlOntoTypedSettings() throws Exception {
        Settings s = SettingsLoader.load(write(
                "interface: eth1\nbpf: \"not port 22\"\nhome_net: [10.0.0.0/8, 2001:db8::/32]\n"
                        + "journal:\n  max_bytes: 512MiB\n  max_age: 24h\nconntrack:\n  max_flows: 1000\n"
                        + "detectors:\n  profile: short-window\n  allowlist:\n    ports: [123]\n"));
        assertThat(s.captureInterface).isEqualTo("eth1");
        assertThat(s.bpf).isEqualTo("not port 22");
        assertThat(s.homeNet).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(Units.bytes(s.journal.maxBytes)).isEqualTo(512L << 20);
        assertThat(s.conntrack.maxFlows).isEqualTo(1000);
        assertThat(s.conntrack.udpInactivity).isEqualTo("1m");
        assertThat(s.detectors.profile).isEqualTo("short-window");
        assertThat(s.detectors.allowlist.ports).containsExactly(123);
    }

    @Test
    void unknownKeyFailsWithFileLineAndReason() throws Exception {
        Path p = write("interface: eth0\nconntrack:\n  max_flow: 10\n");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(p + ":3:")
                .hasMessageContaining("max_flow");
    }

    @Test
    void wrongTypeFailsWithLine() throws Exception {
        Path p = write("snaplen: 100\nconntrack:\n  max_flows: lots\n");
        assertThatThrownBy(() -> SettingsLoader.load(p)).hasMessageContaining(p + ":3:");
    }

    @Test
    void badValuesAreNamed() throws Exception {
        assertThatThrownBy(() -> SettingsLoader.load(write("home_net: [10.0.0.0/33]\n")))
                .hasMessageContaining("home_net").hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> SettingsLoader.load(write("journal:\n  max_age: forever\n")))
                .hasMessageContaining("journal.max_age").hasMessageContaining("forever");
        assertThatThrownBy(() -> SettingsLoader.load(write("snaplen: 10\n"))).hasMessageContaining("snaplen");
        assertThatThrownBy(() -> SettingsLoader.load(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        Settings s = SettingsLoader.load(write(""));
        assertThat(s.dataDir).isEqualTo("/var/lib/netsensor");
        assertThat(s.homeNet).contains("192.168.0.0/16", "fc00::/7");
    }

    @Test
    void unitsParse() {
        assertThat(Units.duration("90s").getSeconds()).isEqualTo(90);
        assertThat(Units.duration("7d").toHours()).isEqualTo(168);
        assertThat(Units.bytes("10GB")).isEqualTo(10_000_000_000L);
        assertThatThrownBy(() -> Units.bytes("ten")).isInstanceOf(IllegalArgumentException.class);
    }
}
