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
}
