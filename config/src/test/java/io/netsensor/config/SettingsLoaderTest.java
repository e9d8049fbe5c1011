package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        assertThat(s.journal.maxBytes).isEqualTo(512L << 20);
        assertThat(s.journal.maxAge).isEqualTo(Duration.ofHours(24));
        assertThat(s.conntrack.maxFlows).isEqualTo(1000);
        assertThat(s.conntrack.udpInactivity).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.detectors.profile).isEqualTo(Settings.DetectorProfile.SHORT_WINDOW);
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

    /** Every mistake is one line: the file, the line and column of the value, the key, the reason. */
    @Test
    void badValuesFailWithFileLineColumnKeyAndReason() throws Exception {
        assertError("conntrack:\n  max_flow: 10\n", ":2:3: conntrack.max_flow: unknown key (did you mean max_flows?)");
        assertError("conntrack:\n  colour: 10\n", ":2:3: conntrack.colour: unknown key (expected one of max_flows,");
        assertError("conntrack:\n  max_flows: lots\n", ":2:14: conntrack.max_flows: 'lots' is not a whole number");
        assertError("conntrack:\n  max_flows: 8\n", ":2:14: conntrack.max_flows: must be between 16 and 67108864, not 8");
        assertError("capture_source: pf_ring\n", ":1:17: capture_source: 'pf_ring' is not one of auto, tpacket_v3 or libpcap");
        assertError("capture_buffer: 64KiB\n", ":1:17: capture_buffer: must be 1MiB to 4GiB");
        assertError("journal:\n  roll_cycle: weekly\n",
                ":2:15: journal.roll_cycle: 'weekly' is not one of hourly, daily or five-minutely");
        assertError("journal:\n  max_age: forever\n", ":2:12: journal.max_age: not a duration: 'forever'");
        assertError("journal: {roll_cycle: daily, max_age: 1y}\n", ":1:39: journal.max_age: not a duration: '1y'");
        assertError("journal:\n  max_age: 7\n", ":2:12: journal.max_age: not a duration: '7'"); // seconds? days?
        assertError("journal:\n  max_bytes: 2XB\n", ":2:14: journal.max_bytes: not a size: '2XB'");
        assertError("journal:\n  max_bytes: 9999999999TB\n", ":2:14: journal.max_bytes: too large: '9999999999TB'");
        assertError("dns:\n  timeout: 0s\n", ":2:12: dns.timeout: must be longer than 0");
        assertError("home_net: [10.0.0.0/8, 10.0.0.0/33]\n", ":1:24: home_net[1]: bad prefix length in CIDR: 10.0.0.0/33");
        assertError("home_net: 10.0.0.0/8\n", ":1:11: home_net: expected a list");
        assertError("detectors:\n  profile: fast\n", ":2:12: detectors.profile: 'fast' is not one of default or short-window");
        assertError("detectors:\n  enabled: maybe\n", ":2:12: detectors.enabled: 'maybe' is not true or false");
        assertError("detectors:\n  c2_ports: [6667, 70000]\n", ":2:20: detectors.c2_ports[1]: not a port: 70000");
        assertError("detectors:\n  disabled: [scan, dns]\n", ":2:20: detectors.disabled[1]: not a detector: dns (one of beacon, relay, fanout, c2_port, dns_tunnel, scan)");
        assertError("snaplen: 10\n", ":1:10: snaplen: must be between 64 and 262144, not 10");
        assertError("interface: eth0\n  bpf: x\n", ":2:6: not valid YAML: mapping values are not allowed here");
        // U+2028/U+2029 break lines for SnakeYAML (YAML 1.1), not for an editor, sed or grep: the line is by \n
        assertError("interface: \"a\u2028b\u2029c\"\n  bpf: x\n", ":2:3: not valid YAML: expected <block end>, but found '<block mapping start>'");
    }

    @Test
    void lineBreaksInAQuotedValueOrKeyStayOnTheErrorLine() throws Exception {
        // found by SettingsLoaderFuzzTest: a plain value folded over an empty line keeps a line break
        assertError("conntrack:\n  max_flows: 65536\n\n    ports\n", ":2:14: conntrack.max_flows: '65536\\nports' is not a whole number");
        assertError("conntrack:\n  \"max\\tflows\\r\": 1\n", ":2:3: conntrack.max\\tflows\\r: unknown key");
        assertError("home_net: [\"10.0.0.0/8\\u2028x\"]\n", ":1:12: home_net[0]: bad prefix length in CIDR: 10.0.0.0/8\\u2028x");
    }

    private void assertError(String yaml, String expected) throws Exception {
        Path p = write(yaml);
        assertThatThrownBy(() -> SettingsLoader.load(p)).as(yaml).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(p + expected).hasMessageNotContaining("\n");
    }

    @Test
    void captureSourceAndBufferBind() throws Exception {
        Settings s = SettingsLoader.load(write("capture_source: libpcap\ncapture_buffer: 16MiB\n"));
        assertThat(s.captureSource).isEqualTo(Settings.CaptureSource.LIBPCAP);
        assertThat(s.captureBuffer).isEqualTo(16L << 20);
        assertThat(SettingsLoader.defaults().captureSource).isEqualTo(Settings.CaptureSource.AUTO);
    }

    @Test
    void durationsAndSizesAreParsedOnceAtLoad() throws Exception {
        Settings s = SettingsLoader.load(write("journal:\n  roll_cycle: five-minutely\n  max_bytes: 1000000\n  max_age: 0s\n"
                + "conntrack:\n  tcp_inactivity: 90s\n  tcp_close_delay: 250ms\ndns:\n  timeout: 2s\n"
                + "detectors:\n  rebuild_window: 1d\n  enabled: false\n"));
        assertThat(s.journal.rollCycle).isEqualTo(Settings.RollCycle.FIVE_MINUTELY);
        assertThat(s.journal.maxBytes).isEqualTo(1_000_000L);
        assertThat(s.journal.maxAge).isZero(); // no age limit
        assertThat(s.conntrack.tcpInactivity).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.conntrack.tcpCloseDelay).isEqualTo(Duration.ofMillis(250));
        assertThat(s.dns.timeout).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.detectors.rebuildWindow).isEqualTo(Duration.ofDays(1));
        assertThat(s.detectors.enabled).isFalse();
    }

    /** The README's documented defaults, which the capture side's settings take from here. */
    @Test
    void defaultsAreTheDocumentedOnes() {
        Settings s = SettingsLoader.defaults();
        assertThat(s.conntrack.maxFlows).isEqualTo(16_384);
        assertThat(s.dns.maxPending).isEqualTo(4_096);
        assertThat(s.detectors.maxKeys).isEqualTo(2_048);
        assertThat(s.dns.timeout).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.journal.maxBytes).isEqualTo(2L << 30);
        assertThat(s.journal.maxAge).isEqualTo(Duration.ofDays(7));
        assertThat(s.journal.rollCycle).isEqualTo(Settings.RollCycle.HOURLY);
        assertThat(s.detectors.profile).isEqualTo(Settings.DetectorProfile.DEFAULT);
        assertThat(s.detectors.enabled).isTrue();
    }

    @Test
    void anEmptySectionKeepsItsDefaults() throws Exception {
        Settings s = SettingsLoader.load(write("journal:\nconntrack:\n  max_flows: 1024\n"));
        assertThat(s.journal.maxAge).isEqualTo(Duration.ofDays(7));
        assertThat(s.conntrack.maxFlows).isEqualTo(1024);
    }

    @Test
    void commandLineOverridesAreCheckedAndNamedAsSuch() {
        Settings s = SettingsLoader.defaults();
        s.homeNet = java.util.List.of("10.0.0.0/40");
        assertThatThrownBy(() -> SettingsLoader.validated(s, "command line"))
                .hasMessage("command line: home_net[0]: bad prefix length in CIDR: 10.0.0.0/40");
    }

    @Test
    void profilesAreNamedAsInTheConfig() {
        assertThat(Settings.DetectorProfile.parse("short-window")).isEqualTo(Settings.DetectorProfile.SHORT_WINDOW);
        assertThatThrownBy(() -> Settings.DetectorProfile.parse("fast")).hasMessage("'fast' is not one of default or short-window");
    }

    @Test
    void durationsFormatAsTheyAreWritten() {
        assertThat(Units.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Units.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Units.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Units.format(Duration.ofDays(7))).isEqualTo("7d");
    }

    @Test
    void unitsParse() {
        assertThat(Units.duration("90s").getSeconds()).isEqualTo(90);
        assertThat(Units.duration("7d").toHours()).isEqualTo(168);
        assertThat(Units.bytes("10GB")).isEqualTo(10_000_000_000L);
        assertThatThrownBy(() -> Units.bytes("ten")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sinksBindByTypeWithTheTypesDefaultsLeftOpen() throws Exception {
        Settings s = SettingsLoader.load(write("sinks:\n"
                + "  - name: siem\n    type: syslog\n    host: 127.0.0.1\n    port: 6514\n    transport: tls\n    kinds: [alerts, telemetry]\n"
                + "  - {name: splunk, type: hec, flavor: splunk, url: 'https://splunk.example:8088', token_file: /etc/netsensor/hec.token,"
                + " max_batch_bytes: 1MiB, ack: true, ack_timeout: 2m}\n"
                + "  - {name: fleet, type: kafka, bootstrap_servers: [k1:9092, k2:9092], compression: lz4}\n"
                + "  - {name: local, type: file, path: /var/log/netsensor/alerts.json, max_bytes: 10MiB}\n"
                + "alerts_on_stderr: false\ntelemetry:\n  interval: 10s\n"));
        assertThat(s.sinks).hasSize(4);
        SinkSettings.Syslog y = (SinkSettings.Syslog) s.sinks.get(0);
        assertThat(y.name).isEqualTo("siem");
        assertThat(y.port).isEqualTo(6514);
        assertThat(y.transport).isEqualTo(SinkSettings.Syslog.Transport.TLS);
        assertThat(y.kinds).containsExactly(SinkSettings.Kind.ALERTS, SinkSettings.Kind.TELEMETRY);
        assertThat(y.format).isNull(); // the type's default (ecs), applied where the sink is built
        assertThat(y.maxBatch).isNull();
        SinkSettings.Hec h = (SinkSettings.Hec) s.sinks.get(1);
        assertThat(h.flavor).isEqualTo(SinkSettings.Hec.Flavor.SPLUNK);
        assertThat(h.maxBatchBytes).isEqualTo(1L << 20);
        assertThat(h.ackTimeout).isEqualTo(Duration.ofMinutes(2));
        assertThat(h.kinds).isNull();
        SinkSettings.Kafka k = (SinkSettings.Kafka) s.sinks.get(2);
        assertThat(k.bootstrapServers).containsExactly("k1:9092", "k2:9092");
        assertThat(k.compression).isEqualTo(SinkSettings.Kafka.Compression.LZ4);
        assertThat(((SinkSettings.File) s.sinks.get(3)).maxBytes).isEqualTo(10L << 20);
        assertThat(s.alertsOnStderr).isFalse();
        assertThat(s.telemetry.interval).isEqualTo(Duration.ofSeconds(10));
        assertThat(SettingsLoader.defaults().sinks).isEmpty();
        assertThat(SettingsLoader.defaults().alertsOnStderr).isTrue();
    }

    @Test
    void sinkMistakesAreOneLineAtTheirKey() throws Exception {
        String head = "sinks:\n  - name: siem\n";
        assertError(head + "    type: syslog\n    host: h\n    prot: 514\n", ":5:5: sinks[0].prot: unknown key (did you mean port?)");
        assertError(head + "    type: syslg\n", ":3:11: sinks[0].type: 'syslg' is not one of syslog, hec, kafka or file");
        assertError(head + "    host: h\n", ":2:5: sinks[0].type: required: one of syslog, hec, kafka or file");
        assertError(head + "    type: syslog\n    port: 514x\n", ":4:11: sinks[0].port: '514x' is not a whole number");
        assertError(head + "    type: syslog\n    transport: quic\n", ":4:16: sinks[0].transport: 'quic' is not one of tcp, tls or udp");
        assertError(head + "    type: file\n    kinds: [alerts, metrics]\n", ":4:21: sinks[0].kinds[1]: 'metrics' is not one of alerts, telemetry, events or bursts");
        assertError(head + "    type: hec\n    ack_timeout: 5\n", ":4:18: sinks[0].ack_timeout: not a duration: '5'");
        assertError(head + "    type: kafka\n    bootstrap_servers: k1:9092\n", ":4:24: sinks[0].bootstrap_servers: expected a list");
        assertError("sinks:\n  - name: a\n    type: file\n    path: /x\n  - name: b\n    type: file\n    path: /y\n    max_byte: 1\n",
                ":8:5: sinks[1].max_byte: unknown key (did you mean max_bytes?)");
        assertError("telemetry:\n  interval: 0s\n", ":2:13: telemetry.interval: must be longer than 0");
    }

    @Test
    void checksFromOtherModulesReportAtTheKeyOrItsSection() throws Exception {
        Path p = write("sinks:\n  - name: siem\n    type: syslog\n    port: 514\n");
        SettingsLoader.Check needsHost = (s, problems) -> {
            if (((SinkSettings.Syslog) s.sinks.get(0)).host == null) throw problems.at("sinks[0].host", "required");
        };
        assertThatThrownBy(() -> SettingsLoader.load(p, needsHost)).hasMessage(p + ":2:5: sinks[0].host: required");
        SettingsLoader.Check port = (s, problems) -> {
            throw problems.at("sinks[0].port", "not this one");
        };
        assertThatThrownBy(() -> SettingsLoader.load(p, port)).hasMessage(p + ":4:11: sinks[0].port: not this one");
    }

    @Test
    void typosFindTheirKey() {
        java.util.List<String> keys = java.util.List.of("port", "host", "transport", "max_batch", "ca_file");
        assertThat(SettingsLoader.closest("prot", keys)).isEqualTo("port");
        assertThat(SettingsLoader.closest("max_bach", keys)).isEqualTo("max_batch");
        assertThat(SettingsLoader.closest("cafile", keys)).isEqualTo("ca_file");
        assertThat(SettingsLoader.closest("colour", keys)).isNull();
    }
}
