package io.netsensor.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.Mac;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.ProcessLookup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Writes events as JSON lines with ECS 9.4 field names (nested objects, so `.source.ip` in jq), the edge
 * where allocation is acceptable. Fields without an ECS home live under `netsensor.*`.
 *
 * <p>{@code network.direction} follows ECS's two views: traffic of the sensor's own host (one end is one
 * of its addresses) is {@code egress}/{@code ingress}, the host's view; everything else the sensor sees,
 * above all a gateway's forwarded traffic (attribution {@code not_local}), keeps the network view of
 * home_net ({@code outbound}, {@code inbound}, {@code internal}, {@code external}). Without the host's
 * addresses (a replayed capture, a journal that may come from another host) every record has the network view.
 */
public final class EventJson implements AutoCloseable {
    /** The ECS version the documents follow (ecs.version, required in every document). */
    public static final String ECS_VERSION = "9.4.0";

    /** Whether an address is one of the sensor host's own (and loopback): where a local process can own the socket. */
    @FunctionalInterface
    public interface HostAddresses {
        boolean isHostAddress(long hi, long lo);
    }

    private final JsonGenerator gen;
    private final String hostName;
    private final ProcessLookup processes;
    private final HostAddresses host;

    public EventJson(OutputStream out) {
        this(out, null, id -> null);
    }

    /**
     * The network view for every record (the sensor's addresses unknown).
     *
     * @param hostName ECS host.name of every record, null to leave it out
     * @param processes process details by entity id (from the journal's PROCESS records)
     */
    public EventJson(OutputStream out, String hostName, ProcessLookup processes) {
        this(out, hostName, processes, null);
    }

    /**
     * @param host the sensor host's addresses (the capture's locality), for the host view of its own
     *             traffic; null when unknown
     */
    public EventJson(OutputStream out, String hostName, ProcessLookup processes, HostAddresses host) {
        this.hostName = hostName;
        this.processes = processes;
        this.host = host;
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
            ecs(gen);
            startEventObject(EventIds.conn(e), "netsensor.conn", "connection", e.phase == ConnEvent.Phase.END ? "end" : "start");
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
            gen.writeStringField("direction", direction(e.direction, e.origIpHi, e.origIpLo, e.respIpHi, e.respIpLo));
            gen.writeStringField("type", Ip.isV4(e.origIpHi, e.origIpLo) ? "ipv4" : "ipv6");
            gen.writeStringField("community_id", communityId(e));
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
            endpoint("source", e.origIpHi, e.origIpLo, e.origPort, e.origMac, e.origPkts, e.origIpBytes, null);
            endpoint("destination", e.respIpHi, e.respIpLo, e.respPort, e.respMac, e.respPkts, e.respIpBytes,
                    e.names.text(io.netsensor.events.ConnNames.DNS));
            names(e.names);
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

    /**
     * A request/response burst inside a connection (BURST record): its flow's endpoints, community id and
     * {@code netsensor.flow_id} (the same as the connection records', to pivot to them), its times, packets
     * per side, and under {@code netsensor.burst} its payload bytes per side, index in the flow and the idle
     * time before it. @timestamp is its start (the check-in time detectors score).
     */
    public void burst(io.netsensor.events.BurstEvent e) {
        try {
            gen.writeStartObject();
            gen.writeStringField("@timestamp", time(e.startNanos));
            ecs(gen);
            startEventObject(EventIds.burst(e), "netsensor.burst", "connection", "info");
            gen.writeStringField("action", "connection_burst");
            gen.writeStringField("start", time(e.startNanos));
            gen.writeStringField("end", time(e.endNanos));
            gen.writeNumberField("duration", Math.max(0, e.endNanos - e.startNanos));
            gen.writeEndObject();
            gen.writeObjectFieldStart("network");
            gen.writeStringField("transport", e.transport.ecsName);
            gen.writeStringField("direction", direction(e.direction, e.origIpHi, e.origIpLo, e.respIpHi, e.respIpLo));
            gen.writeStringField("type", Ip.isV4(e.origIpHi, e.origIpLo) ? "ipv4" : "ipv6");
            gen.writeStringField("community_id", communityId(e));
            gen.writeNumberField("packets", (long) e.origPkts + e.respPkts);
            gen.writeEndObject();
            burstEndpoint("source", e.origIpHi, e.origIpLo, e.origPort, e.origMac, e.origPkts, null);
            burstEndpoint("destination", e.respIpHi, e.respIpLo, e.respPort, e.respMac, e.respPkts,
                    e.names.text(io.netsensor.events.ConnNames.DNS));
            names(e.names);
            gen.writeObjectFieldStart("netsensor");
            gen.writeStringField("flow_id", Long.toUnsignedString(e.flowId, 16));
            gen.writeObjectFieldStart("burst");
            gen.writeNumberField("index", e.index);
            gen.writeNumberField("orig_bytes", e.origBytes);
            gen.writeNumberField("resp_bytes", e.respBytes);
            if (e.gapNanos >= 0) gen.writeNumberField("idle_before", e.gapNanos);
            gen.writeStringField("flow_start", time(e.flowStartNanos));
            gen.writeBooleanField("flow_start_seen", e.flowStartSeen());
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

    /** A burst's side: payload bytes are under netsensor.burst (ECS source.bytes are IP-layer bytes on connections). */
    private void burstEndpoint(String name, long hi, long lo, int port, long mac, long pkts, String domain) throws IOException {
        gen.writeObjectFieldStart(name);
        gen.writeStringField("ip", Ip.toString(hi, lo));
        if (domain != null) gen.writeStringField("domain", domain);
        gen.writeNumberField("port", port);
        if (mac != 0) gen.writeStringField("mac", Mac.toString(mac));
        gen.writeNumberField("packets", pkts);
        gen.writeEndObject();
    }

    /** ECS tls.client.server_name, url.domain and user_agent.original of a connection's names, when known. */
    private void names(io.netsensor.events.ConnNames n) throws IOException {
        String sni = n.text(io.netsensor.events.ConnNames.SNI), host = n.text(io.netsensor.events.ConnNames.HTTP_HOST),
                ua = n.text(io.netsensor.events.ConnNames.USER_AGENT);
        if (sni != null) {
            gen.writeObjectFieldStart("tls");
            gen.writeObjectFieldStart("client");
            gen.writeStringField("server_name", sni);
            gen.writeEndObject();
            gen.writeEndObject();
        }
        if (host != null) {
            gen.writeObjectFieldStart("url");
            gen.writeStringField("domain", host);
            gen.writeEndObject();
        }
        if (ua != null) {
            gen.writeObjectFieldStart("user_agent");
            gen.writeStringField("original", ua);
            gen.writeEndObject();
        }
    }

    private void endpoint(String name, long hi, long lo, int port, long mac, long pkts, long bytes, String domain) throws IOException {
        gen.writeObjectFieldStart(name);
        gen.writeStringField("ip", Ip.toString(hi, lo));
        if (domain != null) gen.writeStringField("domain", domain);
        gen.writeNumberField("port", port);
        if (mac != 0) gen.writeStringField("mac", Mac.toString(mac));
        gen.writeNumberField("packets", pkts);
        gen.writeNumberField("bytes", bytes);
        gen.writeEndObject();
    }

    /** Opens ECS `event` (kind, dataset, category network, the given types); the caller adds fields and closes it. */
    private void startEventObject(String id, String dataset, String... types) throws IOException {
        gen.writeObjectFieldStart("event");
        gen.writeStringField("id", id);
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
            ecs(gen);
            startEventObject(EventIds.dns(e), "netsensor.dns", "protocol");
            gen.writeStringField("outcome", !e.responded ? "unknown" : e.rcode == 0 ? "success" : "failure");
            if (e.rttNanos >= 0) gen.writeNumberField("duration", e.rttNanos);
            gen.writeEndObject();
            gen.writeObjectFieldStart("network");
            gen.writeStringField("transport", e.transport.ecsName);
            gen.writeStringField("protocol", "dns");
            gen.writeStringField("direction", direction(e.direction, e.clientIpHi, e.clientIpLo, e.serverIpHi, e.serverIpLo));
            gen.writeStringField("type", Ip.isV4(e.clientIpHi, e.clientIpLo) ? "ipv4" : "ipv6");
            gen.writeStringField("community_id", communityId(e));
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
            gen.writeStringField("id", Integer.toString(e.transId)); // ECS keyword
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
            // No question (an mDNS announcement, a response-only record without one): no dns.question, not TYPE0/CLASS0
            if (e.qnameLen > 0 || e.qtype != 0 || e.qclass != 0) {
                gen.writeObjectFieldStart("question");
                gen.writeStringField("name", e.qnameLower());
                gen.writeStringField("type", DnsNames.type(e.qtype));
                gen.writeStringField("class", DnsNames.dclass(e.qclass));
                gen.writeEndObject();
            }
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
            }
            // present exactly when there is an address answer (never an empty list)
            boolean resolved = false;
            for (int i = 0; i < e.answerCount; i++) {
                if (e.answerEncoding[i] != DnsEvent.RDATA_ADDRESS) continue;
                if (!resolved) gen.writeArrayFieldStart("resolved_ip");
                resolved = true;
                gen.writeString(DnsAnswerText.render(e, i));
            }
            if (resolved) gen.writeEndArray();
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

    /** The Community ID v1 of a connection's flow (seed 0), to pivot to the same flow in Zeek, Suricata or Arkime. */
    public static String communityId(ConnEvent e) {
        return CommunityId.v1(e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.transport.ianaNumber);
    }

    /** The Community ID v1 of a burst's flow: the same as its connection records'. */
    public static String communityId(io.netsensor.events.BurstEvent e) {
        return CommunityId.v1(e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.transport.ianaNumber);
    }

    /** The Community ID v1 of the flow that carried a DNS transaction (client and server endpoints). */
    public static String communityId(DnsEvent e) {
        return CommunityId.v1(e.clientIpHi, e.clientIpLo, e.clientPort, e.serverIpHi, e.serverIpLo, e.serverPort, e.transport.ianaNumber);
    }

    /** Closes the top-level object and ends the line, so every record is a complete JSON line. */
    static void endRecord(JsonGenerator gen) throws IOException {
        gen.writeEndObject();
        gen.writeRaw('\n');
        gen.flush();
    }

    static void ecs(JsonGenerator gen) throws IOException {
        gen.writeObjectFieldStart("ecs");
        gen.writeStringField("version", ECS_VERSION);
        gen.writeEndObject();
    }

    /** ECS network.direction: the host's view of its own traffic, else the network (home_net) view. */
    private String direction(Direction networkView, long origHi, long origLo, long respHi, long respLo) {
        if (host != null) {
            if (host.isHostAddress(origHi, origLo)) return "egress";
            if (host.isHostAddress(respHi, respLo)) return "ingress";
        }
        return networkView.ecsName;
    }

    /** ECS process.* and user.* of an attributed record (details from the PROCESS record, when read). */
    private void process(Attribution a, int pid, long startNanos, long entityId) throws IOException {
        if (a != Attribution.RESOLVED) return;
        writeProcess(gen, pid, entityId, startNanos, processes.find(entityId));
    }

    /**
     * ECS process.* (pid, entity_id, start, name, executable, command_line, parent.pid, real_user.*) and
     * user.* of a process; p may be null (only the identity is known). Unknown values are left out. The
     * uid and user name are the real ones (/proc/PID/status), so process.real_user: ECS keeps
     * process.user for the effective user. user.* repeats them as the user the event is about. container.id:
     * the container the process runs in (kernel attribution, from its cgroup path).
     */
    static void writeProcess(JsonGenerator gen, int pid, long entityId, long startNanos, ProcessInfo p) throws IOException {
        gen.writeObjectFieldStart("process");
        gen.writeNumberField("pid", pid);
        if (entityId != 0) gen.writeStringField("entity_id", entityId(entityId));
        if (startNanos != 0) gen.writeStringField("start", time(startNanos));
        boolean user = p != null && (p.uid >= 0 || p.user != null);
        if (p != null) {
            if (p.name != null) gen.writeStringField("name", p.name);
            if (p.executable != null) gen.writeStringField("executable", p.executable);
            if (p.commandLine != null) gen.writeStringField("command_line", p.commandLine);
            if (p.ppid != 0) {
                gen.writeObjectFieldStart("parent");
                gen.writeNumberField("pid", p.ppid);
                gen.writeEndObject();
            }
            if (user) userFields(gen, "real_user", p);
        }
        gen.writeEndObject();
        if (user) userFields(gen, "user", p);
        if (p != null && p.containerId != null) {
            gen.writeObjectFieldStart("container");
            gen.writeStringField("id", p.containerId);
            gen.writeEndObject();
        }
    }

    private static void userFields(JsonGenerator gen, String name, ProcessInfo p) throws IOException {
        gen.writeObjectFieldStart(name);
        if (p.uid >= 0) gen.writeStringField("id", Integer.toString(p.uid));
        if (p.user != null) gen.writeStringField("name", p.user);
        gen.writeEndObject();
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
