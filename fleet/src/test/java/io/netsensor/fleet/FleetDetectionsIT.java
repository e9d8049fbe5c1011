package io.netsensor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.sinks.kafka.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet end to end on a real KRaft broker: four agents replay different generated captures through the
 * real agent and its Kafka sink; the fleet application (RocksDB stores, exactly-once) reads their topics and
 * must raise each fleet rule on the attacked fleet, and nothing on a benign one.
 */
class FleetDetectionsIT {
    @TempDir
    static Path dir;
    static KafkaTestBroker broker;

    private static final String[] AGENTS = {"agent-1", "agent-2", "agent-3", "agent-4"};
    private static final String RESOLVER = "10.9.0.53";
    private static final String[] DGA = {"xq7vkz2mplw9rtbn.com", "kz8wqpl3vtrx9mnd.net", "pv2rxqz7kmlw8tbj.org",
            "mw9tkqz2xvpl7rnb.com", "jr3vqzk8wmxp2ltn.info"};

    @BeforeAll
    static void start() throws Exception {
        broker = FleetCluster.broker(dir.resolve("broker"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    private static String ip(int agent) {
        return "10.9.0." + (11 + agent);
    }

    /** Seconds of generated traffic: 6 rounds of 5 minutes. */
    private static final int ROUNDS = 6;
    private static final double END_S = SlicedTraffic.ALIGN_S + ROUNDS * SlicedTraffic.SLICE_S;

    /** What every host does all along: the intranet site (after resolving it), a CDN, NTP. */
    private static void benign(SlicedTraffic t, int agent, SplittableRandom r) {
        String me = ip(agent);
        t.dnsResolved(1 + agent, me, RESOLVER, "intranet.example.com", "203.0.113.10");
        t.dnsResolved(2 + agent, me, RESOLVER, "d111111abcdef8.cloudfront.net", "203.0.113.30");
        for (double s = 5 + r.nextDouble() * 30; s < END_S; s += -Math.log(1 - r.nextDouble()) * 90)
            t.tcpSession(s, me, "203.0.113.10", 443, 400, 4000, 0.5);
        for (double s = 20 + r.nextDouble() * 60; s < END_S; s += -Math.log(1 - r.nextDouble()) * 240)
            t.tcpSession(s, me, "203.0.113.30", 443, 300, 20000, 1.0);
        for (double s = 10 + agent; s < END_S; s += 64) t.udpExchange(s, me, 123, "203.0.113.123", 123, 48, 48);
        // at 25 min every host fetches from a CDN edge none used before: shared infrastructure, not a spreader
        t.dnsResolved(1500 + agent, me, RESOLVER, "d222222abcdef8.cloudfront.net", "203.0.113.31");
        t.tcpSession(1501 + agent * 3, me, "203.0.113.31", 443, 300, 50000, 2.0);
    }

    private static SlicedTraffic traffic(int agent, boolean attacked, SplittableRandom r) {
        SlicedTraffic t = new SlicedTraffic(ROUNDS);
        benign(t, agent, r);
        if (!attacked) return t;
        String me = ip(agent);
        if (agent < 3) {
            // agents 1-3: a botnet's check-in every 30 s from minute 11, and its DGA's names failing at minute 15
            for (double s = 660 + r.nextDouble() * 20; s < END_S; s += 30 + (r.nextDouble() * 2 - 1))
                t.tcpSession(s, me, "198.51.100.77", 443, 200, 600, 0.2);
            for (int i = 0; i < DGA.length; i++) t.dnsNxdomain(900 + i * 7 + agent, me, RESOLVER, DGA[i]);
        } else {
            // agent 4 alone: a slow beacon to a destination nobody else knows
            for (double s = 660 + r.nextDouble() * 10; s < END_S; s += 120 + (r.nextDouble() * 4 - 2))
                t.tcpSession(s, me, "198.51.100.66", 8443, 200, 600, 0.2);
        }
        // minute 20: every host connects to one new address within a minute: a spreader
        t.tcpSession(1200 + agent * 15, me, "198.51.100.99", 445, 2000, 100, 0.5);
        return t;
    }

    /**
     * Runs the fleet over four agents' replays, fed round by round (5 minutes of every agent's traffic, then the
     * fleet catches up), as live agents forwarding each minute would reach Kafka; returns the fleet's alerts.
     */
    private static List<JsonNode> runFleet(String prefix, boolean attacked) throws Exception {
        broker.createTopics(3, prefix + ".telemetry", prefix + ".alerts");
        SplittableRandom r = new SplittableRandom(attacked ? 11 : 12);
        List<SlicedTraffic> agents = new ArrayList<>();
        for (int a = 0; a < AGENTS.length; a++) agents.add(traffic(a, attacked, r));
        FleetSettings cfg = FleetCluster.settings("fleet-" + prefix, dir.resolve(prefix + "-state"), prefix);
        cfg.spreader.minHosts = 4;
        cfg.beacon.minIntervals = 6; // half an hour of traffic: a 2-minute beacon shows in 9 intervals
        Set<String> inputs = Set.of(cfg.topics.telemetry, cfg.topics.alerts);
        try (FleetApp app = new FleetApp(cfg, broker.bootstrap()); Admin admin = broker.admin()) {
            app.start();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(AGENTS.length);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    // the four agents of a round replay at once, as four sensors would
                    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                    for (int a = 0; a < AGENTS.length; a++) {
                        int agent = a, k = round;
                        running.add(pool.submit(() -> {
                            SimulatedAgent.replay(dir.resolve(prefix).resolve("round-" + k), AGENTS[agent], dir.resolve(prefix).resolve(AGENTS[agent] + "-data"),
                                    broker.bootstrap(), cfg.topics.telemetry, cfg.topics.alerts, agents.get(agent).slice(k));
                            return null;
                        }));
                    }
                    for (var f : running) f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                    FleetCluster.awaitCaughtUp(admin, cfg.applicationId, inputs, Duration.ofSeconds(60));
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(app.metrics().badRecords.getCount()).isZero();
            assertThat(app.metrics().telemetry.getCount()).isGreaterThan(200);
        }
        Map<String, JsonNode> prevalence = FleetCluster.latest(FleetCluster.readAll(broker.bootstrap(), cfg.topics.prevalence,
                Duration.ofSeconds(2), Duration.ofSeconds(20)));
        JsonNode intranet = prevalence.get("ip:203.0.113.10");
        assertThat(intranet.get("hosts_1h").asInt()).isEqualTo(4);
        assertThat(prevalence.get("domain:example.com").get("hosts_7d").asInt()).isEqualTo(4);
        return FleetCluster.json(FleetCluster.readAll(broker.bootstrap(), cfg.topics.fleetAlerts, Duration.ofSeconds(2), Duration.ofSeconds(20)));
    }

    @Test
    void anAttackedFleetRaisesEachFleetRuleAndABenignOneNothing() throws Exception {
        long t0 = System.nanoTime();
        List<JsonNode> alerts = runFleet("attacked", true);
        Map<String, List<JsonNode>> byRule = alerts.stream().collect(Collectors.groupingBy(a -> a.at("/rule/id").asText()));
        assertThat(byRule.keySet()).containsExactlyInAnyOrder("fleet_rare_beacon", "fleet_botnet", "fleet_shared_names", "fleet_spreader");

        assertThat(byRule.get("fleet_rare_beacon")).singleElement().satisfies(a -> {
            assertThat(a.at("/host/name").asText()).isEqualTo("agent-4");
            assertThat(a.at("/destination/ip").asText()).isEqualTo("198.51.100.66");
            assertThat(a.at("/netsensor/evidence/period_s").asDouble()).isBetween(110.0, 130.0);
        });
        assertThat(byRule.get("fleet_botnet")).singleElement().satisfies(a -> {
            assertThat(a.at("/destination/ip").asText()).isEqualTo("198.51.100.77");
            assertThat(a.at("/netsensor/evidence/hosts").toString()).isEqualTo("[\"agent-1\",\"agent-2\",\"agent-3\"]");
            assertThat(a.at("/netsensor/evidence/period_median_s").asDouble()).isBetween(27.0, 33.0);
        });
        List<String> shared = new ArrayList<>();
        for (JsonNode a : byRule.get("fleet_shared_names")) {
            shared.add(a.at("/netsensor/evidence/domain").asText());
            assertThat(a.at("/netsensor/evidence/hosts").toString()).isEqualTo("[\"agent-1\",\"agent-2\",\"agent-3\"]");
        }
        assertThat(shared).isNotEmpty().isSubsetOf(DGA);
        assertThat(byRule.get("fleet_spreader")).singleElement()
                .satisfies(a -> assertThat(a.at("/destination/ip").asText()).isEqualTo("198.51.100.99"));
        // the agents' alert shape: what their sinks and SIEM rules already take
        for (JsonNode a : alerts) {
            assertThat(a.at("/event/kind").asText()).isEqualTo("alert");
            assertThat(a.at("/event/dataset").asText()).isEqualTo("netsensor.alert");
            assertThat(a.at("/ecs/version").asText()).isNotEmpty();
            assertThat(a.at("/netsensor/alert_id").asText()).startsWith(a.at("/rule/id").asText() + ":");
            assertThat(a.at("/threat/framework").asText()).isEqualTo("MITRE ATT&CK");
        }
        System.out.printf("attacked fleet: %d alerts in %.1f s%n", alerts.size(), (System.nanoTime() - t0) / 1e9);

        t0 = System.nanoTime();
        assertThat(runFleet("benign", false)).as("a benign fleet: common destinations, a CDN, NTP polling").isEmpty();
        System.out.printf("benign fleet: no alerts in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
