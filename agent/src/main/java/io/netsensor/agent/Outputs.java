package io.netsensor.agent;

import io.netsensor.journal.Journal;
import io.netsensor.metrics.Metrics;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.SinkCursor;
import io.netsensor.sinks.SinkFactory;
import io.netsensor.sinks.SinkRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The running sinks, each with its own journal reader and thread: the local printers (stdout, the stderr
 * alert lines), which keep no position, and the configured sinks, each with its durable position in
 * DATA_DIR/sinks/NAME.pos (the journal's beginning the first time).
 */
public final class Outputs implements AutoCloseable {
    /** How long a stopping agent keeps delivering (or trying to deliver a batch its destination refuses); the rest is re-sent at the next start. */
    static final long STOP_GRACE_NANOS = 5_000_000_000L;
    private final List<SinkRunner> runners = new ArrayList<>();
    /** The configured sinks' runners and what they are, for the status and stop lines. */
    private final List<SinkRunner> forwarding = new ArrayList<>();
    private final List<String> descriptions = new ArrayList<>();

    /** Positions a reader for every sink now (before capture starts) and starts their threads. */
    public static Outputs start(Journal journal, Metrics metrics, List<Sink> sinks, SinkRunner.Start start) throws IOException {
        return start(journal, metrics, sinks, start, List.of(), null, null);
    }

    /**
     * As {@link #start(Journal, Metrics, List, SinkRunner.Start)}, with the configured sinks too, each resuming at its
     * stored position under {@code dataDir/sinks}; one status line each on {@code status}.
     */
    public static Outputs start(Journal journal, Metrics metrics, List<Sink> local, SinkRunner.Start start, List<SinkFactory.Spec> configured,
                                Path dataDir, PrintStream status) throws IOException {
        Outputs o = new Outputs();
        try {
            for (Sink s : local) o.runners.add(new SinkRunner(journal, s, null, start).register(metrics));
            Path positions = configured.isEmpty() ? null : dataDir.resolve("sinks");
            for (SinkFactory.Spec spec : configured) {
                SinkCursor cursor = new SinkCursor(positions, spec.name());
                boolean hadFile = Files.exists(cursor.file());
                SinkRunner r = new SinkRunner(journal, spec.open(), cursor, SinkRunner.Start.BEGINNING).register(metrics);
                o.runners.add(r);
                o.forwarding.add(r);
                o.descriptions.add(spec.describe());
                status.println(statusLine(journal, spec, r, hadFile));
            }
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
        for (SinkRunner r : o.runners) r.start();
        return o;
    }

    /** "netsensor: sink siem (syslog tcp 127.0.0.1:6514; alerts, telemetry): resuming at journal index N, M records to read". */
    private static String statusLine(Journal journal, SinkFactory.Spec spec, SinkRunner r, boolean hadFile) {
        long toRead = journal.countFrom(r.position());
        String left = toRead < 0 ? "" : ", " + toRead + " journal record(s) to read";
        String what;
        if (r.resumedFrom() != SinkCursor.NONE) {
            what = "resuming at journal index " + r.position() + left;
        } else if (hadFile) {
            what = "its position file was damaged: starting at the journal's beginning" + left + " (duplicates at the SIEM are dropped by event.id)";
        } else {
            what = "first start: forwarding from the journal's beginning" + left;
        }
        String kinds = spec.kinds().stream().sorted().map(SinkFactory::configName).collect(Collectors.joining(", "));
        return "netsensor: sink " + spec.name() + " (" + spec.describe() + "; " + kinds + "): " + what;
    }

    /**
     * Waits until every sink has delivered everything the producers wrote, once they are done; a batch that
     * is still refused {@link #STOP_GRACE_NANOS} after that is given up (re-sent at the next start). For
     * replays, whose point is to deliver their input.
     */
    public void drain(BooleanSupplier producersDone) throws InterruptedException {
        for (SinkRunner r : runners) r.stopWhen(producersDone, STOP_GRACE_NANOS);
        for (SinkRunner r : runners) r.join();
    }

    /**
     * Stops a running agent's sinks: each delivers what it can for {@link #STOP_GRACE_NANOS} once the
     * producers are done, then ends; nothing unacknowledged was stored, so it is re-sent at the next start.
     */
    public void stop(BooleanSupplier producersDone) throws InterruptedException {
        for (SinkRunner r : runners) r.stopWithin(producersDone, STOP_GRACE_NANOS);
        for (SinkRunner r : runners) r.join();
    }

    public List<SinkRunner> runners() {
        return runners;
    }

    /** The configured sinks' runners, in config order. */
    public List<SinkRunner> forwarding() {
        return forwarding;
    }

    /** "; sink siem: 120 delivered, 3 retries, 0 lost to retention" per configured sink, for the stop line. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (SinkRunner r : forwarding) {
            b.append("; sink ").append(r.sink().name()).append(": ").append(r.delivered()).append(" delivered, ")
                    .append(r.retries()).append(" retries, ").append(r.gap()).append(" lost to retention");
            if (r.sink().pending() > 0) {
                b.append(", ").append(r.sink().pending()).append(" undelivered at stop (sent at the next start; last error: ")
                        .append(r.lastError()).append(')');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (SinkRunner r : runners) r.close();
    }
}
