package io.netsensor.detectors;

import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.events.Alert;
import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlertGateTest {
    static Alert alert(String remote, Severity sev, long t) {
        return draft(remote, sev, t).build();
    }

    static Alert.Draft draft(String remote, Severity sev, long t) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.BEACON;
        a.severity = sev;
        a.hostIp = "10.0.0.5";
        a.remoteIp = remote;
        a.remotePort = 8443;
        a.lastSeenNanos = t;
        return a;
    }

    /** As the engine hands alerts to the gate: with their id. */
    static Alert identified(String remote, Severity sev, long t) {
        Alert a = alert(remote, sev, t);
        return a.withId(AlertIds.of(a));
    }

    @Test
    void reAlertsOnlyWhenSeverityRisesOrAfterTheRealertPeriod() {
        AlertGate gate = new AlertGate(100, 24 * HOUR);
        assertThat(gate.admit(identified("198.51.100.7", Severity.MEDIUM, T0))).isTrue();
        assertThat(gate.admit(identified("198.51.100.7", Severity.MEDIUM, T0 + HOUR))).isFalse();
        assertThat(gate.admit(identified("198.51.100.7", Severity.LOW, T0 + HOUR))).isFalse();
        assertThat(gate.admit(identified("198.51.100.7", Severity.HIGH, T0 + 2 * HOUR))).isTrue();
        assertThat(gate.admit(identified("198.51.100.7", Severity.HIGH, T0 + 3 * HOUR))).isFalse();
        assertThat(gate.admit(identified("198.51.100.7", Severity.HIGH, T0 + 27 * HOUR))).isTrue();
        assertThat(gate.admit(identified("198.51.100.8", Severity.LOW, T0))).isTrue(); // other subject
        assertThat(gate.passed()).isEqualTo(4);
        assertThat(gate.suppressed()).isEqualTo(3);
    }

    @Test
    void idsAreStableAndDistinguishSubjects() {
        Alert a = alert("198.51.100.7", Severity.LOW, T0), b = alert("198.51.100.7", Severity.HIGH, T0 + HOUR);
        assertThat(AlertIds.of(a)).isEqualTo(AlertIds.of(b));
        assertThat(AlertIds.of(a)).isNotEqualTo(AlertIds.of(alert("198.51.100.9", Severity.LOW, T0)));
        Alert.Draft udp = draft("198.51.100.7", Severity.LOW, T0);
        udp.evidence.put(AlertIds.SUBJECT, "udp");
        assertThat(AlertIds.of(udp.build())).isNotEqualTo(AlertIds.of(a));
    }

    @Test
    void rememberedIdsAreBounded() {
        AlertGate gate = new AlertGate(10, 24 * HOUR);
        for (int i = 0; i < 25; i++) gate.admit(identified("198.51.100." + i, Severity.LOW, T0));
        assertThat(gate.size()).isEqualTo(10);
        assertThat(gate.evictions()).isEqualTo(15);
    }
}
