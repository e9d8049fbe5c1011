package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.TelemetryRow;
import io.netsensor.format.EventIds;
import io.netsensor.format.TelemetryJson;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.testkit.Rsyslog;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding end to end with the real agent: `./netsensor run` captures live on a test network's veth, its
 * c2_port detector alerts on connections to IRC port 6667 at fresh addresses (one a second), telemetry
 * rolls up every 5 s, and a syslog sink forwards both to a real rsyslog on loopback. What arrives is
 * checked against the journal, record by record (alerts by event.id and severity step, telemetry by
 * event.id): nothing is lost, and duplicates are counted and printed.
 *
 * <p>The outage lasts the system property netsensor.outage.seconds (default 120 s, the two
 * minutes; {@code -Dnetsensor.outage.seconds=10} for a quick run).
 */
class ForwardingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 2544's benchmarking range: external to home_net, and room for a fresh C2 address every connection. */
    private static final String C2_NET = "198.18.0.0/15";
    private static final String TOKEN = "hec-7oken-do-not-print-8c1f";

    @TempDir Path dir;

    private static String why() {
        String why = TestNet.unavailableReason();
        return why != null ? why : Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) ? null
                : "rsyslogd not installed (apt-get install rsyslog); skipped";
    }

    /** Connects to 198.18.x.y:6667 (refused: nothing listens), a new address each time, on its own thread. */
    private static final class C2Traffic implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger next = new AtomicInteger(1);
        private volatile long pauseMillis;
        private final Thread thread;

        C2Traffic(long pauseMillis) {
            this.pauseMillis = pauseMillis;
            thread = new Thread(() -> {
                while (!stop.get()) {
                    int n = next.getAndIncrement();
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("198." + (18 + n / 65_000) + "." + (n / 250 % 250) + "." + (n % 250 + 1), 6667), 1000);
                    } catch (ConnectException refused) {
                        // expected: the namespace answers RST
                    } catch (IOException e) {
                        // a timeout: counted by the agent like any attempt
                    }
                    try {
                        Thread.sleep(this.pauseMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "c2-traffic");
            thread.setDaemon(true);
            thread.start();
        }

        void pace(long millis) {
            pauseMillis = millis;
        }

        int connections() {
            return next.get() - 1;
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5000);
        }
    }

    /** The alerts (by event.id and severity step) and telemetry rows (by event.id) in the journal, with their event times. */
    private static Map<String, Long> journaled(Path data) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Journal journal = Journal.open(data.resolve("journal")); JournalReader r = journal.reader()) {
            r.toStart();
            EventHandler h = new EventHandler() {
                public void onConn(ConnEvent e) {}
                public void onDns(DnsEvent e) {}
                public void onAlert(Alert a) {
                    out.put("alert " + EventIds.alert(a), a.lastSeenNanos);
                }
                public void onTelemetry(TelemetryRow row) {
                    out.put("telemetry " + TelemetryJson.eventId(row), row.intervalEndNanos);
                }
            };
            while (r.poll(h, 10_000) > 0) { }
        }
        return out;
    }

    /** What rsyslog received, in order, under the same keys. */
    private static List<String> received(Rsyslog rsyslog) throws IOException {
        List<String> out = new ArrayList<>();
        for (String[] m : rsyslog.received()) {
            JsonNode doc = JSON.readTree(m[3]);
            String id = doc.at("/event/id").asText();
            assertThat(id).as("event.id of %s", m[3]).isNotEmpty();
            if (m[0].equals("alert")) out.add("alert " + id);
            else if (m[0].equals("telemetry")) out.add("telemetry " + id);
            else throw new AssertionError("unexpected MSGID " + m[0] + ": " + m[3]);
        }
        return out;
    }

    /** Waits until rsyslog has every record the journal holds (the agent retries with backoff, up to a minute apart). */
    private static List<String> awaitAll(Rsyslog rsyslog, Path data, long timeoutMillis) throws Exception {
        return awaitAll(rsyslog, data, timeoutMillis, Long.MIN_VALUE);
    }

    /** As above, for the records of event time {@code from} on. */
    private static List<String> awaitAll(Rsyslog rsyslog, Path data, long timeoutMillis, long from) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            if (!rsyslog.alive()) throw new AssertionError("rsyslogd exited while the test waited for it: " + rsyslog.log());
            List<String> got = received(rsyslog);
            List<String> want = journaled(data).entrySet().stream().filter(e -> e.getValue() >= from).map(Map.Entry::getKey).toList();
            if (got.containsAll(want) || System.currentTimeMillis() > deadline) return got;
            Thread.sleep(1000);
        }
    }

    private static Map<String, Integer> counts(List<String> keys) {
        Map<String, Integer> c = new HashMap<>();
        for (String k : keys) c.merge(k, 1, Integer::sum);
        return c;
    }

    private static Path config(Path dir, Rsyslog rsyslog, String extraSinks) throws IOException {
        Path c = dir.resolve("netsensor.yaml");
        Files.writeString(c, String.join("\n",
                "telemetry:",
                "  interval: 5s",
                "sinks:",
                "  - name: siem",
                "    type: syslog",
                "    host: 127.0.0.1",
                "    port: " + rsyslog.port,
                "    kinds: [alerts, telemetry]",
                extraSinks,
                ""));
        return c;
    }

    private static AgentProcess agent(Path work, TestNet net, Path data, Path config) throws Exception {
        Files.createDirectories(work);
        AgentProcess a = AgentProcess.start(work, "run", "--interface", net.hostIf, "--data-dir", data.toString(), "-c", config.toString(),
                "--no-attribution");
        a.awaitStderr("capturing on", 90);
        return a;
    }

    @Test
    @Timeout(900)
    void everyAlertAndTelemetryRecordArrivesAcrossACollectorOutage() throws Exception {
        String why = why();
        assumeTrue(why == null, why);
        long outageSeconds = Long.getLong("netsensor.outage.seconds", 120);
        Path data = dir.resolve("data");
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null); TestNet net = TestNet.create()) {
            net.routeToNamespace(C2_NET);
            Path config = config(dir, rsyslog, "");
            try (AgentProcess agent = agent(dir.resolve("run"), net, data, config); C2Traffic traffic = new C2Traffic(1000)) {
                assertThat(agent.stderrText()).contains("netsensor: sink siem (syslog tcp 127.0.0.1:" + rsyslog.port
                        + "; alerts, telemetry): first start: forwarding from the journal's beginning");
                long t0 = System.currentTimeMillis();
                while (received(rsyslog).stream().noneMatch(k -> k.startsWith("alert")) && System.currentTimeMillis() - t0 < 60_000) {
                    Thread.sleep(200);
                }
                assertThat(received(rsyslog)).as("alerts reach rsyslog before the outage:\n" + agent.stderrText())
                        .anyMatch(k -> k.startsWith("alert"));

                rsyslog.stop();
                long outageFrom = System.currentTimeMillis() * 1_000_000L;
                int before = rsyslog.count();
                Thread.sleep(outageSeconds * 1000);
                long outageTo = System.currentTimeMillis() * 1_000_000L;
                rsyslog.start();
                Thread.sleep(10_000);
                assertThat(rsyslog.alive()).as("rsyslogd runs again: %s", rsyslog.log()).isTrue();
                traffic.close();
                Thread.sleep(7_000); // a refused connection is journaled tcp_close_delay (5 s) after its RST

                List<String> got = awaitAll(rsyslog, data, 120_000, outageFrom);
                Map<String, Long> journal = journaled(data);
                List<String> madeSince = journal.entrySet().stream().filter(e -> e.getValue() >= outageFrom).map(Map.Entry::getKey).toList();
                assertThat(got).as("delivered while the agent runs, after the outage:\n" + agent.stderrText()).containsAll(madeSince);
                assertThat(agent.terminate(60)).as(agent.stderrText()).isZero();

                journal = journaled(data); // with the rows of the open interval, journaled at shutdown
                got = received(rsyslog);
                List<String> all = List.copyOf(got); // effectively final, for the lambda
                List<String> lost = journal.keySet().stream().filter(k -> !all.contains(k)).toList();
                // Syslog over TCP has no acknowledgement, so a batch counts only once the connection is still open
                // 250 ms after it was written; what rsyslog had not read when it stopped is sent again: nothing is lost.
                assertThat(lost).as("lost").isEmpty();
                assertThat(got).as("every alert and telemetry record made from the outage on arrives").containsAll(
                        journal.entrySet().stream().filter(e -> e.getValue() >= outageFrom).map(Map.Entry::getKey).toList());
                long alertsDuring = journal.entrySet().stream().filter(e -> e.getKey().startsWith("alert")
                        && e.getValue() >= outageFrom && e.getValue() <= outageTo).count();
                long telemetryDuring = journal.entrySet().stream().filter(e -> e.getKey().startsWith("telemetry")
                        && e.getValue() >= outageFrom && e.getValue() <= outageTo).count();
                Map<String, Integer> n = counts(got);
                List<String> dups = n.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                System.out.printf("forwarding across a %d s rsyslog outage: %d connections, %d alerts and %d telemetry rows journaled "
                                + "(%d alerts and %d rows during the outage), %d received, %d duplicates (by event.id) %s, "
                                + "%d lost in rsyslog's socket buffer as it stopped %s%n",
                        outageSeconds, traffic.connections(), journal.keySet().stream().filter(k -> k.startsWith("alert")).count(),
                        journal.keySet().stream().filter(k -> k.startsWith("telemetry")).count(), alertsDuring, telemetryDuring,
                        got.size(), dups.size(), dups, lost.size(), lost);
                assertThat(alertsDuring).as("the detectors kept alerting while the sink was down").isPositive();
                // duplicates only across the outage: one copy before rsyslog stopped, the other after it came back
                for (String d : dups) {
                    assertThat(got.indexOf(d)).as(d).isLessThan(before);
                    assertThat(got.lastIndexOf(d)).as(d).isGreaterThanOrEqualTo(before);
                    assertThat(n.get(d)).as(d).isEqualTo(2);
                }
                // the stop report: a line per sink after "netsensor: stopped after ..."
                String stop = agent.stderrText().substring(agent.stderrText().indexOf("netsensor: stopped"));
                System.out.println(stop);
                assertThat(stop).containsPattern("(?m)^  sink siem: \\d+ delivered, [1-9]\\d* retries, 0 lost to retention");
            }
        }
    }

    /**
     * `kill -9` while a burst of alerts is being forwarded, then a restart on the same data dir: the sink
     * resumes at its stored position, no alert is lost, duplicates (the batch that was not acknowledged)
     * are counted. A HEC sink whose collector refuses the token runs beside it: the token never appears in
     * the agent's output nor in `config show`, and a dead sink does not hold back the syslog one.
     */
    @Test
    @Timeout(600)
    void killMinus9WhileForwardingLosesNoAlert() throws Exception {
        String why = why();
        assumeTrue(why == null, why);
        Path data = dir.resolve("data");
        Path token = dir.resolve("hec.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer hec = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        hec.createContext("/", x -> { // a collector that refuses the token and, carelessly, echoes it
            authorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            x.getRequestBody().readAllBytes();
            byte[] body = ("{\"text\":\"Invalid token " + TOKEN + "\",\"code\":4}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(403, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        hec.start();
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null); TestNet net = TestNet.create()) {
            net.routeToNamespace(C2_NET);
            Path config = config(dir, rsyslog, String.join("\n",
                    "  - name: splunk",
                    "    type: hec",
                    "    flavor: splunk",
                    "    url: http://127.0.0.1:" + hec.getAddress().getPort(),
                    "    token_file: " + token));
            String shown;
            try (AgentProcess show = AgentProcess.start(Files.createDirectories(dir.resolve("show")), "config", "show", "-c", config.toString())) {
                assertThat(show.waitFor(60)).as(show.stderrText()).isZero();
                shown = Files.readString(dir.resolve("show/agent.stdout")) + show.stderrText();
            }
            assertThat(shown).contains("token_file: " + token).doesNotContain(TOKEN);

            String firstRun, secondRun;
            int connections;
            try (C2Traffic traffic = new C2Traffic(1000)) {
                try (AgentProcess agent = agent(dir.resolve("run1"), net, data, config)) {
                    Thread.sleep(3000);
                    traffic.pace(25); // a burst: ~40 alerts a second reach the journal 5 s later
                    Thread.sleep(9000);
                    agent.kill(); // kill -9 while the burst's alerts are being forwarded
                    firstRun = agent.stderrText();
                }
                traffic.pace(1000);
                int beforeRestart = received(rsyslog).size();
                try (AgentProcess agent = agent(dir.resolve("run2"), net, data, config)) {
                    assertThat(agent.stderrText()).contains("netsensor: sink siem (syslog tcp 127.0.0.1:" + rsyslog.port
                            + "; alerts, telemetry): resuming at journal index");
                    Thread.sleep(5000);
                    traffic.close();
                    connections = traffic.connections();
                    Thread.sleep(7000);
                    List<String> got = awaitAll(rsyslog, data, 60_000);
                    assertThat(agent.terminate(60)).as(agent.stderrText()).isZero();
                    secondRun = agent.stderrText();
                    Map<String, Long> journal = journaled(data);
                    got = received(rsyslog);
                    assertThat(got).as("no alert lost across kill -9:\n" + firstRun + secondRun).containsAll(journal.keySet());
                    Map<String, Integer> n = counts(got);
                    List<String> dups = n.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                    long alerts = journal.keySet().stream().filter(k -> k.startsWith("alert")).count();
                    System.out.printf("kill -9 while forwarding: %d connections, %d alerts and %d telemetry rows journaled, "
                                    + "%d received (%d before the restart), %d duplicates (by event.id) %s%n", connections, alerts,
                            journal.size() - alerts, got.size(), beforeRestart, dups.size(), dups);
                    assertThat(alerts).isGreaterThan(50);
                    // a duplicate is a record delivered before the kill and sent again after the restart
                    for (String d : dups) {
                        assertThat(got.indexOf(d)).as(d).isLessThan(beforeRestart);
                        assertThat(n.get(d)).as(d).isEqualTo(2);
                    }
                }
            }
            assertThat(authorizations).as("the HEC sink used the token").contains("Splunk " + TOKEN);
            assertThat(firstRun + secondRun).contains("hec sink 'splunk'").doesNotContain(TOKEN);
            assertThat(Files.readString(dir.resolve("run1/agent.stdout")) + Files.readString(dir.resolve("run2/agent.stdout")))
                    .doesNotContain(TOKEN);
            secondRun.lines().filter(l -> l.startsWith("netsensor: sink") || l.startsWith("netsensor: stopped")
                    || l.contains("hec sink")).limit(6).forEach(System.out::println);
            assertThat(secondRun.substring(secondRun.indexOf("netsensor: stopped")))
                    .containsPattern("(?m)^  sink siem: \\d+ delivered, \\d+ retries, 0 lost to retention")
                    .containsPattern("(?m)^  sink splunk: 0 delivered, [1-9]\\d* retries, 0 lost to retention");
        } finally {
            hec.stop(0);
        }
    }
}
