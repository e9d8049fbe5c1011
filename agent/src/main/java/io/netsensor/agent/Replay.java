package io.netsensor.agent;

import io.netsensor.capture.source.PacketSource;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.capture.source.PcapHandleSource;
import io.netsensor.config.Settings;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replays capture files, in the order given, through one sensor as one stream in the files' own event
 * time: journal, detectors, stdout; counts on stderr. The `replay` command checks and orders the files.
 */
public final class Replay {
    private final Settings settings;
    private final List<Path> files;
    private Path dataDir;
    private String filter;
    private boolean events, telemetry, table, detect = true;
    private List<io.netsensor.sinks.SinkFactory.Spec> sinks = List.of();
    /** Set by a stop request (SIGTERM, SIGINT): the capture side reads no further and flushes. */
    private volatile boolean stopping;
    /** Thrown out of the frame loop on a stop request: preallocated, no stack trace (the per-packet path allocates nothing). */
    private static final RuntimeException STOPPED = new RuntimeException("replay stopped", null, false, false) { };

    public Replay(Settings settings, List<Path> files) {
        this.settings = settings;
        this.files = List.copyOf(files);
    }

    /** Keeps the journal here (default: a temporary directory, deleted afterwards). */
    public Replay dataDir(Path dir) {
        this.dataDir = dir;
        return this;
    }

    /** Reads the files through libpcap with this BPF filter (null: our own reader, no filter). */
    public Replay filter(String bpf) {
        this.filter = bpf;
        return this;
    }

    /** Prints every event, not only alerts. */
    public Replay printEvents(boolean on) {
        this.events = on;
        return this;
    }

    /** Prints the summarized telemetry rows too. */
    public Replay printTelemetry(boolean on) {
        this.telemetry = on;
        return this;
    }

    /** Alerts as a ranked table for a person instead of JSON lines. */
    public Replay table(boolean on) {
        this.table = on;
        return this;
    }

    /**
     * Forwards to these configured sinks too, each from its position under the data dir (set one with
     * {@link #dataDir}: a temporary journal's positions would mean nothing).
     */
    public Replay forward(List<io.netsensor.sinks.SinkFactory.Spec> configured) {
        this.sinks = List.copyOf(configured);
        return this;
    }

    public Replay detect(boolean on) {
        this.detect = on;
        return this;
    }

    /** Stops reading input (any thread): open flows are flushed, outputs drain, {@link #run} returns as at the end. */
    public void stop() {
        stopping = true;
    }

    public void run() throws IOException, InterruptedException {
        boolean tempDir = dataDir == null;
        Path dir = tempDir ? Files.createTempDirectory("netsensor-replay-") : dataDir;
        if (tempDir) ReplaySignals.deleteOnExit(dir); // also when a second signal exits at once
        ReplaySignals signals = ReplaySignals.current();
        if (signals != null) signals.onStop(this::stop);
        PrintStream out = System.out; // not FileDescriptor.out: tests and embedders redirect System.out
        long started = System.nanoTime();
        ReplayStats totals = new ReplayStats();
        try (Sensor sensor = Sensor.open(settings, dir, List.of());
             DetectionLoop detection = new DetectionLoop(sensor.journal, settings, detect, DetectionLoop.telemetry(settings), sensor.metrics).fromEnd()) {
            // Every consumer starts at the journal's end: a replay into a data dir that holds an earlier
            // journal reads, prints and counts its own input only.
            StdoutSink printer = new StdoutSink("stdout", out, Printing.kinds(events, telemetry), table, null);
            // The configured sinks (with --data-dir) resume at their stored positions instead, like run's.
            String sinkSummary;
            try (Outputs outputs = Outputs.start(sensor.journal, sensor.metrics, List.of(printer), SinkRunner.Start.END, tempDir ? List.of() : sinks,
                    dir, System.err)) {
                long bytes = 0;
                for (Path f : files) bytes += Files.size(f);
                Progress progress = Progress.start(bytes);
                CaptureThread capture = CaptureThread.start(() -> {
                    try (progress) {
                        for (Path f : files) {
                            if (stopping) break;
                            totals.add(replayOne(sensor, f, progress));
                        }
                    }
                    sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
                });
                if (detection != null) detection.start(capture::done);
                capture.join();
                if (detection != null) detection.join();
                outputs.drain(() -> capture.done() && (detection == null || detection.done()));
                sinkSummary = outputs.summary();
                capture.rethrowFailure();
            }
            out.flush();
            totals.print(System.err, sensor.metrics, System.nanoTime() - started);
            if (sensor.journal.space().unjournaled() > 0) {
                System.err.println("netsensor replay: journal: " + sensor.journal.space().unjournaled()
                        + " record(s) not journaled: the disk was full (detected and counted all the same)");
            }
            if (stopping) {
                System.err.println("netsensor replay: stopped" + (signals != null && signals.received() != null ? " by SIG" + signals.received() : "")
                        + ": the rest of the input was not read; open flows were flushed");
            }
            if (!sinkSummary.isEmpty()) System.err.println("netsensor replay: forwarded" + sinkSummary.replaceFirst("^; ", " "));
        } finally {
            if (tempDir) {
                FileTrees.deleteQuietly(dir);
                ReplaySignals.forget(dir);
            }
        }
    }

    private ReplayStats.File replayOne(Sensor sensor, Path f, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        try (PacketSource src = filter == null ? PcapFileSource.open(f) : PcapHandleSource.openOffline(f.toString(), filter)) {
            // bytes of the file read so far, about: each record's header (16 bytes in pcap) and its captured bytes;
            // counted in a local and handed over every 4096 frames, not per frame
            long[] pending = {0, 0};
            io.netsensor.capture.source.FrameHandler counting = new io.netsensor.capture.source.FrameHandler() {
                @Override
                public void onFrame(long ts, int lt, byte[] b, int off, int cap, int wire) {
                    if (stopping) throw STOPPED;
                    sensor.pipeline.onFrame(ts, lt, b, off, cap, wire);
                    pending[0] += 16 + cap;
                    if ((++pending[1] & 4095) == 0) {
                        progress.add(pending[0]);
                        pending[0] = 0;
                    }
                }

                @Override
                public void onIdle(long nowNanos) {
                    sensor.pipeline.onIdle(nowNanos);
                }
            };
            long frames;
            try {
                frames = src.run(counting);
            } catch (RuntimeException e) {
                if (e != STOPPED) throw e;
                frames = pending[1]; // the frames this file gave before the stop
            }
            progress.add(pending[0]);
            return new ReplayStats.File(f, frames, src.damage(), System.nanoTime() - t0);
        }
    }
}
