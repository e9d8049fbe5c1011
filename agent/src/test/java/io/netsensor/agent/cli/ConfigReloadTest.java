package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.DetectionLoop;
import io.netsensor.agent.Outputs;
import io.netsensor.agent.Sensor;
import io.netsensor.config.Settings;
import io.netsensor.sinks.SinkFactory;
import io.netsensor.sinks.SinkRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload's decisions on a real journal and real file sinks, without capture (the live test, ConfigReloadIT,
 * shows the effect on traffic): what is applied, what is kept running untouched, what needs a restart.
 */
class ConfigReloadTest {
    @TempDir Path dir;

    private String sink(String name, String file) {
        return "  - {name: " + name + ", type: file, path: " + dir.resolve(file) + "}\n";
    }

    @Test
    void appliesLiveKeysKeepsUnchangedSinksAndNamesTheRest() throws Exception {
        Path config = dir.resolve("netsensor.yml"), data = dir.resolve("data");
        Files.writeString(config, "sinks:\n" + sink("keep", "a.json") + sink("swap", "b.json") + sink("gone", "c.json"));
        SettingsOptions options = SettingsOptions.of(config);
        Settings started = options.load(s -> { }, SinkFactory::check);
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (Sensor sensor = Sensor.open(started, data, List.of());
             DetectionLoop detection = new DetectionLoop(sensor.journal, started, true, null, sensor.metrics);
             Outputs outputs = Outputs.start(sensor.journal, sensor.metrics, List.of(), SinkRunner.Start.END,
                     options.sinks(started, null), data, log)) {
            ConfigReload reload = new ConfigReload(options, s -> { }, started, detection, outputs, log);
            SinkRunner keep = outputs.forwarding().get(0);

            Files.writeString(config, "detectors:\n  beacon:\n    min_connections: 6\n  allowlist:\n    ports: [123]\n"
                    + "sinks:\n" + sink("keep", "a.json") + sink("swap", "b2.json") + sink("added", "d.json"));
            reload.reload();
            assertThat(last(logBytes)).startsWith("netsensor: SIGHUP: reloaded " + config + ": applied ")
                    .contains("detectors.allowlist.ports", "detectors.beacon.min_connections", "changed sink swap",
                            "removed sink gone", "added sink added").doesNotContain("keep", "restart");
            assertThat(outputs.forwarding()).contains(keep); // the same runner: never stopped
            assertThat(outputs.forwarding().stream().map(r -> r.sink().name())).containsExactlyInAnyOrder("keep", "swap", "added");
            assertThat(outputs.forwarding().stream().filter(SinkRunner::finished)).isEmpty();
            assertThat(sensor.metrics.contains("sink.delivered{sink=added}")).isTrue();
            assertThat(sensor.metrics.contains("sink.delivered{sink=gone}")).isFalse();

            Files.writeString(config, "snaplen: lots\n");
            reload.reload();
            assertThat(last(logBytes)).isEqualTo("netsensor: SIGHUP: config error, keeping the running settings: "
                    + config + ":1:10: snaplen: 'lots' is not a whole number");
            assertThat(outputs.forwarding()).hasSize(3);

            Files.writeString(config, "interface: eth9\ndata_dir: /srv/x\ndetectors:\n  beacon:\n    min_connections: 6\n  allowlist:\n    ports: [123]\n"
                    + "sinks:\n" + sink("keep", "a.json") + sink("swap", "b2.json") + sink("added", "d.json"));
            reload.reload();
            assertThat(last(logBytes)).isEqualTo("netsensor: SIGHUP: reloaded " + config + ": nothing to apply; needs a restart: data_dir, interface");
            assertThat(outputs.forwarding()).contains(keep).hasSize(3);
            outputs.stop(() -> true);
        }
    }

    private static String last(ByteArrayOutputStream log) {
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.get(lines.size() - 1);
    }
}
