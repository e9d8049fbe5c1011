package io.netsensor.sinks;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.events.ProcessEvent;
import io.netsensor.format.AlertJson;
import io.netsensor.format.AlertTable;
import io.netsensor.format.EventJson;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The console printer as a sink: ECS JSON lines of alerts (and of events, when asked) on a stream, or, in
 * table mode, the alerts collected and printed as one ranked table at the end (for a person). Delivery
 * is the stream's flush; it keeps no durable position (a restarted agent prints only what is new).
 */
public final class StdoutSink implements Sink {
    private final String name;
    private final PrintStream out;
    private final Set<RecordKind> kinds;
    private final boolean table;
    private final ProcessDirectory processes = new ProcessDirectory(65_536);
    private final EventJson json;
    private final AlertJson alertJson;
    private final io.netsensor.format.TelemetryJson telemetryJson;
    private final List<Alert> collected = new ArrayList<>();
    private int pending;
    private long alerts, events;

    /**
     * @param events   print connection, DNS and burst records too, not only alerts
     * @param table    collect alerts for one ranked table at the end instead of JSON lines
     * @param hostName ECS host.name on every record, null to leave it out (replays of other hosts' captures)
     */
    public StdoutSink(String name, PrintStream out, boolean events, boolean table, String hostName) {
        this(name, out, events ? EnumSet.of(RecordKind.ALERT, RecordKind.EVENT, RecordKind.BURST) : EnumSet.of(RecordKind.ALERT),
                table, hostName);
    }

    /** @param kinds what to print (alerts, telemetry rows, events) */
    public StdoutSink(String name, PrintStream out, Set<RecordKind> kinds, boolean table, String hostName) {
        this(name, out, kinds, table, hostName, null);
    }

    /**
     * @param hostAddresses the capturing host's own addresses (live capture: its own traffic gets the host view
     *                      of network.direction, ingress/egress), null when unknown (replays)
     */
    public StdoutSink(String name, PrintStream out, Set<RecordKind> kinds, boolean table, String hostName,
                      EventJson.HostAddresses hostAddresses) {
        this.name = name;
        this.out = out;
        this.table = table;
        this.kinds = kinds;
        this.json = new EventJson(out, hostName, processes, hostAddresses);
        this.alertJson = new AlertJson(json.generator(), hostName);
        this.telemetryJson = new io.netsensor.format.TelemetryJson(json.generator(), hostName, processes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<RecordKind> kinds() {
        return kinds;
    }

    @Override
    public void onConn(ConnEvent event) {
        json.conn(event);
        events++;
        pending++;
    }

    @Override
    public void onDns(DnsEvent event) {
        json.dns(event);
        events++;
        pending++;
    }

    @Override
    public void onBurst(BurstEvent event) {
        json.burst(event);
        events++;
        pending++;
    }

    @Override
    public void onProcess(ProcessEvent event) {
        processes.put(event);
    }

    @Override
    public void onAlert(Alert alert) {
        processes.put(alert.process);
        alerts++;
        if (table) {
            collected.add(alert);
        } else {
            alertJson.write(alert);
            pending++;
        }
    }

    @Override
    public void onTelemetry(io.netsensor.events.TelemetryRow row) {
        telemetryJson.write(row);
        pending++;
    }

    @Override
    public int pending() {
        return pending;
    }

    @Override
    public void flush() throws IOException {
        json.generator().flush();
        out.flush();
        if (out.checkError()) throw new IOException(name + ": cannot write to the output stream");
        pending = 0;
    }

    @Override
    public void finish() {
        if (table) AlertTable.print(out, collected);
        out.flush();
    }

    /** Alerts received (printed, or collected for the table). */
    public long alerts() {
        return alerts;
    }

    public long events() {
        return events;
    }

    @Override
    public void close() {
        json.close();
    }
}
