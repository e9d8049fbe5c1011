package io.netsensor.detectors.dga;

import static io.netsensor.testkit.events.Times.HOUR;
import static io.netsensor.testkit.events.Times.MIN;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Alert;
import io.netsensor.events.Severity;
import io.netsensor.testkit.events.Queries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A handful of machine-made NXDOMAINs an hour, over hours: too slow for the 10-minute window. */
class SlowDgaTest {
    private static final String HOST = "192.168.1.40";
    private static final DgaModel MODEL = DgaModel.bundled();
    private final List<Alert> alerts = new ArrayList<>();
    private final DgaDetector det = new DgaDetector();
    private final String[] benign = {"debian.org", "wikipedia.org", "github.com", "example.com", "python.org",
        "openstreetmap.org", "mozilla.org", "kernel.org"};

    private List<String> machineMade(long seed, int n) {
        DgaModel.Scorer s = MODEL.newScorer();
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            StringBuilder sb = new StringBuilder();
            for (int k = 10 + r.nextInt(6); k > 0; k--) sb.append((char) ('a' + r.nextInt(26)));
            String name = sb + ".com";
            if (s.score(name) > MODEL.threshold1pct) out.add(name);
        }
        return out;
    }

    private void q(long t, String name, int rcode) {
        det.onDns(Queries.from(HOST).at(t).name(name).rcode(rcode).build(), alerts::add);
    }

    /** Each hour: benign look-ups every minute, and {@code perHour} of the given NXDOMAIN names. */
    private void hours(int hours, int perHour, List<String> nx) {
        int next = 0;
        for (int h = 0; h < hours; h++) {
            for (int m = 0; m < 60; m++) {
                long t = T0 + h * HOUR + m * MIN;
                q(t, "www." + benign[(h * 60 + m) % benign.length], 0);
                if (m % (60 / perHour) == 7 && next < nx.size()) q(t + 1000, nx.get(next++), 3);
            }
        }
    }

    @Test
    void fourMachineMadeNxdomainsAnHourForHoursAlert() {
        hours(8, 4, machineMade(3, 32));
        assertThat(alerts).isNotEmpty();
        Alert a = alerts.get(0);
        assertThat(a.severity).isEqualTo(Severity.MEDIUM);
        assertThat(a.evidence).containsEntry("pattern", "slow").containsEntry("machine_made_nxdomain_domains", 12);
        assertThat((Integer) a.evidence.get("hours_with_them")).isGreaterThanOrEqualTo(3);
        assertThat(a.summary).startsWith("slow DGA: 12 machine-made domains answered NXDOMAIN over");
        assertThat(a.lastSeenNanos - T0).isBetween(2 * HOUR, 3 * HOUR);
        assertThat(alerts).extracting(x -> x.severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
    }

    @Test
    void theSameFailingNameAskedAllDayCountsOnce() {
        List<String> one = machineMade(5, 1);
        List<String> same = new ArrayList<>();
        for (int i = 0; i < 30; i++) same.add(one.get(0));
        hours(6, 5, same);
        assertThat(alerts).isEmpty();
    }

    @Test
    void typosAnsweredNxdomainAllDayAreNotADga() {
        List<String> typos = List.of("gooogle.com", "facebok.com", "wikipedai.org", "amazom.com", "yotube.com",
                "githbu.com", "stackoverflw.com", "linkedn.com", "twiter.com", "instagarm.com", "reddti.com",
                "netflx.com", "micorsoft.com", "aple.com", "dropbx.com", "paypa.com", "ebya.com", "bingg.com",
                "yahooo.com", "outlok.com", "mozila.org", "pyhton.org", "debain.org", "ubunut.com");
        hours(6, 4, typos);
        assertThat(alerts).isEmpty();
    }

    @Test
    void aShortBurstWithinOneHourIsNotSlowDga() {
        hours(1, 12, machineMade(9, 12)); // 12 in one hour: below the fast threshold, in too few hours
        assertThat(alerts).isEmpty();
    }
}
