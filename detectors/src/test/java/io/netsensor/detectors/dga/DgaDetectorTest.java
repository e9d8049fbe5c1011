package io.netsensor.detectors.dga;

import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.detectors.Registered;
import io.netsensor.events.Alert;
import io.netsensor.events.Severity;
import io.netsensor.testkit.Shared;
import io.netsensor.testkit.events.Queries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DgaDetectorTest {
    private static final String HOST = "192.168.1.23";
    private final List<Alert> alerts = new ArrayList<>();
    private long t = T0;

    private void query(DgaDetector det, String host, String name, int rcode) {
        det.onDns(Queries.from(host).at(t).name(name).rcode(rcode).build(), alerts::add);
    }

    private static List<String> randomNames(long seed, int n) {
        Random r = new Random(seed);
        String[] tlds = {".com", ".net", ".biz", ".info", ".org"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 12 + r.nextInt(8);
            for (int k = 0; k < len; k++) sb.append((char) ('a' + r.nextInt(26)));
            out.add(sb + tlds[r.nextInt(tlds.length)]);
        }
        return out;
    }

    @Test
    void burstOfFailingRandomNamesFromOneHostAlerts() {
        DgaDetector det = new DgaDetector();
        for (String n : randomNames(7, 50)) {
            query(det, HOST, n, 3);
            t += 2 * SEC;
        }
        assertThat(alerts).isNotEmpty();
        Alert first = alerts.get(0);
        assertThat(first.hostIp).isEqualTo("192.168.1.23");
        assertThat(first.severity).isEqualTo(Severity.MEDIUM);
        assertThat(first.score).isBetween(0.5, 0.75);
        Alert last = alerts.get(alerts.size() - 1);
        assertThat(last.severity).isEqualTo(Severity.CRITICAL);
        assertThat(last.evidence).containsKeys("unique_domains", "improbable_domains", "nxdomain_ratio", "samples");
        assertThat((List<?>) last.evidence.get("samples")).isNotEmpty();
        assertThat(last.id).isEqualTo(first.id);
        // severities only rise: one alert per level at most
        assertThat(alerts.stream().map(a -> a.severity).distinct().count()).isEqualTo(alerts.size());
    }

    @Test
    void alertsTheMomentTheThresholdIsCrossed() {
        DgaDetector det = new DgaDetector();
        DgaModel m = DgaModel.bundled();
        DgaModel.Scorer s = m.newScorer();
        List<String> improbable = randomNames(11, 200).stream().filter(n -> s.score(n) > m.threshold01pct)
                .limit(10).collect(Collectors.toList());
        for (int i = 0; i < 9; i++) {
            query(det, HOST, improbable.get(i), 0);
            t += SEC;
        }
        assertThat(alerts).isEmpty();
        query(det, HOST, improbable.get(9), 0);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).evidence.get("improbable_domains")).isEqualTo(10);
    }

    @Test
    void windowExpiryForgetsOldNames() {
        DgaDetector det = new DgaDetector();
        DgaModel m = DgaModel.bundled();
        DgaModel.Scorer s = m.newScorer();
        List<String> improbable = randomNames(13, 300).stream().filter(n -> s.score(n) > m.threshold01pct)
                .limit(18).collect(Collectors.toList());
        for (int i = 0; i < 9; i++) {
            query(det, HOST, improbable.get(i), 0);
            t += SEC;
        }
        t += 11 * 60 * SEC; // past the 10 min window
        for (int i = 9; i < 18; i++) {
            query(det, HOST, improbable.get(i), 0);
            t += SEC;
        }
        assertThat(alerts).isEmpty();
        assertThat(Registered.value(det, "detector.dga.domains_expired")).isGreaterThanOrEqualTo(9);
    }

    @Test
    void aSingleOddNameDoesNotAlert() {
        DgaDetector det = new DgaDetector();
        query(det, HOST, "xkqzjvwpfhbtlm.com", 3);
        for (int i = 0; i < 5; i++) {
            t += 10 * SEC;
            query(det, HOST, "xkqzjvwpfhbtlm.com", 3); // retries of the same name count once
        }
        assertThat(alerts).isEmpty();
    }

    @Test
    void normalBrowsingOfTopSitesWithCdnNamesDoesNotAlert() throws Exception {
        Path shared = Shared.dirWith("dga/benign/tranco_top10k_2025-06.txt");
        List<String> top = Files.readAllLines(shared.resolve("dga/benign/tranco_top10k_2025-06.txt")).subList(0, 200);
        DgaDetector det = new DgaDetector();
        Random r = new Random(3);
        String[] cdn = {".cloudfront.net", ".akamaiedge.net", ".googlevideo.com", ".azureedge.net", ".fastly.net",
            ".amazonaws.com", ".1e100.net"};
        for (String site : top) {
            query(det, HOST, "www." + site, 0);
            t += 2 * SEC;
            // each page pulls machine-named CDN hosts
            String label = randomNames(r.nextLong(), 1).get(0).replaceAll("\\..*", "");
            query(det, HOST, label + cdn[r.nextInt(cdn.length)], 0);
            t += SEC;
        }
        query(det, HOST, "gooogle.com", 3); // a typo or two
        query(det, HOST, "facebok.com", 3);
        assertThat(alerts).isEmpty();
        assertThat(Registered.value(det, "detector.dga.ignored{reason=cdn}")).isGreaterThanOrEqualTo(200); // plus top sites that are CDN zones
    }

    @Test
    void dictionaryDgaBurstAlertsThroughFailingNewDomains() throws Exception {
        Path shared = Shared.dirWith("dga/gen/suppobox_w1.txt");
        List<String> words = Files.readAllLines(shared.resolve("dga/gen/suppobox_w1.txt")).subList(0, 40);
        DgaDetector det = new DgaDetector();
        for (String site : List.of("google.com", "github.com", "slack.com", "zoom.us", "office.com")) {
            query(det, HOST, site, 0);
        }
        for (int i = 0; i < words.size(); i++) {
            query(det, HOST, words.get(i), i % 10 == 0 ? 0 : 3); // a few registered, most NXDOMAIN
            t += 3 * SEC;
        }
        assertThat(alerts).isNotEmpty();
        Map<String, Object> ev = alerts.get(0).evidence;
        assertThat((Integer) ev.get("new_nxdomain_domains")).isGreaterThanOrEqualTo(15);
        assertThat((Integer) ev.get("improbable_domains")).isLessThan(10); // the words look benign to the model
    }

    @Test
    void boundedKeysAndDomainsCountEvictions() {
        DgaDetector.Config cfg = new DgaDetector.Config();
        cfg.maxKeys = 2;
        cfg.maxDomainsPerKey = 16;
        DgaDetector det = new DgaDetector(cfg, DgaModel.bundled());
        for (int h = 1; h <= 3; h++) {
            query(det, "10.0.0." + h, "example.com", 0);
            t += SEC;
        }
        assertThat(Registered.value(det, "detector.keys{detector=dga}")).isEqualTo(2);
        assertThat(Registered.value(det, "detector.evictions{detector=dga}")).isEqualTo(1);
        for (int i = 0; i < 40; i++) {
            query(det, HOST, "site" + i + "example.com", 0);
            t += SEC;
        }
        assertThat(Registered.value(det, "detector.dga.domain_evictions")).isEqualTo(24);
    }

    @Test
    void inboundPtrAndLocalNamesAreIgnored() {
        DgaDetector det = new DgaDetector();
        for (String n : randomNames(5, 40)) {
            query(det, HOST, n.replaceAll("\\..*", ".local"), 3);
            t += SEC;
        }
        assertThat(alerts).isEmpty();
        assertThat(Registered.value(det, "detector.dga.ignored{reason=local}")).isEqualTo(40);
    }
}
