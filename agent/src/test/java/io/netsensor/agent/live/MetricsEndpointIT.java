package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.ops.PromText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real agent with metrics.listen: live traffic (nc, dig, an IRC-port connection) in a test network,
 * /metrics fetched twice and parsed by a strict text-format parser, the counters people alert on present
 * and moving; /health; `netsensor status` while it runs and after; SIGUSR1 prints the summary line and
 * SIGUSR2 is ignored (both used to kill the agent without a flush); the stop report.
 */
class MetricsEndpointIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void servesMovingCountersHealthAndStatus() throws Exception {
        String why = TestNet.unavailableReason();
        assumeTrue(why == null, why);
        for (String tool : new String[] {"nc", "dig", "dnsmasq"}) {
            assumeTrue(Sh.available(tool), tool + " not installed (apt-get install netcat-openbsd dnsutils dnsmasq-base); skipped");
        }
        try (TestNet net = TestNet.create()) {
            net.startTcpListener(8080);
            net.startTcpListener(6667);
            net.startDns("/beacon.test/198.51.100.7");
            net.awaitListening(8080, false);
            net.awaitListening(6667, false);
            net.awaitListening(53, true);
            Path data = Files.createTempDirectory("metrics-journal");
            Path config = net.workDir().resolve("netsensor.yml");
            Files.writeString(config, "metrics:\n  listen: 127.0.0.1:0\nlog_summary_interval: 2s\n");
            try (AgentProcess agent = AgentProcess.start(net.workDir(), "run", "--interface", net.hostIf,
                    "--data-dir", data.toString(), "-c", config.toString())) {
                agent.awaitStderr("capturing on", 60);
                Matcher url = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+)/metrics").matcher(agent.stderrText());
                assertThat(url.find()).as(agent.stderrText()).isTrue();
                String base = url.group(1);

                traffic(net, 3);
                Thread.sleep(1500);
                PromText.Parsed first = PromText.parse(get(base + "/metrics").body());
                traffic(net, 3);
                Sh.exec(10, "nc", "-z", "-w", "2", TestNet.SERVER_IP, "6667"); // IRC: a c2_port alert
                List<String> movingCounters = List.of("netsensor_capture_frames_total", "netsensor_capture_pcap_received_total",
                        "netsensor_journal_records_total", "netsensor_journal_appended_total", "netsensor_dns_queries_total",
                        "netsensor_conn_flows_created_total", "netsensor_detector_engine_conn_events_total",
                        "netsensor_detect_alerts_by_severity_total", "netsensor_detect_alerts_journaled_total",
                        "netsensor_attribution_records_total");
                // pcap stats are sampled about once a second and flows are journaled as they close, so scrape
                // until every counter has moved (bounded) rather than after a fixed sleep that a busy CI machine outlasts
                PromText.Parsed second = null;
                long deadline = System.nanoTime() + 30_000_000_000L;
                do {
                    Thread.sleep(1000);
                    second = PromText.parse(get(base + "/metrics").body());
                } while (!allMoved(first, second, movingCounters) && System.nanoTime() < deadline);
                for (String moving : movingCounters) {
                    assertThat(second.sum(moving)).as(moving).isGreaterThan(first.sum(moving));
                }
                for (String present : List.of("netsensor_capture_pcap_dropped_total", "netsensor_capture_pcap_if_dropped_total",
                        "netsensor_capture_kernel_drops_total", "netsensor_capture_decode_malformed_total", "netsensor_dns_malformed_total",
                        "netsensor_journal_disk_bytes", "netsensor_journal_age_seconds", "netsensor_detector_keys",
                        "netsensor_detector_evictions_total", "netsensor_sink_lag_records", "netsensor_sink_lag_seconds",
                        "netsensor_sink_delivered_total", "netsensor_sink_retries_total", "netsensor_sink_failures_total",
                        "netsensor_sink_gap_total", "netsensor_jvm_memory_heap_used_bytes", "netsensor_jvm_gc_collections_total",
                        "netsensor_process_rss_bytes", "netsensor_agent_info")) {
                    assertThat(second.find(present)).as(present).isNotEmpty();
                }
                assertThat(second.find("netsensor_journal_records_total", "type", "conn", "writer", "capture")).hasSize(1);
                assertThat(second.value("netsensor_detect_alerts_by_severity_total", "detector", "c2_port", "severity", "high")
                        + second.value("netsensor_detect_alerts_by_severity_total", "detector", "c2_port", "severity", "critical")
                        + second.value("netsensor_detect_alerts_by_severity_total", "detector", "c2_port", "severity", "medium")).isPositive();
                assertThat(second.value("netsensor_capture_running")).isEqualTo(1);
                assertThat(second.value("netsensor_process_rss_bytes")).isGreaterThan(10 << 20);
                assertThat(second.find("netsensor_agent_info", "interface", net.hostIf)).hasSize(1);

                HttpResponse<String> health = get(base + "/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                JsonNode h = JSON.readTree(health.body());
                assertThat(h.at("/capture/running").asBoolean()).isTrue();
                assertThat(h.at("/journal/writable").asBoolean()).isTrue();
                assertThat(h.at("/sinks/0/name").asText()).isEqualTo("stdout");
                assertThat(h.at("/sinks/0/state").asText()).isEqualTo("ok");

                Sh.Result status = Sh.exec(60, AgentProcess.repoRoot().resolve("netsensor").toString(), "status", "--data-dir", data.toString());
                assertThat(status.exit).as(status.output).isZero();
                assertThat(status.output).contains("running, healthy", net.hostIf, "(live)", "alerts", "sinks", "stdout");

                long pid = agent.pid();
                Sh.run("kill", "-USR1", Long.toString(pid));
                agent.awaitStderr("netsensor: summary: ok; up ", 10);
                Sh.run("kill", "-USR2", Long.toString(pid));
                Thread.sleep(500);
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("alive after USR1 and USR2").isTrue();

                assertThat(agent.terminate(30)).as("clean exit on SIGTERM:\n" + agent.stderrText()).isEqualTo(0);
                String err = agent.stderrText();
                assertThat(err).contains("netsensor: stopped after ", "\n  capture: ", "\n  journal: ", "\n  decode: ");
                // the stop report is a few short lines (a summary line, one per interval or USR1, may be long, and
                // one printed while the agent stops names its sinks "stopped")
                assertThat(err.lines().filter(l -> l.length() > 200 && !l.startsWith("netsensor: summary:")).toList())
                        .as("stop report lines of readable length").allSatisfy(l -> assertThat(l).doesNotContain("stopped"));
                assertThat(err).doesNotContain("Exception", "\tat ");

                Sh.Result after = Sh.exec(60, AgentProcess.repoRoot().resolve("netsensor").toString(), "status", "--data-dir", data.toString());
                assertThat(after.exit).as(after.output).isEqualTo(3);
                assertThat(after.output).contains("not running (stopped");
            }
        }
    }

    private static boolean allMoved(PromText.Parsed first, PromText.Parsed second, List<String> counters) {
        return counters.stream().allMatch(c -> second.sum(c) > first.sum(c));
    }

    private static void traffic(TestNet net, int connections) {
        for (int i = 0; i < connections; i++) Sh.run("nc", "-z", "-w", "2", TestNet.SERVER_IP, "8080");
        Sh.run("dig", "@" + TestNet.SERVER_IP, "a.beacon.test", "A", "+time=2", "+tries=1", "+short");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
