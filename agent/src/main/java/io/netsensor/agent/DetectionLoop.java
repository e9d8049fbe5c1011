package io.netsensor.agent;

import io.netsensor.config.Settings;
import io.netsensor.detectors.Allowlist;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.dga.DgaDetector;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
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
import java.time.Duration;
import java.util.Map;
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
    /** Null when detection is off. */
    private final DetectorEngine engine;
    /** Null when telemetry is off. */
    private final Rollups rollups;
    private final JournalReader reader;
    private final ProcessDirectory processes = new ProcessDirectory(65_536);
    /** A new allowlist from a config reload (signal thread), taken by the detector thread. */
    private final AtomicReference<Allowlist> pendingAllowlist = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private JournalWriter alertWriter;
    private Thread thread;
    private volatile boolean done;
    /** While true (rebuilding state from the journal after a restart) raised alerts are not journaled again. */
    private boolean rebuilding;
    private volatile long alerts, telemetryRows;
    private long rebuiltEvents, rebuiltAlerts;

    public DetectionLoop(Journal journal, Settings settings) {
        this(journal, settings, true, null);
    }

    /**
     * @param detect    run the detectors
     * @param telemetry rollup settings, null for no telemetry
     */
    public DetectionLoop(Journal journal, Settings settings, boolean detect, RollupSettings telemetry) {
        this.journal = journal;
        this.engine = detect ? DetectorEngine.standard(DetectorSettingsMapping.of(settings), this::raised, new DgaDetector()) : null;
        if (engine != null) engine.setProcessLookup(processes);
        this.rollups = telemetry == null ? null : new Rollups(telemetry, this::rolledUp);
        this.reader = journal.reader();
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
                EventPump.drain(reader, this, producerDone);
                if (rollups != null) rollups.finish(); // the open interval, at the end of input or on shutdown
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
        alertWriter.onAlert(a);
        alerts++;
    }

    private void rolledUp(TelemetryRow row) {
        alertWriter.onTelemetry(row);
        telemetryRows++;
    }

    @Override
    public void onConn(ConnEvent event) {
        applyPendingAllowlist();
        if (rebuilding) {
            rebuiltEvents++; // the previous run journaled this window's telemetry: detectors only
        } else if (rollups != null) {
            rollups.onConn(event);
        }
        if (engine != null) engine.onConn(event);
    }

    @Override
    public void onDns(DnsEvent event) {
        applyPendingAllowlist();
        if (rebuilding) {
            rebuiltEvents++;
        } else if (rollups != null) {
            rollups.onDns(event);
        }
        if (engine != null) engine.onDns(event);
    }

    @Override
    public void onProcess(ProcessEvent event) {
        processes.put(event);
    }

    @Override
    public void onAlert(Alert journaled) {
        if (rebuilding && engine != null) engine.remember(journaled);
    }

    /** Hands a reloaded configuration's allowlist to the detectors (any thread); it applies to live state. */
    public void reloadAllowlist(Settings settings) {
        pendingAllowlist.set(new Allowlist(DetectorSettingsMapping.of(settings).allowlist));
    }

    private void applyPendingAllowlist() {
        // one atomic take: a reload landing at any moment is either taken now or on the next event, never lost
        Allowlist a = pendingAllowlist.getAndSet(null);
        if (a != null && engine != null) engine.setAllowlist(a);
    }

    /** Alerts journaled by this run (re-alerts included). */
    public long alerts() {
        return alerts;
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

    public Map<String, Map<String, Long>> detectorStats() {
        return engine == null ? Map.of() : engine.stats();
    }

    /** Telemetry rows journaled by this run. */
    public long telemetryRows() {
        return telemetryRows;
    }

    public boolean detecting() {
        return engine != null;
    }

    @Override
    public void close() {
        reader.close();
    }
}
