package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `detectors.enabled: false` turns detection off, as --no-detect does, and says so. */
class DetectorsEnabledTest {
    @TempDir Path dir;

    @Test
    void disabledInTheConfigRunsNoDetectors() throws Exception {
        // an IRC session to an external host: the c2_port detector alerts on it (SeedAtomicReplayTest)
        Path pcap = new Traffic().tcpSession(0, SeedAtomicReplayTest.HOST, "198.51.100.66", 6667, 120, 400, 30)
                .write(dir.resolve("irc.pcap"));
        Path off = Files.writeString(dir.resolve("off.yaml"), "detectors:\n  enabled: false\n");

        CliRunner.Result detecting = Replays.run(pcap);
        CliRunner.Result disabled = Replays.run(pcap, "--config", off.toString());
        CliRunner.Result noDetect = Replays.run(pcap, "--no-detect");

        assertThat(detecting.stderr()).as(detecting.toString()).doesNotContain("alerts: 0").contains("alerts: ");
        assertThat(disabled.stderr()).as(disabled.toString()).contains("alerts: 0")
                .contains("netsensor replay: detection off (detectors.enabled: false in the config)");
        assertThat(disabled.stdout()).isEmpty();
        assertThat(noDetect.stderr()).contains("alerts: 0").doesNotContain("detection off");
    }
}
