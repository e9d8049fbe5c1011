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
                .hasMessageContaining("c2-beacon, orb-relay, irc-port, spreader");
    }
}
