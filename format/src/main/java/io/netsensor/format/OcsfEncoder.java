package io.netsensor.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.Mac;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * OCSF 1.8.0 events, one JSON document per record: connections as Network Activity (4001), DNS transactions
 * as DNS Activity (4003), bursts inside a connection as Network Activity "Traffic", alerts as Detection Finding (2004), the local process and its user as
 * {@code actor.process}/{@code actor.user} (the host profile, named in {@code metadata.profiles}), the sensor
 * host as {@code device} and {@code metadata.reporter}. Telemetry rows are summaries of many flows, which OCSF
 * models as activity 6 "Traffic" with {@code count}, {@code start_time}/{@code end_time} and the traffic sums:
 * a CONN row as Network Activity Traffic, a DNS row as DNS Activity Traffic whose {@code query.hostname} is the
 * registered domain (so a SIEM searches rollups and raw DNS by the same field). Every time is epoch
 * milliseconds; what OCSF has no attribute for lives in {@code unmapped} (OCSF's place for source-specific data).
 */
public final class OcsfEncoder implements RecordEncoder {
    public static final String OCSF_VERSION = "1.8.0";
    public static final int NETWORK_ACTIVITY = 4001, DNS_ACTIVITY = 4003, DETECTION_FINDING = 2004;

    private static final String[] NETWORK_ACTIVITIES = {"Unknown", "Open", "Close", "Reset", "Fail", "Refuse", "Traffic", "Listen"};
    private static final String[] DNS_ACTIVITIES = {"Unknown", "Query", "Response", null, null, null, "Traffic"};
    private static final String[] RCODES = {"NoError", "FormError", "ServError", "NXDomain", "NotImp", "Refused", "YXDomain",
            "YXRRSet", "NXRRSet", "NotAuth", "NotZone", "DSOTYPENI", null, null, null, null, "BADSIG_VERS", "BADKEY", "BADTIME",
            "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE"};

    private final JsonBuffer out = new JsonBuffer();
    private final EncoderContext ctx;
    private final Processes processes;

    public OcsfEncoder(EncoderContext ctx) {
        this.ctx = ctx;
        this.processes = new Processes(ctx.processes());
    }

    /** OCSF severity_id of an alert severity (Low 2, Medium 3, High 4, Critical 5; 1 is Informational). */
    public static int severityId(Severity s) {
        switch (s) {
            case LOW: return 2;
            case MEDIUM: return 3;
            case HIGH: return 4;
            default: return 5;
        }
    }

    @Override
    public byte[] process(ProcessEvent e) {
        processes.put(e);
        return null; // the processes appear in the documents of their records
    }

    @Override
    public byte[] conn(ConnEvent e) {
        JsonGenerator g = out.start();
        try {
            boolean end = e.phase == ConnEvent.Phase.END;
            int activity = activity(e);
            ProcessInfo p = attributed(e.attribution, e.processEntityId, e.pid, e.processStartNanos);
            g.writeStartObject();
            classification(g, NETWORK_ACTIVITY, "Network Activity", activity, NETWORK_ACTIVITIES[activity], 1);
            g.writeNumberField("time", ms(end ? e.endNanos : e.startNanos));
            g.writeNumberField("start_time", ms(e.startNanos));
            if (end) {
                g.writeNumberField("end_time", ms(e.endNanos));
                g.writeNumberField("duration", Math.max(0, e.durationNanos()) / 1_000_000);
            }
            ConnState.Outcome o = e.state.outcome();
            status(g, o == ConnState.Outcome.ESTABLISHED ? 1 : o == ConnState.Outcome.OTHER ? 0 : 2);
            metadata(g, "conn", Long.toUnsignedString(e.flowId, 16), p != null || ctx.hostName() != null);
            endpoint(g, "src_endpoint", e.origIpHi, e.origIpLo, e.origPort, e.origMac, e.vlan);
            endpoint(g, "dst_endpoint", e.respIpHi, e.respIpLo, e.respPort, e.respMac, e.vlan);
            g.writeBooleanField("is_src_dst_assignment_known", e.historyLen > 0 && e.history[0] == 'S');
            g.writeObjectFieldStart("connection_info");
            g.writeStringField("uid", Long.toUnsignedString(e.flowId, 16));
            g.writeStringField("community_uid", EventJson.communityId(e));
            protocol(g, e.transport, Ip.isV4(e.origIpHi, e.origIpLo));
            direction(g, e.direction);
            g.writeStringField("flag_history", e.historyString());
            g.writeEndObject();
            g.writeObjectFieldStart("traffic");
            g.writeNumberField("bytes", e.origIpBytes + e.respIpBytes);
            g.writeNumberField("bytes_out", e.origIpBytes);
            g.writeNumberField("bytes_in", e.respIpBytes);
            g.writeNumberField("packets", e.origPkts + e.respPkts);
            g.writeNumberField("packets_out", e.origPkts);
            g.writeNumberField("packets_in", e.respPkts);
            g.writeEndObject();
            actor(g, e.attribution, e.pid, e.processEntityId, e.processStartNanos, p);
            device(g);
            g.writeObjectFieldStart("unmapped");
            g.writeStringField("phase", e.phase.name().toLowerCase());
            if (end) g.writeStringField("end_reason", e.endReason.name().toLowerCase());
            g.writeStringField("conn_state", e.state.name());
            g.writeStringField("outcome", o.text);
            g.writeNumberField("orig_payload_bytes", e.origBytes);
            g.writeNumberField("resp_payload_bytes", e.respBytes);
            if (e.innerVlan != 0) g.writeNumberField("inner_vlan", e.innerVlan);
            if (e.attribution != Attribution.UNKNOWN) g.writeStringField("attribution", e.attribution.ecsName);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    /** Open at the handshake; at the end Refuse (REJ), Fail (no answer), Reset (RST), else Close. */
    private static int activity(ConnEvent e) {
        if (e.phase == ConnEvent.Phase.OPEN) return 1;
        ConnState.Outcome o = e.state.outcome();
        if (o == ConnState.Outcome.REJECTED) return 5;
        if (o == ConnState.Outcome.NO_ANSWER) return 4;
        if (e.endReason == ConnEvent.EndReason.RST) return 3;
        return 2;
    }

    /**
     * A burst as Network Activity 6 "Traffic" (a report of the traffic of one exchange, not a change of the
     * connection's state): the connection's endpoints and {@code connection_info.uid} (its flow id, also
     * {@code metadata.correlation_uid}, so a SIEM joins it to the connection's Open and Close), the burst's
     * payload bytes and payload packets per side in {@code traffic}, its index and the idle time before it
     * in {@code unmapped}. {@code time} is the burst's start, the check-in time.
     */
    @Override
    public byte[] burst(BurstEvent e) {
        JsonGenerator g = out.start();
        try {
            ProcessInfo p = attributed(e.attribution, e.processEntityId, e.pid, e.processStartNanos);
            String flow = Long.toUnsignedString(e.flowId, 16);
            g.writeStartObject();
            classification(g, NETWORK_ACTIVITY, "Network Activity", 6, "Traffic", 1);
            g.writeNumberField("time", ms(e.startNanos));
            g.writeNumberField("start_time", ms(e.startNanos));
            g.writeNumberField("end_time", ms(e.endNanos));
            g.writeNumberField("duration", Math.max(0, e.endNanos - e.startNanos) / 1_000_000);
            metadata(g, "burst", flow, p != null || ctx.hostName() != null);
            endpoint(g, "src_endpoint", e.origIpHi, e.origIpLo, e.origPort, e.origMac, e.vlan);
            g.writeObjectFieldStart("dst_endpoint");
            endpointFields(g, e.respIpHi, e.respIpLo, e.respPort, e.respMac, e.vlan);
            String domain = e.names.text(ConnNames.DNS);
            if (domain != null) g.writeStringField("hostname", domain);
            g.writeEndObject();
            // as on connection records: known when the handshake showed who opened the flow
            g.writeBooleanField("is_src_dst_assignment_known", e.flowStartSeen() && e.transport == Transport.TCP);
            g.writeObjectFieldStart("connection_info");
            g.writeStringField("uid", flow);
            g.writeStringField("community_uid", EventJson.communityId(e));
            protocol(g, e.transport, Ip.isV4(e.origIpHi, e.origIpLo));
            direction(g, e.direction);
            g.writeEndObject();
            g.writeObjectFieldStart("traffic");
            g.writeNumberField("bytes", (long) e.origBytes + e.respBytes);
            g.writeNumberField("bytes_out", e.origBytes);
            g.writeNumberField("bytes_in", e.respBytes);
            g.writeNumberField("packets", (long) e.origPkts + e.respPkts);
            g.writeNumberField("packets_out", e.origPkts);
            g.writeNumberField("packets_in", e.respPkts);
            g.writeEndObject();
            actor(g, e.attribution, e.pid, e.processEntityId, e.processStartNanos, p);
            device(g);
            g.writeObjectFieldStart("unmapped");
            g.writeNumberField("burst_index", e.index);
            if (e.gapNanos >= 0) g.writeNumberField("idle_before", e.gapNanos / 1_000_000); // ms, as duration
            g.writeNumberField("flow_start_time", ms(e.flowStartNanos));
            g.writeBooleanField("flow_start_seen", e.flowStartSeen());
            String sni = e.names.text(ConnNames.SNI), host = e.names.text(ConnNames.HTTP_HOST), ua = e.names.text(ConnNames.USER_AGENT);
            if (sni != null) g.writeStringField("server_name", sni);
            if (host != null) g.writeStringField("http_host", host);
            if (ua != null) g.writeStringField("user_agent", ua);
            if (e.innerVlan != 0) g.writeNumberField("inner_vlan", e.innerVlan);
            if (e.attribution != Attribution.UNKNOWN) g.writeStringField("attribution", e.attribution.ecsName);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    @Override
    public byte[] dns(DnsEvent e) {
        JsonGenerator g = out.start();
        try {
            int activity = e.queried && e.responded ? 6 : e.queried ? 1 : 2;
            ProcessInfo p = attributed(e.attribution, e.processEntityId, e.pid, e.processStartNanos);
            g.writeStartObject();
            classification(g, DNS_ACTIVITY, "DNS Activity", activity, DNS_ACTIVITIES[activity], 1);
            g.writeNumberField("time", ms(e.tsNanos));
            if (e.queried) g.writeNumberField("query_time", ms(e.tsNanos));
            if (e.responded) g.writeNumberField("response_time", ms(e.tsNanos + Math.max(0, e.rttNanos)));
            if (e.rttNanos >= 0) g.writeNumberField("duration", e.rttNanos / 1_000_000);
            status(g, !e.responded ? 0 : e.rcode == 0 ? 1 : 2);
            metadata(g, "dns", null, p != null || ctx.hostName() != null);
            endpoint(g, "src_endpoint", e.clientIpHi, e.clientIpLo, e.clientPort, e.clientMac, e.vlan);
            endpoint(g, "dst_endpoint", e.serverIpHi, e.serverIpLo, e.serverPort, 0, e.vlan);
            g.writeObjectFieldStart("connection_info");
            g.writeStringField("community_uid", EventJson.communityId(e));
            protocol(g, e.transport, Ip.isV4(e.clientIpHi, e.clientIpLo));
            direction(g, e.direction);
            g.writeEndObject();
            // a response with no question (an mDNS announcement) has no query: dns_query requires a hostname
            if (e.qnameLen > 0 || e.qtype != 0) {
                g.writeObjectFieldStart("query");
                g.writeStringField("hostname", e.qnameLower());
                g.writeStringField("type", DnsNames.type(e.qtype));
                g.writeStringField("class", DnsNames.dclass(e.qclass));
                opcode(g, e.opcode);
                g.writeNumberField("packet_uid", e.transId);
                g.writeEndObject();
            }
            if (e.answerCount > 0) {
                g.writeArrayFieldStart("answers");
                for (int i = 0; i < e.answerCount; i++) {
                    g.writeStartObject();
                    g.writeStringField("rdata", DnsAnswerText.render(e, i));
                    g.writeStringField("type", DnsNames.type(e.answerType[i]));
                    g.writeStringField("class", DnsNames.dclass(e.answerClass[i]));
                    g.writeNumberField("ttl", e.answerTtl[i]);
                    g.writeNumberField("packet_uid", e.transId);
                    flags(g, e.flags);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (e.responded) {
                int rc = e.rcode;
                String caption = rc >= 0 && rc < RCODES.length ? RCODES[rc] : null;
                g.writeNumberField("rcode_id", caption != null ? rc : 99);
                g.writeStringField("rcode", caption != null ? caption : DnsNames.rcode(rc));
            }
            actor(g, e.attribution, e.pid, e.processEntityId, e.processStartNanos, p);
            device(g);
            g.writeObjectFieldStart("unmapped");
            g.writeStringField("query_as_sent", e.qnameString());
            g.writeBooleanField("queried", e.queried);
            g.writeBooleanField("responded", e.responded);
            g.writeNumberField("query_count", e.queryCount);
            if (e.answersTruncated) g.writeBooleanField("answers_truncated", true);
            if (e.attribution != Attribution.UNKNOWN) g.writeStringField("attribution", e.attribution.ecsName);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    @Override
    public byte[] alert(Alert a) {
        processes.put(a.process);
        JsonGenerator g = out.start();
        try {
            g.writeStartObject();
            classification(g, DETECTION_FINDING, "Detection Finding", 1, "Create", severityId(a.severity));
            g.writeNumberField("time", ms(a.lastSeenNanos));
            g.writeNumberField("start_time", ms(a.firstSeenNanos));
            g.writeNumberField("end_time", ms(a.lastSeenNanos));
            g.writeNumberField("count", a.count);
            if (a.summary != null) g.writeStringField("message", a.summary);
            g.writeNumberField("status_id", 1);
            g.writeStringField("status", "New");
            g.writeBooleanField("is_alert", true);
            g.writeNumberField("risk_score", Math.round(a.score * 100));
            metadata(g, "alert", null, true);
            g.writeObjectFieldStart("finding_info");
            g.writeStringField("uid", a.id);
            g.writeStringField("title", a.summary != null ? a.summary : a.detector.label);
            g.writeNumberField("first_seen_time", ms(a.firstSeenNanos));
            g.writeNumberField("last_seen_time", ms(a.lastSeenNanos));
            g.writeArrayFieldStart("types");
            g.writeString(a.detector.label);
            g.writeEndArray();
            g.writeObjectFieldStart("analytic");
            g.writeStringField("uid", a.detector.label);
            g.writeStringField("name", a.detector.label);
            // the detectors score behaviour over time (intervals, fan-out, name entropy), not a signature
            g.writeNumberField("type_id", 2);
            g.writeStringField("type", "Behavioral");
            g.writeEndObject();
            g.writeArrayFieldStart("attacks");
            for (MitreAttack.Technique t : MitreAttack.of(a.detector)) {
                g.writeStartObject();
                entity(g, "tactic", t.tacticId(), t.tactic());
                entity(g, "technique", t.id(), t.name());
                if (t.subId() != null) entity(g, "sub_technique", t.subId(), t.subName());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("evidences");
            g.writeStartObject();
            g.writeObjectFieldStart("src_endpoint");
            if (a.hostIp != null) g.writeStringField("ip", a.hostIp);
            if (a.hostMac != null) g.writeStringField("mac", a.hostMac);
            if (a.hostIp == null && a.hostMac == null) g.writeStringField("name", "unknown");
            g.writeEndObject();
            if (a.remoteIp != null || a.remotePort != null) {
                g.writeObjectFieldStart("dst_endpoint");
                if (a.remoteIp != null) g.writeStringField("ip", a.remoteIp);
                if (a.remotePort != null) g.writeNumberField("port", a.remotePort);
                // fanout: a service port with many peers and no single one; the endpoint needs something to name it
                if (a.remoteIp == null) g.writeStringField("name", "many peers");
                g.writeEndObject();
            }
            if (a.process != null) process(g, "process", a.process.pid, a.process.entityId, a.process.startNanos, a.process);
            g.writeFieldName("data");
            AlertJson.value(g, a.evidence);
            g.writeEndObject();
            g.writeEndArray();
            if (a.process != null) actor(g, Attribution.RESOLVED, a.process.pid, a.process.entityId, a.process.startNanos, a.process);
            // the affected host: the local endpoint the alert is about (the sensor host, or a LAN client on a gateway)
            g.writeObjectFieldStart("device");
            if (a.hostIp != null) g.writeStringField("ip", a.hostIp);
            if (a.hostMac != null) g.writeStringField("mac", a.hostMac);
            // a MAC marks a LAN client behind a gateway (Alert.hostMac); otherwise the host is the sensor's own
            if (a.hostMac == null && ctx.hostName() != null) g.writeStringField("hostname", ctx.hostName());
            if (a.hostIp == null && a.hostMac == null && ctx.hostName() == null) g.writeStringField("name", "unknown");
            g.writeNumberField("type_id", 0);
            g.writeStringField("type", "Unknown");
            g.writeEndObject();
            g.writeObjectFieldStart("unmapped");
            g.writeStringField("severity", a.severity.label);
            g.writeNumberField("score", Math.round(a.score * 1e4) / 1e4);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    @Override
    public byte[] telemetry(TelemetryRow r) {
        JsonGenerator g = out.start();
        try {
            boolean conn = r.kind == TelemetryRow.Kind.CONN;
            ProcessInfo p = r.processEntityId == 0 ? null : processOrIdentity(r.processEntityId, r.pid, 0);
            g.writeStartObject();
            if (conn) classification(g, NETWORK_ACTIVITY, "Network Activity", 6, "Traffic", 1);
            else classification(g, DNS_ACTIVITY, "DNS Activity", 6, "Traffic", 1);
            g.writeNumberField("time", ms(r.intervalEndNanos));
            g.writeNumberField("start_time", ms(r.intervalStartNanos));
            g.writeNumberField("end_time", ms(r.intervalEndNanos));
            g.writeNumberField("count", conn ? r.connections : r.queries);
            metadata(g, conn ? "telemetry.conn" : "telemetry.dns", null, p != null || ctx.hostName() != null);
            g.writeObjectFieldStart("src_endpoint");
            if (r.other) {
                g.writeStringField("name", "other"); // the keys past the interval's row cap, folded together
            } else {
                g.writeStringField("ip", r.localIp);
                if (r.localMac != null) g.writeStringField("mac", r.localMac);
            }
            g.writeEndObject();
            if (conn && !r.other) {
                g.writeObjectFieldStart("dst_endpoint");
                g.writeStringField("ip", r.remoteIp);
                g.writeNumberField("port", r.remotePort);
                if (!r.names.isEmpty()) g.writeStringField("hostname", r.names.get(0));
                g.writeEndObject();
                if (r.transport != null) {
                    g.writeObjectFieldStart("connection_info");
                    protocol(g, r.transport, r.remoteIp.indexOf(':') < 0);
                    g.writeNumberField("direction_id", 0); // a row sums both directions of the key's flows
                    g.writeStringField("direction", "Unknown");
                    g.writeEndObject();
                }
            }
            if (conn) {
                g.writeObjectFieldStart("traffic");
                g.writeNumberField("bytes", r.bytesOut + r.bytesIn);
                g.writeNumberField("bytes_out", r.bytesOut);
                g.writeNumberField("bytes_in", r.bytesIn);
                g.writeNumberField("packets", r.packetsOut + r.packetsIn);
                g.writeNumberField("packets_out", r.packetsOut);
                g.writeNumberField("packets_in", r.packetsIn);
                g.writeEndObject();
            } else if (!r.other) {
                g.writeObjectFieldStart("query");
                g.writeStringField("hostname", r.domain);
                g.writeEndObject();
            }
            if (p != null) actor(g, Attribution.RESOLVED, r.pid, r.processEntityId, 0, p);
            device(g);
            g.writeObjectFieldStart("unmapped");
            if (conn) {
                g.writeNumberField("connections", r.connections);
                g.writeNumberField("rejected", r.rejected);
                g.writeNumberField("no_answer", r.noAnswer);
                if (r.firstSeenNanos != 0) g.writeNumberField("first_seen_time", ms(r.firstSeenNanos));
                if (r.lastSeenNanos != 0) g.writeNumberField("last_seen_time", ms(r.lastSeenNanos));
                if (!r.names.isEmpty()) {
                    g.writeArrayFieldStart("names");
                    for (String n : r.names) g.writeString(n);
                    g.writeEndArray();
                }
            } else {
                g.writeNumberField("queries", r.queries);
                g.writeNumberField("nxdomains", r.nxdomains);
                g.writeNumberField("distinct_names", r.distinctNames);
                g.writeObjectFieldStart("query_types");
                for (Map.Entry<String, Long> t : r.queryTypes.entrySet()) g.writeNumberField(TelemetryJson.typeName(t.getKey()), t.getValue());
                g.writeEndObject();
            }
            if (r.other) {
                g.writeBooleanField("other", true);
                g.writeNumberField("folded_records", r.foldedRows);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    static long ms(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    /** class, category, activity and type ids with their captions; type_uid = class_uid * 100 + activity_id. */
    private static void classification(JsonGenerator g, int classUid, String className, int activityId, String activityName,
                                       int severityId) throws IOException {
        int category = classUid / 1000;
        g.writeNumberField("class_uid", classUid);
        g.writeStringField("class_name", className);
        g.writeNumberField("category_uid", category);
        g.writeStringField("category_name", category == 4 ? "Network Activity" : "Findings");
        g.writeNumberField("activity_id", activityId);
        g.writeStringField("activity_name", activityName);
        g.writeNumberField("type_uid", classUid * 100L + activityId);
        g.writeStringField("type_name", className + ": " + activityName);
        g.writeNumberField("severity_id", severityId);
        g.writeStringField("severity", SEVERITIES[severityId]);
    }

    private static final String[] SEVERITIES = {"Unknown", "Informational", "Low", "Medium", "High", "Critical"};

    private static void status(JsonGenerator g, int id) throws IOException {
        g.writeNumberField("status_id", id);
        g.writeStringField("status", id == 1 ? "Success" : id == 2 ? "Failure" : "Unknown");
    }

    private void metadata(JsonGenerator g, String logName, String correlationUid, boolean hostProfile) throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("version", OCSF_VERSION);
        g.writeObjectFieldStart("product");
        g.writeStringField("name", "netsensor");
        g.writeStringField("vendor_name", "netsensor");
        g.writeStringField("version", ctx.version());
        g.writeEndObject();
        g.writeStringField("log_name", logName);
        if (correlationUid != null) g.writeStringField("correlation_uid", correlationUid); // a flow's OPEN and END records
        if (hostProfile) {
            g.writeArrayFieldStart("profiles");
            g.writeString("host");
            g.writeEndArray();
        }
        if (ctx.hostName() != null) {
            g.writeObjectFieldStart("reporter");
            g.writeStringField("name", "netsensor");
            g.writeStringField("hostname", ctx.hostName());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void endpoint(JsonGenerator g, String field, long hi, long lo, int port, long mac, int vlan) throws IOException {
        g.writeObjectFieldStart(field);
        endpointFields(g, hi, lo, port, mac, vlan);
        g.writeEndObject();
    }

    private static void endpointFields(JsonGenerator g, long hi, long lo, int port, long mac, int vlan) throws IOException {
        g.writeStringField("ip", Ip.toString(hi, lo));
        g.writeNumberField("port", port);
        if (mac != 0) g.writeStringField("mac", Mac.toString(mac));
        if (vlan != 0) g.writeStringField("vlan_uid", Integer.toString(vlan));
    }

    private static void protocol(JsonGenerator g, Transport t, boolean v4) throws IOException {
        g.writeNumberField("protocol_num", t.ianaNumber);
        g.writeStringField("protocol_name", t.ecsName);
        g.writeNumberField("protocol_ver_id", v4 ? 4 : 6);
    }

    /**
     * OCSF's direction is the network's view, as netsensor's home_net one: outbound, inbound, lateral (both
     * ends inside) and, for traffic between two outside ends (a gateway forwarding), Other "External".
     */
    private static void direction(JsonGenerator g, Direction d) throws IOException {
        int id;
        String name;
        switch (d) {
            case OUTBOUND: id = 2; name = "Outbound"; break;
            case INBOUND: id = 1; name = "Inbound"; break;
            case INTERNAL: id = 3; name = "Lateral"; break;
            default: id = 99; name = "External"; break;
        }
        g.writeNumberField("direction_id", id);
        g.writeStringField("direction", name);
        g.writeNumberField("boundary_id", d == Direction.INTERNAL ? 2 : 3);
        g.writeStringField("boundary", d == Direction.INTERNAL ? "Internal" : "External");
    }

    private static void opcode(JsonGenerator g, int opcode) throws IOException {
        String[] names = {"Query", "Inverse Query", "Status", "Reserved", "Notify", "Update", "DSO Message"};
        g.writeNumberField("opcode_id", opcode >= 0 && opcode < names.length ? opcode : 99);
        g.writeStringField("opcode", opcode >= 0 && opcode < names.length ? names[opcode] : DnsNames.opcode(opcode));
    }

    /** The response's header flags, as dns_answer.flag_ids (AA 1, TC 2, RD 3, RA 4, AD 5, CD 6) and their captions. */
    private static void flags(JsonGenerator g, int flags) throws IOException {
        int[] bits = {DnsEvent.FLAG_AA, DnsEvent.FLAG_TC, DnsEvent.FLAG_RD, DnsEvent.FLAG_RA, DnsEvent.FLAG_AD, DnsEvent.FLAG_CD};
        String[] names = {"Authoritative Answer", "Truncated Response", "Recursion Desired", "Recursion Available",
                "Authentic Data", "Checking Disabled"};
        g.writeArrayFieldStart("flag_ids");
        for (int i = 0; i < bits.length; i++) if ((flags & bits[i]) != 0) g.writeNumber(i + 1);
        g.writeEndArray();
        g.writeArrayFieldStart("flags");
        for (int i = 0; i < bits.length; i++) if ((flags & bits[i]) != 0) g.writeString(names[i]);
        g.writeEndArray();
    }

    private static void entity(JsonGenerator g, String field, String uid, String name) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("uid", uid);
        g.writeStringField("name", name);
        g.writeEndObject();
    }

    private ProcessInfo attributed(Attribution a, long entityId, int pid, long startNanos) {
        return a == Attribution.RESOLVED ? processOrIdentity(entityId, pid, startNanos) : null;
    }

    private ProcessInfo processOrIdentity(long entityId, int pid, long startNanos) {
        ProcessInfo p = processes.find(entityId);
        return p != null ? p : ProcessInfo.identityOnly(entityId, pid, startNanos);
    }

    /** actor.process and actor.user (the process's real user) of an attributed record. */
    private void actor(JsonGenerator g, Attribution a, int pid, long entityId, long startNanos, ProcessInfo p) throws IOException {
        if (a != Attribution.RESOLVED || p == null) return;
        g.writeObjectFieldStart("actor");
        process(g, "process", pid, entityId, startNanos, p);
        if (p.uid >= 0 || p.user != null) user(g, p);
        g.writeEndObject();
    }

    /** OCSF process: pid, uid (the entity id), name, path, cmd_line, created_time, parent_process, user. */
    private static void process(JsonGenerator g, String field, int pid, long entityId, long startNanos, ProcessInfo p) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("pid", pid);
        if (entityId != 0) g.writeStringField("uid", EventJson.entityId(entityId));
        if (p.name != null) g.writeStringField("name", p.name);
        if (p.executable != null) {
            g.writeStringField("path", p.executable);
            g.writeObjectFieldStart("file");
            g.writeStringField("path", p.executable);
            g.writeStringField("name", p.executable.substring(p.executable.lastIndexOf('/') + 1));
            g.writeNumberField("type_id", 1);
            g.writeStringField("type", "Regular File");
            g.writeEndObject();
        }
        if (p.commandLine != null) g.writeStringField("cmd_line", p.commandLine);
        long start = startNanos != 0 ? startNanos : p.startNanos;
        if (start != 0) g.writeNumberField("created_time", ms(start));
        if (p.ppid != 0) {
            g.writeObjectFieldStart("parent_process");
            g.writeNumberField("pid", p.ppid);
            g.writeEndObject();
        }
        if (p.uid >= 0 || p.user != null) user(g, p);
        g.writeEndObject();
    }

    private static void user(JsonGenerator g, ProcessInfo p) throws IOException {
        g.writeObjectFieldStart("user");
        if (p.user != null) g.writeStringField("name", p.user);
        if (p.uid >= 0) g.writeStringField("uid", Integer.toString(p.uid));
        // uid 0 is root; other accounts cannot be told apart as people or services from a uid alone
        g.writeNumberField("type_id", p.uid == 0 ? 2 : 0);
        g.writeStringField("type", p.uid == 0 ? "Admin" : "Unknown");
        g.writeEndObject();
    }

    /** The sensor host, where the record was observed. */
    private void device(JsonGenerator g) throws IOException {
        if (ctx.hostName() == null) return;
        g.writeObjectFieldStart("device");
        g.writeStringField("hostname", ctx.hostName());
        g.writeNumberField("type_id", 0);
        g.writeStringField("type", "Unknown");
        g.writeEndObject();
    }
}
