package io.netsensor.agent.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a test's verdict follows from what the agent printed, and the report's JSON shape (no root needed). */
class AtomicJudgeTest {
    private final AtomicTest irc = AtomicTests.named(List.of("irc-port")).get(0);
    private final Observed.Conn conn = new Observed.Conn("end", "outbound", "tcp", AtomicNet.VICTIM_IP, 40000,
            "203.0.113.66", 6667, "established", 42, "nc");

    private static Observed.AlertSeen alert(String detector, String severity, String ip, int port, long pid) {
        return new Observed.AlertSeen("c2_port-1", detector, severity, "msg", ip, port, pid, "nc", "/usr/bin/nc.openbsd");
    }

    @Test
    void passesOnlyWithTheDetectorsAlertAtItsSeverityAttributedToTheTrafficsPid() {
        assertThat(AtomicRun.judge(irc, 42, List.of(conn), List.of(alert("c2_port", "High", "203.0.113.66", 6667, 42))).passed()).isTrue();

        AtomicResult low = AtomicRun.judge(irc, 42, List.of(conn), List.of(alert("c2_port", "Medium", "203.0.113.66", 6667, 42)));
        assertThat(low.passed()).isFalse();
        assertThat(low.reason()).contains("Medium, expected at least High");

        AtomicResult otherPid = AtomicRun.judge(irc, 42, List.of(conn), List.of(alert("c2_port", "High", "203.0.113.66", 6667, 0)));
        assertThat(otherPid.passed()).isFalse();
        assertThat(otherPid.reason()).contains("attributed to no process");

        AtomicResult wrongRemote = AtomicRun.judge(irc, 42, List.of(conn), List.of(alert("c2_port", "High", "203.0.113.67", 6667, 42)));
        assertThat(wrongRemote.passed()).isFalse();
        assertThat(AtomicRun.judge(irc, 42, List.of(), List.of()).reason()).contains("no connection record");
    }

    @Test
    void aTestOfANewProcessPerCheckInPassesWithAnAlertOfOneOfThoseProcesses() {
        AtomicTest t = AtomicTests.named(List.of("new-process-beacon")).get(0);
        Observed.Conn c = new Observed.Conn("end", "outbound", "tcp", AtomicNet.VICTIM_IP, 40001, "203.0.113.40", 8443,
                "established", 101, "nc");
        Observed.AlertSeen a = new Observed.AlertSeen("beacon-1", "beacon", "Low", "periodic tcp connections", "203.0.113.40",
                8443, 102, "nc", "/usr/bin/nc.openbsd");
        AtomicResult r = AtomicRun.judge(t, 100, java.util.Set.of(101L, 102L), List.of(c), List.of(a));
        assertThat(r.passed()).as(r.reason()).isTrue();
        assertThat(r.reason()).contains("nc (pid 102, one of the test's 2 nc processes)");
        // an nc that is not one the loop started is not the test's
        AtomicResult driver = AtomicRun.judge(t, 100, java.util.Set.of(101L, 103L), List.of(c), List.of(a));
        assertThat(driver.passed()).isFalse();
        assertThat(driver.reason()).contains("attributed to pid 102, not one of the test's");
    }

    @Test
    void theInConnectionBeaconNeedsTheAlertOfCheckInsInsideAConnectionAndCountsItsBursts() {
        AtomicTest t = AtomicTests.named(List.of("in-connection-beacon")).get(0);
        Observed.Conn conn = new Observed.Conn("end", "outbound", "tcp", AtomicNet.VICTIM_IP, 40002, "203.0.113.30", 9443,
                "established", 7, "bash");
        Observed.Conn burst = new Observed.Conn("burst", "outbound", "tcp", AtomicNet.VICTIM_IP, 40002, "203.0.113.30", 9443,
                "", 7, "bash");
        Observed.AlertSeen inside = new Observed.AlertSeen("beacon-2", "beacon", "Low",
                "periodic check-ins inside one connection every ~3 s", "203.0.113.30", 9443, 7, "bash", "/usr/bin/bash");
        Observed.AlertSeen starts = new Observed.AlertSeen("beacon-3", "beacon", "Low",
                "periodic tcp connections every ~3 s", "203.0.113.30", 9443, 7, "bash", "/usr/bin/bash");
        AtomicResult r = AtomicRun.judge(t, 7, List.of(conn, burst, burst), List.of(inside));
        assertThat(r.passed()).isTrue();
        assertThat(r.connections()).hasSize(1);
        assertThat(r.bursts()).hasSize(2);
        assertThat(r.reason()).contains("1 connection record(s), 2 burst(s) inside");
        assertThat(AtomicRun.judge(t, 7, List.of(conn), List.of(starts)).passed()).isFalse();
    }

    @Test
    void theDnsTunnelCountsItsQueriesAndNeedsItsZone() {
        AtomicTest t = AtomicTests.named(List.of("dns-tunnel")).get(0);
        Observed.Conn q = new Observed.Conn("dns", "outbound", "udp", AtomicNet.VICTIM_IP, 40003, "8.8.8.8", 53, "", 9, "perl");
        Observed.AlertSeen mine = new Observed.AlertSeen("dns_tunnel-1", "dns_tunnel", "Critical",
                "DNS tunnel: 30 distinct names under c2-tunnel.net in 10 min", null, null, 9, "perl", "/usr/bin/perl");
        Observed.AlertSeen other = new Observed.AlertSeen("dns_tunnel-2", "dns_tunnel", "Critical",
                "DNS tunnel: 30 distinct names under example.org in 10 min", null, null, 9, "perl", "/usr/bin/perl");
        AtomicResult r = AtomicRun.judge(t, 9, List.of(q, q, q), List.of(mine));
        assertThat(r.passed()).isTrue();
        assertThat(r.dnsQueries()).hasSize(3);
        assertThat(r.reason()).contains("3 DNS queries");
        assertThat(AtomicRun.judge(t, 9, List.of(q), List.of(other)).passed()).isFalse();
        Observed.AlertSeen medium = new Observed.AlertSeen("dns_tunnel-1", "dns_tunnel", "Medium", mine.message(), null, null, 9,
                "perl", "/usr/bin/perl");
        assertThat(AtomicRun.judge(t, 9, List.of(q), List.of(medium)).reason()).contains("expected at least High");
    }

    @Test
    void keepsTheHighestSeverityStep() {
        AtomicResult r = AtomicRun.judge(irc, 42, List.of(conn), List.of(alert("c2_port", "Medium", "203.0.113.66", 6667, 42),
                alert("c2_port", "High", "203.0.113.66", 6667, 42)));
        assertThat(r.alert().severity()).isEqualTo("High");
    }

    @Test
    void jsonReportHasTheDocumentedShape() throws Exception {
        AtomicResult pass = AtomicRun.judge(irc, 42, List.of(conn), List.of(alert("c2_port", "High", "203.0.113.66", 6667, 42)));
        AtomicResult fail = AtomicRun.judge(AtomicTests.named(List.of("spreader")).get(0), 43, List.of(), List.of());
        AtomicRun.Outcome o = new AtomicRun.Outcome(List.of(pass, fail), "kernel", "atv12345", "nsatk-v-12345", 12.34,
                List.of(alert("beacon", "Low", "203.0.113.9", 80, 7)));
        JsonNode j = new ObjectMapper().readTree(AtomicReport.json(o));
        assertThat(j.path("schema").asText()).isEqualTo(AtomicReport.SCHEMA);
        assertThat(j.path("passed").asBoolean()).isFalse();
        assertThat(j.path("tests_passed").asInt()).isEqualTo(1);
        assertThat(j.path("tests_failed").asInt()).isEqualTo(1);
        assertThat(j.path("duration_seconds").asDouble()).isEqualTo(12.3);
        JsonNode t = j.at("/tests/0");
        assertThat(t.path("expected").path("min_severity").asText()).isEqualTo("High");
        assertThat(t.path("traffic").path("pid").asLong()).isEqualTo(42);
        assertThat(t.at("/traffic/pids/0").asLong()).isEqualTo(42);
        assertThat(t.at("/observed/bursts").asInt()).isZero();
        assertThat(t.at("/observed/dns_queries").asInt()).isZero();
        assertThat(t.at("/observed/outcomes/established").asInt()).isEqualTo(1);
        assertThat(t.at("/observed/remotes/0").asText()).isEqualTo("203.0.113.66:6667");
        assertThat(t.at("/alert/process/executable").asText()).isEqualTo("/usr/bin/nc.openbsd");
        assertThat(t.at("/alert/remote").asText()).isEqualTo("203.0.113.66:6667");
        assertThat(j.at("/tests/1/alert").isNull()).isTrue();
        assertThat(j.at("/tests/1/passed").asBoolean()).isFalse();
        assertThat(j.at("/other_alerts/0/detector").asText()).isEqualTo("beacon");
    }

    @Test
    void unknownTestNamesAreRefusedWithTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicTests.named(List.of("nope")))
                .hasMessageContaining("c2-beacon, orb-relay, irc-port, spreader, in-connection-beacon, dns-tunnel, new-process-beacon");
    }
}
