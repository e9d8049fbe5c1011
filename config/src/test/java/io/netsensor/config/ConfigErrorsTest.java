package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes issue 10 found accepted or badly reported: each now fails at the offending element's
 * file:line:column with a sentence in the file's terms, never a Java class name.
 */
class ConfigErrorsTest {
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("netsensor.yml");
        Files.writeString(p, yaml);
        return p;
    }

    private ConfigException error(String yaml) throws Exception {
        Path p = write(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SettingsLoader.load(p));
        assertThat(e).as(yaml).isNotNull();
        for (String line : e.problems()) {
            assertThat(line).startsWith(p + ":").doesNotContain("\n").doesNotContain("java.").doesNotContain("io.netsensor")
                    .doesNotContain("`");
        }
        return e;
    }

    private void assertProblems(String yaml, String... expected) throws Exception {
        Path p = dir.resolve("netsensor.yml");
        ConfigException e = error(yaml);
        assertThat(e.problems()).as(yaml).containsExactly(java.util.Arrays.stream(expected).map(x -> p + x).toArray(String[]::new));
    }

    @Test
    void everyBadPortOfAListIsReportedAtItsElement() throws Exception {
        assertProblems("detectors:\n  c2_ports: [70000, 0, -1]\n",
                ":2:14: detectors.c2_ports[0]: not a port: 70000 (1-65535)",
                ":2:21: detectors.c2_ports[1]: not a port: 0 (1-65535)",
                ":2:24: detectors.c2_ports[2]: not a port: -1 (1-65535)");
        assertProblems("detectors:\n  allowlist:\n    ports:\n      - 53\n      - 99999\n",
                ":5:9: detectors.allowlist.ports[1]: not a port: 99999 (0-65535)");
        assertProblems("detectors:\n  allowlist:\n    ports: [99999]\n", ":3:13: detectors.allowlist.ports[0]: not a port: 99999 (0-65535)");
    }

    @Test
    void aKeyGivenTwiceFailsAtItsSecondPlace() throws Exception {
        assertProblems("snaplen: 100\ninterface: eth0\nsnaplen: 200\n", ":3:1: snaplen: set twice (first at line 1); keep one");
        assertProblems("conntrack:\n  max_flows: 1024\n  tcp_inactivity: 5m\n  max_flows: 2048\n",
                ":4:3: conntrack.max_flows: set twice (first at line 2); keep one");
        assertProblems("sinks:\n  - name: a\n    type: file\n    path: /x\n    type: hec\n", ":5:5: sinks[0].type: set twice (first at line 3); keep one");
        assertProblems("journal: {max_age: 1d, max_age: 2d}\n", ":1:24: journal.max_age: set twice (first at line 1); keep one");
    }

    @Test
    void numbersAreWholeAndInRangeWithoutJacksonsWords() throws Exception {
        assertProblems("snaplen: 1.5\n", ":1:10: snaplen: '1.5' is not a whole number");
        assertProblems("conntrack:\n  max_flows: 99999999999999\n", ":2:14: conntrack.max_flows: '99999999999999' is too large (at most 2147483647)");
        assertProblems("detectors:\n  allowlist:\n    ports: [1, 2.5]\n", ":3:16: detectors.allowlist.ports[1]: '2.5' is not a whole number");
        assertProblems("detectors:\n  enabled: 1\n", ":2:12: detectors.enabled: '1' is not true or false");
        assertProblems("detectors:\n  beacon:\n    min_score: high\n", ":3:16: detectors.beacon.min_score: 'high' is not a number (e.g. 0.7)");
        assertProblems("!!binary aGVsbG8=\n", ":1:1: the value is not a section of keys");
    }

    @Test
    void negativeSizesAndDurationsSayWhatIsExpected() throws Exception {
        assertThat(error("journal:\n  max_bytes: -5\n").getMessage()).endsWith(":2:14: journal.max_bytes: not a size: '-5' (use e.g. 512MiB, 10GiB, 1000000)");
        assertThat(error("conntrack:\n  tcp_inactivity: -5s\n").getMessage())
                .endsWith(":2:19: conntrack.tcp_inactivity: not a duration: '-5s' (use e.g. 250ms, 90s, 5m, 24h, 7d)");
    }

    @Test
    void everyValueProblemOfTheFileIsListedInFileOrder() throws Exception {
        assertProblems("snaplen: 10\nhome_net: [10.0.0.0/33]\ndns:\n  timeout: 0s\n",
                ":1:10: snaplen: must be between 64 and 262144, not 10",
                ":2:12: home_net[0]: bad prefix length in CIDR: 10.0.0.0/33",
                ":4:12: dns.timeout: must be longer than 0");
        ConfigException e = error("snaplen: 10\ndns:\n  timeout: 0s\n");
        assertThat(e.getMessage()).endsWith("snaplen: must be between 64 and 262144, not 10 (and 1 more)");
    }

    @Test
    void detectorThresholdsBindOverTheProfileAndAreChecked() throws Exception {
        Settings s = SettingsLoader.load(write("detectors:\n  beacon:\n    min_connections: 6\n    min_score: 0.8\n  fanout:\n    min_unique: 50\n"));
        assertThat(s.detectors.beacon.minConnections).isEqualTo(6);
        assertThat(s.detectors.beacon.minScore).isEqualTo(0.8);
        assertThat(s.detectors.beacon.minPerHour).isNull(); // the profile's
        assertThat(s.detectors.fanout.minUnique).isEqualTo(50);
        assertProblems("detectors:\n  beacon:\n    min_connections: 1\n    min_score: 1.5\n",
                ":3:22: detectors.beacon.min_connections: must be between 3 and 100000, not 1",
                ":4:16: detectors.beacon.min_score: must be between 0 and 1, not 1.5");
        assertProblems("detectors:\n  beacon:\n    min_conections: 6\n", ":3:5: detectors.beacon.min_conections: unknown key (did you mean min_connections?)");
    }

    @Test
    void checksOfOtherModulesAreListedToo() throws Exception {
        Path p = write("snaplen: 10\nsinks:\n  - name: a\n    type: syslog\n");
        SettingsLoader.Check needsHost = (s, problems) -> {
            throw problems.at("sinks[0].host", "required");
        };
        assertThatThrownBy(() -> SettingsLoader.load(p, needsHost)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(p + ":1:10: snaplen: must be between 64 and 262144, not 10",
                        p + ":3:5: sinks[0].host: required"));
    }
}
