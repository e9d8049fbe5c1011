package io.netsensor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.attrib.AttributingHandler;
import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.DecodeStats;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.Attribution;
import io.netsensor.journal.JournalWriter;
import io.netsensor.metrics.Metrics;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import io.netsensor.testkit.pcap.Traffic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry after traffic flows through the whole replay path (pipeline, journal, detection, stdout
 * sink), wired as `replay` wires it: every documented metric is there, and the counts move with the traffic.
 */
class MetricsReplayTest {
    static final String HOST = "10.0.0.5", RESOLVER = "10.0.0.1";
    static final int BEACONS = 60, FANOUT = 30, LOOKUPS = 5;

    @TempDir
    Path dir;

    /** Every metric base a replay registers (attribution and kernel drops are live-only); metrics/README.md. */
    static final Set<String> REPLAY_BASES = Set.of(
            "capture.frames", "capture.time_regressions", "capture.time_jumps", "capture.time_restarts", "capture.decode.decoded", "capture.decode.not_decoded",
            "capture.decode.malformed", "capture.decode.tunnel_layers", "capture.fragments.received",
            "capture.fragments.reassembled", "capture.fragments.timed_out", "capture.fragments.evicted",
            "capture.fragments.overlaps", "capture.fragments.in_progress",
            "conn.flows_active", "conn.flows_max", "conn.flows_created", "conn.flows_opened", "conn.flows_reused",
            "conn.packets_ignored", "conn.flows_ended",
            "conn.bursts", "conn.names.sni", "conn.names.http", "conn.names.pool_full", "conn.names.dns_learned",
            "dns.queries", "dns.responses", "dns.responses_without_query", "dns.retransmitted_queries",
            "dns.unanswered", "dns.pending", "dns.evictions", "dns.tcp.gaps", "dns.tcp.retransmits", "dns.tcp.oversize",
            "dns.tcp.stream_evictions", "dns.malformed",
            "journal.appended", "journal.rejected", "journal.records", "journal.read", "journal.read_unknown_types",
            "journal.read_skipped", "journal.read_damaged", "journal.read_skipped_damaged", "journal.quarantined_cycles", "journal.retention.deleted_cycles",
            "journal.retention.deleted_bytes", "journal.retention.failed_passes",
            "journal.unjournaled", "journal.unjournaled_records", "journal.disk_full", "journal.disk_full_episodes",
            "detector.engine.conn_events", "detector.engine.dns_events", "detector.engine.allowlisted_events",
            "detector.engine.burst_events", "detector.engine.infrastructure_events", "detector.baseline.downranked",
            "detector.baseline.evictions", "detector.baseline.hosts", "detector.dga.slow_alerts", "detector.dns_tunnel.bad_names",
            "detector.dns_tunnel.events", "detector.dns_tunnel.ignored", "detector.fanout.slow_alerts", "detector.fanout.slow_evictions",
            "detector.fanout.slow_expirations", "detector.fanout.slow_keys", "detector.relay.asymmetric_pairs",
            "detector.relay.candidate_pairs", "detector.relay.forwarded_legs", "detector.relay.pairs_overwritten",
            "detector.relay.symmetric_pairs", "detector.scan.attempts",
            "detector.engine.allowlisted_alerts", "detector.engine.allowlisted_by_name", "detector.gate.passed", "detector.gate.suppressed",
            "detector.gate.evictions", "detector.errors", "detector.keys", "detector.evictions", "detector.expirations",
            "detector.alerts", "detector.beacon.updates", "detector.beacon.evaluations",
            "detector.beacon.disorder_dropped", "detector.beacon.burst_updates", "detector.beacon.series_restarted", "detector.beacon.series_adopted",
            "detector.beacon.progress_updates", "detector.beacon.p2p_skipped", "detector.relay.inbound_legs", "detector.relay.outbound_legs",
            "detector.fanout.attempts", "detector.c2_port.hits", "detector.dga.events", "detector.dga.domain_evictions",
            "detector.dga.domains_expired", "detector.dga.ignored", "detector.dga.bad_names", "detector.dga.score_cache",
            "detect.alerts_journaled", "detect.alerts_by_severity", "detect.rebuilt_records", "detect.rebuilt_alerts",
            "sink.delivered", "sink.flushes", "sink.retries", "sink.batch_records", "sink.failures", "sink.gap",
            "sink.up", "sink.lag_records", "sink.lag_seconds", "telemetry.rows_journaled");

    @Test
    void theRegistryHoldsEveryMetricAndItsCountsFollowTheTraffic() throws Exception {
        Traffic t = new Traffic();
        for (int i = 0; i < BEACONS; i++) t.tcpSession(i * 60.0, HOST, "198.51.100.7", 8443, 300, 500, 0.5); // beacon
        for (int i = 1; i <= FANOUT; i++) t.tcpUnanswered(4000 + i, HOST, "203.0.113." + i, 22); // fan-out
        t.tcpSession(4100, HOST, "198.51.100.66", 6667, 100, 100, 1); // IRC: the C2 port detector
        for (int i = 0; i < LOOKUPS - 1; i++) t.dnsResolved(10 + i, HOST, RESOLVER, "www" + i + ".example.org", List.of(), "93.184.216.34");
        t.dnsNxdomain(20, HOST, RESOLVER, "nothing.example.org");
        Path good = t.write(dir.resolve("good.pcap"));

        Path broken = dir.resolve("broken.pcap");
        byte[] syn = Frames.ipv4(HOST, "198.51.100.9").tcp(40000, 443).build();
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        try (PcapWriter w = PcapWriter.pcap(broken, LinkTypes.ETHERNET)) {
            long ts = Times.T0 + 5_000L * 1_000_000_000L;
            w.write(0, ts, syn, syn.length - 10); // cut inside the TCP header
            w.write(0, ts + 1, new byte[10]);     // shorter than an Ethernet header
            w.write(0, ts + 2, arp);
        }

        Settings settings = SettingsLoader.defaults();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        long goodFrames, allFrames;
        Metrics m;
        SortedMap<String, Long> afterGood;
        try (Sensor sensor = Sensor.open(settings, dir.resolve("data"), List.of());
             DetectionLoop detection = new DetectionLoop(sensor.journal, settings, true, null, sensor.metrics).fromEnd()) {
            m = sensor.metrics;
            StdoutSink printer = new StdoutSink("stdout", new PrintStream(printed, true, StandardCharsets.UTF_8), false, false, null);
            try (Outputs outputs = Outputs.start(sensor.journal, m, List.of(printer), SinkRunner.Start.END)) {
                assertThat(m.value("capture.frames")).isZero();
                try (PcapFileSource src = PcapFileSource.open(good)) {
                    goodFrames = src.run(sensor.pipeline);
                }
                afterGood = m.values(""); // on this thread, the capture thread: exact
                try (PcapFileSource src = PcapFileSource.open(broken)) {
                    allFrames = goodFrames + src.run(sensor.pipeline);
                }
                sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
                detection.start(() -> true);
                detection.join();
                outputs.drain(detection::done);
            }
            new ReplayStats().print(new PrintStream(summary, true, StandardCharsets.UTF_8), m, 1);
        }

        Set<String> bases = m.registry().getMetrics().keySet().stream().map(k -> Metrics.Name.parse(k).base())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(bases).containsExactlyInAnyOrderElementsOf(REPLAY_BASES);

        // capture: frames and decode outcomes, and they only went up between the two files
        assertThat(afterGood.get("capture.frames")).isEqualTo(goodFrames);
        assertThat(m.value("capture.frames")).isEqualTo(allFrames).isEqualTo(goodFrames + 3);
        assertThat(m.value(DecodeStats.metricName(DecodeResult.OK))).isEqualTo(afterGood.get("capture.decode.decoded{result=ok}"))
                .isEqualTo(goodFrames);
        assertThat(afterGood.get("capture.decode.malformed{reason=truncated_tcp}")).isZero();
        assertThat(m.value("capture.decode.malformed", "reason", "truncated_tcp")).isEqualTo(1);
        assertThat(m.value("capture.decode.malformed", "reason", "truncated_link")).isEqualTo(1);
        assertThat(m.value("capture.decode.not_decoded", "reason", "non_ip")).isEqualTo(1);
        assertThat(m.sum("capture.decode.malformed")).isEqualTo(2);
        assertThat(DecodeStats.summary(m)).isEqualTo("decoded=" + goodFrames + " (ok=" + goodFrames
                + " ip_only=0) tunnel_layers=0 not_decoded=1 {NON_IP=1} malformed=2 {TRUNCATED_LINK=1, TRUNCATED_TCP=1}");

        // flows and DNS
        long flows = BEACONS + FANOUT + 1 + LOOKUPS;
        assertThat(m.value("conn.flows_created")).isEqualTo(flows);
        assertThat(afterGood.get("conn.flows_active")).isPositive();
        assertThat(m.value("conn.flows_active")).isZero();
        assertThat(m.value("conn.flows_ended", "reason", "fin")).isEqualTo(BEACONS + 1);
        assertThat(m.value("dns.queries")).isEqualTo(LOOKUPS);
        assertThat(m.value("dns.responses")).isEqualTo(LOOKUPS);
        assertThat(m.value("dns.unanswered")).isZero();

        // journal: what the capture writer appended, and what detection read of it
        long conns = m.value(JournalWriter.recordsMetric(Sensor.WRITER, "conn"));
        assertThat(conns).isGreaterThanOrEqualTo(flows); // END records, plus OPEN records of TCP flows
        assertThat(m.value(JournalWriter.recordsMetric(Sensor.WRITER, "dns"))).isEqualTo(LOOKUPS);
        assertThat(m.value("journal.appended", "writer", Sensor.WRITER)).isEqualTo(conns + LOOKUPS);
        assertThat(m.value("journal.rejected", "writer", Sensor.WRITER)).isZero();
        assertThat(m.value("journal.read", "reader", "detect", "type", "conn")).isEqualTo(conns);
        assertThat(m.value("detector.engine.conn_events")).isEqualTo(conns);
        assertThat(m.value("detector.engine.dns_events")).isEqualTo(LOOKUPS);

        // alerts by detector: raised, past the gate, journaled (or refused by the codec), printed
        for (String detector : List.of("beacon", "fanout", "c2_port")) {
            assertThat(m.value("detector.alerts", "detector", detector)).as(detector).isPositive();
            assertThat(m.value("detect.alerts_journaled", "detector", detector)).as(detector)
                    .isLessThanOrEqualTo(m.value("detector.alerts", "detector", detector));
        }
        long alerts = m.sum("detect.alerts_journaled");
        assertThat(m.value("detector.gate.passed")).isPositive()
                .isEqualTo(alerts + m.value("journal.rejected", "writer", "detect"));
        assertThat(m.value(JournalWriter.recordsMetric("detect", "alert"))).isEqualTo(alerts);
        assertThat(m.value("detector.keys", "detector", "beacon")).isPositive();
        assertThat(m.value("sink.delivered", "sink", "stdout")).isEqualTo(alerts)
                .isEqualTo(printed.toString(StandardCharsets.UTF_8).lines().count());
        assertThat(m.value("journal.read", "reader", "sink.stdout", "type", "alert")).isEqualTo(alerts);
        assertThat(m.value("sink.batch_records", "sink", "stdout")).isEqualTo(m.value("sink.flushes", "sink", "stdout"));

        // the replay summary is these numbers
        assertThat(summary.toString(StandardCharsets.UTF_8)).contains(
                String.format("  events: %d connection records (%d flows), %d dns; journal appended %d, rejected 0%n",
                        conns, flows, LOOKUPS, conns + LOOKUPS),
                String.format("  dns: %d queries, %d responses, 0 unanswered, 0 responses without query%n", LOOKUPS, LOOKUPS),
                String.format("  decode: decoded %d, not decoded 1 {NON_IP=1}, malformed 2 {TRUNCATED_LINK=1, TRUNCATED_TCP=1}%n", goodFrames),
                String.format("  alerts: %d%n", alerts));
    }

    @Test
    void theAttributionSummaryReadsTheAttributionMetricsAndIsEmptyWithoutThem() {
        assertThat(io.netsensor.agent.cli.RunCommand.attributionSummary(new Metrics())).isEmpty();
        Metrics m = new Metrics();
        for (Attribution a : Attribution.values()) {
            long conn = a == Attribution.RESOLVED ? 3 : a == Attribution.NO_SOCKET ? 1 : a == Attribution.NOT_LOCAL ? 7 : 0;
            long dns = a == Attribution.RESOLVED ? 1 : a == Attribution.PENDING ? 1 : 0;
            m.count(AttributingHandler.recordsMetric("conn", a), () -> conn);
            m.count(AttributingHandler.recordsMetric("dns", a), () -> dns);
        }
        long[] n = {0};
        for (String name : List.of("attribution.requests", "attribution.held", "attribution.process_records",
                "attribution.resolver.lookups", "attribution.resolver.full_rescans", "attribution.resolver.queue_drops",
                "attribution.resolver.inode_cache", "attribution.resolver.process_cache", "attribution.resolver.recent_sockets")) {
            long v = ++n[0];
            m.count(name, () -> v);
        }
        // NOT_LOCAL records are no local socket's: 4 of the 6 local records named their process
        assertThat(io.netsensor.agent.cli.RunCommand.attributionSummary(m)).isEqualTo("; attribution 4/6 records (66.7 %), misses: no_socket=1 pending=1; "
                + "lookups 4, full rescans 5, queue drops 6, held 2, process records 3, caches: inodes 7 processes 8 recent sockets 9");
    }
}
