package io.netsensor.detectors.dnstunnel;

import static io.netsensor.testkit.events.Times.MIN;
import static io.netsensor.testkit.events.Times.MS;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.CollectingSink;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.Registered;
import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Severity;
import io.netsensor.testkit.events.Queries;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class DnsTunnelDetectorTest {
    private static final String HOST = "10.1.2.3", RESOLVER = "10.1.0.1";
    private final Random rnd = new Random(12);
    private final CollectingSink sink = new CollectingSink();
    private final DnsTunnelDetector det = new DnsTunnelDetector(new DetectorSettings.DnsTunnel());

    private String hex(int chars) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chars; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    private String base32(int chars) {
        String a = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chars; i++) sb.append(a.charAt(rnd.nextInt(32)));
        return sb.toString();
    }

    private String base64(int bytes) {
        byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** n queries, {@code every} apart, from HOST to the resolver, built by {@code query}. */
    private void run(int n, long every, IntFunction<Queries> query) {
        long t = T0;
        for (int i = 0; i < n; i++) {
            det.onDns(query.apply(i).at(t).server(RESOLVER).build(), sink);
            t += every;
        }
    }

    private Alert last() {
        assertThat(sink.alerts).isNotEmpty();
        return sink.last();
    }

    @Test
    void iodineNullQueriesWithBase32LabelsAreATunnel() {
        run(200, 200 * MS, i -> Queries.from(HOST).name("0" + base32(60) + "." + base32(40) + ".t.tunnel-example.com")
                .qtype(10).rawAnswer(10, 200));
        Alert a = last();
        assertThat(a.detector).isEqualTo(DetectorKind.DNS_TUNNEL);
        assertThat(a.severity).isEqualTo(Severity.CRITICAL);
        // every sign at once: raised at the 30th distinct name (6 s), once
        assertThat(sink.alerts).hasSize(1);
        assertThat(a.evidence).containsEntry("zone", "tunnel-example.com").containsEntry("null_or_private_type_queries", 30)
                .containsEntry("unique_names", 30).containsEntry("encoded_names", 30);
        assertThat(a.summary).contains("under tunnel-example.com");
    }

    @Test
    void dns2tcpTxtWithBase64LabelsAndEncodedAnswersIsATunnel() {
        run(120, SEC, i -> Queries.from(HOST).name(base64(30).replace('/', '-').replace("=", "") + "." + "dns2tcp.example.net")
                .qtype(16).txt(base64(150)));
        Alert a = last();
        assertThat(a.severity).isIn(Severity.HIGH, Severity.CRITICAL);
        assertThat(a.evidence).containsEntry("zone", "example.net");
        assertThat((Integer) a.evidence.get("encoded_txt_answers")).isGreaterThan(8);
        assertThat((Long) a.evidence.get("mean_answer_bytes")).isGreaterThan(100L);
    }

    @Test
    void dnscat2DirectModeWithNoDomainIsGroupedByTheServerAsked() {
        int[] types = {16, 5, 15};
        run(60, SEC, i -> Queries.from(HOST).name("dnscat." + hex(40) + "." + hex(20)).qtype(types[i % 3]));
        Alert a = last();
        assertThat(a.remoteIp).isEqualTo(RESOLVER);
        assertThat(a.evidence).containsEntry("server", RESOLVER);
        assertThat(a.severity).isIn(Severity.HIGH, Severity.CRITICAL);
    }

    @Test
    void aTxtStagerFetchingEncodedChunksIsC2OverDns() {
        // 12 chunks of a payload, one TXT query each: too few names for a tunnel, the answers carry the data
        run(12, 2 * SEC, i -> Queries.from(HOST).name(i + ".stage.update-check.org").qtype(16).txt(base64(180)));
        Alert a = last();
        assertThat(a.severity).isEqualTo(Severity.MEDIUM);
        assertThat(a.summary).startsWith("DNS C2: ").contains("encoded TXT answers under update-check.org");
    }

    @Test
    void txtCommandPollingWithChangingAnswersAlertsOverItsWindow() {
        // one name polled every 60 s; the command in the answer changes every time
        run(10, 60 * SEC, i -> Queries.from(HOST).name("cmd.update-check.org").qtype(16).txt(base64(48)));
        assertThat(last().evidence).containsEntry("zone", "update-check.org");
    }

    @Test
    void sparseTxtPollingWithTheSameAnswerOrTokensIsNot() {
        // SPF, DKIM, verification tokens: published records, polled by mail servers all day
        run(300, 10 * SEC, i -> Queries.from(HOST).name(i % 2 == 0 ? "gmail.com" : "20230601._domainkey.gmail.com").qtype(16)
                .txt("v=spf1 redirect=_spf.google.com").txt("globalsign-smime-dv=CDYX+XFHUw2wml6/Gb8+59BsH31KzUr6c1l2BPvqKX8=")
                .txt("google-site-verification=" + base64(30)));
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void cdnNamesAntivirusHashesAndBlockListsAreNeverCounted() {
        run(400, 100 * MS, i -> switch (i % 8) {
            case 0 -> Queries.from(HOST).name("e" + rnd.nextInt(99999) + ".dscb.akamaiedge.net");
            case 1 -> Queries.from(HOST).name(hex(32) + ".avqs.mcafee.com");
            case 2 -> Queries.from(HOST).name("0." + hex(40) + ".v1.sophosxl.net");
            case 3 -> Queries.from(HOST).name((1 + rnd.nextInt(250)) + "." + rnd.nextInt(256) + ".113.203.zen.spamhaus.org").rcode(3);
            case 4 -> Queries.from(HOST).name(hex(16) + "-example.com.dbl.spamhaus.org").rcode(3);
            case 5 -> Queries.from(HOST).name(rnd.nextInt(256) + "." + rnd.nextInt(256) + ".51.198.bl.small-rbl.example").rcode(3);
            case 6 -> Queries.from(HOST).name((1 + rnd.nextInt(250)) + "." + rnd.nextInt(256) + ".51.198.dnsbl.unlisted-list.net").rcode(3);
            default -> Queries.from(HOST).name(hex(32) + ".hash.cymru.com").qtype(16).txt(base64(20));
        });
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.value(det, "detector.dns_tunnel.ignored{reason=lookup_service}")
                + Registered.value(det, "detector.dns_tunnel.ignored{reason=cdn}")).isEqualTo(350);
    }

    @Test
    void serviceDiscoveryAndMdnsAreNotTunnels() {
        run(300, 100 * MS, i -> switch (i % 4) {
            case 0 -> Queries.from(HOST).name("printer-" + hex(12) + "._ipp._tcp.local").qtype(33);
            case 1 -> Queries.from(HOST).name("b._dns-sd._udp." + hex(8) + ".example.com").qtype(12);
            case 2 -> Queries.from(HOST).name("_ldap._tcp." + hex(20) + "._sites.dc._msdcs.corp.example.com").qtype(33);
            default -> Queries.from(HOST).name(hex(24) + ".local").qtype(16);
        });
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void manyOrdinaryHostNamesUnderOneSiteAreNotATunnel() {
        String[] words = {"img", "static", "cdn", "api", "media", "assets", "shop", "user-avatars", "video", "thumbs"};
        run(600, 500 * MS, i -> Queries.from(HOST).name(words[i % words.length] + (i / 10) + "-eu-west"
                + (i % 3) + ".big-shop-example.com").qtype(i % 2 == 0 ? 1 : 28));
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void uniqueHashedALookupsAloneAreNotEnough() {
        // encoded labels but short, A queries, small answers: one content sign only
        run(100, SEC, i -> Queries.from(HOST).name(hex(16) + ".telemetry-example.com").qtype(1));
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void exfiltrationInLongEncodedANamesIsATunnel() {
        run(100, SEC, i -> Queries.from(HOST).name(hex(60) + "." + hex(50) + ".exfil-example.com").qtype(1).rcode(3));
        assertThat(last().severity).isIn(Severity.MEDIUM, Severity.HIGH);
    }

    @Test
    void aSlowTunnelBelowTheNameCountStaysQuietAndProcessesAreKeysOfTheirOwn() {
        run(25, 20 * SEC, i -> Queries.from(HOST).name(base32(50) + ".t.tunnel-example.com").qtype(10).process(100 + i % 2, T0));
        assertThat(sink.alerts).isEmpty();
        assertThat(Registered.value(det, "detector.keys{detector=dns_tunnel}")).isEqualTo(2);
    }

    @Test
    void theEngineRunsItByDefaultAndTheDomainAllowlistSilencesIt() {
        DetectorSettings s = DetectorSettings.defaults();
        s.allowlist.domains.add("tunnel-example.com");
        CollectingSink out = new CollectingSink();
        DetectorEngine engine = DetectorEngine.standard(s, out);
        CollectingSink out2 = new CollectingSink();
        DetectorEngine plain = DetectorEngine.standard(DetectorSettings.defaults(), out2);
        long t = T0;
        for (int i = 0; i < 100; i++, t += SEC) {
            DnsEvent e = Queries.from(HOST).at(t).name(base32(60) + ".t.tunnel-example.com").qtype(10).build();
            engine.onDns(e);
            plain.onDns(e);
        }
        assertThat(out.alerts).isEmpty();
        assertThat(out2.alerts).extracting(a -> a.detector).contains(DetectorKind.DNS_TUNNEL);
    }

    @Test
    void stateIsBoundedAndEvictionsCounted() {
        DetectorSettings.DnsTunnel cfg = new DetectorSettings.DnsTunnel();
        cfg.maxKeys = 50;
        DnsTunnelDetector small = new DnsTunnelDetector(cfg);
        long t = T0;
        for (int i = 0; i < 500; i++, t += MS) small.onDns(Queries.from(HOST).at(t).name("a.zone" + i + ".com").build(), sink);
        assertThat(Registered.value(small, "detector.keys{detector=dns_tunnel}")).isEqualTo(50);
        assertThat(Registered.value(small, "detector.evictions{detector=dns_tunnel}")).isEqualTo(450);
        // idle keys expire after two windows of event time
        small.onDns(Queries.from(HOST).at(t + 30 * MIN).name("a.later.com").build(), sink);
        assertThat(Registered.value(small, "detector.keys{detector=dns_tunnel}")).isEqualTo(1);
    }

    @Test
    void nameShapesTellDataFromWords() {
        byte[] hex = "546b03f50000000000a6023ed4df184d".getBytes();
        byte[] words = "static-assets-production2".getBytes();
        assertThat(NameShape.switchRate(hex, 0, hex.length)).isGreaterThan(0.3);
        assertThat(NameShape.switchRate(words, 0, words.length)).isLessThan(0.1);
        assertThat(List.of(NameShape.encoded(words, 0, words.length, 16, 0.2))).containsExactly(false);
    }
}
