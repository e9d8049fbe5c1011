package io.netsensor.detectors;
import io.netsensor.events.ProcessInfo;

import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.events.Alert;
import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.metrics.Metrics;
import io.netsensor.testkit.events.Conns;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorEngineTest {
    static final String HOST = "10.0.0.5";
    final CollectingSink sink = new CollectingSink();

    static void beacon(DetectorEngine engine, String remote, int port) {
        for (int i = 0; i < 60; i++) engine.onConn(Conns.out(HOST, remote, port).at(T0 + i * 60 * SEC).build());
    }

    @Test
    void standardEngineRaisesEachSeedAtomicScenario() {
        DetectorEngine engine = DetectorEngine.standard(DetectorSettings.defaults(), sink);
        beacon(engine, "198.51.100.7", 8443);
        engine.onConn(Conns.in("198.51.100.20", HOST, 19876).at(T0 + 2 * HOUR).open().build());
        engine.onConn(Conns.out(HOST, "8.8.8.8", 53).at(T0 + 2 * HOUR + SEC).open().build());
        engine.onConn(Conns.out(HOST, "198.51.100.66", 6667).at(T0 + 2 * HOUR + 2 * SEC).open().build());
        for (int i = 1; i <= 30; i++) {
            engine.onConn(Conns.out(HOST, "203.0.113." + i, 22).at(T0 + 2 * HOUR + (3 + i) * SEC)
                    .state(io.netsensor.events.ConnState.S0).build());
        }
        assertThat(sink.alerts).extracting(a -> a.detector).contains(DetectorKind.BEACON, DetectorKind.RELAY,
                DetectorKind.C2_PORT, DetectorKind.FANOUT);
        assertThat(sink.alerts).allSatisfy(a -> assertThat(a.id).startsWith(a.detector.label + "-"));
        Metrics m = Registered.of(engine);
        assertThat(m.values("detector.alerts{")).containsOnlyKeys("detector.alerts{detector=beacon}",
                "detector.alerts{detector=c2_port}", "detector.alerts{detector=fanout}", "detector.alerts{detector=relay}",
                "detector.alerts{detector=scan}", "detector.alerts{detector=dns_tunnel}");
        assertThat(m.value("detector.alerts", "detector", "beacon")).isPositive();
        assertThat(m.value("detector.gate.passed")).isEqualTo(sink.alerts.size());
    }

    @Test
    void anAllowlistChangeAppliesToStateBuiltBeforeIt() {
        DetectorEngine engine = DetectorEngine.standard(DetectorSettings.defaults(), sink);
        for (int i = 0; i < 35; i++) {
            engine.onConn(Conns.out(HOST, "198.51.100.7", 8443).at(T0 + i * 60 * SEC).build());
        }
        int before = sink.alerts.size();
        assertThat(before).as("the beacon alerted at Medium before the change").isPositive();
        DetectorSettings changed = DetectorSettings.defaults();
        changed.allowlist.cidrs.add("198.51.100.0/24");
        engine.setAllowlist(new Allowlist(changed.allowlist));
        // The series goes on long enough to reach High and Critical: nothing more is raised.
        for (int i = 35; i < 150; i++) {
            engine.onConn(Conns.out(HOST, "198.51.100.7", 8443).at(T0 + i * 60 * SEC).build());
        }
        assertThat(sink.alerts).hasSize(before);
        // Another destination still alerts.
        beacon(engine, "203.0.113.9", 8443);
        assertThat(sink.alerts).hasSizeGreaterThan(before);
    }

    @Test
    void allowlistedRemoteRangeAndPortNeverReachDetectors() {
        DetectorSettings s = DetectorSettings.defaults();
        s.allowlist.cidrs.add("198.51.100.0/24");
        s.allowlist.ports.add(9443);
        DetectorEngine engine = DetectorEngine.standard(s, sink);
        beacon(engine, "198.51.100.7", 8443);
        beacon(engine, "203.0.113.7", 9443);
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.of(engine).value("detector.engine.allowlisted_events")).isEqualTo(120);
        beacon(engine, "203.0.113.7", 8443);
        assertThat(sink.alerts).isNotEmpty();
    }

    @Test
    void allowlistedDomainSuffixDropsDnsEventsOnLabelBoundaries() {
        DetectorSettings s = DetectorSettings.defaults();
        s.allowlist.domains.add("Example.COM.");
        List<String> seen = new ArrayList<>();
        Detector dns = new Detector() {
            public DetectorKind kind() { return DetectorKind.DGA; }
            public void onDns(DnsEvent e, AlertSink out) { seen.add(e.qnameString()); }
            public void register(Metrics m) {}
        };
        DetectorEngine engine = new DetectorEngine(List.of(dns), new Allowlist(s.allowlist), new AlertGate(s.gate), sink);
        for (String q : List.of("a.b.example.com", "EXAMPLE.com.", "badexample.com", "example.com.evil.net")) {
            DnsEvent e = new DnsEvent();
            e.setQname(q);
            engine.onDns(e);
        }
        assertThat(seen).containsExactly("badexample.com", "example.com.evil.net");
    }

    @Test
    void allowlistedProcessSuppressesItsAlerts() {
        DetectorSettings s = DetectorSettings.defaults();
        s.allowlist.processes.add("/opt/falcon/**");
        s.allowlist.processes.add("ansible*");
        Allowlist allow = new Allowlist(s.allowlist);
        assertThat(allow.allowsProcess(null, "/opt/falcon/bin/falcon-sensor")).isTrue();
        assertThat(allow.allowsProcess("ansible-playbook", null)).isTrue();
        assertThat(allow.allowsProcess(null, "/usr/bin/ansible-pull")).isTrue(); // by base name
        assertThat(allow.allowsProcess("curl", "/usr/bin/curl")).isFalse();

        Detector fake = alwaysAlerting(new ProcessInfo(0, 42, 0, -1, 1, "falcon-sensor", "/opt/falcon/bin/falcon-sensor", "", "root"));
        DetectorEngine engine = new DetectorEngine(List.of(fake), allow, new AlertGate(s.gate), sink);
        engine.onConn(Conns.out(HOST, "198.51.100.7", 443).at(T0).build());
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.of(engine).value("detector.engine.allowlisted_alerts")).isEqualTo(1);
    }

    @Test
    void aThrowingDetectorIsCountedAndOthersStillRun() {
        Detector broken = new Detector() {
            public DetectorKind kind() { return DetectorKind.FANOUT; }
            public void onConn(ConnEvent e, AlertSink out) { throw new IllegalStateException("bad record"); }
            public void register(Metrics m) {}
        };
        Detector ok = alwaysAlerting(null);
        DetectorEngine engine = new DetectorEngine(List.of(broken, ok), Allowlist.empty(), new AlertGate(10, HOUR), sink);
        engine.onConn(Conns.out(HOST, "198.51.100.7", 443).at(T0).build());
        assertThat(sink.alerts).hasSize(1);
        assertThat(Registered.of(engine).value("detector.errors{detector=fanout}")).isEqualTo(1);
    }

    @Test
    void profilesDifferInTheBeaconThresholds() {
        assertThat(DetectorSettings.shortWindow().beacon.minConnections).isEqualTo(20);
        assertThat(DetectorSettings.defaults().beacon.minConnections).isEqualTo(12);
    }

    private static Detector alwaysAlerting(ProcessInfo process) {
        return new Detector() {
            public DetectorKind kind() { return DetectorKind.BEACON; }
            public void onConn(ConnEvent e, AlertSink out) {
                Alert.Draft a = new Alert.Draft();
                a.detector = DetectorKind.BEACON;
                a.severity = Severity.LOW;
                a.hostIp = HOST;
                a.process = process;
                a.lastSeenNanos = e.startNanos;
                out.onAlert(a.build());
            }
            public void register(Metrics m) {}
        };
    }
}
