package io.netsensor.detectors.dga;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed model on held-out shared data (benign lists never trained on, gen/ families). */
class DgaHeldOutTest {
    @Test
    void separatesRandomCharacterFamiliesFromHeldOutBenignNames() throws Exception {
        Path shared = SharedData.require("dga/SOURCES.md");
        EvalDga.Result r = EvalDga.evaluate(new DgaCorpus(shared), DgaModel.bundled(), DgaCorpus.BENIGN_EVAL);
        assertThat(r.randomAuc).isGreaterThan(0.98);
        assertThat(r.randomDet1).isGreaterThan(0.75);
        assertThat(r.randomDet01).isGreaterThan(0.35);
    }

    @Test
    void separatesRandomCharacterFamiliesFromHeldOutAlexaNames() throws Exception {
        // the published anchors' setting (Alexa vs feeds); bucket 9 of the Alexa list is never fitted
        Path shared = SharedData.require("dga/SOURCES.md");
        DgaCorpus corpus = new DgaCorpus(shared);
        EvalDga.Result r = EvalDga.evaluate(corpus, DgaModel.bundled(), EvalDga.alexaHeldOut(corpus));
        assertThat(r.benign.length).isGreaterThan(50_000);
        assertThat(r.randomAuc).isGreaterThan(0.985);
        assertThat(r.randomDet1).isGreaterThan(0.90);
        assertThat(r.randomDet01).isGreaterThan(0.80);
    }
}
