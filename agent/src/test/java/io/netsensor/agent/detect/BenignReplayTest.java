package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.testkit.pcap.Traffic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ordinary traffic replayed through `netsensor replay` raises no alert, with either detector profile:
 * browsing, NTP, a web server, CDN lookups, an internal backup job. Each capture is built so that the
 * naive form of a detector would fire on it (many 443 peers, perfectly periodic polling, inbound plus
 * outbound external legs, random-looking DNS labels, a regular schedule), so a pass means the detector
 * told the difference.
 */
class BenignReplayTest {
    static final String HOST = "10.0.0.5", RESOLVER = "10.0.0.1";

    @TempDir
    Path dir;

    private void assertNoAlerts(Path pcap, String profile) {
        List<JsonNode> alerts = Replays.alerts(pcap, "--profile", profile);
        assertThat(alerts).as("%s with profile %s raised:%s", pcap.getFileName(), profile, Replays.describe(alerts)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "short-window"})
    void browsingBurstsToManyHttpsServers(String profile) throws IOException {
        Random rnd = new Random(11);
        Traffic t = new Traffic();
        double time = 0;
        // two hours of page loads; each opens connections to a handful of 120 servers, the popular ones
        // (analytics, fonts, the CDN) on most pages, plus one heavy page pulling from 80 servers at once
        while (time < 2 * 3600) {
            int conns = 4 + rnd.nextInt(12);
            for (int i = 0; i < conns; i++) {
                int server = (int) Math.floor(Math.pow(rnd.nextDouble(), 2.5) * 120);
                double at = time + rnd.nextDouble() * 3;
                int port = rnd.nextInt(10) == 0 ? 80 : 443;
                t.tcpSession(at, HOST, "203.0.113." + (server + 1), port, 300 + rnd.nextInt(2000),
                        1000 + rnd.nextInt(200_000), 1 + rnd.nextDouble() * 30);
            }
            time += 5 - Math.log(1 - rnd.nextDouble()) * 150;
        }
        for (int i = 0; i < 80; i++) {
            t.tcpSession(3 * 3600 + i * 0.2, HOST, "198.51.100." + (i + 1), 443, 500, 20_000, 2);
        }
        assertNoAlerts(t.write(dir.resolve("browsing.pcap")), profile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "short-window"})
    void ntpEvery64Seconds(String profile) throws IOException {
        Traffic t = new Traffic();
        for (int i = 0; i < 120; i++) t.udpExchange(i * 64.0, HOST, 123, "203.0.113.123", 123, 48, 48);
        assertNoAlerts(t.write(dir.resolve("ntp.pcap")), profile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "short-window"})
    void webServerWithOccasionalOutboundHttps(String profile) throws IOException {
        Random rnd = new Random(5);
        String server = "10.0.0.80";
        Traffic t = new Traffic();
        for (int i = 0; i < 400; i++) {
            String client = "198.51.100." + (1 + rnd.nextInt(200));
            t.tcpSession(i * 4.5 + rnd.nextDouble(), client, server, 443, 400 + rnd.nextInt(800), 5000 + rnd.nextInt(50_000), 0.5);
        }
        for (double at = 10; at < 1800; at += 60 + rnd.nextDouble() * 400) {
            t.dnsResolved(at, server, "8.8.8.8", "api.payments.example", List.of(), "203.0.113.30");
            t.tcpSession(at + 0.1, server, "203.0.113.30", 443, 800, 1200, 0.4);
        }
        t.tcpSession(900, server, "203.0.113.31", 80, 400, 900, 0.2); // OCSP
        assertNoAlerts(t.write(dir.resolve("webserver.pcap")), profile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "short-window"})
    void cdnLookupsResolve(String profile) throws IOException {
        Random rnd = new Random(3);
        Traffic t = new Traffic();
        String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 60; i++) {
            double at = i * 5.0;
            switch (i % 3) {
                case 0: { // r4---sn-4g5ednsl.googlevideo.com
                    String sn = random(rnd, "abcdefghijklmnopqrstuvwxyz0123456789-", 8);
                    t.dnsResolved(at, HOST, RESOLVER, "rr" + (1 + rnd.nextInt(8)) + "---sn-" + sn + ".googlevideo.com",
                            List.of("rr" + (1 + rnd.nextInt(8)) + ".sn-" + sn + ".googlevideo.com"), "203.0.113." + (10 + i));
                    break;
                }
                case 1: { // www.vendor.com -> www.vendor.com.edgekey.net -> e1234.dscx.akamaiedge.net
                    String vendor = List.of("apple", "adobe", "samsung", "nvidia", "intel").get(rnd.nextInt(5));
                    t.dnsResolved(at, HOST, RESOLVER, "www" + i + "." + vendor + ".com",
                            List.of("www" + i + "." + vendor + ".com.edgekey.net",
                                    "e" + (1000 + rnd.nextInt(9000)) + "." + random(rnd, "abcdefghijklmnopqrstuvwxyz", 1)
                                            + ".akamaiedge.net"), "198.51.100." + (10 + i));
                    break;
                }
                default: { // d1a2b3c4d5e6f7.cloudfront.net, sometimes behind a customer name
                    String dist = "d" + random(rnd, alnum, 13) + ".cloudfront.net";
                    t.dnsResolved(at, HOST, RESOLVER, "static" + i + ".shop.example", List.of(dist), "203.0.113." + (100 + i));
                    t.dnsResolved(at + 1, HOST, RESOLVER, "d" + random(rnd, alnum, 13) + ".cloudfront.net", List.of(),
                            "203.0.113." + (150 + i % 50));
                }
            }
        }
        assertNoAlerts(t.write(dir.resolve("cdn-dns.pcap")), profile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "short-window"})
    void periodicInternalBackupJob(String profile) throws IOException {
        Traffic t = new Traffic();
        for (int i = 0; i < 48; i++) {
            t.tcpSession(i * 900.0, HOST, "10.0.0.20", 22, 2_000_000, 4000, 40); // every 15 min for 12 h
            t.tcpSession(i * 300.0, HOST, "192.168.1.10", 873, 500_000, 2000, 10); // rsync every 5 min
        }
        assertNoAlerts(t.write(dir.resolve("backup.pcap")), profile);
    }

    private static String random(Random rnd, String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }
}
