package io.netsensor.detectors.dga;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates /work/shared-style third-party data; tests that need it skip with a message when absent. */
final class SharedData {
    private SharedData() {}

    static Path require(String relative) {
        Path shared = DgaCorpus.defaultShared();
        Path p = shared.resolve(relative);
        assumeTrue(Files.exists(p), "shared data not found at " + p + " (set NETSENSOR_SHARED); skipping");
        return shared;
    }
}
