package io.netsensor.agent.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.DetectionLoop;
import io.netsensor.agent.Outputs;
import io.netsensor.agent.Sensor;
import io.netsensor.testkit.pcap.Traffic;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's wiring in-process (no root needed; MetricsEndpointIT does it live): traffic replayed into the
 * sensor in two rounds, /metrics fetched after each and parsed by a strict text-format parser; the counters
 * people alert on exist and move; /health says what runs and each sink's state; status.json follows.
 */
class OpsEndpointTest {
    private static final String HOST = "192.168.1.10";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    /** A sink that refuses its first flushes, as a SIEM that is down for a moment. */
    static final class FlakySink implements Sink {
        final AtomicInteger refusals = new AtomicInteger(1);
        int pending;

        @Override public String name() { return "siem"; }
        @Override public Set<RecordKind> kinds() { return EnumSet.of(RecordKind.ALERT, RecordKind.EVENT); }
        @Override public int pending() { return pending; }
        @Override public void onConn(ConnEvent e) { pending++; }
        @Override public void onDns(DnsEvent e) { pending++; }
        @Override public void onAlert(Alert a) { pending++; }

        @Override
        public void flush() throws IOException {
            if (refusals.getAndDecrement() > 0) throw new IOException("connection refused");
            pending = 0;
        }
    }

    @Test
    void metricsAndHealthFollowTheTraffic() throws Exception {
        Path first = round(0).write(dir.resolve("first.pcap"));
        Path second = round(5000).write(dir.resolve("second.pcap"));
        Settings settings = SettingsLoader.defaults();
        settings.metrics.listen = "127.0.0.1:0";
        settings.logSummaryInterval = java.time.Duration.ZERO;
        Path data = dir.resolve("data");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        AtomicBoolean capturing = new AtomicBoolean(true);
        try (Sensor sensor = Sensor.open(settings, data, List.of());
             DetectionLoop detection = new DetectionLoop(sensor.journal, settings, true, null, sensor.metrics).fromEnd()) {
            StdoutSink printer = new StdoutSink("stdout", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false, false, null);
            FlakySink siem = new FlakySink();
            try (Outputs outputs = Outputs.start(sensor.journal, sensor.metrics, List.of(printer, siem), SinkRunner.Start.END);
                 Operations ops = Operations.start(new Operations.Agent(settings, "eth0", data, sensor, detection,
                         outputs.runners(), capturing::get, null), logStream)) {
                AtomicBoolean fed = new AtomicBoolean();
                detection.start(fed::get);
                String base = ops.health().path("metrics_url").asText().replaceFirst("/metrics$", "");
                assertThat(base).startsWith("http://127.0.0.1:");

                feed(sensor, first);
                PromText.Parsed before = awaitDelivered(base, 1);
                feed(sensor, second);
                PromText.Parsed after = awaitDelivered(base, before.value("netsensor_sink_delivered_total", "sink", "siem") + 1);

                for (String moving : List.of("netsensor_capture_frames_total", "netsensor_capture_decode_decoded_total",
                        "netsensor_journal_appended_total", "netsensor_journal_records_total", "netsensor_conn_flows_created_total",
                        "netsensor_dns_queries_total", "netsensor_sink_delivered_total", "netsensor_detector_engine_conn_events_total",
                        "netsensor_process_cpu_ms_total")) {
                    assertThat(after.sum(moving)).as(moving).isGreaterThan(before.sum(moving));
                }
                // counters people alert on: there (with their tags) even while they stay 0
                assertThat(after.find("netsensor_capture_decode_malformed_total", "reason", "truncated_ip")).hasSize(1);
                assertThat(after.find("netsensor_journal_records_total", "type", "conn", "writer", "capture")).hasSize(1);
                assertThat(after.find("netsensor_detect_alerts_by_severity_total", "detector", "beacon", "severity", "high")).hasSize(1);
                assertThat(after.find("netsensor_detector_keys", "detector", "fanout")).hasSize(1);
                assertThat(after.find("netsensor_detector_evictions_total", "detector", "beacon")).hasSize(1);
                for (String sinkMetric : List.of("netsensor_sink_lag_records", "netsensor_sink_lag_seconds", "netsensor_sink_retries_total",
                        "netsensor_sink_failures_total", "netsensor_sink_gap_total", "netsensor_sink_up")) {
                    assertThat(after.find(sinkMetric, "sink", "siem")).as(sinkMetric).hasSize(1);
                }
                assertThat(after.value("netsensor_sink_failures_total", "sink", "siem")).isEqualTo(1);
                assertThat(after.value("netsensor_sink_retries_total", "sink", "siem")).isEqualTo(1);
                assertThat(after.value("netsensor_sink_up", "sink", "siem")).isEqualTo(1);
                assertThat(after.value("netsensor_journal_writable")).isEqualTo(1);
                assertThat(after.value("netsensor_capture_running")).isEqualTo(1);
                assertThat(after.value("netsensor_process_rss_bytes")).isGreaterThan(1 << 20);
                assertThat(after.value("netsensor_jvm_memory_heap_used_bytes")).isPositive();
                assertThat(after.find("netsensor_jvm_gc_collections_total")).isNotEmpty();
                assertThat(after.types()).containsEntry("netsensor_sink_batch_records", "summary")
                        .containsEntry("netsensor_capture_frames_total", "counter").containsEntry("netsensor_conn_flows_active", "gauge");

                HttpResponse<String> health = get(base + "/health");
                assertThat(health.statusCode()).isEqualTo(200);
                JsonNode h = JSON.readTree(health.body());
                assertThat(h.path("status").asText()).isEqualTo("ok");
                assertThat(h.at("/capture/running").asBoolean()).isTrue();
                assertThat(h.at("/journal/writable").asBoolean()).isTrue();
                assertThat(h.path("sinks").findValuesAsText("name")).containsExactly("stdout", "siem");
                assertThat(h.at("/sinks/1/state").asText()).isEqualTo("ok");
                assertThat(h.at("/sinks/1/failures").asLong()).isEqualTo(1);
                assertThat(h.at("/sinks/1/last_error").asText()).isEqualTo("connection refused");
                assertThat(h.at("/sinks/1/lag_records").isNumber()).isTrue();

                capturing.set(false); // the capture thread ended: unhealthy, and /health says so with a 503
                HttpResponse<String> down = get(base + "/health");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(down.body()).path("problems").toString()).contains("capture is not running");
                assertThat(get(base + "/nothing").statusCode()).isEqualTo(404);
                assertThat(ops.summaryLine()).startsWith("netsensor: summary: unhealthy; up ").contains("eth0", "sinks: stdout ok")
                        .doesNotContain("\n");

                fed.set(true);
                detection.join();
                outputs.drain(detection::done);
                ops.finish();
                JsonNode file = new StatusFile(data).read();
                assertThat(file.path("state").asText()).isEqualTo("stopped");
                assertThat(file.at("/capture/packets").asLong()).isEqualTo((long) after.value("netsensor_capture_frames_total"));
                assertThat(ops.stopReport("decode ok", "")).first().asString().startsWith("netsensor: stopped after ");
            }
        }
    }

    /** A beacon, some DNS and a fan-out, starting {@code t0} seconds after Traffic.T0. */
    private static Traffic round(double t0) {
        Traffic t = new Traffic();
        for (int i = 0; i < 20; i++) t.tcpSession(t0 + i * 60.0, HOST, "198.51.100.7", 8443, 300, 500, 0.5);
        for (int i = 0; i < 10; i++) t.dnsResolved(t0 + 5 + i, HOST, "192.168.1.1", "www" + i + ".example.org", List.of(), "93.184.216.34");
        for (int i = 1; i <= 30; i++) t.tcpUnanswered(t0 + 1500 + i * 0.5, HOST, "203.0.113." + i, 22);
        return t;
    }

    private static void feed(Sensor sensor, Path pcap) throws Exception {
        // the capture side runs on this thread here; in the agent it is the capture thread
        try (PcapFileSource src = PcapFileSource.open(pcap)) {
            src.run(sensor.pipeline);
        }
        sensor.pipeline.onIdle(sensor.pipeline.lastTimestamp() + 600_000_000_000L); // flows end: journaled
    }

    /** Scrapes until the flaky sink has delivered at least {@code atLeast} records (after its retry). */
    private static PromText.Parsed awaitDelivered(String base, double atLeast) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (true) {
            HttpResponse<String> r = get(base + "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            PromText.Parsed p = PromText.parse(r.body());
            if (p.value("netsensor_sink_delivered_total", "sink", "siem") >= atLeast
                    && p.value("netsensor_sink_lag_records", "sink", "siem") == 0) {
                return p;
            }
            if (System.nanoTime() > end) throw new AssertionError("the sink never delivered " + atLeast + ":\n" + r.body());
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
