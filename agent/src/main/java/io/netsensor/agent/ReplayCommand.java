package io.netsensor.agent;

import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import io.netsensor.capture.source.PacketSource;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.capture.source.PcapHandleSource;
import io.netsensor.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Replays capture files through the same pipeline as live capture, in the files' own event time. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Decode capture files (pcap, pcapng) into connection and DNS events, journal them, and print",
                "alerts (and events with --events) as JSON lines on stdout; a summary goes to stderr."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files, processed in order as one stream.")
    List<Path> files;

    @Option(names = "--events", description = "Print every connection and DNS event as a JSON line.")
    boolean events;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            description = "Alert output: json (one object per line) or table (ranked, for a person). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "BPF filter (libpcap syntax); the file is then read by libpcap.")
    String filter;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the journal here (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Option(names = "--no-detect", description = "Only decode and journal; run no detectors.")
    boolean noDetect;

    @Mixin
    SettingsOptions settingsOptions;

    enum OutputFormat { json, table }

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        for (Path f : files) {
            if (!Files.isReadable(f)) throw new Main.UserError(f + ": no such file or not readable");
        }
        boolean tempDir = dataDir == null;
        Path dir = tempDir ? Files.createTempDirectory("netsensor-replay-") : dataDir;
        PrintStream out = System.out; // not FileDescriptor.out: tests and embedders redirect System.out
        long started = System.nanoTime();
        ReplayStats totals = new ReplayStats();
        try (Sensor sensor = Sensor.open(settings, dir, List.of());
             DetectionLoop detection = noDetect ? null : new DetectionLoop(sensor.journal, settings, sensor.metrics).fromEnd()) {
            // Every consumer starts at the journal's end: a replay into a data dir that holds an earlier
            // journal reads, prints and counts its own input only.
            StdoutSink printer = new StdoutSink("stdout", out, events, format == OutputFormat.table, null);
            try (Outputs outputs = Outputs.start(sensor.journal, sensor.metrics, List.of(printer), SinkRunner.Start.END)) {
                CaptureThread capture = CaptureThread.start(() -> {
                    for (Path f : files) totals.add(replayOne(sensor, f));
                    sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
                });
                if (detection != null) detection.start(capture::done);
                capture.join();
                if (detection != null) detection.join();
                outputs.drain(() -> capture.done() && (detection == null || detection.done()));
                capture.rethrowFailure();
            }
            out.flush();
            totals.print(System.err, sensor.metrics, System.nanoTime() - started);
        } finally {
            if (tempDir) FileTrees.deleteQuietly(dir);
        }
        return 0;
    }

    private ReplayStats.File replayOne(Sensor sensor, Path f) throws IOException {
        long t0 = System.nanoTime();
        try (PacketSource src = filter == null ? PcapFileSource.open(f) : PcapHandleSource.openOffline(f.toString(), filter)) {
            long frames = src.run(sensor.pipeline);
            return new ReplayStats.File(f, frames, src.sourceErrors(), System.nanoTime() - t0);
        }
    }
}
