package io.netsensor.detectors.baseline;

import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.MIN;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.Registered;
import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.testkit.events.Conns;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Appliances' vendor polling ranked low, without hiding an implant that starts later. */
class DeviceBaselineTest {
    private static final String LOCK = "192.168.1.122", VENDOR = "52.94.1.17";
    private final Random rnd = new Random(3);

    private List<Alert> run(DetectorSettings s, int generalEndpoints, long implantFrom) {
        return run(s, generalEndpoints, implantFrom, true);
    }

    private List<Alert> run(DetectorSettings s, int generalEndpoints, long implantFrom, boolean ntp) {
        CollectingSink sink = new CollectingSink();
        DetectorEngine engine = DetectorEngine.standard(s, sink);
        for (int i = 0; i < generalEndpoints; i++) { // a workstation's first minutes: many sites
            engine.onConn(Conns.out(LOCK, "151.101." + i + ".10", 443).at(T0 + i * SEC).build());
        }
        long t = T0 + 30 * SEC;
        long implant = T0 + implantFrom;
        while (t < T0 + 4 * HOUR) {
            engine.onConn(Conns.out(LOCK, VENDOR, 8883).at(t).bytes(310).build());
            if (ntp && t % (10 * MIN) < MIN) engine.onConn(Conns.out(LOCK, "162.159.200.1", 123).udp().at(t + SEC).build());
            if (implantFrom > 0 && t >= implant) engine.onConn(Conns.out(LOCK, "198.51.100.66", 8080).at(t + 7 * SEC).bytes(520).build());
            t += (long) (60 * SEC * (1 + 0.1 * (2 * rnd.nextDouble() - 1)));
        }
        return sink.alerts.stream().filter(a -> a.detector == DetectorKind.BEACON).toList();
    }

    @Test
    void aLockPollingItsVendorSinceItAppearedIsRankedLow() {
        List<Alert> baselined = run(DetectorSettings.defaults(), 0, 0);
        assertThat(baselined).isNotEmpty().allSatisfy(a -> {
            assertThat(a.severity).isEqualTo(Severity.LOW);
            assertThat((String) a.evidence.get("baseline")).startsWith("device talks to 1 endpoint(s) since first seen");
        });
        DetectorSettings off = DetectorSettings.defaults();
        off.baseline.enabled = false;
        assertThat(run(off, 0, 0)).extracting(a -> a.severity).contains(Severity.HIGH);
    }

    @Test
    void anImplantThatStartsLaterKeepsItsSeverity() {
        List<Alert> alerts = run(DetectorSettings.defaults(), 0, 90 * MIN);
        List<Alert> implant = alerts.stream().filter(a -> "198.51.100.66".equals(a.remoteIp)).toList();
        assertThat(implant).isNotEmpty();
        assertThat(implant).extracting(a -> a.severity).contains(Severity.HIGH);
        assertThat(implant).allSatisfy(a -> assertThat(a.evidence).doesNotContainKey("baseline"));
        assertThat(alerts.stream().filter(a -> VENDOR.equals(a.remoteIp))).allSatisfy(a -> assertThat(a.severity).isEqualTo(Severity.LOW));
    }

    @Test
    void aLoneBeaconWithoutTheDevicesOwnNtpOrDhcpIsNotBaselined() {
        assertThat(run(DetectorSettings.defaults(), 0, 0, false)).extracting(a -> a.severity).contains(Severity.HIGH);
    }

    @Test
    void aHostThatTalksToManyEndpointsIsNoAppliance() {
        List<Alert> alerts = run(DetectorSettings.defaults(), 12, 0);
        assertThat(alerts).extracting(a -> a.severity).contains(Severity.HIGH);
    }

    @Test
    void itsStateIsBoundedAndCounted() {
        DetectorSettings s = DetectorSettings.defaults();
        s.baseline.maxKeys = 5;
        CollectingSink sink = new CollectingSink();
        DetectorEngine engine = DetectorEngine.standard(s, sink);
        for (int i = 0; i < 20; i++) engine.onConn(Conns.out("192.168.1." + (10 + i), VENDOR, 8883).at(T0 + i * SEC).build());
        assertThat(Registered.of(engine).value("detector.baseline.hosts")).isEqualTo(5);
        assertThat(Registered.of(engine).value("detector.baseline.evictions")).isEqualTo(15);
    }
}
