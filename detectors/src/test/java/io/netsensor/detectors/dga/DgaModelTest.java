package io.netsensor.detectors.dga;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed model itself: needs no shared data. */
class DgaModelTest {
    private final DgaModel model = DgaModel.bundled();
    private final DgaModel.Scorer scorer = model.newScorer();

    @Test
    void popularNamesScoreBelowTheStrictThreshold() {
        for (String d : List.of("google.com", "facebook.com", "wikipedia.org", "amazon.co.uk", "youtube.com",
                "microsoft.com", "netflix.com", "github.com", "stackoverflow.com", "www.bbc.co.uk", "nytimes.com",
                "linkedin.com", "weather.com", "paypal.com", "instagram.com")) {
            assertThat(scorer.score(d)).as(d).isLessThan(model.threshold1pct);
        }
    }

    @Test
    void generatedDgaNamesScoreAboveTheThreshold() {
        // names from public DGA reimplementations (necurs, qakbot, ramnit, murofet, newgoz, chinad, tinba,
        // cryptolocker), never part of the training split
        List<String> dga = List.of("huavdswdtjppsyuqhmmpx.cm", "kgosquosixxhmfnjthb.net", "yunrxdcdieqxuilorgrnv.click",
                "vpookoztwzoriuzk.biz", "19ixz5i8tvpxv1wcrptrrz6i08.com", "dty0g73kqekn2oi7.com", "ssrgwnrmgrxe.com",
                "qktdrpfpzvltj.net", "zhzo8q77cbuk1h97gavxkeosf.net", "gllcsbqrbfch.com");
        long over = dga.stream().filter(d -> scorer.score(d) > model.threshold1pct).count();
        assertThat(over).isGreaterThanOrEqualTo(9);
        long overStrict = dga.stream().filter(d -> scorer.score(d) > model.threshold01pct).count();
        assertThat(overStrict).isGreaterThanOrEqualTo(6);
    }

    @Test
    void scoresTheRegisteredLabelNotTheSubdomains() {
        double plain = scorer.score("wikipedia.org");
        assertThat(scorer.score("xq7zk1vb9wm2.wikipedia.org")).isEqualTo(plain);
        assertThat(scorer.score("com")).isEqualTo(-1);
    }

    @Test
    void scoringALabelAllocatesNothing() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] label = "qktdrpfpzvltjxq1".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        double sink = 0;
        for (int i = 0; i < 20_000; i++) sink += scorer.scoreLabel(label, 0, label.length - (i & 7)); // warm-up
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 20_000; i++) sink += scorer.scoreLabel(label, 0, label.length - (i & 7));
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 20k scorings").isLessThan(1_000);
    }

    @Test
    void theCharacterCnnShapesTheScore() {
        // a shipped model without its CNN part would score differently; a broken CNN forward pass would
        // show up in the held-out tests, this one only checks that the CNN is really wired in
        assertThat(model.cnns).isNotEmpty();
        DgaModel.Scorer regressionOnly = model.withCnnWeight(0).newScorer();
        assertThat(scorer.score("kgosquosixxhmfnjthb.net")).isNotEqualTo(regressionOnly.score("kgosquosixxhmfnjthb.net"));
    }

    @Test
    void thresholdsAreOrdered() {
        assertThat(model.threshold1pct).isBetween(0.0, 1.0);
        assertThat(model.threshold01pct).isGreaterThan(model.threshold1pct).isLessThan(1.0);
    }
}
