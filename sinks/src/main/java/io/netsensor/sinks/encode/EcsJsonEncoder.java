package io.netsensor.sinks.encode;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.events.ProcessEvent;
import io.netsensor.format.AlertJson;
import io.netsensor.format.EventJson;
import io.netsensor.format.TelemetryJson;
import io.netsensor.events.TelemetryRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One record as one ECS JSON document in bytes (no trailing newline), for transports that frame records
 * themselves (syslog octet counting, HEC batches, Kafka values). Keeps the PROCESS records it is shown so
 * connection, DNS and burst documents name their process. Allocates per record: this is the edge of the pipeline.
 * Single-threaded.
 */
public final class EcsJsonEncoder {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
    private final ProcessDirectory processes = new ProcessDirectory(65_536);
    private final EventJson json;
    private final AlertJson alertJson;
    private final TelemetryJson telemetryJson;

    /** @param hostName ECS host.name on every document, null to leave it out */
    public EcsJsonEncoder(String hostName) {
        this(hostName, null);
    }

    /** @param hostAddresses the capturing host's own addresses (host view of network.direction), null when unknown */
    public EcsJsonEncoder(String hostName, EventJson.HostAddresses hostAddresses) {
        this.json = new EventJson(buf, hostName, processes, hostAddresses);
        this.alertJson = new AlertJson(json.generator(), hostName);
        this.telemetryJson = new TelemetryJson(json.generator(), hostName, processes);
    }

    /** Remembers a process for the documents that name it; encodes nothing. */
    public void process(ProcessEvent e) {
        processes.put(e);
    }

    public byte[] conn(ConnEvent e) {
        json.conn(e);
        return take();
    }

    public byte[] dns(DnsEvent e) {
        json.dns(e);
        return take();
    }

    public byte[] burst(BurstEvent e) {
        json.burst(e);
        return take();
    }

    public byte[] alert(Alert a) {
        processes.put(a.process);
        alertJson.write(a);
        return take();
    }

    public byte[] telemetry(TelemetryRow r) {
        telemetryJson.write(r);
        return take();
    }

    private byte[] take() {
        try {
            json.generator().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] b = buf.toByteArray();
        buf.reset();
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) n--;
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }
}
