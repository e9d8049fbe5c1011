package io.netsensor.detectors.dga;

import io.netsensor.testkit.Shared;
import java.nio.file.Path;

/** The shared data directory, when {@code relative} exists under it (see {@link Shared#require}). */
final class SharedData {
    private SharedData() {}

    static Path require(String relative) {
        Shared.require(relative);
        return Shared.dir();
    }
}
