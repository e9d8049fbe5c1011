package io.netsensor.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.events.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * One ECS 9.4 document per alert ({@code event.kind: alert}), every value in its ECS home: the alert id in
 * event.id, the detector in rule.id/rule.name, severity as event.severity (a number) with event.risk_score
 * (score × 100), the summary as message, first/last seen as event.start/event.end, the local endpoint as
 * source.* and host.*, the remote one as destination.*, both in related.ip, the MITRE ATT&CK mapping in
 * threat.*; what ECS has no field for (the severity's name, the count, the evidence) under netsensor.*.
 */
public final class AlertJson {
    private final JsonGenerator gen;
    private final String hostName;

    public AlertJson(JsonGenerator gen) {
        this(gen, null);
    }

    public AlertJson(JsonGenerator gen, String hostName) {
        this.gen = gen;
        this.hostName = hostName;
    }

    /**
     * ECS event.severity of a severity: the numbers Elastic's detection rules use for low, medium, high and
     * critical (21, 47, 73, 99), so the alerts sort and filter with theirs.
     */
    public static int ecsSeverity(Severity s) {
        switch (s) {
            case LOW: return 21;
            case MEDIUM: return 47;
            case HIGH: return 73;
            default: return 99;
        }
    }

    public void write(Alert a) {
        write(a, a.detector.label, MitreAttack.of(a.detector));
    }

    /**
     * An alert raised outside the agent's detectors (the fleet view's cross-host rules), in the same shape:
     * {@code rule} is its rule.id/name and {@code techniques} its threat.* mapping; {@code a.detector} is not read.
     */
    public void write(Alert a, String rule, java.util.List<MitreAttack.Technique> techniques) {
        try {
            gen.writeStartObject();
            gen.writeStringField("@timestamp", EventJson.time(a.lastSeenNanos));
            EventJson.ecs(gen);
            if (a.summary != null) gen.writeStringField("message", a.summary);
            gen.writeObjectFieldStart("event");
            gen.writeStringField("kind", "alert");
            gen.writeStringField("dataset", "netsensor.alert");
            gen.writeArrayFieldStart("category");
            gen.writeString("intrusion_detection");
            gen.writeString("network");
            gen.writeEndArray();
            gen.writeArrayFieldStart("type");
            gen.writeString("info"); // the one type both categories allow; a sensor that only watches never "denied"
            gen.writeEndArray();
            gen.writeStringField("id", EventIds.alert(a)); // one document per alert and severity step; the alert's own id is netsensor.alert_id
            gen.writeNumberField("severity", ecsSeverity(a.severity));
            gen.writeNumberField("risk_score", Math.round(a.score * 1000) / 10.0);
            gen.writeStringField("start", EventJson.time(a.firstSeenNanos));
            gen.writeStringField("end", EventJson.time(a.lastSeenNanos));
            gen.writeEndObject();
            gen.writeObjectFieldStart("rule");
            gen.writeStringField("id", rule);
            gen.writeStringField("name", rule);
            gen.writeEndObject();
            gen.writeObjectFieldStart("source");
            if (a.hostIp != null) gen.writeStringField("ip", a.hostIp);
            if (a.hostMac != null) gen.writeStringField("mac", a.hostMac);
            gen.writeEndObject();
            if (a.remoteIp != null || a.remotePort != null) { // fanout: many peers on one port, so a port alone
                gen.writeObjectFieldStart("destination");
                if (a.remoteIp != null) gen.writeStringField("ip", a.remoteIp);
                if (a.remotePort != null) gen.writeNumberField("port", a.remotePort);
                Object domain = a.evidence.get("destination_domain");
                if (domain == null) domain = a.evidence.get("remote_name");
                if (domain != null) gen.writeStringField("domain", domain.toString());
                gen.writeEndObject();
            }
            Object sni = a.evidence.get("tls_server_name"), host = a.evidence.get("http_host"), ua = a.evidence.get("user_agent");
            if (sni != null) {
                gen.writeObjectFieldStart("tls");
                gen.writeObjectFieldStart("client");
                gen.writeStringField("server_name", sni.toString());
                gen.writeEndObject();
                gen.writeEndObject();
            }
            if (host != null) {
                gen.writeObjectFieldStart("url");
                gen.writeStringField("domain", host.toString());
                gen.writeEndObject();
            }
            if (ua != null) {
                gen.writeObjectFieldStart("user_agent");
                gen.writeStringField("original", ua.toString());
                gen.writeEndObject();
            }
            String[] flow = connectionOf(a);
            if (flow != null) { // the connection an in-connection beacon lives in: pivot to its records and to Zeek's
                gen.writeObjectFieldStart("network");
                gen.writeStringField("transport", flow[0]);
                gen.writeStringField("community_id", flow[1]);
                gen.writeEndObject();
            }
            gen.writeObjectFieldStart("related");
            gen.writeArrayFieldStart("ip");
            if (a.hostIp != null) gen.writeString(a.hostIp);
            if (a.remoteIp != null && !a.remoteIp.equals(a.hostIp)) gen.writeString(a.remoteIp);
            gen.writeEndArray();
            gen.writeEndObject();
            gen.writeObjectFieldStart("host");
            if (a.hostIp != null) gen.writeStringField("ip", a.hostIp);
            if (a.hostMac != null) gen.writeStringField("mac", a.hostMac);
            if (hostName != null) gen.writeStringField("name", hostName);
            gen.writeEndObject();
            if (a.process != null) {
                EventJson.writeProcess(gen, a.process.pid, a.process.entityId, a.process.startNanos, a.process);
            }
            threat(techniques);
            gen.writeObjectFieldStart("netsensor");
            gen.writeStringField("alert_id", a.id); // stable across re-alerts: what a SIEM groups an alert's updates by
            gen.writeStringField("severity", a.severity.label);
            gen.writeNumberField("count", a.count);
            gen.writeFieldName("evidence");
            value(gen, a.evidence);
            gen.writeEndObject();
            EventJson.endRecord(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** threat.*: the detector's ATT&CK mapping (see {@link MitreAttack}), each ECS field an array in the same order. */
    private void threat(java.util.List<MitreAttack.Technique> ts) throws IOException {
        gen.writeObjectFieldStart("threat");
        gen.writeStringField("framework", "MITRE ATT&CK");
        gen.writeObjectFieldStart("tactic");
        strings("id", ts.stream().map(MitreAttack.Technique::tacticId).toArray(String[]::new));
        strings("name", ts.stream().map(MitreAttack.Technique::tactic).toArray(String[]::new));
        gen.writeEndObject();
        gen.writeObjectFieldStart("technique");
        strings("id", ts.stream().map(MitreAttack.Technique::id).toArray(String[]::new));
        strings("name", ts.stream().map(MitreAttack.Technique::name).toArray(String[]::new));
        gen.writeObjectFieldStart("subtechnique");
        strings("id", ts.stream().map(MitreAttack.Technique::subId).toArray(String[]::new));
        strings("name", ts.stream().map(MitreAttack.Technique::subName).toArray(String[]::new));
        gen.writeEndObject();
        gen.writeEndObject();
        gen.writeEndObject();
    }

    /** A string array of the non-null values. */
    private void strings(String field, String... values) throws IOException {
        gen.writeArrayFieldStart(field);
        for (String v : values) if (v != null) gen.writeString(v);
        gen.writeEndArray();
    }

    /**
     * Transport and Community ID of the connection named in the evidence ({@code connection}: transport,
     * source_ip/port, destination_ip/port, as a beacon inside a connection states it); null when none.
     */
    static String[] connectionOf(Alert a) {
        if (!(a.evidence.get("connection") instanceof Map<?, ?> c)) return null;
        if (!(c.get("transport") instanceof String t) || !(c.get("source_ip") instanceof String src)
                || !(c.get("destination_ip") instanceof String dst) || !(c.get("source_port") instanceof Number sp)
                || !(c.get("destination_port") instanceof Number dp)) {
            return null;
        }
        int proto = t.equals("tcp") ? 6 : t.equals("udp") ? 17 : -1;
        if (proto < 0) return null;
        try {
            long[] s = io.netsensor.events.Ip.parse(src), d = io.netsensor.events.Ip.parse(dst);
            return new String[] {t, CommunityId.v1(s[0], s[1], sp.intValue(), d[0], d[1], dp.intValue(), proto)};
        } catch (IllegalArgumentException e) {
            return null; // evidence from another writer: no pivot rather than no alert
        }
    }

    /** An evidence value as JSON: maps, lists, primitive arrays, numbers (finite doubles to 4 places), booleans, else text. */
    static void value(JsonGenerator gen, Object v) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof Map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                gen.writeFieldName(String.valueOf(e.getKey()));
                value(gen, e.getValue());
            }
            gen.writeEndObject();
        } else if (v instanceof Collection) {
            gen.writeStartArray();
            for (Object o : (Collection<?>) v) value(gen, o);
            gen.writeEndArray();
        } else if (v instanceof long[]) {
            gen.writeStartArray();
            for (long x : (long[]) v) gen.writeNumber(x);
            gen.writeEndArray();
        } else if (v instanceof int[]) {
            gen.writeStartArray();
            for (int x : (int[]) v) gen.writeNumber(x);
            gen.writeEndArray();
        } else if (v instanceof double[]) {
            gen.writeStartArray();
            for (double x : (double[]) v) gen.writeNumber(x);
            gen.writeEndArray();
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) gen.writeNumber(Math.round(d * 1e4) / 1e4); else gen.writeNull();
        } else if (v instanceof Number) {
            gen.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            gen.writeBoolean((Boolean) v);
        } else {
            gen.writeString(String.valueOf(v));
        }
    }
}
