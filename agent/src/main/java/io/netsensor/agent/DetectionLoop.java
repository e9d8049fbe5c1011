package io.netsensor.agent;

import com.codahale.metrics.Counter;
import io.netsensor.config.Settings;
import io.netsensor.detectors.Allowlist;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.dga.DgaDetector;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.TelemetryRow;
import io.netsensor.telemetry.RollupSettings;
import io.netsensor.telemetry.Rollups;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.journal.JournalWriter;
import io.netsensor.metrics.Metrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The transforms between the journal's events and its alerts and telemetry, as one journal consumer with
 * its own reader on its own thread: the detectors, whose every alert (and every re-alert of the same id)
 * is appended to the journal as an ALERT record, and the telemetry rollups, whose rows are appended as
 * TELEMETRY records. So the journal is the one ordered, durable stream every output reads. Prints nothing.
 */
public final class DetectionLoop implements EventHandler, AutoCloseable {
    private final Journal journal;
    private final Metrics metrics;
    /** Null when detection is off. */
    private final DetectorEngine engine;
    /** Null when telemetry is off. */
    private final Rollups rollups;
    private final JournalReader reader;
    private final ProcessDirectory processes = new ProcessDirectory(65_536);
    /** The detectors' settings, which they read at each decision: a reload's thresholds are copied in (detector thread). */
    private final io.netsensor.detectors.DetectorSettings tuned;
    /** A reloaded config's detector settings (signal thread), taken by the detector thread. */
    private final AtomicReference<io.netsensor.detectors.DetectorSettings> pendingReload = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private JournalWriter alertWriter;
    private Thread thread;
    private volatile boolean done;
    /** While true (rebuilding state from the journal after a restart) raised alerts are not journaled again. */
    private boolean rebuilding;
    private volatile long telemetryRows;
    /**
     * ALERT records journaled, by detector ({@code detect.alerts_journaled{detector=...}}): a Counter, not a
     * count over a field, because alerts are rare (no cost worth avoiding) and are read from other threads.
     */
    private final Counter[] journaledBy = new Counter[DetectorKind.values().length];
    /** The same by detector and severity ({@code detect.alerts_by_severity{detector=...,severity=...}}), for alerting on highs. */
    private final Counter[][] journaledBySeverity = new Counter[DetectorKind.values().length][io.netsensor.events.Severity.values().length];
    private long rebuiltEvents, rebuiltAlerts;

    /** Detectors on, no telemetry, with a registry of its own (tests). */
    public DetectionLoop(Journal journal, Settings settings) {
        this(journal, settings, true, null, new Metrics());
    }

    /**
     * Registers the detectors' metrics, its reader's ({@code reader=detect}) and its alert writer's ({@code writer=detect}).
     *
     * @param detect    run the detectors
     * @param telemetry rollup settings, null for no telemetry
     */
    public DetectionLoop(Journal journal, Settings settings, boolean detect, RollupSettings telemetry, Metrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
        this.tuned = detect ? DetectorSettingsMapping.of(settings) : null;
        this.engine = detect ? DetectorEngine.standard(tuned, this::raised,
                new DgaDetector(tuned.dga, io.netsensor.detectors.dga.DgaModel.bundled())) : null;
        if (engine != null) engine.setProcessLookup(processes);
        this.rollups = telemetry == null ? null : new Rollups(telemetry, this::rolledUp);
        this.reader = journal.reader();
        if (engine != null) engine.register(metrics);
        reader.register(metrics, "detect");
        for (DetectorKind k : DetectorKind.values()) { // every kind, enabled or not: an alert never finds no counter
            journaledBy[k.ordinal()] = metrics.counter(Metrics.name("detect.alerts_journaled", "detector", k.label));
            for (io.netsensor.events.Severity v : io.netsensor.events.Severity.values()) {
                journaledBySeverity[k.ordinal()][v.ordinal()] = metrics.counter(Metrics.name("detect.alerts_by_severity",
                        "detector", k.label, "severity", v.name().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        metrics.count("detect.rebuilt_records", () -> rebuiltEvents);
        metrics.count("detect.rebuilt_alerts", () -> rebuiltAlerts);
        metrics.count("telemetry.rows_journaled", () -> telemetryRows);
        if (rollups != null) {
            metrics.count("telemetry.rows", rollups::rows);
            metrics.count("telemetry.folded_records", rollups::folded);
            metrics.count("telemetry.late_records", rollups::late);
            metrics.count("telemetry.intervals", rollups::intervals);
            metrics.count("telemetry.name_keys_evicted", rollups::nameKeysEvicted);
        }
    }

    /** The telemetry rollups' settings: the config's interval, the rollups' own caps. */
    public static RollupSettings telemetry(Settings settings) {
        RollupSettings d = RollupSettings.defaults();
        return new RollupSettings(settings.telemetry.interval, d.maxRows(), d.maxNames(), d.nameCacheSize());
    }

    /** Starts at the journal's end (replays: only this run's records). */
    public DetectionLoop fromEnd() {
        reader.toEnd();
        return this;
    }

    /**
     * Rebuilds state from the journal's last {@code window} of event time (live restart), silently: the
     * alerts this raises were journaled by the previous run, and the journaled ALERT records of the window
     * teach the alert gate what was already said. Returns the records replayed.
     */
    public long rebuild(Duration window) {
        rebuilding = true;
        try {
            return DetectorRebuild.run(journal, reader, this, window);
        } finally {
            rebuilding = false;
        }
    }

    /** Detects on its own thread until {@code producerDone} is true and the journal holds nothing more. */
    public DetectionLoop start(BooleanSupplier producerDone) {
        reader.handOver();
        thread = new Thread(() -> {
            try {
                alertWriter = journal.writer();
                alertWriter.register(metrics, "detect");
                EventPump.drain(reader, journal.overflow(), this, producerDone);
                if (rollups != null) rollups.finish(); // the open interval, at the end of input or on shutdown
                if (engine != null) engine.finish(); // open alerts brought up to date (a beacon's final count)
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                if (alertWriter != null) alertWriter.close(); // on the thread that appended with it
                done = true;
            }
        }, "netsensor-detect");
        thread.start();
        return this;
    }

    /** True once detection has consumed everything (or failed): outputs may then stop at the journal's end. */
    public boolean done() {
        return done;
    }

    public void join() throws InterruptedException {
        if (thread != null) thread.join();
        Throwable t = failure.get();
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        if (t != null) throw new IllegalStateException(t);
    }

    private void raised(Alert a) {
        if (rebuilding) {
            rebuiltAlerts++;
            return;
        }
        long before = alertWriter.alerts() + alertWriter.heldAlerts();
        alertWriter.onAlert(a);
        // only what the journal took (or holds for it while the disk is full): a record the codec refuses is
        // counted in journal.rejected{writer=detect}
        if (alertWriter.alerts() + alertWriter.heldAlerts() != before) {
            journaledBy[a.detector.ordinal()].inc();
            journaledBySeverity[a.detector.ordinal()][a.severity.ordinal()].inc();
        }
    }

    private void rolledUp(TelemetryRow row) {
        alertWriter.onTelemetry(row);
        telemetryRows++;
    }

    @Override
    public void onConn(ConnEvent event) {
        applyPendingReload();
        if (rebuilding) {
            rebuiltEvents++; // the previous run journaled this window's telemetry: detectors only
        } else if (rollups != null) {
            rollups.onConn(event);
        }
        if (engine != null) engine.onConn(event);
    }

    @Override
    public void onDns(DnsEvent event) {
        applyPendingReload();
        if (rebuilding) {
            rebuiltEvents++;
        } else if (rollups != null) {
            rollups.onDns(event);
        }
        if (engine != null) engine.onDns(event);
    }

    @Override
    public void onBurst(io.netsensor.events.BurstEvent event) {
        applyPendingReload();
        if (engine != null) engine.onBurst(event);
    }

    @Override
    public void onProcess(ProcessEvent event) {
        processes.put(event);
    }

    @Override
    public void onAlert(Alert journaled) {
        if (rebuilding && engine != null) engine.remember(journaled);
    }

    /**
     * Hands a reloaded configuration's allowlist and thresholds to the detectors (any thread); they apply
     * to live state from the next event. Settings the detectors fix when built (windows, table sizes, the
     * profile's durations, C2 ports) need a restart.
     */
    public void reload(Settings settings) {
        pendingReload.set(DetectorSettingsMapping.of(settings));
    }

    private void applyPendingReload() {
        // one atomic take: a reload landing at any moment is either taken now or on the next event, never lost
        io.netsensor.detectors.DetectorSettings r = pendingReload.getAndSet(null);
        if (r != null && engine != null) {
            engine.setAllowlist(new Allowlist(r.allowlist));
            DetectorSettingsMapping.copyThresholds(r, tuned);
        }
    }

    /** Alerts journaled by this run (re-alerts included), from the registry. */
    public long alerts() {
        return metrics.sum("detect.alerts_journaled");
    }

    public long rebuiltEvents() {
        return rebuiltEvents;
    }

    public long rebuiltAlerts() {
        return rebuiltAlerts;
    }

    public JournalReader reader() {
        return reader;
    }

    /** Telemetry rows journaled by this run. */
    public long telemetryRows() {
        return telemetryRows;
    }

    /** True while its thread runs (started, not yet done). */
    public boolean running() {
        return thread != null && !done;
    }

    /** What stopped its thread, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public boolean detecting() {
        return engine != null;
    }

    @Override
    public void close() {
        reader.close();
    }
}
