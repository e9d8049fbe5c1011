package io.netsensor.detectors.relay;

import static io.netsensor.testkit.events.Times.MS;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.Registered;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.Severity;
import io.netsensor.testkit.events.Conns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Relays by tight pairing and byte symmetry on any port, and the benign forwarders that are not relays. */
class RelayPairingTest {
    private static final String HOST = "10.0.0.5";
    private final RelayDetector det = new RelayDetector(new DetectorSettings.Relay());
    private final CollectingSink sink = new CollectingSink();
    private final List<ConnEvent> records = new ArrayList<>();

    /** An inbound connection to port inPort and, gap later, an outbound one to target:outPort, with their bytes. */
    private void pair(long t, String client, int inPort, long gap, String target, int outPort,
                      long inOrig, long inResp, long outOrig, long outResp, long lasting) {
        Conns in = Conns.in(client, HOST, inPort).at(t).bytes(inOrig, inResp);
        ConnEvent inEnd = in.lasting(lasting + 20 * MS).build();
        records.add(Conns.in(client, HOST, inPort).at(t).flow(inEnd.flowId).open().build());
        Conns out = Conns.out(HOST, target, outPort).at(t + gap).bytes(outOrig, outResp);
        ConnEvent outEnd = out.lasting(lasting).build();
        records.add(Conns.out(HOST, target, outPort).at(t + gap).flow(outEnd.flowId).open().build());
        records.add(outEnd);
        records.add(inEnd);
    }

    /** Feeds the records in the order the tracker would write them: by the time each is written. */
    private void play() {
        records.sort(Comparator.comparingLong(e -> e.phase == ConnEvent.Phase.OPEN ? e.startNanos : e.endNanos));
        for (ConnEvent e : records) det.onConn(e, sink);
    }

    @Test
    void anOrbRelayingHttpsIsFoundByTightPairingAndSymmetricBytes() {
        for (int i = 0; i < 6; i++) {
            pair(T0 + i * 40 * SEC, "203.0.113.50", 443, 30 * MS, "198.51.100." + (10 + i), 443,
                    1500 + 10 * i, 20_000 + 100 * i, 1460 + 10 * i, 19_900 + 100 * i, 5 * SEC);
        }
        play();
        assertThat(sink.alerts).extracting(a -> a.severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        Alert a = sink.alerts.get(0);
        assertThat(a.evidence).containsEntry("pattern", "paired").containsEntry("symmetric_pairs", 3)
                .containsEntry("pair_gap_ms", 30.0);
        assertThat(a.remotePort).isEqualTo(443);
        assertThat(a.summary).startsWith("relay: 3 outbound connection(s) opened within 30 ms");
        assertThat(sink.alerts).extracting(x -> x.id).containsOnly(a.id);
    }

    @Test
    void aRelayToANonStandardPortIsRaisedAtItsFirstLegAndItsPairsAreConfirmed() {
        // the seed path alerts when the leg opens (and by volume); the pairs are one finding with it
        for (int i = 0; i < 6; i++) {
            pair(T0 + i * 20 * SEC, "203.0.113.50", 443, 15 * MS, "198.51.100.9", 8443, 900, 4000, 880, 3950, 2 * SEC);
        }
        play();
        assertThat(sink.alerts).extracting(a -> a.severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        assertThat(sink.alerts.get(0).evidence).containsEntry("follow_gap_s", 0.015);
        assertThat(sink.alerts).extracting(x -> x.id).containsOnly(sink.alerts.get(0).id);
        assertThat(Registered.value(det, "detector.relay.symmetric_pairs")).isEqualTo(6);
    }

    @Test
    void aWebServerCallingAnApiRightAfterEachRequestIsNotARelay() {
        for (int i = 0; i < 60; i++) { // requests from many clients, each answered after an API call
            pair(T0 + i * 2 * SEC, "198.18." + (i / 200) + "." + (1 + i % 200), 443, 20 * MS, "203.0.113.200", 443,
                    800, 15_000, 350, 2_200, 300 * MS);
        }
        play();
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.value(det, "detector.relay.asymmetric_pairs")).isEqualTo(60);
    }

    @Test
    void aMailServerAcceptingAndDeliveringIsNotARelay() {
        for (int i = 0; i < 20; i++) { // SMTP in, then SMTP out with the same message: store and forward
            pair(T0 + i * 10 * SEC, "198.18.7." + (1 + i), 25, 800 * MS, "203.0.113." + (20 + i), 25,
                    30_000, 600, 30_100, 620, 2 * SEC);
        }
        play();
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.value(det, "detector.relay.forwarded_legs")).isEqualTo(20);
    }

    @Test
    void aJumpHostsUsersConnectingOnWithSshAreNotARelay() {
        // an admin logs in, then ssh'es to servers seconds later; one uses ProxyJump (tight and symmetric)
        pair(T0, "203.0.113.77", 22, 6 * SEC, "198.51.100.21", 22, 50_000, 400_000, 49_000, 398_000, 600 * SEC);
        pair(T0 + 60 * SEC, "203.0.113.77", 22, 12 * SEC, "198.51.100.22", 22, 20_000, 90_000, 19_000, 88_000, 300 * SEC);
        pair(T0 + 120 * SEC, "203.0.113.77", 22, 200 * MS, "198.51.100.23", 22, 8_000, 30_000, 7_900, 29_800, 100 * SEC);
        for (int i = 0; i < 5; i++) {
            records.add(Conns.out(HOST, "198.51.100." + (30 + i), 22).at(T0 + (200 + i) * SEC).open().build());
        }
        play();
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void unpairedOrLateLegsDoNotCount() {
        // same bytes, but the outbound leg starts 5 s after the inbound one: not a relay's reflex
        for (int i = 0; i < 6; i++) {
            pair(T0 + i * 40 * SEC, "203.0.113.50", 443, 5 * SEC, "198.51.100." + (10 + i), 443,
                    1500, 20_000, 1460, 19_900, 10 * SEC);
        }
        play();
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.value(det, "detector.relay.candidate_pairs")).isZero();
    }
}
