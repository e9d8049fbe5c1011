package io.netsensor.fleet;

import static io.netsensor.fleet.AgentDocs.MIN;
import static io.netsensor.fleet.AgentDocs.T0;
import static io.netsensor.fleet.FleetDriver.beacon;
import static io.netsensor.fleet.FleetDriver.browsing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.events.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet rules on the real topology (TopologyTestDriver), fed the documents an agent's Kafka sink writes. */
class FleetRulesTest {
    @TempDir
    Path state;

    private static final List<String> HOSTS = List.of("ws-01", "ws-02", "ws-03", "ws-04", "ws-05", "ws-06");

    /** Everyone's ordinary day from T0: the intranet, a CDN with several addresses, NTP polling (periodic, ignored). */
    private static void benignDay(FleetDriver f, long end, SplittableRandom r) {
        for (String h : HOSTS) {
            f.connections(h, "203.0.113.10", 443, Transport.TCP, browsing(T0, end, 90, r), List.of("intranet.example.com"));
            f.connections(h, "203.0.113.20", 443, Transport.TCP, browsing(T0, end, 300, r), List.of("www.example.org"));
            f.connections(h, "203.0.113.123", 123, Transport.UDP, beacon(T0 + r.nextInt(60_000), 64, 0.2, (int) ((end - T0) / 64_000) - 2, r), List.of());
            f.dns(h, "example.com", T0 + r.nextInt(600_000), 12, 0);
        }
        // a CDN edge new after the learning period, which every host fetches from at once: shared, not spreading
        for (String h : HOSTS)
            f.connections(h, "192.0.2.200".replace("192.0.2", "203.0.113"), 443, Transport.TCP, browsing(T0 + 40 * MIN, T0 + 42 * MIN, 30, r),
                    List.of("d111111abcdef8.cloudfront.net"));
        // a retired internal name fails on every host: not machine-made, no alert
        for (String h : HOSTS) f.dns(h, "oldcorp-intranet.com", T0 + 30 * MIN + r.nextInt(60_000), 3, 3);
    }

    @Test
    void aBenignFleetRaisesNothingAndCountsItsCommonDestinations() {
        SplittableRandom r = new SplittableRandom(1);
        try (FleetDriver f = new FleetDriver(FleetDriver.settings(), state)) {
            benignDay(f, T0 + 90 * MIN, r);
            f.play();
            assertThat(f.alerts()).isEmpty();
            JsonNode intranet = f.prevalence().get("ip:203.0.113.10");
            assertThat(intranet.get("hosts_1h").asInt()).isEqualTo(6);
            assertThat(intranet.get("hosts_7d").asInt()).isEqualTo(6);
            assertThat(intranet.get("saturated").asBoolean()).isFalse();
            assertThat(f.prevalence().get("domain:example.com").get("hosts_24h").asInt()).isEqualTo(6);
            assertThat(f.prevalence().get("domain:cloudfront.net")).as("CDN customer labels are their own registered domains").isNull();
            assertThat(f.prevalence().get("domain:d111111abcdef8.cloudfront.net").get("hosts_7d").asInt()).isEqualTo(6);
            assertThat(f.metrics.badRecords.getCount()).isZero();
        }
    }

    @Test
    void oneHostBeaconingToADestinationNewToTheFleetIsARareBeacon() {
        SplittableRandom r = new SplittableRandom(2);
        try (FleetDriver f = new FleetDriver(FleetDriver.settings(), state)) {
            benignDay(f, T0 + 90 * MIN, r);
            f.connections("ws-03", "198.51.100.66", 8443, Transport.TCP, beacon(T0 + 20 * MIN, 120, 3, 30, r), List.of());
            // the same period to a destination everyone has known since the start is not rare
            f.connections("ws-04", "203.0.113.20", 443, Transport.TCP, beacon(T0 + 20 * MIN, 120, 3, 30, r), List.of("www.example.org"));
            f.play();
            assertThat(f.rules()).containsExactly("fleet_rare_beacon");
            JsonNode a = f.alerts().get(0);
            assertThat(a.at("/host/name").asText()).isEqualTo("ws-03");
            assertThat(a.at("/destination/ip").asText()).isEqualTo("198.51.100.66");
            assertThat(a.at("/event/kind").asText()).isEqualTo("alert");
            assertThat(a.at("/netsensor/evidence/hosts_7d").asInt()).isEqualTo(1);
            assertThat(a.at("/netsensor/evidence/period_s").asDouble()).isBetween(110.0, 130.0);
            assertThat(a.at("/threat/technique/id/1").asText()).isEqualTo("T1071");
        }
    }

    @Test
    void threeHostsBeaconingWithOnePeriodAreABotnet() {
        SplittableRandom r = new SplittableRandom(3);
        try (FleetDriver f = new FleetDriver(FleetDriver.settings(), state)) {
            benignDay(f, T0 + 90 * MIN, r);
            for (String h : List.of("ws-01", "ws-02", "ws-05"))
                f.connections(h, "198.51.100.77", 443, Transport.TCP, beacon(T0 + 15 * MIN + r.nextInt(30_000), 30, 1.5, 120, r), List.of());
            f.play();
            assertThat(f.rules()).containsExactly("fleet_botnet");
            JsonNode a = f.alerts().get(0);
            assertThat(a.at("/netsensor/evidence/hosts").toString()).isEqualTo("[\"ws-01\",\"ws-02\",\"ws-05\"]");
            assertThat(a.at("/netsensor/evidence/period_median_s").asDouble()).isBetween(28.0, 32.0);
            assertThat(a.at("/host/name").isMissingNode()).as("about several hosts: no one host.name").isTrue();
        }
    }

    @Test
    void hostsBeaconingWithDifferentPeriodsAreNotOneBotnet() {
        SplittableRandom r = new SplittableRandom(4);
        FleetSettings s = FleetDriver.settings();
        s.rare.enabled = false;
        try (FleetDriver f = new FleetDriver(s, state)) {
            double[] periods = {20, 45, 110};
            for (int i = 0; i < 3; i++)
                f.connections(HOSTS.get(i), "198.51.100.78", 443, Transport.TCP, beacon(T0 + 15 * MIN, periods[i], 0.5, (int) (60 * 60 / periods[i]), r), List.of());
            f.play();
            assertThat(f.rules()).doesNotContain("fleet_botnet");
        }
    }

    @Test
    void theSameMachineMadeFailingDomainOnThreeHostsIsShared() {
        SplittableRandom r = new SplittableRandom(5);
        try (FleetDriver f = new FleetDriver(FleetDriver.settings(), state)) {
            benignDay(f, T0 + 60 * MIN, r);
            for (String h : List.of("ws-02", "ws-04", "ws-06")) f.dns(h, "xq7vkz2mplw9rtbn.com", T0 + 30 * MIN + r.nextInt(60_000), 2, 2);
            // on two hosts only: below the threshold
            for (String h : List.of("ws-01", "ws-03")) f.dns(h, "pq8zkv3mxlw2rtcj.net", T0 + 30 * MIN + r.nextInt(60_000), 2, 2);
            f.play();
            assertThat(f.rules()).containsExactly("fleet_shared_names");
            JsonNode a = f.alerts().get(0);
            assertThat(a.at("/netsensor/evidence/domain").asText()).isEqualTo("xq7vkz2mplw9rtbn.com");
            assertThat(a.at("/netsensor/evidence/hosts").size()).isEqualTo(3);
            assertThat(a.at("/threat/technique/subtechnique/id/1").asText()).isEqualTo("T1568.002");
        }
    }

    @Test
    void aNewDestinationManyHostsContactAtOnceIsASpreader() {
        SplittableRandom r = new SplittableRandom(6);
        try (FleetDriver f = new FleetDriver(FleetDriver.settings(), state)) {
            benignDay(f, T0 + 60 * MIN, r);
            for (int i = 0; i < 5; i++)
                f.connections(HOSTS.get(i), "198.51.100.99", 445, Transport.TCP, List.of(T0 + 30 * MIN + i * 40_000L), List.of());
            // the same five, but spread over hours: not at once
            for (int i = 0; i < 5; i++)
                f.connections(HOSTS.get(i), "198.51.100.98", 445, Transport.TCP, List.of(T0 + 20 * MIN + i * 11 * MIN), List.of());
            f.play();
            assertThat(f.rules()).containsExactly("fleet_spreader");
            assertThat(f.alerts().get(0).at("/destination/ip").asText()).isEqualTo("198.51.100.99");
        }
    }

    @Test
    void theAgentsOwnBeaconAlertsWithOnePeriodMakeABotnetTooEvenUnderTheTelemetryThreshold() {
        FleetSettings s = FleetDriver.settings();
        s.beacon.minIntervals = 1000; // telemetry alone can never say beacon here: only the agents' alerts do
        try (FleetDriver f = new FleetDriver(s, state)) {
            for (String h : List.of("ws-01", "ws-02", "ws-03")) {
                f.connections(h, "198.51.100.80", 8080, Transport.TCP, List.of(T0 + 20 * MIN), List.of());
                f.play();
                f.alert(h, f.docs.beaconAlert(h, "198.51.100.80", 8080, T0 + 20 * MIN, T0 + 60 * MIN, h.equals("ws-02") ? 61.5 : 60.0));
            }
            assertThat(f.rules()).containsExactly("fleet_botnet");
            assertThat(f.alerts().get(0).at("/netsensor/evidence/periods_s/ws-02").asDouble()).isEqualTo(61.5);
        }
    }

    @Test
    void namesTheAgentsDgaAlertsSampleOnThreeHostsAreSharedWhateverTheFleetsOwnScore() {
        FleetSettings s = FleetDriver.settings();
        s.sharedNames.minScore = 1.0; // the fleet's own scoring never passes: only the agents' flags count
        try (FleetDriver f = new FleetDriver(s, state)) {
            for (String h : List.of("ws-01", "ws-02", "ws-03"))
                f.alert(h, f.docs.dgaAlert(h, T0 + 30 * MIN, List.of("a.qwkzjxv.biz", "mjjxqzvk.top")));
            f.alert("ws-04", f.docs.dgaAlert("ws-04", T0 + 30 * MIN, List.of("other-only-here.top")));
            assertThat(f.rules()).containsExactly("fleet_shared_names", "fleet_shared_names");
            assertThat(f.alerts()).extracting(a -> a.at("/netsensor/evidence/domain").asText()).containsExactlyInAnyOrder("qwkzjxv.biz", "mjjxqzvk.top");
            assertThat(f.alerts().get(0).at("/netsensor/evidence/hosts_flagged_by_agent_dga").asInt()).isEqualTo(3);
        }
    }

    @Test
    void slidingWindowsCountHostsByTheirLastContactAndTheCapCountsTheOverflow() {
        FleetSettings s = FleetDriver.settings();
        s.prevalence.maxHostsPerDestination = 8;
        try (FleetDriver f = new FleetDriver(s, state)) {
            for (int i = 0; i < 12; i++) {
                long t = i < 4 ? T0 : T0 + 3 * 60 * MIN; // four hosts three hours before the rest
                f.connections("h" + i, "203.0.113.50", 443, Transport.TCP, List.of(t + i * 1000L), List.of());
            }
            f.play();
            JsonNode p = f.prevalence().get("ip:203.0.113.50");
            assertThat(p.get("hosts_1h").asInt()).isEqualTo(4); // h4..h7: the cap keeps the first 8 hosts
            assertThat(p.get("hosts_24h").asInt()).isEqualTo(8);
            assertThat(p.get("saturated").asBoolean()).isTrue();
            assertThat(p.get("overflow_contacts").asLong()).isEqualTo(4);
            assertThat(p.get("first_seen").asText()).isEqualTo("2026-03-02T00:00:00Z");
            assertThat(f.metrics.overflow.getCount()).isEqualTo(4);
        }
    }

    @Test
    void destinationsSilentPastTheRetentionAreForgottenAndTombstoned() {
        FleetSettings s = FleetDriver.settings();
        s.prevalence.retention = java.time.Duration.ofHours(2);
        try (FleetDriver f = new FleetDriver(s, state)) {
            f.connections("h1", "203.0.113.60", 443, Transport.TCP, List.of(T0), List.of());
            f.connections("h1", "203.0.113.61", 443, Transport.TCP, List.of(T0 + 3 * 60 * MIN), List.of());
            f.play();
            assertThat(f.prevalence()).containsKeys("ip:203.0.113.60", "ip:203.0.113.61");
            f.advanceWallClock(s.prevalence.purgeInterval.plusSeconds(1));
            assertThat(f.prevalence()).doesNotContainKey("ip:203.0.113.60").containsKey("ip:203.0.113.61");
            assertThat(f.metrics.purged.getCount()).isEqualTo(1);
        }
    }

    @Test
    void anUnreadableRecordIsCountedAndSkipped() {
        try (FleetDriver f = new FleetDriver(FleetDriver.settings(), state)) {
            f.telemetry("h1", "not json at all".getBytes());
            f.telemetry("h1", "{\"event\":{\"dataset\":\"netsensor.telemetry.conn\"}}".getBytes());
            f.connections("h1", "203.0.113.70", 443, Transport.TCP, List.of(T0), List.of());
            f.play();
            assertThat(f.metrics.badRecords.getCount()).isEqualTo(2);
            assertThat(f.prevalence()).containsKey("ip:203.0.113.70");
        }
    }
}
