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
import java.util.concurrent.CopyOnWriteArrayList;
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
    /** How long a sink a reload replaces or removes keeps delivering before it stops (the rest is re-sent from its position). */
    static final long RELOAD_GRACE_NANOS = 2_000_000_000L;
    /** Copy-on-write: the status endpoint and the summary line read them while a reload changes them. */
    private final List<SinkRunner> runners = new CopyOnWriteArrayList<>();
    /** The configured sinks' runners, and the spec each was made from (same index), for the status lines and reloads. */
    private final List<SinkRunner> forwarding = new CopyOnWriteArrayList<>();
    private final List<SinkFactory.Spec> specs = new ArrayList<>();
    private Journal journal;
    private Metrics metrics;
    private Path dataDir;
    /** Set by {@link #stop}: a reload landing while the agent stops starts nothing. */
    private boolean stopping;

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
        o.journal = journal;
        o.metrics = metrics;
        o.dataDir = dataDir;
        try {
            for (Sink s : local) o.runners.add(new SinkRunner(journal, s, null, start).register(metrics));
            for (SinkFactory.Spec spec : configured) o.configured(spec, spec.open(), status);
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
        for (SinkRunner r : o.runners) r.start();
        return o;
    }

    /** A runner for a configured sink, at its stored position (not started); one status line. */
    private SinkRunner configured(SinkFactory.Spec spec, Sink sink, PrintStream status) throws IOException {
        SinkCursor cursor = new SinkCursor(dataDir.resolve("sinks"), spec.name());
        boolean hadFile = Files.exists(cursor.file());
        SinkRunner r;
        try {
            r = new SinkRunner(journal, sink, cursor, SinkRunner.Start.BEGINNING).register(metrics);
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
        runners.add(r);
        forwarding.add(r);
        specs.add(spec);
        status.println(statusLine(journal, spec, r, hadFile));
        return r;
    }

    /**
     * Applies a reloaded config's sinks to the running ones: a sink whose settings did not change keeps
     * running untouched; a removed or changed one delivers for up to {@link #RELOAD_GRACE_NANOS}, stops,
     * and its successor (same name) resumes at the position it stored, so nothing is lost or skipped; an
     * added one starts at its stored position, or the journal's beginning, as at a start. A changed or
     * added sink that cannot be made (its CA file unreadable, ...) is reported and the old one keeps running.
     *
     * @return what was done, one phrase each ("added sink b", "changed sink a", "removed sink c")
     */
    public synchronized List<String> reconfigure(List<SinkFactory.Spec> wanted, PrintStream status) throws InterruptedException {
        List<String> done = new ArrayList<>();
        if (stopping) return List.of("no sinks (the agent is stopping)");
        java.util.Set<String> running = new java.util.HashSet<>();
        for (int i = forwarding.size() - 1; i >= 0; i--) { // removed and changed ones stop first: a successor needs their position
            SinkFactory.Spec old = specs.get(i);
            running.add(old.name());
            SinkFactory.Spec next = wanted.stream().filter(w -> w.name().equals(old.name())).findFirst().orElse(null);
            if (next != null && same(old, next)) continue;
            if (next != null) {
                Sink fresh;
                try {
                    fresh = next.open();
                } catch (IOException | RuntimeException e) {
                    done.add("kept sink " + old.name() + " as it was (its new settings fail: " + e.getMessage() + ")");
                    continue;
                }
                stopAndRemove(i);
                try {
                    configured(next, fresh, status).start();
                    done.add("changed sink " + old.name());
                } catch (IOException | RuntimeException e) {
                    done.add("stopped sink " + old.name() + " (its new settings fail: " + e.getMessage() + ")");
                }
            } else {
                stopAndRemove(i);
                done.add("removed sink " + old.name());
            }
        }
        for (SinkFactory.Spec w : wanted) {
            if (running.contains(w.name())) continue;
            try {
                configured(w, w.open(), status).start();
                done.add("added sink " + w.name());
            } catch (IOException | RuntimeException e) {
                done.add("did not start sink " + w.name() + " (" + e.getMessage() + ")");
            }
        }
        return done;
    }

    /** The same settings: the same effective keys and values (defaults filled in), so nothing to restart. */
    private static boolean same(SinkFactory.Spec a, SinkFactory.Spec b) {
        return a.describe().equals(b.describe()) && a.kinds().equals(b.kinds()) && a.effective().equals(b.effective());
    }

    private void stopAndRemove(int i) throws InterruptedException {
        SinkRunner r = forwarding.get(i);
        r.stopWithin(() -> true, RELOAD_GRACE_NANOS);
        try {
            r.join();
        } catch (RuntimeException e) {
            // what stopped it is in its status already; it is being replaced or removed either way
        }
        forwarding.remove(i);
        specs.remove(i);
        runners.remove(r);
        r.close();
        metrics.removeTagged("sink", r.sink().name());
        metrics.removeTagged("reader", "sink." + r.sink().name());
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
        String kinds = String.join(", ", SinkFactory.configNames(spec.kinds()));
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
    public synchronized void stop(BooleanSupplier producersDone) throws InterruptedException {
        stopping = true;
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
