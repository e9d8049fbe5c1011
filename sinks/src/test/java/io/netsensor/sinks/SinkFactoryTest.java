package io.netsensor.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsensor.config.ConfigException;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.sinks.file.FileSink;
import io.netsensor.sinks.hec.HecSink;
import io.netsensor.sinks.kafka.KafkaSink;
import io.netsensor.sinks.syslog.SyslogSink;
import io.netsensor.testkit.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink's config builds it: defaults of its type filled in, every mistake one line at its key. */
class SinkFactoryTest {
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("netsensor.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private List<SinkFactory.Spec> specs(String yaml) throws Exception {
        Path p = write(yaml);
        Settings s = SettingsLoader.load(p, SinkFactory::check);
        return SinkFactory.specs(s, (k, r) -> new ConfigException(k + ": " + r), "sensor-1");
    }

    private void assertError(String yaml, String expected) throws Exception {
        Path p = write(yaml);
        assertThatThrownBy(() -> SettingsLoader.load(p, SinkFactory::check)).as(yaml).isInstanceOf(ConfigException.class)
                .hasMessage(p + expected);
    }

    private Path token(String perms) throws Exception {
        Path t = dir.resolve("hec.token");
        Files.writeString(t, "0b4d-secret-token\n");
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(perms));
        return t;
    }

    @Test
    void eachTypeGetsItsOwnDefaults() throws Exception {
        Path token = token("rw-------");
        List<SinkFactory.Spec> specs = specs("sinks:\n"
                + "  - {name: siem, type: syslog, host: 127.0.0.1}\n"
                + "  - {name: siem-tls, type: syslog, host: collector.example, transport: tls}\n"
                + "  - {name: splunk, type: hec, flavor: splunk, url: 'https://splunk.example:8088', token_file: " + token + "}\n"
                + "  - {name: fleet, type: kafka, bootstrap_servers: ['k1:9092']}\n"
                + "  - {name: local, type: file, path: " + dir.resolve("alerts.json") + "}\n");
        assertThat(specs).extracting(SinkFactory.Spec::name).containsExactly("siem", "siem-tls", "splunk", "fleet", "local");
        assertThat(specs).extracting(SinkFactory.Spec::describe).containsExactly("syslog tcp 127.0.0.1:514",
                "syslog tls collector.example:6514", "hec splunk https://splunk.example:8088/services/collector/event",
                "kafka k1:9092", "file " + dir.resolve("alerts.json"));
        assertThat(specs.get(0).kinds()).containsExactlyInAnyOrder(RecordKind.ALERT, RecordKind.TELEMETRY);
        assertThat(specs.get(2).kinds()).containsExactly(RecordKind.ALERT);
        assertThat(specs.get(3).kinds()).containsExactly(RecordKind.ALERT);
        assertThat(specs.get(4).kinds()).containsExactly(RecordKind.ALERT);
        Map<String, Object> syslog = specs.get(0).effective();
        assertThat(syslog).containsEntry("format", "ecs").containsEntry("facility", "local0").containsEntry("max_batch", 2048)
                .containsEntry("host_name", "sensor-1").containsEntry("kinds", List.of("alerts", "telemetry"));
        assertThat(specs.get(1).effective()).containsEntry("server_name", "collector.example");
        Map<String, Object> hec = specs.get(2).effective();
        assertThat(hec).containsEntry("token_file", token.toString()).containsEntry("max_batch_events", 5000)
                .containsEntry("ack_timeout", "5m").containsEntry("gzip", true);
        assertThat(hec.toString()).doesNotContain("secret-token");
        assertThat(specs.get(3).effective()).containsEntry("alerts_topic", "netsensor.alerts").containsEntry("compression", "zstd");
        assertThat(specs.get(4).effective()).containsEntry("max_bytes", FileSink.DEFAULT_MAX_BYTES).containsEntry("max_files", 5);

        assertThat(specs.get(0).open()).isInstanceOf(SyslogSink.class);
        try (Sink hecSink = specs.get(2).open(); Sink kafka = specs.get(3).open(); Sink file = specs.get(4).open()) {
            assertThat(hecSink).isInstanceOf(HecSink.class);
            assertThat(kafka).isInstanceOf(KafkaSink.class);
            assertThat(file).isInstanceOf(FileSink.class);
            assertThat(file.name()).isEqualTo("local");
        }
    }

    @Test
    void kindsAndSettingsGivenAreKept() throws Exception {
        List<SinkFactory.Spec> specs = specs("sinks:\n  - name: raw\n    type: syslog\n    host: ::1\n    port: 6601\n"
                + "    transport: udp\n    kinds: [events]\n    facility: daemon\n    max_batch: 100\n");
        assertThat(specs.get(0).kinds()).as("raw events: connection, DNS and burst records").containsExactly(RecordKind.EVENT, RecordKind.BURST);
        assertThat(specs.get(0).effective()).containsEntry("kinds", List.of("events"));
        assertThat(specs.get(0).describe()).isEqualTo("syslog udp [::1]:6601");
        assertThat(specs.get(0).effective()).containsEntry("facility", "daemon").containsEntry("max_batch", 100);
    }

    @Test
    void burstsCanBeForwardedWithoutTheConnectionAndDnsRecords() throws Exception {
        List<SinkFactory.Spec> specs = specs("sinks:\n  - name: beacons\n    type: file\n    path: " + dir.resolve("b.json") + "\n"
                + "    kinds: [alerts, bursts]\n  - name: all\n    type: kafka\n    bootstrap_servers: ['k1:9092']\n"
                + "    kinds: [events, bursts]\n");
        assertThat(specs.get(0).kinds()).containsExactly(RecordKind.ALERT, RecordKind.BURST);
        assertThat(specs.get(0).effective()).containsEntry("kinds", List.of("alerts", "bursts"));
        assertThat(specs.get(1).kinds()).as("bursts are in events already").containsExactlyInAnyOrder(RecordKind.EVENT, RecordKind.BURST);
        assertThat(specs.get(1).effective()).containsEntry("kinds", List.of("events"));
        String s = "sinks:\n  - name: siem\n    type: syslog\n    host: h\n";
        assertError(s + "    format: cef\n    kinds: [alerts, bursts]\n",
                ":6:12: sinks[0].kinds: a cef sink forwards alerts and telemetry, not events or bursts; use format: ecs for them");
        assertError(s + "    kinds: [burst]\n", ":5:13: sinks[0].kinds[0]: 'burst' is not one of alerts, telemetry, events or bursts");
    }

    @Test
    void mistakesAreOneLineAtTheirKey() throws Exception {
        String s = "sinks:\n  - name: siem\n    type: syslog\n";
        assertError(s + "    port: 514\n", ":2:5: sinks[0].host: required: the collector's host name or address");
        assertError(s + "    host: h\n    port: 70000\n", ":5:11: sinks[0].port: not a port: 70000 (1-65535)");
        assertError(s + "    host: h\n    port: 0\n", ":5:11: sinks[0].port: not a port: 0 (1-65535)");
        assertError(s + "    host: h\n    transport: tls\n    ca_file: " + dir.resolve("ca.pem") + "\n",
                ":6:14: sinks[0].ca_file: " + dir.resolve("ca.pem") + ": no such file");
        Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
        assertError(s + "    host: h\n    transport: tls\n    ca_file: " + dir.resolve("not-a-cert.pem") + "\n",
                ":6:14: sinks[0].ca_file: TLS setup failed: No certificate data found");
        assertError(s + "    host: h\n    ca_file: " + dir.resolve("not-a-cert.pem") + "\n",
                ":5:14: sinks[0].ca_file: needs transport: tls (it is tcp)");
        assertError(s + "    host: h\n    facility: kern\n", ":5:15: sinks[0].facility: 'kern' is not one of user, daemon, auth, "
                + "authpriv, local0, local1, local2, local3, local4, local5, local6, local7");
        assertError(s + "    host: h\n    format: cef\n    kinds: [events]\n", ":6:12: sinks[0].kinds: a cef sink forwards alerts and telemetry, not events or bursts; use format: ecs for them");
        assertError(s + "    host: h\n    kinds: []\n", ":5:12: sinks[0].kinds: must name at least one of alerts, telemetry, events or bursts");
        assertError(s + "    host: h\n  - name: siem\n    type: file\n    path: /tmp/a.json\n",
                ":5:11: sinks[1].name: 'siem' is already the name of sinks[0]; each sink needs its own (it names its position file)");
        assertError("sinks:\n  - name: stderr\n    type: file\n    path: /tmp/a.json\n",
                ":2:11: sinks[0].name: 'stderr' is the name of a built-in output; choose another");
        assertError("sinks:\n  - name: a/b\n    type: file\n    path: /tmp/a.json\n",
                ":2:11: sinks[0].name: 'a/b' must be 1-64 letters, digits or _.-");
        assertError("sinks:\n  - type: file\n    path: /tmp/a.json\n",
                ":2:5: sinks[0].name: required: a name of letters, digits or _.- (it names the sink's position file)");
        assertError("sinks:\n  - name: f\n    type: file\n    path: /tmp/a.json\n    format: cef\n",
                ":5:13: sinks[0].format: cef is for syslog sinks only (ArcSight, QRadar); use ecs");
        assertError("sinks:\n  - name: f\n    type: file\n    path: " + dir + "\n", ":4:11: sinks[0].path: " + dir + " is a directory; name a file in it");
        assertError("sinks:\n  - name: f\n    type: file\n    path: /tmp/a.json\n    max_bytes: 1KiB\n",
                ":5:16: sinks[0].max_bytes: must be at least 4KiB, not 1024");
    }

    @Test
    void theHecTokenComesOnlyFromAnOwnerOnlyFile() throws Exception {
        String s = "sinks:\n  - name: splunk\n    type: hec\n    flavor: splunk\n    url: https://splunk.example:8088\n";
        Path missing = dir.resolve("missing.token");
        assertError(s + "    token_file: " + missing + "\n", ":6:17: sinks[0].token_file: " + missing + " does not exist");
        Path open = token("rw-r-----");
        assertError(s + "    token_file: " + open + "\n", ":6:17: sinks[0].token_file: " + open
                + " is readable by group or others; restrict it (chmod 600) and restart");
        assertError(s, ":2:5: sinks[0].token_file: required: the file holding the ingest token (owner-only, chmod 600)");
        assertError(s + "    token: abc\n", ":6:5: sinks[0].token: unknown key (did you mean token_file?)");
        Path ok = token("rw-------");
        assertError(s + "    token_file: " + ok + "\n    max_batch_events: 6000\n",
                ":7:23: sinks[0].max_batch_events: must be 1..5000 (the HEC limit), got 6000");
        assertError("sinks:\n  - {name: s, type: hec, flavor: logscale, url: 'http://siem.example:8080', token_file: " + ok + "}\n",
                ":2:49: sinks[0].url: url is http:// to a non-loopback host, which would send the token in clear; use https");
        assertError("sinks:\n  - {name: s, type: hec, flavor: logscale, url: 'https://siem.example', token_file: " + ok + ", ack: true}\n",
                ":2:114: sinks[0].ack: ack (indexer acknowledgement) exists only for flavor splunk".replace(":2:114:", ":2:" + col("ack: true}", ok) + ":"));
    }

    /** The column of the value after a key in the one-line sink of the test above. */
    private static int col(String keyAndValue, Path token) {
        String line = "  - {name: s, type: hec, flavor: logscale, url: 'https://siem.example', token_file: " + token + ", ack: true}";
        return line.indexOf(keyAndValue) + "ack: ".length() + 1;
    }

    @Test
    void kafkaSecretsOnlyByReferenceToAFile() throws Exception {
        String s = "sinks:\n  - name: fleet\n    type: kafka\n    bootstrap_servers: ['k1:9093']\n    producer_properties:\n";
        assertError(s + "      security.protocol: SASL_SSL\n      sasl.jaas.config: \"org.apache.kafka.common.security.plain.PlainLoginModule required username=u password=p;\"\n",
                ":6:7: sinks[0].producer_properties: sasl.jaas.config holds a secret: give it as a reference to a file of the producer's "
                        + "FileConfigProvider (config.providers: file, sasl.jaas.config: ${file:/etc/netsensor/kafka.secrets:sasl.jaas.config})");
        List<SinkFactory.Spec> ok = specs(s + "      config.providers: file\n"
                + "      config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider\n"
                + "      sasl.jaas.config: '${file:/etc/netsensor/kafka.secrets:sasl.jaas.config}'\n");
        assertThat(ok.get(0).effective().toString()).contains("${file:/etc/netsensor/kafka.secrets:sasl.jaas.config}");
        assertError(s + "      acks: '1'\n", ":6:7: sinks[0].producer_properties: producer property acks is set by the sink itself and cannot be overridden");
    }

    @Test
    void tlsFilesAreCheckedWhenLoaded() throws Exception {
        TestCerts certs = TestCerts.make(dir.resolve("certs"), "collector.test");
        List<SinkFactory.Spec> ok = specs("sinks:\n  - name: siem\n    type: syslog\n    host: 127.0.0.1\n    transport: tls\n"
                + "    server_name: collector.test\n    ca_file: " + certs.ca + "\n");
        assertThat(ok.get(0).effective()).containsEntry("ca_file", certs.ca.toString()).containsEntry("port", 6514);
        assertError("sinks:\n  - name: siem\n    type: syslog\n    host: h\n    transport: tls\n    client_cert: " + certs.serverCert + "\n",
                ":6:18: sinks[0].client_cert: client_cert and client_key go together");
        assertError("sinks:\n  - name: siem\n    type: syslog\n    host: h\n    transport: tls\n    client_cert: " + certs.serverCert
                + "\n    client_key: " + certs.ca + "\n", ":7:17: sinks[0].client_key: " + certs.ca
                + ": expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
}
