package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `netsensor atomic --json` end to end, as a user runs it: the seed's four atomic tests as real traffic in
 * the command's own namespaces, the real agent capturing live. Every test must pass with its detector's
 * alert attributed to the traffic's own process, and the report must have its documented shape. Skipped
 * without root or network namespaces, except in CI, where it must run.
 */
class AtomicIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per test: the detector, and how many of its connection records at least (beacon: the profile's 20). */
    private static final Map<String, Object[]> EXPECTED = Map.of(
            "c2-beacon", new Object[] {"beacon", 20},
            "orb-relay", new Object[] {"relay", 2},
            "irc-port", new Object[] {"c2_port", 1},
            "spreader", new Object[] {"fanout", 30});

    @TempDir Path dir;

    @BeforeAll
    static void liveTestsPossible() {
        String why = TestNet.unavailableReason();
        if (why == null) {
            for (String tool : new String[] {"nc", "perl", "ss"}) {
                if (!Sh.available(tool)) why = tool + " not installed (apt-get install netcat-openbsd perl iproute2); skipped";
            }
        }
        if (why != null) {
            assumeTrue("true".equals(System.getenv("CI")), why);
            fail("the atomic tests must run in CI: " + why);
        }
    }

    @Test
    @Timeout(240)
    void everySeedTestPassesWithItsAlertAttributedToItsProcess() throws Exception {
        try (AgentProcess atomic = AgentProcess.start(dir, "atomic", "--json")) {
            int exit = atomic.waitFor(200);
            String stdout = atomic.stdoutText();
            assertThat(exit).as("exit code; stderr:\n%s\nstdout:\n%s", atomic.stderrText(), stdout).isEqualTo(0);
            JsonNode report = JSON.readTree(stdout);
            assertThat(report.path("schema").asText()).isEqualTo("netsensor.atomic/1");
            assertThat(report.path("passed").asBoolean()).isTrue();
            assertThat(report.path("tests_total").asInt()).isEqualTo(4);
            assertThat(report.path("tests_passed").asInt()).isEqualTo(4);
            assertThat(report.path("tests_failed").asInt()).isZero();
            assertThat(report.path("profile").asText()).isEqualTo("short-window");
            assertThat(report.path("attribution").asText()).isIn("kernel", "user space");
            assertThat(report.path("duration_seconds").asDouble()).isPositive();
            assertThat(report.path("other_alerts").isArray()).isTrue();

            List<String> names = new ArrayList<>();
            for (JsonNode t : report.path("tests")) {
                String name = t.path("name").asText();
                names.add(name);
                Object[] exp = EXPECTED.get(name);
                assertThat(exp).as("unexpected test %s", name).isNotNull();
                assertThat(t.path("seed_test").asInt()).isBetween(1, 4);
                assertThat(t.path("technique").asText()).isEqualTo("T1583.005");
                assertThat(t.path("expected").path("detector").asText()).isEqualTo(exp[0]);
                assertThat(t.path("expected").path("signal").asText()).isNotBlank();
                assertThat(t.path("passed").asBoolean()).as("%s: %s", name, t.path("reason").asText()).isTrue();
                long pid = t.path("traffic").path("pid").asLong();
                assertThat(pid).isPositive();
                JsonNode alert = t.path("alert");
                assertThat(alert.path("detector").asText()).isEqualTo(exp[0]);
                assertThat(alert.path("id").asText()).isNotBlank();
                assertThat(alert.path("process").path("pid").asLong()).as("%s alert's process", name).isEqualTo(pid);
                assertThat(alert.path("process").path("executable").asText()).startsWith("/");
                JsonNode observed = t.path("observed");
                assertThat(observed.path("connections").asInt()).as("%s records", name).isGreaterThanOrEqualTo((Integer) exp[1]);
                assertThat(observed.path("outcomes").path("established").asInt()).isEqualTo(observed.path("connections").asInt());
                assertThat(observed.path("attributed_pids").toString()).contains(Long.toString(pid));
            }
            assertThat(names).containsExactly("c2-beacon", "orb-relay", "irc-port", "spreader");
            assertThat(report.at("/tests/2/alert/severity").asText()).isEqualTo("High");
        }
        assertThat(Sh.run("ip", "netns", "list")).as("namespaces left behind").doesNotContain("nsatk-");
    }

    @Test
    @Timeout(120)
    void runsOneTestByNameWithAReadableReport() throws Exception {
        try (AgentProcess atomic = AgentProcess.start(dir, "atomic", "irc-port")) {
            int exit = atomic.waitFor(100);
            String out = atomic.stdoutText();
            assertThat(exit).as("stderr:\n%s\nstdout:\n%s", atomic.stderrText(), out).isEqualTo(0);
            assertThat(out).contains("PASS  irc-port").contains("c2_port High").contains("1 of 1 passed")
                    .doesNotContain("c2-beacon");
        }
    }
}
