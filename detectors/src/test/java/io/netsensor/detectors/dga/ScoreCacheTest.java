package io.netsensor.detectors.dga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoreCacheTest {
    @Test
    void returnsWhatWasStoredAndCountsHitsAndMisses() {
        ScoreCache c = new ScoreCache(8);
        assertThat(c.get(42L)).isNaN();
        c.put(42L, 0.25f);
        assertThat(c.get(42L)).isEqualTo(0.25f);
        assertThat(c.hits()).isEqualTo(1);
        assertThat(c.misses()).isEqualTo(1);
    }

    @Test
    void aNameInTheSameSlotReplacesTheOlderOneAndNeverAnswersForIt() {
        ScoreCache c = new ScoreCache(2);
        long a = 2L, b = 2L + (4L << 32); // same slot in a table of 2: (h ^ h >>> 29) & 1 is equal
        c.put(a, 0.1f);
        c.put(b, 0.9f);
        assertThat(c.get(a)).isNaN();
        assertThat(c.get(b)).isEqualTo(0.9f);
    }
}
