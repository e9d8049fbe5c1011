package io.netsensor.detectors.dga;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hex feature: long labels made only of 0-9a-f with digits and letters, and nothing else. */
class DgaFeaturesTest {
    private static final int HEX = java.util.Arrays.asList(DgaFeatures.NAMES).indexOf("hex_length");

    private static double hex(String label) {
        byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
        double[] out = new double[DgaFeatures.COUNT];
        DgaFeatures.extract(DgaModel.bundled().lm, b, 0, b.length, out, new int[Chars.SIZE]);
        return out[HEX];
    }

    @Test
    void hexHashesOfAnyLengthFromEightOnAreFlagged() {
        assertThat(hex("6f1e0c9a")).isEqualTo(0.8);
        assertThat(hex("31d444ab74ce7b98")).isEqualTo(1.6);
        assertThat(hex("833e4ccdc6ec44b207d3f97a483b5492")).isEqualTo(3.2);
    }

    @Test
    void shortHexWordsDigitsAloneAndOtherLettersAreNot() {
        assertThat(hex("a1b2c3")).isZero(); // short: common among benign labels ("3d", "a1b2")
        assertThat(hex("12345678901")).isZero(); // digits only (phone numbers, dates)
        assertThat(hex("deadbeefcafe")).isZero(); // letters only: words spelt in a-f
        assertThat(hex("g31d444ab74ce7b98")).isZero(); // one letter beyond f
        assertThat(hex("31d444ab-74ce7b98")).isZero();
    }
}
