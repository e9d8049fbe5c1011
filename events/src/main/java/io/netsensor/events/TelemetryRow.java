package io.netsensor.events;

import java.util.List;
import java.util.Map;

/**
 * One row of summarized telemetry for one interval of event time: what a SIEM keeps instead of every
 * connection and DNS record. A CONN row sums the connections of one key to one remote address, port and
 * transport; a DNS row the queries of one key under one registered domain. The key is the process (entity
 * id) where attribution exists, else the local host or LAN client (IP, and MAC when the link has one).
 * An {@link #other} row folds every key past the interval's row cap ({@link #foldedRows} of them), so a scan
 * or a flood cannot blow up telemetry. Immutable; journaled as TELEMETRY records.
 */
public final class TelemetryRow {
    public enum Kind { CONN, DNS }

    public final Kind kind;
    public final long intervalStartNanos, intervalEndNanos;
    /** The key: local IP (text), MAC (text or null), process entity id and pid (0 when unattributed). */
    public final String localIp, localMac;
    public final long processEntityId;
    public final int pid;
    /** True for the row that folds every key past the cap; its key and subject fields are null/0. */
    public final boolean other;
    public final long foldedRows;
    // CONN
    public final String remoteIp;
    public final int remotePort;
    public final Transport transport;
    public final long connections, rejected, noAnswer, bytesOut, bytesIn, packetsOut, packetsIn;
    public final long firstSeenNanos, lastSeenNanos;
    /** Names this key resolved to the remote address (most recent first, bounded). */
    public final List<String> names;
    // DNS
    public final String domain;
    public final long queries, nxdomains, distinctNames;
    /** Query type mnemonic or number -> queries. */
    public final Map<String, Long> queryTypes;

    private TelemetryRow(Builder b) {
        kind = b.kind;
        intervalStartNanos = b.intervalStartNanos;
        intervalEndNanos = b.intervalEndNanos;
        localIp = b.localIp;
        localMac = b.localMac;
        processEntityId = b.processEntityId;
        pid = b.pid;
        other = b.other;
        foldedRows = b.foldedRows;
        remoteIp = b.remoteIp;
        remotePort = b.remotePort;
        transport = b.transport;
        connections = b.connections;
        rejected = b.rejected;
        noAnswer = b.noAnswer;
        bytesOut = b.bytesOut;
        bytesIn = b.bytesIn;
        packetsOut = b.packetsOut;
        packetsIn = b.packetsIn;
        firstSeenNanos = b.firstSeenNanos;
        lastSeenNanos = b.lastSeenNanos;
        names = List.copyOf(b.names);
        domain = b.domain;
        queries = b.queries;
        nxdomains = b.nxdomains;
        distinctNames = b.distinctNames;
        queryTypes = Map.copyOf(b.queryTypes);
    }

    public Builder toBuilder() {
        Builder b = new Builder(kind);
        b.intervalStartNanos = intervalStartNanos;
        b.intervalEndNanos = intervalEndNanos;
        b.localIp = localIp;
        b.localMac = localMac;
        b.processEntityId = processEntityId;
        b.pid = pid;
        b.other = other;
        b.foldedRows = foldedRows;
        b.remoteIp = remoteIp;
        b.remotePort = remotePort;
        b.transport = transport;
        b.connections = connections;
        b.rejected = rejected;
        b.noAnswer = noAnswer;
        b.bytesOut = bytesOut;
        b.bytesIn = bytesIn;
        b.packetsOut = packetsOut;
        b.packetsIn = packetsIn;
        b.firstSeenNanos = firstSeenNanos;
        b.lastSeenNanos = lastSeenNanos;
        b.names = names;
        b.domain = domain;
        b.queries = queries;
        b.nxdomains = nxdomains;
        b.distinctNames = distinctNames;
        b.queryTypes = queryTypes;
        return b;
    }

    @Override
    public String toString() {
        return kind == Kind.CONN
                ? "conn " + localIp + " -> " + remoteIp + ":" + remotePort + "/" + transport + " x" + connections
                : "dns " + localIp + " " + domain + " x" + queries;
    }

    /** Mutable form the rollups fill; dead once built. */
    public static final class Builder {
        public final Kind kind;
        public long intervalStartNanos, intervalEndNanos;
        public String localIp, localMac;
        public long processEntityId;
        public int pid;
        public boolean other;
        public long foldedRows;
        public String remoteIp;
        public int remotePort;
        public Transport transport = Transport.TCP;
        public long connections, rejected, noAnswer, bytesOut, bytesIn, packetsOut, packetsIn;
        public long firstSeenNanos, lastSeenNanos;
        public List<String> names = List.of();
        public String domain;
        public long queries, nxdomains, distinctNames;
        public Map<String, Long> queryTypes = Map.of();

        public Builder(Kind kind) {
            this.kind = kind;
        }

        public TelemetryRow build() {
            return new TelemetryRow(this);
        }
    }
}
