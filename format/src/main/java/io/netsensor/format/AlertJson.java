package io.netsensor.format;
import io.netsensor.events.ProcessInfo;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/** One JSON object per alert: the fields the issue names, plus ECS-style event metadata. */
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

    public void write(Alert a) {
        try {
            gen.writeStartObject();
            gen.writeStringField("@timestamp", EventJson.time(a.lastSeenNanos));
            gen.writeStringField("id", a.id);
            gen.writeStringField("detector", a.detector.label);
            gen.writeStringField("severity", a.severity.label);
            gen.writeNumberField("score", Math.round(a.score * 1000) / 1000.0);
            gen.writeStringField("summary", a.summary);
            gen.writeObjectFieldStart("host");
            gen.writeStringField("ip", a.hostIp);
            if (a.hostMac != null) gen.writeStringField("mac", a.hostMac);
            if (hostName != null) gen.writeStringField("name", hostName);
            gen.writeEndObject();
            if (a.process == null) {
                gen.writeNullField("process");
            } else {
                ProcessInfo p = a.process;
                gen.writeObjectFieldStart("process");
                gen.writeNumberField("pid", p.pid);
                if (p.entityId != 0) gen.writeStringField("entity_id", EventJson.entityId(p.entityId));
                if (p.startNanos != 0) gen.writeStringField("start", EventJson.time(p.startNanos));
                gen.writeStringField("name", p.name);
                gen.writeStringField("executable", p.executable);
                gen.writeStringField("command_line", p.commandLine);
                gen.writeStringField("user", p.user);
                if (p.ppid != 0) {
                    gen.writeObjectFieldStart("parent");
                    gen.writeNumberField("pid", p.ppid);
                    gen.writeEndObject();
                }
                gen.writeEndObject();
                if (p.user != null || p.uid >= 0) {
                    gen.writeObjectFieldStart("user");
                    if (p.uid >= 0) gen.writeStringField("id", Integer.toString(p.uid));
                    if (p.user != null) gen.writeStringField("name", p.user);
                    gen.writeEndObject();
                }
            }
            gen.writeObjectFieldStart("remote");
            if (a.remoteIp != null) gen.writeStringField("ip", a.remoteIp); else gen.writeNullField("ip");
            if (a.remotePort != null) gen.writeNumberField("port", a.remotePort); else gen.writeNullField("port");
            gen.writeEndObject();
            gen.writeStringField("first_seen", EventJson.time(a.firstSeenNanos));
            gen.writeStringField("last_seen", EventJson.time(a.lastSeenNanos));
            gen.writeNumberField("count", a.count);
            gen.writeFieldName("evidence");
            value(a.evidence);
            gen.writeObjectFieldStart("event");
            gen.writeStringField("kind", "alert");
            gen.writeStringField("dataset", "netsensor.alert");
            gen.writeEndObject();
            gen.writeObjectFieldStart("threat");
            gen.writeStringField("framework", "MITRE ATT&CK");
            gen.writeObjectFieldStart("technique");
            gen.writeStringField("id", "T1583.005");
            gen.writeStringField("name", "Botnet");
            gen.writeEndObject();
            gen.writeEndObject();
            EventJson.endRecord(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void value(Object v) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof Map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                gen.writeFieldName(String.valueOf(e.getKey()));
                value(e.getValue());
            }
            gen.writeEndObject();
        } else if (v instanceof Collection) {
            gen.writeStartArray();
            for (Object o : (Collection<?>) v) value(o);
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
