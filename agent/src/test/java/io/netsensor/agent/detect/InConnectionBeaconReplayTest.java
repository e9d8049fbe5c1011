package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.testkit.pcap.Traffic;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beacons that live inside one long-lived connection (bursts after idle gaps), connections that know
 * their names (DNS, TLS SNI, HTTP Host and User-Agent), and series grouped by name: generated captures
 * replayed through `netsensor replay` with the default profile.
 */
class InConnectionBeaconReplayTest {
    static final String HOST = "10.0.0.5";

    @TempDir
    Path dir;

    static byte[] httpGet(String host, String agent) {
        return ("GET /api/v2/poll HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: " + agent + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A TLS 1.2 ClientHello record with one extension, server_name. */
    static byte[] clientHello(String sni) {
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        int listLen = 3 + name.length;
        write(ext, 0, 0, (listLen + 2) >> 8, (listLen + 2) & 0xFF, listLen >> 8, listLen & 0xFF, 0, name.length >> 8, name.length & 0xFF);
        ext.writeBytes(name);
        byte[] e = ext.toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, 3, 3);
        body.writeBytes(new byte[32]); // random
        write(body, 0); // session id
        write(body, 0, 2, 0xC0, 0x2F); // one cipher suite
        write(body, 1, 0); // null compression
        write(body, e.length >> 8, e.length & 0xFF);
        body.writeBytes(e);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        int hs = b.length + 4;
        write(rec, 0x16, 3, 1, hs >> 8, hs & 0xFF, 1, 0, b.length >> 8, b.length & 0xFF);
        rec.writeBytes(b);
        return rec.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, int... bytes) {
        for (int v : bytes) out.write(v);
    }

    /** Uniform jitter of +-{@code jitter} around {@code period}. */
    static double sleep(Random rnd, double period, double jitter) {
        return period * (1 - jitter + 2 * jitter * rnd.nextDouble());
    }

    @Test
    void httpKeepAliveBeaconWithFiftyPercentJitterSeenFromMidConnection() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(7);
        Traffic.Session s = t.tcpOpen(0, HOST, "198.51.100.30", 80, false); // capture starts mid-connection
        double at = 1;
        int checkIns = 0;
        for (; at < 2 * 3600; at += sleep(rnd, 60, 0.5), checkIns++) {
            s.exchange(at, httpGet("cdn-check.example.net", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"), 180 + rnd.nextInt(40));
        }
        List<JsonNode> lines = Replays.alerts(t.write(dir.resolve("keepalive.pcap")), "--events");
        List<JsonNode> beacons = Replays.of(lines, "beacon");
        assertThat(beacons).as(Replays.describe(lines)).isNotEmpty();
        assertThat(beacons.stream().map(b -> b.at("/netsensor/alert_id").asText()).distinct()).hasSize(1);
        JsonNode last = beacons.get(beacons.size() - 1);
        JsonNode ev = last.at("/netsensor/evidence");
        assertThat(ev.path("pattern").asText()).isEqualTo("bursts_in_connection");
        assertThat(ev.path("burst_count").asLong()).isGreaterThanOrEqualTo(checkIns - 2);
        assertThat(ev.path("interval_median_s").asDouble()).isBetween(50.0, 70.0);
        assertThat(ev.path("http_host").asText()).isEqualTo("cdn-check.example.net");
        assertThat(ev.path("connection").path("bursts").asLong()).isGreaterThanOrEqualTo(checkIns - 2);
        assertThat(last.at("/url/domain").asText()).isEqualTo("cdn-check.example.net");
        assertThat(last.at("/user_agent/original").asText()).startsWith("Mozilla/5.0");
        assertThat(last.path("message").asText()).contains("inside one connection").contains("cdn-check.example.net:80");
        assertThat(last.at("/netsensor/count").asLong()).isGreaterThanOrEqualTo(checkIns - 2);
        // the connection record itself carries its names
        List<JsonNode> conns = lines.stream().filter(l -> "netsensor.conn".equals(l.at("/event/dataset").asText())).collect(Collectors.toList());
        assertThat(conns).anySatisfy(c -> assertThat(c.at("/url/domain").asText()).isEqualTo("cdn-check.example.net"));
    }

    @Test
    void tlsSessionHeartbeatsKnowTheirSniAndDnsName() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(11);
        t.dnsResolved(0, HOST, "10.0.0.1", "c2.example.net", List.of(), "198.51.100.31");
        Traffic.Session s = t.tcpOpen(1, HOST, "198.51.100.31", 8443, true);
        s.exchange(1.1, clientHello("c2.example.net"), 3000);
        double at = 30;
        for (int i = 0; at < 3600; at += sleep(rnd, 30, 0.2), i++) {
            boolean command = i % 17 == 5; // now and then a command and its output
            s.exchange(at, command ? 2400 : 64, command ? 9000 : 64);
        }
        s.close(at);
        List<JsonNode> lines = Replays.alerts(t.write(dir.resolve("tls.pcap")), "--events");
        List<JsonNode> beacons = Replays.of(lines, "beacon");
        assertThat(beacons).as(Replays.describe(lines)).isNotEmpty();
        JsonNode last = beacons.get(beacons.size() - 1);
        assertThat(last.at("/netsensor/evidence/pattern").asText()).isEqualTo("bursts_in_connection");
        assertThat(last.at("/netsensor/evidence/remote_name").asText()).isEqualTo("c2.example.net");
        assertThat(last.at("/tls/client/server_name").asText()).isEqualTo("c2.example.net");
        assertThat(last.at("/destination/domain").asText()).isEqualTo("c2.example.net");
        assertThat(last.at("/destination/ip").asText()).isEqualTo("198.51.100.31");
        assertThat(last.at("/netsensor/evidence/interval_median_s").asDouble()).isBetween(27.0, 33.0);
        JsonNode end = lines.stream().filter(l -> "connection_end".equals(l.at("/event/action").asText())
                && l.at("/destination/port").asInt() == 8443).findFirst().orElseThrow();
        assertThat(end.at("/tls/client/server_name").asText()).isEqualTo("c2.example.net");
        assertThat(end.at("/destination/domain").asText()).isEqualTo("c2.example.net");
    }

    /** Explain every alert: what was seen (period, jitter, count, span, bytes, names) and the connection it lives in. */
    @Test
    void theInConnectionBeaconsEvidenceNamesItsConnectionAndThePattern() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(23);
        t.dnsResolved(0, HOST, "10.0.0.1", "sync.c2.example.net", List.of(), "198.51.100.33");
        Traffic.Session s = t.tcpOpen(1, HOST, "198.51.100.33", 8443, true);
        s.exchange(1.1, clientHello("sync.c2.example.net"), 3000);
        int n = 0;
        double at = 45;
        for (; at < 2 * 3600; at += sleep(rnd, 45, 0.3), n++) s.exchange(at, 96 + rnd.nextInt(8), 160);
        s.close(at);
        List<JsonNode> lines = Replays.alerts(t.write(dir.resolve("explain.pcap")), "--events");
        List<JsonNode> beacons = Replays.of(lines, "beacon");
        assertThat(beacons).as(Replays.describe(lines)).isNotEmpty();
        JsonNode last = beacons.get(beacons.size() - 1);
        JsonNode ev = last.at("/netsensor/evidence");
        JsonNode end = lines.stream().filter(l -> "connection_end".equals(l.at("/event/action").asText())
                && l.at("/destination/port").asInt() == 8443).findFirst().orElseThrow();
        // the connection: its flow id (as on its CONN and BURST records), 5-tuple, Community ID, how long it was open
        JsonNode conn = ev.path("connection");
        assertThat(conn.path("flow_id").asText()).isEqualTo(end.at("/netsensor/flow_id").asText());
        assertThat(conn.path("transport").asText()).isEqualTo("tcp");
        assertThat(conn.path("source_ip").asText()).isEqualTo(HOST);
        assertThat(conn.path("source_port").asInt()).isEqualTo(end.at("/source/port").asInt());
        assertThat(conn.path("destination_ip").asText()).isEqualTo("198.51.100.33");
        assertThat(conn.path("destination_port").asInt()).isEqualTo(8443);
        assertThat(last.at("/network/community_id").asText()).isEqualTo(end.at("/network/community_id").asText());
        assertThat(conn.path("open_minutes").asDouble()).isBetween(110.0, 121.0);
        assertThat(conn.path("bursts").asLong()).isGreaterThanOrEqualTo(n - 2L);
        // the pattern: period, jitter, count, span, bytes, names
        assertThat(ev.path("pattern").asText()).isEqualTo("bursts_in_connection");
        assertThat(ev.path("interval_median_s").asDouble()).isBetween(40.0, 50.0);
        assertThat(ev.path("interval_relative_mad").asDouble()).isBetween(0.05, 0.4);
        assertThat(ev.path("burst_count").asLong()).isGreaterThanOrEqualTo(n - 2L);
        assertThat(last.at("/netsensor/count").asLong()).isGreaterThanOrEqualTo(n - 2L);
        assertThat(ev.path("duration_minutes").asDouble()).isBetween(110.0, 121.0);
        assertThat(ev.path("size_median_bytes").asInt()).isBetween(96, 103);
        assertThat(ev.path("burst_response_bytes_mean").asInt()).isEqualTo(160);
        assertThat(ev.path("remote_name").asText()).isEqualTo("sync.c2.example.net");
        assertThat(ev.path("tls_server_name").asText()).isEqualTo("sync.c2.example.net");
        assertThat(ev.path("destination_domain").asText()).isEqualTo("sync.c2.example.net");
        assertThat(last.path("message").asText()).containsPattern("every ~4\\d s \\(jitter \\d+ %\\) to sync\\.c2\\.example\\.net:8443")
                .contains("inside one connection", "tcp connection open");
    }

    /** With --events the bursts themselves are printed (as `run --events` does: the same console printer). */
    @Test
    void eventsPrintsEachBurstOfTheConnectionBesideItsConnectionRecords() throws Exception {
        Traffic t = new Traffic();
        Traffic.Session mid = t.tcpOpen(0, HOST, "198.51.100.34", 80, false); // seen from mid-connection
        Traffic.Session tls = t.tcpOpen(0.5, HOST, "198.51.100.35", 8443, true);
        tls.exchange(0.6, clientHello("poll.c2.example.net"), 3000);
        int n = 0;
        for (double at = 30; at < 20 * 60; at += 30, n++) {
            mid.exchange(at, 120, 300);
            tls.exchange(at + 5, 96, 160);
        }
        tls.close(20 * 60 + 10);
        List<JsonNode> lines = Replays.alerts(t.write(dir.resolve("bursts.pcap")), "--events", "--no-detect");
        List<JsonNode> bursts = lines.stream().filter(l -> "netsensor.burst".equals(l.at("/event/dataset").asText())).collect(Collectors.toList());
        JsonNode end = lines.stream().filter(l -> "connection_end".equals(l.at("/event/action").asText())
                && l.at("/destination/port").asInt() == 8443).findFirst().orElseThrow();
        List<JsonNode> inTls = bursts.stream().filter(b -> b.at("/destination/port").asInt() == 8443).collect(Collectors.toList());
        // the handshake was seen: its first exchange is the connection record's, the check-ins after it are bursts
        assertThat(inTls).hasSizeBetween(n - 1, n + 1);
        assertThat(inTls).allSatisfy(b -> {
            assertThat(b.at("/netsensor/flow_id").asText()).isEqualTo(end.at("/netsensor/flow_id").asText());
            assertThat(b.at("/network/community_id").asText()).isEqualTo(end.at("/network/community_id").asText());
            assertThat(b.at("/netsensor/burst/orig_bytes").asInt()).isEqualTo(96);
            assertThat(b.at("/netsensor/burst/resp_bytes").asInt()).isEqualTo(160);
            // 30 s between check-ins (35 s after the handshake's exchange, the flow's first, which its connection record stands for)
            assertThat(b.at("/netsensor/burst/idle_before").asLong()).isBetween(29_000_000_000L, 35_000_000_000L);
            assertThat(b.at("/tls/client/server_name").asText()).isEqualTo("poll.c2.example.net");
        });
        assertThat(inTls).extracting(b -> b.at("/netsensor/burst/index").asInt()).isSorted().doesNotHaveDuplicates();
        // the capture began inside the other connection: its first burst is journaled, with no idle time before it
        List<JsonNode> inMid = bursts.stream().filter(b -> b.at("/destination/port").asInt() == 80).collect(Collectors.toList());
        assertThat(inMid).hasSizeBetween(n, n + 1);
        assertThat(inMid.get(0).at("/netsensor/burst/index").asInt()).isEqualTo(1);
        assertThat(inMid.get(0).at("/netsensor/burst").has("idle_before")).isFalse();
        assertThat(inMid.get(0).at("/netsensor/burst/flow_start_seen").asBoolean()).isFalse();
        // without --events: alerts only, no bursts
        assertThat(Replays.alerts(dir.resolve("bursts.pcap"), "--no-detect")).isEmpty();
    }

    @Test
    void udpHeartbeatOverIpv6FromOneSocket() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(3);
        Traffic.Session s = t.udpSocket("fd12:3456::5", 50123, "2001:db8:77::20", 9000);
        for (double at = 0; at < 45 * 60; at += sleep(rnd, 20, 0.3)) s.exchange(at, 48, 48);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("udp6.pcap")));
        List<JsonNode> beacons = Replays.of(alerts, "beacon");
        assertThat(beacons).as(Replays.describe(alerts)).isNotEmpty();
        JsonNode b = beacons.get(beacons.size() - 1);
        assertThat(b.at("/destination/ip").asText()).isEqualTo("2001:db8:77::20");
        assertThat(b.at("/netsensor/evidence/transport").asText()).isEqualTo("udp");
        assertThat(b.at("/netsensor/evidence/interval_median_s").asDouble()).isBetween(17.0, 23.0);
    }

    @Test
    void aC2NameRotatingItsAddressesIsOneSeries() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(5);
        int i = 0;
        for (double at = 0; at < 3600; at += sleep(rnd, 60, 0.3), i++) {
            String addr = "198.51.100." + (40 + i % 12);
            t.dnsResolved(at, HOST, "10.0.0.1", "updates.rotating-c2.example", List.of(), addr);
            t.tcpSession(at + 0.1, HOST, addr, 8080, 300, 600, 1);
        }
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("rotate.pcap")));
        List<JsonNode> beacons = Replays.of(alerts, "beacon");
        assertThat(beacons).as(Replays.describe(alerts)).isNotEmpty();
        assertThat(beacons.stream().map(b -> b.at("/netsensor/alert_id").asText()).distinct()).hasSize(1);
        JsonNode last = beacons.get(beacons.size() - 1);
        assertThat(last.at("/netsensor/evidence/remote_name").asText()).isEqualTo("updates.rotating-c2.example");
        assertThat(last.at("/netsensor/evidence/remote_addresses").size()).isEqualTo(8);
        assertThat(last.at("/netsensor/evidence/remote_addresses_truncated").asBoolean()).isTrue();
        assertThat(last.at("/netsensor/count").asLong()).isGreaterThanOrEqualTo(i - 1L);
    }

    @Test
    void anImplantSleepingAnHourInsideOneConnectionOverADay() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(13);
        Traffic.Session s = t.tcpOpen(0, HOST, "198.51.100.50", 8081, true);
        int n = 0;
        for (double at = 1; at < 24 * 3600; at += sleep(rnd, 3600, 0.2), n++) s.exchange(at, 220, 90);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("hourly.pcap")));
        List<JsonNode> beacons = Replays.of(alerts, "beacon");
        assertThat(beacons).as(Replays.describe(alerts)).isNotEmpty();
        JsonNode last = beacons.get(beacons.size() - 1);
        assertThat(last.at("/netsensor/evidence/path").asText()).isEqualTo("slow_regular");
        assertThat(last.at("/netsensor/evidence/interval_median_s").asDouble()).isBetween(3000.0, 4200.0);
        assertThat(last.at("/netsensor/count").asLong()).isGreaterThanOrEqualTo(n - 1L);
        assertThat(last.path("message").asText()).contains("every ~");
    }

    @Test
    void aP2pSocketTalkingToManyPeersIsNotABeacon() throws Exception {
        Traffic t = new Traffic();
        Random rnd = new Random(17);
        List<Traffic.Session> peers = new java.util.ArrayList<>();
        for (int p = 0; p < 30; p++) peers.add(t.udpSocket(HOST, 6881, "203.0.113." + (10 + p), 6881 + p));
        for (Traffic.Session peer : peers) {
            for (double at = rnd.nextDouble() * 60; at < 3600; at += sleep(rnd, 60, 0.1)) peer.exchange(at, 90, 300);
        }
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("dht.pcap")));
        assertThat(alerts).as(Replays.describe(alerts)).isEmpty();
    }

    @Test
    void cloudPlatformPollingIsKnownInfrastructure() throws Exception {
        // an Azure VM: the guest agent polls the WireServer and IMDS every few seconds, an admin logs in over SSH
        Traffic t = new Traffic().tcpSession(5, "203.0.113.9", HOST, 22, 4000, 90000, 1500);
        for (double at = 0; at < 1800; at += 5) t.tcpSession(at, HOST, "168.63.129.16", 32526, 400, 900, 0.2);
        for (double at = 2; at < 1800; at += 15) t.tcpSession(at, HOST, "169.254.169.254", 80, 200, 1200, 0.1);
        List<JsonNode> alerts = Replays.alerts(t.write(dir.resolve("azure.pcap")), "--home-net", HOST + "/32");
        assertThat(alerts).as(Replays.describe(alerts)).isEmpty();
    }
}
