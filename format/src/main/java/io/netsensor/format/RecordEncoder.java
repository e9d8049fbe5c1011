package io.netsensor.format;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.TelemetryRow;

/**
 * One journal record as one document of an output shape, in bytes without a trailing newline (transports
 * frame records themselves), or null when the shape has no document for that record (the caller sends
 * nothing). Implementations keep the PROCESS records they are shown, so later documents name their
 * process, and allocate per record: this is the edge of the pipeline. Single-threaded.
 */
public interface RecordEncoder {
    /** Remembers the process; returns its own document where the shape has one (Falcon's ProcessRollup2), else null. */
    byte[] process(ProcessEvent e);

    byte[] conn(ConnEvent e);

    byte[] dns(DnsEvent e);

    /** A request/response exchange inside a connection (BURST record). */
    byte[] burst(BurstEvent e);

    byte[] alert(Alert a);

    byte[] telemetry(TelemetryRow r);
}
