package io.netsensor.fleet;

import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import io.netsensor.sinks.encode.EcsJsonEncoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents an agent's Kafka sink writes, made with the sink's own encoder (EcsJsonEncoder) from
 * telemetry rows: what the fleet reads, byte for byte. One-minute intervals, as the agent's default.
 */
final class AgentDocs {
    static final long MIN = 60_000L;
    /** 2026-03-02T00:00:00Z */
    static final long T0 = 1_772_409_600_000L;
    private final Map<String, EcsJsonEncoder> encoders = new HashMap<>();

    private EcsJsonEncoder encoder(String host) {
        return encoders.computeIfAbsent(host, EcsJsonEncoder::new);
    }

    /** The CONN row of the interval holding the first connection: {@code connections} at {@code times}, ms. */
    byte[] conn(String host, String remote, int port, Transport transport, long[] times, List<String> names) {
        long start = Math.floorDiv(times[0], MIN) * MIN;
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.CONN);
        b.intervalStartNanos = start * 1_000_000L;
        b.intervalEndNanos = (start + MIN) * 1_000_000L;
        b.localIp = "10.1.0." + (Math.abs(host.hashCode()) % 200 + 2);
        b.remoteIp = remote;
        b.remotePort = port;
        b.transport = transport;
        b.connections = times.length;
        b.bytesOut = 300L * times.length;
        b.bytesIn = 900L * times.length;
        b.packetsOut = 5L * times.length;
        b.packetsIn = 5L * times.length;
        b.firstSeenNanos = times[0] * 1_000_000L;
        b.lastSeenNanos = times[times.length - 1] * 1_000_000L;
        b.names = names;
        return encoder(host).telemetry(b.build());
    }

    /** An agent's beacon alert (as its detector words it) to remote:port with the measured median interval. */
    byte[] beaconAlert(String host, String remote, int port, long firstMs, long lastMs, double medianS) {
        io.netsensor.events.Alert.Draft a = new io.netsensor.events.Alert.Draft();
        a.id = "beacon-" + host + "-" + remote;
        a.detector = io.netsensor.events.DetectorKind.BEACON;
        a.severity = io.netsensor.events.Severity.MEDIUM;
        a.score = 0.8;
        a.hostIp = "10.1.0.9";
        a.remoteIp = remote;
        a.remotePort = port;
        a.firstSeenNanos = firstMs * 1_000_000L;
        a.lastSeenNanos = lastMs * 1_000_000L;
        a.count = 40;
        a.evidence.put("interval_median_s", medianS);
        a.summary = "periodic tcp connections";
        return encoder(host).alert(a.build());
    }

    /** An agent's DGA alert sampling these names (NXDOMAIN, score 0.97). */
    byte[] dgaAlert(String host, long t, List<String> names) {
        io.netsensor.events.Alert.Draft a = new io.netsensor.events.Alert.Draft();
        a.id = "dga:10.1.0.9";
        a.detector = io.netsensor.events.DetectorKind.DGA;
        a.severity = io.netsensor.events.Severity.HIGH;
        a.score = 0.9;
        a.hostIp = "10.1.0.9";
        a.firstSeenNanos = (t - MIN) * 1_000_000L;
        a.lastSeenNanos = t * 1_000_000L;
        a.count = names.size();
        List<Map<String, Object>> samples = new java.util.ArrayList<>();
        for (String n : names) samples.add(Map.of("domain", n, "score", 0.97, "nxdomain", true));
        a.evidence.put("samples", samples);
        a.summary = "improbable domains";
        return encoder(host).alert(a.build());
    }

    /** The DNS row of one interval: queries under a registered domain, nx of them answered NXDOMAIN. */
    byte[] dns(String host, String registered, long t, long queries, long nx) {
        long start = Math.floorDiv(t, MIN) * MIN;
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.DNS);
        b.intervalStartNanos = start * 1_000_000L;
        b.intervalEndNanos = (start + MIN) * 1_000_000L;
        b.localIp = "10.1.0." + (Math.abs(host.hashCode()) % 200 + 2);
        b.domain = registered;
        b.queries = queries;
        b.nxdomains = nx;
        b.distinctNames = 1;
        b.queryTypes = Map.of("1", queries);
        return encoder(host).telemetry(b.build());
    }
}
