package io.netsensor.agent;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.format.AlertTable;
import io.netsensor.format.AlertJson;
import io.netsensor.format.EventJson;

import io.netsensor.config.Settings;
import io.netsensor.events.Alert;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.dga.DgaDetector;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reading side of `run` and `replay`: prints events (optional) and feeds the detectors, whose alerts
 * are printed the moment they are raised (JSON) or collected for a ranked table at the end.
 */
final class Consumers implements EventHandler, AutoCloseable {
    private final EventJson json;
    private final boolean printEvents;
    private final boolean table;
    private final DetectorEngine engine;
    private final AlertJson alertJson;
    private final List<Alert> alerts = new ArrayList<>();
    private final PrintStream out;
    private long alertCount;
    /** While true (rebuilding state from the journal after a restart) nothing is printed. */
    private boolean silent;
    private long rebuiltEvents, rebuiltAlerts;
    /** A new allowlist from a config reload (signal thread), applied on this consumer thread. */
    private volatile io.netsensor.detectors.Allowlist pendingAllowlist;

    private final ProcessDirectory processes = new ProcessDirectory(65_536);

    /** @param settings detector settings source, or null to run no detectors */
    Consumers(PrintStream out, boolean printEvents, boolean table, Settings settings) {
        this(out, printEvents, table, settings, null);
    }

    /** @param hostName this host's name for {@code host.name}, null to leave it out (replays of other hosts' captures) */
    Consumers(PrintStream out, boolean printEvents, boolean table, Settings settings, String hostName) {
        this(out, printEvents, table, settings, hostName, null);
    }

    /**
     * @param hostAddresses the capturing host's own addresses (live capture), so its own traffic has the host
     *                      view in network.direction (ingress/egress) and forwarded traffic the network view; null: unknown
     */
    Consumers(PrintStream out, boolean printEvents, boolean table, Settings settings, String hostName,
              EventJson.HostAddresses hostAddresses) {
        this.out = out;
        this.json = new EventJson(out, hostName, processes, hostAddresses);
        this.printEvents = printEvents;
        this.table = table;
        this.alertJson = new AlertJson(json.generator(), hostName);
        this.engine = settings == null ? null : DetectorEngine.standard(detectorSettings(settings), this::raised, new DgaDetector());
        if (engine != null) engine.setProcessLookup(processes);
    }

    /** This host's name (ECS host.name), from the kernel, null when unknown. */
    static String hostName() {
        try {
            String n = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
            if (!n.isEmpty()) return n;
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: ask Java
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static DetectorSettings detectorSettings(Settings settings) {
        DetectorSettings d = DetectorSettings.forProfile(settings.detectors.profile);
        Settings.Allowlist a = settings.detectors.allowlist;
        d.allowlist.processes.addAll(a.processes);
        d.allowlist.cidrs.addAll(a.remoteCidrs);
        d.allowlist.domains.addAll(a.domainSuffixes);
        d.allowlist.ports.addAll(a.ports);
        if (settings.detectors.c2Ports != null) {
            d.c2Port.ports.clear();
            for (Integer p : settings.detectors.c2Ports) d.c2Port.ports.add(Integer.toString(p));
        }
        return d;
    }

    private void raised(Alert a) {
        if (silent) {
            rebuiltAlerts++; // raised before the restart already; the gate now remembers it
            return;
        }
        alertCount++;
        if (table) {
            alerts.add(a);
        } else {
            alertJson.write(a);
        }
    }

    @Override
    public void onConn(ConnEvent event) {
        if (pendingAllowlist != null) applyAllowlist();
        if (silent) rebuiltEvents++;
        else if (printEvents) json.conn(event);
        if (engine != null) engine.onConn(event);
    }

    @Override
    public void onDns(DnsEvent event) {
        if (pendingAllowlist != null) applyAllowlist();
        if (silent) rebuiltEvents++;
        else if (printEvents) json.dns(event);
        if (engine != null) engine.onDns(event);
    }

    /** Hands a reloaded configuration's allowlist to the detectors (any thread); it applies to live state. */
    void reloadAllowlist(Settings settings) {
        pendingAllowlist = new io.netsensor.detectors.Allowlist(detectorSettings(settings).allowlist);
    }

    private void applyAllowlist() {
        io.netsensor.detectors.Allowlist a = pendingAllowlist;
        pendingAllowlist = null;
        if (engine != null && a != null) engine.setAllowlist(a);
    }

    boolean detecting() {
        return engine != null;
    }

    void silent(boolean on) {
        silent = on;
    }

    long rebuiltEvents() {
        return rebuiltEvents;
    }

    long rebuiltAlerts() {
        return rebuiltAlerts;
    }

    @Override
    public void onProcess(ProcessEvent event) {
        processes.put(event);
    }

    long alertCount() {
        return alertCount;
    }

    Map<String, Map<String, Long>> detectorStats() {
        return engine == null ? Map.of() : engine.stats();
    }

    /** End of input: the table, if one was asked for. */
    void finish() {
        json.close();
        if (table) AlertTable.print(out, alerts);
        out.flush();
    }

    @Override
    public void close() {
        json.close();
    }
}
