package io.netsensor.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.ProcessLookup;
import io.netsensor.events.TelemetryRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One ECS document per telemetry row: {@code event.kind: metric}, dataset {@code netsensor.telemetry.conn}
 * or {@code .dns}, the interval as {@code event.start}/{@code event.end}, the key as {@code source.*} (and
 * {@code process.*}), the subject as {@code destination.*} or {@code dns.question.registered_domain}, and
 * the sums in ECS's {@code source.bytes}/{@code .packets} (sent by the key) and {@code destination.bytes}/
 * {@code .packets} (received), the names that resolved to the remote in {@code related.hosts}, and the rest
 * (connections, failures, first and last seen) under {@code netsensor.telemetry.*}. Nothing is written
 * twice: a row goes out per key, remote and interval, so its size is what telemetry costs.
 */
public final class TelemetryJson {
    private final JsonGenerator gen;
    private final String hostName;
    private final ProcessLookup processes;

    public TelemetryJson(JsonGenerator gen, String hostName, ProcessLookup processes) {
        this.gen = gen;
        this.hostName = hostName;
        this.processes = processes;
    }

    /**
     * The row's ECS event.id: "telemetry-" and a 64-bit FNV-1a hash of everything the row says (key,
     * interval, sums). A row forwarded twice (at least once delivery) has the same id, so a SIEM drops the
     * copy; a different row never shares it, not even the rest of an interval written after a restart.
     */
    public static String eventId(TelemetryRow r) {
        StringBuilder b = new StringBuilder(160).append(r.kind).append('|').append(r.intervalStartNanos).append('|')
                .append(r.intervalEndNanos).append('|').append(r.localIp).append('|').append(r.localMac).append('|')
                .append(r.processEntityId).append('|').append(r.pid).append('|').append(r.other).append('|').append(r.foldedRows)
                .append('|').append(r.remoteIp).append('|').append(r.remotePort).append('|').append(r.transport).append('|')
                .append(r.connections).append('|').append(r.rejected).append('|').append(r.noAnswer).append('|')
                .append(r.bytesOut).append('|').append(r.bytesIn).append('|').append(r.packetsOut).append('|')
                .append(r.packetsIn).append('|').append(r.firstSeenNanos).append('|').append(r.lastSeenNanos).append('|')
                .append(r.names).append('|').append(r.domain).append('|').append(r.queries).append('|').append(r.nxdomains)
                .append('|').append(r.distinctNames).append('|').append(new java.util.TreeMap<>(r.queryTypes));
        long h = 0xcbf29ce484222325L;
        for (byte x : b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return "telemetry-" + String.format("%016x", h);
    }

    public void write(TelemetryRow r) {
        try {
            gen.writeStartObject();
            gen.writeStringField("@timestamp", EventJson.time(r.intervalEndNanos));
            gen.writeObjectFieldStart("ecs");
            gen.writeStringField("version", EventJson.ECS_VERSION);
            gen.writeEndObject();
            gen.writeObjectFieldStart("event");
            gen.writeStringField("kind", "metric");
            gen.writeArrayFieldStart("category");
            gen.writeString("network");
            gen.writeEndArray();
            gen.writeArrayFieldStart("type");
            gen.writeString(r.kind == TelemetryRow.Kind.CONN ? "connection" : "protocol");
            gen.writeEndArray();
            gen.writeStringField("dataset", r.kind == TelemetryRow.Kind.CONN ? "netsensor.telemetry.conn" : "netsensor.telemetry.dns");
            gen.writeStringField("id", eventId(r));
            gen.writeStringField("start", EventJson.time(r.intervalStartNanos));
            gen.writeStringField("end", EventJson.time(r.intervalEndNanos));
            gen.writeEndObject();
            if (!r.other) {
                gen.writeObjectFieldStart("source");
                gen.writeStringField("ip", r.localIp);
                if (r.localMac != null) gen.writeStringField("mac", r.localMac);
                if (r.kind == TelemetryRow.Kind.CONN) {
                    gen.writeNumberField("bytes", r.bytesOut);
                    gen.writeNumberField("packets", r.packetsOut);
                }
                gen.writeEndObject();
                if (r.processEntityId != 0) process(r);
            }
            if (r.kind == TelemetryRow.Kind.CONN) conn(r);
            else dns(r);
            if (hostName != null) {
                gen.writeObjectFieldStart("host");
                gen.writeStringField("name", hostName);
                gen.writeEndObject();
            }
            EventJson.endRecord(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void conn(TelemetryRow r) throws IOException {
        if (!r.other) {
            gen.writeObjectFieldStart("destination");
            gen.writeStringField("ip", r.remoteIp);
            gen.writeNumberField("port", r.remotePort);
            gen.writeNumberField("bytes", r.bytesIn);
            gen.writeNumberField("packets", r.packetsIn);
            gen.writeEndObject();
            if (r.transport != null) {
                gen.writeObjectFieldStart("network");
                gen.writeStringField("transport", r.transport.ecsName);
                gen.writeEndObject();
            }
            if (!r.names.isEmpty()) {
                gen.writeObjectFieldStart("related");
                gen.writeArrayFieldStart("hosts");
                for (String n : r.names) gen.writeString(n);
                gen.writeEndArray();
                gen.writeEndObject();
            }
        }
        gen.writeObjectFieldStart("netsensor");
        gen.writeObjectFieldStart("telemetry");
        gen.writeNumberField("connections", r.connections);
        gen.writeNumberField("rejected", r.rejected);
        gen.writeNumberField("no_answer", r.noAnswer);
        if (r.other) { // no source/destination objects on the fold row: its sums live here
            gen.writeNumberField("bytes_out", r.bytesOut);
            gen.writeNumberField("bytes_in", r.bytesIn);
            gen.writeNumberField("packets_out", r.packetsOut);
            gen.writeNumberField("packets_in", r.packetsIn);
        }
        // milliseconds are enough for a summary (and a row is sent per key and minute: bytes count)
        if (r.firstSeenNanos != 0) gen.writeStringField("first_seen", millis(r.firstSeenNanos));
        if (r.lastSeenNanos != 0) gen.writeStringField("last_seen", millis(r.lastSeenNanos));
        other(r);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private void dns(TelemetryRow r) throws IOException {
        if (!r.other) {
            gen.writeObjectFieldStart("dns");
            gen.writeObjectFieldStart("question");
            gen.writeStringField("registered_domain", r.domain);
            gen.writeEndObject();
            gen.writeEndObject();
        }
        gen.writeObjectFieldStart("netsensor");
        gen.writeObjectFieldStart("telemetry");
        gen.writeNumberField("queries", r.queries);
        gen.writeNumberField("nxdomains", r.nxdomains);
        gen.writeNumberField("distinct_names", r.distinctNames);
        gen.writeObjectFieldStart("query_types");
        for (Map.Entry<String, Long> e : r.queryTypes.entrySet()) gen.writeNumberField(typeName(e.getKey()), e.getValue());
        gen.writeEndObject();
        other(r);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private static String millis(long nanos) {
        return java.time.Instant.ofEpochMilli(Math.floorDiv(nanos, 1_000_000L)).toString();
    }

    private void other(TelemetryRow r) throws IOException {
        if (!r.other) return;
        gen.writeBooleanField("other", true);
        gen.writeNumberField("folded_records", r.foldedRows);
    }

    private void process(TelemetryRow r) throws IOException {
        ProcessInfo p = processes.find(r.processEntityId);
        gen.writeObjectFieldStart("process");
        gen.writeNumberField("pid", r.pid);
        gen.writeStringField("entity_id", EventJson.entityId(r.processEntityId));
        if (p != null) {
            if (p.name != null) gen.writeStringField("name", p.name);
            if (p.executable != null) gen.writeStringField("executable", p.executable);
        }
        gen.writeEndObject();
    }

    /** The query type's mnemonic (rows store the number), as every other document names it. */
    static String typeName(String number) {
        return DnsNames.type(Integer.parseInt(number));
    }
}
