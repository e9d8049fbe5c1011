package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netsensor.agent.CliRunner;
import org.junit.jupiter.api.Test;

/** `netsensor atomic`'s listing and usage errors, in process (the live run is AtomicIT). */
class AtomicCommandTest {

    @Test
    void listsEveryTestWithItsSeedNumberAndDetector() {
        CliRunner.Result r = CliRunner.run("atomic", "--list");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).hasSize(7);
        assertThat(r.lines().get(0)).startsWith("c2-beacon ").contains("seed 1").contains("beacon");
        assertThat(r.lines().get(3)).startsWith("spreader ").contains("seed 4").contains("fanout");
        assertThat(r.lines().get(4)).startsWith("in-connection-beacon ").contains("seed -").contains(" beacon ");
        assertThat(r.lines().get(5)).startsWith("dns-tunnel ").contains("seed -").contains("T1071.004").contains(" dns_tunnel ");
        assertThat(r.lines().get(6)).startsWith("new-process-beacon ").contains("seed -").contains(" beacon ");
        // one column each: the descriptions start at the same place
        assertThat(r.lines().stream().map(l -> l.indexOf(" seed ")).distinct()).hasSize(1);
        assertThat(CliRunner.run("atomic", "--list", "irc-port").lines()).singleElement().asString().startsWith("irc-port");
    }

    @Test
    void anUnknownTestIsAUsageErrorOfOneLine() {
        CliRunner.Result r = CliRunner.run("atomic", "nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip()).isEqualTo(
                "netsensor: atomic: unknown atomic test 'nope' (tests: c2-beacon, orb-relay, irc-port, spreader, "
                        + "in-connection-beacon, dns-tunnel, new-process-beacon)");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void withoutRootItSaysSoInOneLine() {
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root: the live run is AtomicIT");
        CliRunner.Result r = CliRunner.run("atomic", "--json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip()).isEqualTo("netsensor: atomic: needs root (it creates network namespaces and captures live): run it with sudo");
    }
}
