package io.netsensor.agent.cli;

import io.netsensor.agent.Replay;
import io.netsensor.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Replays capture files through the same pipeline as live capture, in the files' own event time. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Decode capture files (pcap, pcapng) into connection and DNS events, journal them, and print",
                "alerts (and events with --events) as JSON lines on stdout; a summary goes to stderr.",
                "With --data-dir, also forwards to the config's sinks, from their positions in that directory."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Capture files, read as one stream in the order of their first packets.")
    List<Path> files;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            description = "Alert output: json (one object per line) or table (ranked, for a person). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Mixin
    PipelineOptions pipeline;

    @Mixin
    JournalOptions journalOptions;

    @Mixin
    SettingsOptions settingsOptions;

    enum OutputFormat { json, table }

    @Override
    public Integer call() throws Exception {
        // Sinks are checked (and used) only with --data-dir, where their positions live.
        Settings settings = journalOptions.dataDir != null ? settingsOptions.load(s -> { }, io.netsensor.sinks.SinkFactory::check)
                : settingsOptions.load();
        List<io.netsensor.sinks.SinkFactory.Spec> sinks = List.of();
        if (journalOptions.dataDir != null) {
            sinks = settingsOptions.sinks(settings, null);
        } else if (!settings.sinks.isEmpty()) {
            System.err.println("netsensor replay: not forwarding to the config's sinks: give --data-dir (their positions live there)");
        }
        List<CaptureFiles.Probed> probed = new ArrayList<>();
        for (Path f : files) probed.add(CaptureFiles.probe(f));
        List<Path> ordered = CaptureFiles.inTimeOrder(probed);
        if (!ordered.equals(files)) {
            System.err.println("netsensor replay: reading files in time order: "
                    + ordered.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        new Replay(settings, ordered)
                .dataDir(journalOptions.dataDir)
                .filter(pipeline.filter)
                .printEvents(pipeline.events)
                .printTelemetry(pipeline.telemetry)
                .table(format == OutputFormat.table)
                .detect(pipeline.detectNoting(settings, "replay"))
                .forward(sinks)
                .run();
        return 0;
    }
}
