package io.netsensor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `netsensor fleet` refuses bad input with one line naming what is wrong (and where in the file), exit 2. */
class FleetCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private Run run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true));
        try {
            int code = new CommandLine(new FleetCommand()).execute(args);
            return new Run(code, b.toString());
        } finally {
            System.setErr(err);
        }
    }

    private Run withConfig(String yaml) throws Exception {
        Path f = dir.resolve("fleet.yaml");
        Files.writeString(f, yaml);
        return run("--bootstrap", "127.0.0.1:9092", "--config", f.toString());
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndColumn() throws Exception {
        Run r = withConfig("rare:\n  max_host: 3\n");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).startsWith("netsensor fleet: " + dir.resolve("fleet.yaml") + ":2:").endsWith(": rare.max_host: unknown key 'max_host'\n");
        assertThat(r.err.lines()).hasSize(1);
    }

    @Test
    void aBadDurationIsNamedWithItsLine() throws Exception {
        Run r = withConfig("spreader:\n  window: soon\n");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).startsWith("netsensor fleet: " + dir.resolve("fleet.yaml") + ":2:").contains("spreader.window").doesNotContain("\tat ");
        assertThat(r.err.lines()).hasSize(1);
    }

    @Test
    void aValueOutOfRangeSaysTheRange() throws Exception {
        Run r = withConfig("rare:\n  max_hosts: 0\n");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("netsensor fleet: " + dir.resolve("fleet.yaml") + ": rare.max_hosts: must be 1..1000, got 0\n");
    }

    @Test
    void aGuaranteeCannotBeOverriddenThroughStreamsProperties() throws Exception {
        Run r = withConfig("streams_properties:\n  processing.guarantee: at_least_once\n");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("streams_properties: processing.guarantee is set by the fleet itself");
    }

    @Test
    void aMissingConfigFileAndABadBootstrapAreOneLineEach() {
        Run missing = run("--bootstrap", "127.0.0.1:9092", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).isEqualTo("netsensor fleet: " + dir.resolve("nope.yaml") + ": no such file\n");
        Run bad = run("--bootstrap", "kafka-1");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err).isEqualTo("netsensor fleet: --bootstrap must be HOST:PORT[,HOST:PORT...], got 'kafka-1'\n");
    }

    @Test
    void theDefaultsAreValid() {
        FleetSettings s = FleetSettingsLoader.validated(new FleetSettings(), "<defaults>");
        assertThat(s.rare.maxHosts).isEqualTo(2);
        assertThat(s.prevalence.retention).hasDays(7);
    }
}
