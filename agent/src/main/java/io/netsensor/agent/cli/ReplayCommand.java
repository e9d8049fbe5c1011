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
        header = "Replay capture files through the sensor and print their alerts.",
        description = {"Decode capture files (pcap, pcapng) into connection and DNS events, journal them, and print",
                "alerts (and events with --events) as JSON lines on stdout; a summary goes to stderr.",
                "With --data-dir, also forwards to the config's sinks, from their positions in that directory."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "FILE",
            description = "Capture files, read as one stream in the order of their first packets; - reads standard input.")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-r", "--read"}, paramLabel = "FILE",
            description = "A capture file to read, as tcpdump -r (repeatable; - for standard input).")
    List<Path> read = new ArrayList<>();

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
        // first: a TERM, INT or HUP from here on never finds the JVM's default (death without summary or cleanup)
        if (io.netsensor.agent.Main.standalone()) io.netsensor.agent.ReplaySignals.install(System.err);
        // Sinks are checked (and used) only with --data-dir, where their positions live.
        Settings settings = journalOptions.dataDir != null ? settingsOptions.load(s -> { }, io.netsensor.sinks.SinkFactory::check)
                : settingsOptions.load();
        List<io.netsensor.sinks.SinkFactory.Spec> sinks = List.of();
        if (journalOptions.dataDir != null) {
            sinks = settingsOptions.sinks(settings, null);
        } else if (!settings.sinks.isEmpty()) {
            System.err.println("netsensor replay: not forwarding to the config's sinks: give --data-dir (their positions live there)");
        }
        List<Path> given = new ArrayList<>(read);
        given.addAll(files);
        if (given.isEmpty()) throw new UserError("replay: no capture file given (replay FILE..., -r FILE, or - for standard input)");
        Path stdinCopy = null;
        try {
            if (given.stream().filter(p -> p.toString().equals("-")).count() > 1) throw new UserError("replay: standard input (-) given twice");
            for (int i = 0; i < given.size(); i++) {
                if (given.get(i).toString().equals("-")) {
                    given.set(i, stdinCopy = CaptureFiles.copyOfStdin());
                    io.netsensor.agent.ReplaySignals.deleteOnExit(stdinCopy);
                }
            }
            return replay(settings, given, sinks);
        } finally {
            if (stdinCopy != null) java.nio.file.Files.deleteIfExists(stdinCopy);
        }
    }

    private int replay(Settings settings, List<Path> files, List<io.netsensor.sinks.SinkFactory.Spec> sinks) throws Exception {
        List<CaptureFiles.Probed> probed = new ArrayList<>();
        for (Path f : files) probed.add(CaptureFiles.probe(f));
        List<Path> ordered = CaptureFiles.inTimeOrder(probed);
        if (!ordered.equals(files)) {
            System.err.println("netsensor replay: reading files in time order: "
                    + ordered.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        new Replay(settings, ordered)
                .dataDir(journalOptions.dataDir)
                // --filter, else the config's bpf (as run applies it): a filter needs libpcap's reader
                .filter(pipeline.filter != null ? pipeline.filter : settings.bpf.isBlank() ? null : settings.bpf)
                .printEvents(pipeline.events)
                .printTelemetry(pipeline.telemetry)
                .table(format == OutputFormat.table)
                .detect(pipeline.detectNoting(settings, "replay"))
                .forward(sinks)
                .run();
        return 0;
    }
}
