package io.netsensor.sinks.hec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.events.ConnEvent;
import io.netsensor.journal.Journal;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.SinkCursor;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.hec.HecReceiver.Reply;
import io.netsensor.sinks.hec.HecReceiver.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HEC sink against a collector in the test: wire format, limits, acks, back-pressure, TLS, the token's secrecy. */
@Timeout(120)
class HecSinkTest {
    static final String TOKEN = "7f3c9e2a-51d4-4b8e-9a0f-c0ffee123456";
    @TempDir Path dir;
    Path tokenFile;
    HecReceiver receiver;

    @BeforeEach
    void setUp() throws IOException {
        tokenFile = dir.resolve("hec.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        receiver = HecReceiver.http();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    HecOptions.Builder options(HecFlavor flavor) {
        return HecOptions.builder("siem", flavor, receiver.base(), tokenFile).host("sensor-1")
                .kinds(EnumSet.of(RecordKind.ALERT, RecordKind.EVENT));
    }

    static void conns(HecSink sink, long from, long to) {
        ConnEvent e = new ConnEvent();
        for (long i = from; i < to; i++) sink.onConn(Records.conn(e, i));
    }

    /** The flow ids of the connection events in these requests, in order. */
    static List<Long> flowIds(List<Request> requests) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (Request r : requests)
            for (JsonNode o : r.objects()) ids.add(Long.parseUnsignedLong(o.at("/event/netsensor/flow_id").asText(), 16));
        return ids;
    }

    static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i < to; i++) l.add(i);
        return l;
    }

    @Test
    void logScaleGetsGzippedConcatenatedHecEventsWithBearerToken() throws Exception {
        try (HecSink sink = new HecSink(options(HecFlavor.LOGSCALE).build())) {
            sink.onAlert(Records.alert("a-1"));
            conns(sink, 7, 8);
            sink.onDns(Records.dns("Example.COM"));
            io.netsensor.events.BurstEvent b = new io.netsensor.events.BurstEvent();
            b.flowId = 7;
            b.index = 2;
            b.startNanos = 1_700_000_005_000_000_000L;
            sink.onBurst(b);
            assertThat(sink.pending()).isEqualTo(4);
            sink.flush();
            assertThat(sink.pending()).isZero();
        }
        assertThat(receiver.requests).hasSize(1);
        Request r = receiver.requests.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/v1/ingest/hec");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Splunk-Request-Channel")).isNull();
        assertThat(r.raw()[0] & 0xff).isEqualTo(0x1f); // gzip magic on the wire
        assertThat(r.raw()[1] & 0xff).isEqualTo(0x8b);
        String text = r.text();
        assertThat(text).doesNotContain("\n").doesNotContain("\r").startsWith("{\"time\":").contains("}{\"time\":");

        List<JsonNode> events = r.objects();
        assertThat(events).hasSize(4);
        JsonNode alert = events.get(0);
        assertThat(alert.get("time").isNumber()).isTrue();
        assertThat(alert.get("time").decimalValue()).isEqualByComparingTo("1700000000.123"); // seconds, ms fraction
        assertThat(text).contains("{\"time\":1700000000.123,");
        assertThat(alert.get("host").asText()).isEqualTo("sensor-1");
        assertThat(alert.get("source").asText()).isEqualTo("netsensor");
        assertThat(alert.get("sourcetype").asText()).isEqualTo("netsensor:ecs");
        assertThat(alert.has("index")).isFalse();
        assertThat(alert.get("fields")).isEqualTo(HecReceiver.JSON.readTree(
                "{\"kind\":\"alert\",\"dataset\":\"netsensor.alert\",\"detector\":\"beacon\",\"severity\":\"High\",\"alert_id\":\"a-1\"}"));
        assertThat(alert.at("/event/netsensor/alert_id").asText()).isEqualTo("a-1"); // HEC "event" holds the ECS document
        assertThat(alert.at("/event/event/dataset").asText()).isEqualTo("netsensor.alert");
        assertThat(alert.at("/event/host/name").asText()).isEqualTo("sensor-1");

        JsonNode conn = events.get(1);
        assertThat(conn.get("time").decimalValue()).isEqualByComparingTo("1700000002.130"); // end of flow 7: T0 + 7 ms + 2 s
        assertThat(conn.get("fields")).isEqualTo(HecReceiver.JSON.readTree("{\"kind\":\"event\",\"dataset\":\"netsensor.conn\"}"));
        assertThat(conn.at("/event/netsensor/flow_id").asText()).isEqualTo("7");
        assertThat(conn.at("/event/destination/ip").asText()).isEqualTo("198.51.100.7");

        JsonNode dns = events.get(2);
        assertThat(dns.get("fields").get("dataset").asText()).isEqualTo("netsensor.dns");
        assertThat(dns.at("/event/dns/question/name").asText()).isEqualTo("example.com");
        JsonNode burst = events.get(3);
        assertThat(burst.get("time").decimalValue()).as("the burst's start").isEqualByComparingTo("1700000005.000");
        assertThat(burst.get("fields")).isEqualTo(HecReceiver.JSON.readTree("{\"kind\":\"event\",\"dataset\":\"netsensor.burst\"}"));
        assertThat(burst.at("/event/netsensor/flow_id").asText()).isEqualTo("7");
        // every key a HEC event may carry, and no other
        for (JsonNode e : events) {
            List<String> keys = new ArrayList<>();
            e.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("time", "host", "source", "sourcetype", "fields", "event");
        }
    }

    @Test
    void splunkGetsItsPathSchemeIndexAndOneChannelPerSink() throws Exception {
        try (HecSink sink = new HecSink(options(HecFlavor.SPLUNK).index("netsensor").gzip(false).build())) {
            conns(sink, 0, 2);
            sink.flush();
            conns(sink, 2, 3);
            sink.flush();
            assertThat(receiver.requests).hasSize(2);
            for (Request r : receiver.requests) {
                assertThat(r.path()).isEqualTo("/services/collector/event");
                assertThat(r.header("Authorization")).isEqualTo("Splunk " + TOKEN);
                assertThat(r.header("Content-Encoding")).isNull();
                assertThat(r.header("X-Splunk-Request-Channel")).isEqualTo(sink.channel())
                        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                for (JsonNode o : r.objects()) assertThat(o.get("index").asText()).isEqualTo("netsensor");
            }
            assertThat(flowIds(receiver.requests)).isEqualTo(range(0, 3));
        }
        try (HecSink other = new HecSink(options(HecFlavor.SPLUNK).build())) {
            other.onAlert(Records.alert("b"));
            other.flush();
            assertThat(receiver.requests.get(2).header("X-Splunk-Request-Channel"))
                    .isNotEqualTo(receiver.requests.get(0).header("X-Splunk-Request-Channel"));
        }
    }

    @Test
    void aUrlThatNamesThePathOrAProxyPrefixIsKept() {
        URI full = URI.create("https://splunk.example:8088/services/collector/event");
        HecOptions o = HecOptions.builder("s", HecFlavor.SPLUNK, full, tokenFile).build();
        assertThat(o.eventUri()).isEqualTo(full);
        assertThat(o.ackUri()).isEqualTo(URI.create("https://splunk.example:8088/services/collector/ack"));
        HecOptions p = HecOptions.builder("s", HecFlavor.LOGSCALE, URI.create("https://gw.example/logscale/"), tokenFile).build();
        assertThat(p.eventUri()).isEqualTo(URI.create("https://gw.example/logscale/api/v1/ingest/hec"));
    }

    @Test
    void requestsStayWithin5000EventsAndTheByteLimit() throws Exception {
        try (HecSink sink = new HecSink(options(HecFlavor.LOGSCALE).build())) {
            assertThat(sink.maxBatch()).isEqualTo(5000);
            conns(sink, 0, 12_000);
            sink.flush();
        }
        assertThat(receiver.requests).extracting(r -> r.objects().size()).containsExactly(5000, 5000, 2000);
        assertThat(flowIds(receiver.requests)).isEqualTo(range(0, 12_000));

        receiver.requests.clear();
        int limit = HecOptions.MIN_BYTES_PER_REQUEST;
        try (HecSink sink = new HecSink(options(HecFlavor.LOGSCALE).maxBatchBytes(limit).build())) {
            conns(sink, 0, 300);
            assertThat(sink.maxBatch()).as("a request's worth pending: the runner should flush now").isEqualTo(300);
            sink.flush();
            assertThat(sink.maxBatch()).isEqualTo(5000);
        }
        assertThat(receiver.requests.size()).isGreaterThan(2);
        for (Request r : receiver.requests) assertThat(r.body().length).isLessThanOrEqualTo(limit);
        assertThat(flowIds(receiver.requests)).isEqualTo(range(0, 300));
    }

    @Test
    void optionsRefuseLimitsBeyondHecsAndExplainInOneLine() {
        URI u = URI.create("https://splunk.example:8088");
        assertThatThrownBy(() -> HecOptions.builder("siem", HecFlavor.SPLUNK, u, tokenFile).maxBatchEvents(5001).build())
                .hasMessage("hec sink 'siem': max_batch_events must be 1..5000 (the HEC limit), got 5001");
        assertThatThrownBy(() -> HecOptions.builder("siem", HecFlavor.SPLUNK, u, tokenFile).maxBatchBytes(6_000_000).build())
                .hasMessage("hec sink 'siem': max_batch_bytes must be 65536..5000000, got 6000000");
        assertThatThrownBy(() -> HecOptions.builder("siem", HecFlavor.LOGSCALE, u, tokenFile).ack(true).build())
                .hasMessage("hec sink 'siem': ack (indexer acknowledgement) exists only for flavor splunk");
        assertThatThrownBy(() -> HecOptions.builder("siem", HecFlavor.SPLUNK, URI.create("http://splunk.example:8088"), tokenFile).build())
                .hasMessageContaining("in clear; use https");
        assertThatThrownBy(() -> HecOptions.builder("siem", HecFlavor.SPLUNK, u, null).build())
                .hasMessage("hec sink 'siem': token_file is required");
        assertThatThrownBy(() -> HecOptions.builder("a b", HecFlavor.SPLUNK, u, tokenFile).build())
                .hasMessageStartingWith("hec sink: name must be");
        assertThatThrownBy(() -> HecOptions.builder("siem", HecFlavor.SPLUNK, u, tokenFile).ackTimeout(Duration.ZERO).build())
                .hasMessageStartingWith("hec sink 'siem': ack_timeout must be a positive duration");
        HecOptions d = HecOptions.builder("siem", HecFlavor.SPLUNK, u, tokenFile).build();
        assertThat(d.kinds()).containsExactly(RecordKind.ALERT);
        assertThat(d.maxBatchEvents()).isEqualTo(5000);
        assertThat(d.maxBatchBytes()).isEqualTo(5_000_000);
        assertThat(d.gzip()).isTrue();
        assertThat(d.ack()).isFalse();
        assertThat(d.ackPollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.ackTimeout()).isEqualTo(Duration.ofMinutes(5));
        // loopback http is fine: a local forwarder
        HecOptions.builder("siem", HecFlavor.SPLUNK, URI.create("http://127.0.0.1:8088"), tokenFile).build();
        HecOptions.builder("siem", HecFlavor.SPLUNK, URI.create("http://[::1]:8088"), tokenFile).build();
    }

    @Test
    void aBatchIsDeliveredOnlyOnceItsAckIsTrue() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        receiver.respond(r -> {
            if (!r.path().endsWith("/ack")) return Reply.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":41}");
            return polls.incrementAndGet() < 3 ? Reply.of(200, "{\"acks\":{\"41\":false}}") : Reply.of(200, "{\"acks\":{\"41\":true}}");
        });
        try (HecSink sink = new HecSink(options(HecFlavor.SPLUNK).ack(true).ackPollInterval(Duration.ofMillis(50)).build())) {
            conns(sink, 0, 10);
            sink.flush();
            assertThat(sink.pending()).isZero();
            assertThat(sink.deliveredEvents()).isEqualTo(10);
        }
        assertThat(receiver.events()).hasSize(1);
        List<Request> acks = receiver.acks();
        assertThat(acks).hasSize(3);
        for (Request a : acks) {
            assertThat(a.path()).isEqualTo("/services/collector/ack");
            assertThat(HecReceiver.JSON.readTree(a.body())).isEqualTo(HecReceiver.JSON.readTree("{\"acks\":[41]}"));
            assertThat(a.header("X-Splunk-Request-Channel")).isEqualTo(receiver.events().get(0).header("X-Splunk-Request-Channel"));
            assertThat(a.header("Authorization")).isEqualTo("Splunk " + TOKEN);
        }
    }

    @Test
    void severalRequestsAreAckedTogetherAndOnlyUnackedOnesAreResentAfterTheDeadline() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        receiver.respond(r -> {
            if (!r.path().endsWith("/ack")) return Reply.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":" + ids.getAndIncrement() + "}");
            // the indexer confirms ackId 0 (first request) and never ackId 1 (it lost the second), then all new ones
            return Reply.of(200, "{\"acks\":{\"0\":true,\"1\":false,\"2\":true}}");
        });
        HecOptions o = options(HecFlavor.SPLUNK).ack(true).maxBatchEvents(100)
                .ackPollInterval(Duration.ofMillis(50)).ackTimeout(Duration.ofMillis(400)).build();
        try (HecSink sink = new HecSink(o)) {
            conns(sink, 0, 150);
            assertThatThrownBy(sink::flush).isInstanceOf(IOException.class)
                    .hasMessage("hec sink 'siem': 50 event(s) not acknowledged by the indexer within 400 ms; sending them again");
            assertThat(sink.pending()).isEqualTo(50);
            assertThat(sink.deliveredEvents()).isEqualTo(100);
            sink.flush(); // resent as ackId 2, which is true
            assertThat(sink.pending()).isZero();
        }
        List<Request> events = receiver.events();
        assertThat(events).hasSize(3);
        assertThat(flowIds(events.subList(0, 1))).isEqualTo(range(0, 100));
        assertThat(flowIds(events.subList(1, 2))).isEqualTo(range(100, 150));
        assertThat(flowIds(events.subList(2, 3))).as("only the unacknowledged batch again").isEqualTo(range(100, 150));
        assertThat(HecReceiver.JSON.readTree(receiver.acks().get(0).body()).get("acks").toString()).isEqualTo("[0,1]");
    }

    @Test
    void aTokenWithoutAckEnabledIsReportedNotTakenAsDelivered() throws Exception {
        receiver.respond(r -> Reply.of(200, "{\"text\":\"Success\",\"code\":0}"));
        try (HecSink sink = new HecSink(options(HecFlavor.SPLUNK).ack(true).build())) {
            conns(sink, 0, 5);
            assertThatThrownBy(sink::flush).hasMessageContaining("returned no ackId: enable indexer acknowledgement");
            assertThat(sink.pending()).isEqualTo(5);
        }
    }

    @Test
    void backPressure503ThenSuccessLosesNothingThroughTheRunner() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Request> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
        receiver.respond(r -> {
            if (calls.incrementAndGet() <= 2) return Reply.of(503, "{\"text\":\"Server is busy\",\"code\":9}");
            taken.add(r);
            return Reply.of(200, "{\"text\":\"Success\",\"code\":0}");
        });
        try (Journal journal = Journal.open(dir.resolve("journal"))) {
            Records.journal(journal, 0, 12_000);
            HecSink sink = new HecSink(options(HecFlavor.LOGSCALE).build());
            SinkRunner runner = new SinkRunner(journal, sink, new SinkCursor(dir.resolve("pos"), "siem"), SinkRunner.Start.BEGINNING);
            runner.start();
            runner.stopWhen(() -> true, Long.MAX_VALUE);
            runner.join();
            runner.close();
            assertThat(runner.retries()).isEqualTo(2);
            assertThat(runner.lastError()).isEqualTo("hec sink 'siem': HTTP 503 from " + receiver.base()
                    + "/api/v1/ingest/hec (Server is busy, code 9): the collector is busy (back-pressure); retrying");
            assertThat(runner.delivered()).isEqualTo(12_000);
        }
        assertThat(flowIds(taken)).as("every record once, in order").isEqualTo(range(0, 12_000));
    }

    @Test
    void retryAfterHoldsBackTheNextAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.respond(r -> calls.incrementAndGet() == 1
                ? new Reply(429, "{\"text\":\"Too many requests\"}", Map.of("Retry-After", "1"))
                : Reply.of(200, "{\"text\":\"Success\",\"code\":0}"));
        try (HecSink sink = new HecSink(options(HecFlavor.LOGSCALE).build())) {
            conns(sink, 0, 3);
            long t0 = System.nanoTime();
            assertThatThrownBy(sink::flush).hasMessageEndingWith("the collector is busy (back-pressure); retrying after 1 s");
            assertThatThrownBy(sink::flush).hasMessage("hec sink 'siem': holding back 1 s more, as the collector's Retry-After asked");
            assertThat(receiver.requests).hasSize(1);
            while (true) {
                try {
                    sink.flush();
                    break;
                } catch (IOException e) {
                    assertThat(e.getMessage()).contains("Retry-After");
                    Thread.sleep(50);
                }
            }
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(receiver.requests).hasSize(2);
            assertThat(sink.pending()).isZero();
        }
        assertThat(HecSink.retryAfterSeconds("120")).isEqualTo(120);
        assertThat(HecSink.retryAfterSeconds("86400")).isEqualTo(HecSink.MAX_RETRY_AFTER_SECONDS);
        assertThat(HecSink.retryAfterSeconds("soon")).isZero();
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
        assertThat(HecSink.retryAfterSeconds(inAMinute)).isBetween(55L, 62L);
    }

    @Test
    void clientErrorsAreReportedInOneLineKeptAndRetriedUntilFixed() throws Exception {
        int[] status = {400};
        receiver.respond(r -> switch (status[0]) {
            case 400 -> Reply.of(400, "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":0}");
            case 401 -> Reply.of(401, "{\"text\":\"Token is required\",\"code\":2}");
            case 403 -> Reply.of(403, "{\"text\":\"Invalid token\",\"code\":4}");
            case 404 -> Reply.of(404, "");
            default -> Reply.of(200, "{\"text\":\"Success\",\"code\":0}");
        });
        String url = receiver.base() + "/services/collector/event";
        try (HecSink sink = new HecSink(options(HecFlavor.SPLUNK).build())) {
            sink.onAlert(Records.alert("must-not-be-dropped"));
            assertThatThrownBy(sink::flush).hasMessage("hec sink 'siem': HTTP 400 from " + url + " (Invalid data format, code 6):"
                    + " the collector refused the batch as malformed. This does not heal by resending the same batch:"
                    + " retrying meanwhile, nothing is dropped");
            status[0] = 404;
            assertThatThrownBy(sink::flush).hasMessageStartingWith("hec sink 'siem': HTTP 404 from " + url + ": check url and flavor.");
            status[0] = 403;
            assertThatThrownBy(sink::flush).hasMessage("hec sink 'siem': HTTP 403 from " + url + " (Invalid token, code 4):"
                    + " the token was refused; fix token_file (it is re-read before each retry)."
                    + " This does not heal by itself: retrying meanwhile, nothing is dropped");
            assertThat(sink.pending()).isEqualTo(1);
            // an operator rotates the token and fixes the collector: the same sink delivers, nothing was lost
            Files.writeString(tokenFile, "rotated-token\n");
            status[0] = 200;
            sink.flush();
            assertThat(sink.pending()).isZero();
        }
        List<Request> all = receiver.requests;
        assertThat(all).hasSize(4);
        assertThat(all.get(3).header("Authorization")).isEqualTo("Splunk rotated-token");
        assertThat(all.get(3).objects().get(0).at("/event/netsensor/alert_id").asText()).isEqualTo("must-not-be-dropped");
    }

    @Test
    void aTooLargeRequestShrinksTheBatches() throws Exception {
        receiver.respond(r -> r.body().length > 100_000 ? Reply.of(413, "{\"text\":\"Content too large\"}")
                : Reply.of(200, "{\"text\":\"Success\",\"code\":0}"));
        try (HecSink sink = new HecSink(options(HecFlavor.LOGSCALE).build())) {
            conns(sink, 0, 1000);
            assertThatThrownBy(sink::flush).hasMessageContaining("HTTP 413").hasMessageContaining("retrying with at most 2500 events / 2500000 bytes");
            IOException last = null;
            for (int i = 0; i < 10 && sink.pending() > 0; i++) {
                try {
                    sink.flush();
                } catch (IOException e) {
                    last = e;
                }
            }
            assertThat(sink.pending()).as(String.valueOf(last)).isZero();
        }
        List<Request> ok = new ArrayList<>();
        for (Request r : receiver.requests) if (r.body().length <= 100_000) ok.add(r);
        assertThat(flowIds(ok)).isEqualTo(range(0, 1000));
    }

    @Test
    void tlsVerifiesTheChainAndTheHostName(@TempDir Path certs) throws Exception {
        TestTls good = TestTls.create(certs.resolve("good"), "ip:127.0.0.1");
        try (HecReceiver tls = HecReceiver.https(good.server)) {
            HecOptions.Builder b = HecOptions.builder("siem", HecFlavor.LOGSCALE, tls.base(), tokenFile).host("sensor-1");
            try (HecSink sink = new HecSink(b.caFile(good.caPem).build())) {
                sink.onAlert(Records.alert("over-tls"));
                sink.flush();
            }
            assertThat(tls.requests).hasSize(1);
            assertThat(tls.requests.get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);

            try (HecSink untrusted = new HecSink(b.caFile(null).build())) { // system trust store: a self-signed cert is refused
                untrusted.onAlert(Records.alert("x"));
                assertThatThrownBy(untrusted::flush).isInstanceOf(IOException.class)
                        .hasMessageStartingWith("hec sink 'siem': cannot deliver to " + tls.base() + "/api/v1/ingest/hec: SSLHandshakeException")
                        .hasMessageContaining("certification path");
                assertThat(untrusted.pending()).isEqualTo(1);
            }
        }
        TestTls otherName = TestTls.create(certs.resolve("other"), "dns:collector.example");
        try (HecReceiver tls = HecReceiver.https(otherName.server)) {
            HecOptions o = HecOptions.builder("siem", HecFlavor.LOGSCALE, tls.base(), tokenFile).caFile(otherName.caPem).build();
            try (HecSink sink = new HecSink(o)) {
                sink.onAlert(Records.alert("x"));
                assertThatThrownBy(sink::flush).hasMessageContaining("SSLHandshakeException")
                        .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
            }
            assertThat(tls.requests).as("the token never reached a server whose name did not match").isEmpty();
        }
        Path notPem = Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        assertThatThrownBy(() -> new HecSink(HecOptions.builder("siem", HecFlavor.LOGSCALE, URI.create("https://127.0.0.1:1"), tokenFile)
                .caFile(notPem).build())).isInstanceOf(IOException.class).hasMessageStartingWith("hec sink 'siem': ca_file " + notPem);
    }

    @Test
    void aTokenFileOthersCanReadIsRefused() throws Exception {
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new HecSink(options(HecFlavor.SPLUNK).build())).isInstanceOf(IOException.class)
                .hasMessage("hec sink 'siem': token_file " + tokenFile + " is readable by group or others; restrict it (chmod 600) and restart");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> new HecSink(options(HecFlavor.SPLUNK).build())).hasMessageContaining("readable by group or others");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("r--------"));
        new HecSink(options(HecFlavor.SPLUNK).build()).close();
        Path missing = dir.resolve("missing.token");
        assertThatThrownBy(() -> new HecSink(HecOptions.builder("siem", HecFlavor.SPLUNK, receiver.base(), missing).build()))
                .hasMessage("hec sink 'siem': token_file " + missing + " does not exist");
        Path twoLines = dir.resolve("two.token");
        Files.writeString(twoLines, "abc\r\nInjected: header");
        Files.setPosixFilePermissions(twoLines, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> new HecSink(HecOptions.builder("siem", HecFlavor.SPLUNK, receiver.base(), twoLines).build()))
                .hasMessageContaining("one token of visible ASCII characters").hasMessageNotContaining("Injected");
    }

    @Test
    void theTokenAppearsInNoLogLineExceptionOrToString(@TempDir Path certs) throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> messages = new ArrayList<>();
        // a collector that echoes the credential back in its error text, as a careless proxy might
        receiver.respond(r -> Reply.of(r.path().endsWith("/ack") ? 400 : 401,
                "{\"text\":\"bad credential " + r.header("Authorization") + "\",\"code\":3}"));
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            HecOptions o = options(HecFlavor.SPLUNK).build();
            messages.add(o.toString());
            try (HecSink sink = new HecSink(o)) {
                messages.add(sink.toString());
                sink.onAlert(Records.alert("x"));
                for (int status : new int[] {401, 503, 403, 500}) {
                    int s = status;
                    receiver.respond(r -> Reply.of(s, "{\"text\":\"echo " + r.header("Authorization") + "\"}"));
                    try {
                        sink.flush();
                    } catch (IOException e) {
                        messages.add(e.getMessage());
                    }
                }
            }
            try (HecSink acked = new HecSink(options(HecFlavor.SPLUNK).ack(true).ackPollInterval(Duration.ofMillis(20)).build())) {
                receiver.respond(r -> r.path().endsWith("/ack") ? Reply.of(400, "{\"text\":\"ACK is disabled " + r.header("Authorization") + "\"}")
                        : Reply.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":1}"));
                acked.onAlert(Records.alert("y"));
                try {
                    acked.flush();
                } catch (IOException e) {
                    messages.add(e.getMessage());
                }
            }
            try (HecSink down = new HecSink(HecOptions.builder("siem", HecFlavor.SPLUNK, URI.create("http://127.0.0.1:1"), tokenFile).build())) {
                down.onAlert(Records.alert("z"));
                try {
                    down.flush();
                } catch (IOException e) {
                    messages.add(e.getMessage());
                }
            }
            TestTls tls = TestTls.create(certs, "ip:127.0.0.1");
            try (HecReceiver secure = HecReceiver.https(tls.server);
                 HecSink untrusted = new HecSink(HecOptions.builder("siem", HecFlavor.SPLUNK, secure.base(), tokenFile).build())) {
                untrusted.onAlert(Records.alert("w"));
                try {
                    untrusted.flush();
                } catch (IOException e) {
                    messages.add(e.getMessage());
                }
            }
        } finally {
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(messages).hasSize(9);
        assertThat(log).contains("HTTP 401").contains("HTTP 503").contains("ACK is disabled").contains("ConnectException")
                .contains("[redacted]");
        assertThat(log).doesNotContain(TOKEN).doesNotContain("7f3c9e2a");
        for (String m : messages) {
            assertThat(m).doesNotContain(TOKEN).doesNotContain("\n");
            assertThat(m).matches(Pattern.compile("(hec sink 'siem': |HecOptions\\[|HecSink\\[).*"));
        }
        for (String line : log.split("\n")) assertThat(line).doesNotContain("\tat "); // no stack traces
    }

    @Test
    void anUnreachableCollectorKeepsTheBatch() throws Exception {
        try (HecSink sink = new HecSink(HecOptions.builder("siem", HecFlavor.LOGSCALE, URI.create("http://127.0.0.1:1"), tokenFile)
                .connectTimeout(Duration.ofSeconds(2)).build())) {
            conns(sink, 0, 4);
            assertThatThrownBy(sink::flush).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("hec sink 'siem': cannot deliver to http://127.0.0.1:1/api/v1/ingest/hec: ConnectException");
            assertThat(sink.pending()).isEqualTo(4);
        }
    }

    /**
     * Not a timed assertion: prints how fast the sink feeds a collector on this machine (loopback, gzip on; the
     * collector only counts). The synthetic flows differ little, so they compress far better than real ones.
     */
    @Test
    void throughputToTheTestCollector() throws Exception {
        int n = 200_000;
        receiver.keep = false;
        try (HecSink sink = new HecSink(options(HecFlavor.SPLUNK).build())) {
            conns(sink, 0, 20_000); // warm-up
            sink.flush();
            ConnEvent e = new ConnEvent();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink.onConn(Records.conn(e, i));
                if (sink.pending() >= sink.maxBatch()) sink.flush();
            }
            sink.flush();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("HEC throughput: %,d events in %.2f s = %,.0f events/s (encode + gzip + POST to 127.0.0.1), %.1f bytes/event on the wire%n",
                    n, s, n / s, (double) sink.wireBytes() / (n + 20_000));
            assertThat(sink.deliveredEvents()).isEqualTo(n + 20_000);
            assertThat(receiver.counted.get()).isEqualTo(sink.requests());
        }
    }
}
