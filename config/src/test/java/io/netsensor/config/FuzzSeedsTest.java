package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.testkit.fuzz.FuzzRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed corpus of {@link SettingsLoaderFuzzTest}: a config setting every section and sink type, and the
 * mistakes the loader names (bad YAML, unknown key, wrong type, out of range). The committed files must equal
 * what this builds; rebuild with {@code mvn -pl config test -Dtest=FuzzSeedsTest -Dfuzz.seeds.write=true}.
 */
class FuzzSeedsTest {
    private static final Path DIR = Path.of("src/test/resources/io/netsensor/config/SettingsLoaderFuzzTestInputs/load");

    static final String FULL = """
            interface: eth0
            bpf: "not port 22"
            snaplen: 65535
            promiscuous: false
            data_dir: /var/lib/netsensor
            log_summary_interval: 5m
            alerts_on_stderr: true
            home_net: [10.0.0.0/8, 192.168.0.0/16, "fc00::/7", "::1/128"]
            metrics:
              listen: "127.0.0.1:9464"
            journal:
              roll_cycle: hourly
              max_bytes: 2GiB
              max_age: 7d
            conntrack:
              max_flows: 65536
              tcp_inactivity: 5m
              udp_inactivity: 1m
              tcp_close_delay: 5s
            dns:
              timeout: 10s
              max_pending: 4096
            telemetry:
              interval: 60s
            detectors:
              profile: short-window
              enabled: true
              rebuild_window: 2h
              c2_ports: [6667, 4444]
              allowlist:
                processes: [chronyd, "/usr/sbin/*"]
                remote_cidrs: [198.51.100.0/24]
                domain_suffixes: [example.com]
                ports: [123]
            sinks:
              - name: siem
                type: syslog
                host: 127.0.0.1
                port: 6514
                transport: tls
                kinds: [alerts, telemetry]
              - {name: splunk, type: hec, flavor: splunk, url: 'https://splunk.example:8088', token_file: /etc/netsensor/hec.token, max_batch_bytes: 1MiB, ack: true, ack_timeout: 2m}
              - {name: fleet, type: kafka, bootstrap_servers: [k1:9092, k2:9092], compression: lz4}
              - {name: local, type: file, path: /var/log/netsensor/alerts.json, max_bytes: 10MiB}
            """;

    @Test
    void settingsLoaderSeeds() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("full", FULL);
        texts.put("empty-sections", "journal:\nconntrack:\n# only a comment\n");
        texts.put("bad-yaml", "conntrack:\n  max_flows: [1, 2\n");
        texts.put("unknown-key", "conntrack:\n  max_flow: 10\n");
        texts.put("wrong-type", "snaplen: lots\ndns:\n  timeout: 5\n");
        texts.put("out-of-range", "conntrack:\n  max_flows: 3\nhome_net: [10.0.0.0/33]\n");
        texts.put("anchors-and-flow", "base: &b {max_flows: 100}\nconntrack: *b\n");
        texts.put("sink-type", "sinks:\n  - name: x\n    type: syslg\n");
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        texts.forEach((k, v) -> seeds.put(k, v.getBytes(StandardCharsets.UTF_8)));
        List<String> differing = FuzzRecords.writeOrCheck(DIR, Boolean.getBoolean("fuzz.seeds.write"), seeds);
        assertThat(differing).as("committed seeds differ from the generators; rebuild with -Dfuzz.seeds.write=true").isEmpty();
    }
}
