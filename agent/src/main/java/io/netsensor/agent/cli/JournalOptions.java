package io.netsensor.agent.cli;

import io.netsensor.config.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --data-dir, shared by run, replay and events (a picocli mixin). */
public final class JournalOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory; the journal is DIR/journal (default: the config's data_dir, "
                    + "/var/lib/netsensor; for replay, a temporary directory deleted afterwards).")
    Path dataDir;

    /** The directory given, else the config's. */
    Path dataDir(Settings settings) {
        return dataDir != null ? dataDir : Path.of(settings.dataDir);
    }
}
