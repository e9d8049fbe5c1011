package io.netsensor.format;
import io.netsensor.events.ProcessInfo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.Mac;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Writes events as JSON lines with ECS field names (nested objects, so `.source.ip` in jq), the edge
 * where allocation is acceptable. Fields without an ECS home live under `netsensor.*`.
 */
public final class EventJson implements AutoCloseable {
    private final JsonGenerator gen;
    private final String hostName;
    private final io.netsensor.events.ProcessLookup processes;

    public EventJson(OutputStream out) {
        this(out, null, id -> null);
    }

    /**
     * @param hostName ECS host.name of every record, null to leave it out
     * @param processes process details by entity id (from the journal's PROCESS records)
     */
    public EventJson(OutputStream out, String hostName, io.netsensor.events.ProcessLookup processes) {
        this.hostName = hostName;
        this.processes = processes;
        try {
            gen = new JsonFactory().createGenerator(out);
            gen.setRootValueSeparator(null); // each record ends with its own newline (see endRecord)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String time(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    public void conn(ConnEvent e) {
        try {
            gen.writeStartObject();
            gen.writeStringField("@timestamp", time(e.phase == ConnEvent.Phase.END ? e.endNanos : e.startNanos));
            startEventObject("netsensor.conn", "connection", e.phase == ConnEvent.Phase.END ? "end" : "start");
            gen.writeStringField("action", e.phase == ConnEvent.Phase.END ? "connection_end" : "connection_open");
            gen.writeStringField("outcome", e.state.outcome() == io.netsensor.events.ConnState.Outcome.ESTABLISHED ? "success"
                    : e.state.outcome() == io.netsensor.events.ConnState.Outcome.OTHER ? "unknown" : "failure");
            gen.writeStringField("start", time(e.startNanos));
            if (e.phase == ConnEvent.Phase.END) {
                gen.writeStringField("end", time(e.endNanos));
                gen.writeNumberField("duration", Math.max(0, e.durationNanos()));
            }
            gen.writeEndObject();
            gen.writeObjectFieldStart("network");
            gen.writeStringField("transport", e.transport.ecsName);
            gen.writeStringField("direction", e.direction.ecsName);
            gen.writeStringField("type", Ip.isV4(e.origIpHi, e.origIpLo) ? "ipv4" : "ipv6");
            gen.writeNumberField("packets", e.origPkts + e.respPkts);
            gen.writeNumberField("bytes", e.origIpBytes + e.respIpBytes);
            if (e.vlan != 0) {
                gen.writeObjectFieldStart("vlan");
                gen.writeStringField("id", Integer.toString(e.vlan));
                gen.writeEndObject();
                if (e.innerVlan != 0) {
                    gen.writeObjectFieldStart("inner");
                    gen.writeObjectFieldStart("vlan");
                    gen.writeStringField("id", Integer.toString(e.innerVlan));
                    gen.writeEndObject();
                    gen.writeEndObject();
                }
            }
            gen.writeEndObject();
            endpoint("source", e.origIpHi, e.origIpLo, e.origPort, e.origMac, e.origPkts, e.origIpBytes);
            endpoint("destination", e.respIpHi, e.respIpLo, e.respPort, e.respMac, e.respPkts, e.respIpBytes);
            gen.writeObjectFieldStart("netsensor");
            gen.writeStringField("flow_id", Long.toUnsignedString(e.flowId, 16));
            gen.writeStringField("phase", e.phase.name().toLowerCase());
            if (e.phase == ConnEvent.Phase.END) gen.writeStringField("end_reason", e.endReason.name().toLowerCase());
            gen.writeStringField("conn_state", e.state.name());
            gen.writeStringField("outcome", e.state.outcome().text);
            gen.writeStringField("history", e.historyString());
            gen.writeNumberField("orig_bytes", e.origBytes);
            gen.writeNumberField("resp_bytes", e.respBytes);
            if (e.attribution != Attribution.UNKNOWN) gen.writeStringField("attribution", e.attribution.ecsName);
            gen.writeEndObject();
            process(e.attribution, e.pid, e.processStartNanos, e.processEntityId);
            host();
            endRecord(gen);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void endpoint(String name, long hi, long lo, int port, long mac, long pkts, long bytes) throws IOException {
        gen.writeObjectFieldStart(name);
        gen.writeStringField("ip", Ip.toString(hi, lo));
        gen.writeNumberField("port", port);
        if (mac != 0) gen.writeStringField("mac", Mac.toString(mac));
        gen.writeNumberField("packets", pkts);
        gen.writeNumberField("bytes", bytes);
        gen.writeEndObject();
    }

    /** Opens ECS `event` (kind, dataset, category network, the given types); the caller adds fields and closes it. */
    private void startEventObject(String dataset, String... types) throws IOException {
        gen.writeObjectFieldStart("event");
        gen.writeStringField("kind", "event");
        gen.writeStringField("dataset", dataset);
        gen.writeArrayFieldStart("category");
        gen.writeString("network");
        gen.writeEndArray();
        gen.writeArrayFieldStart("type");
        for (String t : types) gen.writeString(t);
        gen.writeEndArray();
    }

    public void dns(DnsEvent e) {
        try {
            gen.writeStartObject();
            gen.writeStringField("@timestamp", time(e.tsNanos));
            startEventObject("netsensor.dns", "protocol");
            gen.writeStringField("outcome", !e.responded ? "unknown" : e.rcode == 0 ? "success" : "failure");
            if (e.rttNanos >= 0) gen.writeNumberField("duration", e.rttNanos);
            gen.writeEndObject();
            gen.writeObjectFieldStart("network");
            gen.writeStringField("transport", e.transport.ecsName);
            gen.writeStringField("protocol", "dns");
            gen.writeStringField("direction", e.direction.ecsName);
            gen.writeStringField("type", Ip.isV4(e.clientIpHi, e.clientIpLo) ? "ipv4" : "ipv6");
            gen.writeEndObject();
            gen.writeObjectFieldStart("source");
            gen.writeStringField("ip", Ip.toString(e.clientIpHi, e.clientIpLo));
            gen.writeNumberField("port", e.clientPort);
            if (e.clientMac != 0) gen.writeStringField("mac", Mac.toString(e.clientMac));
            gen.writeEndObject();
            gen.writeObjectFieldStart("destination");
            gen.writeStringField("ip", Ip.toString(e.serverIpHi, e.serverIpLo));
            gen.writeNumberField("port", e.serverPort);
            gen.writeEndObject();
            gen.writeObjectFieldStart("dns");
            gen.writeNumberField("id", e.transId);
            gen.writeStringField("type", e.responded ? "answer" : "query");
            gen.writeStringField("op_code", DnsNames.opcode(e.opcode));
            if (e.responded) gen.writeStringField("response_code", DnsNames.rcode(e.rcode));
            gen.writeArrayFieldStart("header_flags");
            flag(e, DnsEvent.FLAG_AA, "AA");
            flag(e, DnsEvent.FLAG_TC, "TC");
            flag(e, DnsEvent.FLAG_RD, "RD");
            flag(e, DnsEvent.FLAG_RA, "RA");
            flag(e, DnsEvent.FLAG_AD, "AD");
            flag(e, DnsEvent.FLAG_CD, "CD");
            gen.writeEndArray();
            gen.writeObjectFieldStart("question");
            gen.writeStringField("name", e.qnameLower());
            gen.writeStringField("type", DnsNames.type(e.qtype));
            gen.writeStringField("class", DnsNames.dclass(e.qclass));
            gen.writeEndObject();
            if (e.answerCount > 0) {
                gen.writeArrayFieldStart("answers");
                for (int i = 0; i < e.answerCount; i++) {
                    gen.writeStartObject();
                    gen.writeStringField("type", DnsNames.type(e.answerType[i]));
                    gen.writeStringField("class", DnsNames.dclass(e.answerClass[i]));
                    gen.writeNumberField("ttl", e.answerTtl[i]);
                    gen.writeStringField("data", DnsAnswerText.render(e, i));
                    gen.writeEndObject();
                }
                gen.writeEndArray();
                gen.writeArrayFieldStart("resolved_ip");
                for (int i = 0; i < e.answerCount; i++) {
                    if (e.answerEncoding[i] == DnsEvent.RDATA_ADDRESS) gen.writeString(DnsAnswerText.render(e, i));
                }
                gen.writeEndArray();
            }
            gen.writeEndObject();
            gen.writeObjectFieldStart("netsensor");
            gen.writeObjectFieldStart("dns");
            gen.writeStringField("query_as_sent", e.qnameString());
            gen.writeBooleanField("queried", e.queried);
            gen.writeBooleanField("responded", e.responded);
            gen.writeNumberField("query_count", e.queryCount);
            if (e.rttNanos >= 0) gen.writeNumberField("rtt_ms", e.rttNanos / 1e6);
            if (e.answersTruncated) gen.writeBooleanField("answers_truncated", true);
            gen.writeEndObject();
            if (e.attribution != Attribution.UNKNOWN) gen.writeStringField("attribution", e.attribution.ecsName);
            gen.writeEndObject();
            process(e.attribution, e.pid, e.processStartNanos, e.processEntityId);
            host();
            endRecord(gen);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Closes the top-level object and ends the line, so every record is a complete JSON line. */
    static void endRecord(JsonGenerator gen) throws IOException {
        gen.writeEndObject();
        gen.writeRaw('\n');
        gen.flush();
    }

    /** ECS process.* and user.* of an attributed record (details from the PROCESS record, when read). */
    private void process(Attribution a, int pid, long startNanos, long entityId) throws IOException {
        if (a != Attribution.RESOLVED) return;
        ProcessInfo p = processes.find(entityId);
        gen.writeObjectFieldStart("process");
        gen.writeNumberField("pid", pid);
        gen.writeStringField("entity_id", entityId(entityId));
        gen.writeStringField("start", time(startNanos));
        if (p != null) {
            if (p.name != null) gen.writeStringField("name", p.name);
            if (p.executable != null) gen.writeStringField("executable", p.executable);
            if (p.commandLine != null) gen.writeStringField("command_line", p.commandLine);
            if (p.ppid != 0) {
                gen.writeObjectFieldStart("parent");
                gen.writeNumberField("pid", p.ppid);
                gen.writeEndObject();
            }
        }
        gen.writeEndObject();
        if (p != null && (p.uid >= 0 || p.user != null)) {
            gen.writeObjectFieldStart("user");
            if (p.uid >= 0) gen.writeStringField("id", Integer.toString(p.uid));
            if (p.user != null) gen.writeStringField("name", p.user);
            gen.writeEndObject();
        }
    }

    private void host() throws IOException {
        if (hostName == null) return;
        gen.writeObjectFieldStart("host");
        gen.writeStringField("name", hostName);
        gen.writeEndObject();
    }

    /** Entity ids as 16 hex digits (a string: JSON numbers lose 64-bit precision in most readers). */
    public static String entityId(long id) {
        String h = Long.toHexString(id);
        return "0".repeat(16 - h.length()) + h;
    }

    private void flag(DnsEvent e, int bit, String name) throws IOException {
        if ((e.flags & bit) != 0) gen.writeString(name);
    }

    public JsonGenerator generator() {
        return gen;
    }

    @Override
    public void close() {
        try {
            gen.flush();
        } catch (IOException ignored) {
            // stdout closed
        }
    }
}
