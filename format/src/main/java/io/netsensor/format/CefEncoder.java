package io.netsensor.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.Mac;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import io.netsensor.events.TelemetryRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ArcSight Common Event Format (CEF 0) lines for syslog, one per record:
 * {@code CEF:0|netsensor|netsensor|VERSION|<detector or record kind>|<summary>|<severity 0-10>|<extension>}.
 * Escaping follows the CEF spec: in the header a backslash and a pipe are escaped with a backslash; in
 * extension values a backslash, an equals sign, a newline (as {@code \n}) and a carriage return (as
 * {@code \r}); keys are fixed names and never escaped. A header cannot hold a line break at all (the spec
 * has no escape for it there), so one becomes a space: a record must stay one syslog line.
 *
 * <p>Standard keys: {@code rt} (event time, epoch ms), {@code dvchost} (the sensor), {@code src}/{@code spt},
 * {@code dst}/{@code dpt} (IPv4; IPv6 addresses in {@code c6a2}/{@code c6a3} "Source/Destination IPv6
 * Address", as the spec's src/dst are IPv4), {@code smac}/{@code dmac}, {@code proto}, {@code in}/{@code out}
 * (bytes), {@code start}/{@code end}, {@code deviceDirection} (0 inbound, 1 outbound), {@code act},
 * {@code outcome}, {@code suser}, {@code sproc}, {@code spid}, {@code msg}, {@code cat}, {@code dhost} and
 * {@code requestClientApplication} (a burst's destination name and User-Agent), and labelled custom
 * fields: cs1 the id (alertId, flowId of connections and bursts, dnsId), cs2 the detector (alerts) or the communityId, cs3 the
 * processEntityId, cs4-cs6 per kind (see the README's table), cn1 the count, cfp1 the alert's score,
 * flexString1 the process's command line.
 */
public final class CefEncoder {
    private final EncoderContext ctx;
    private final Processes processes;

    public CefEncoder(EncoderContext ctx) {
        this.ctx = ctx;
        this.processes = new Processes(ctx.processes());
    }

    /** CEF severity of an alert: Low 3, Medium 5, High 8, Critical 10 (CEF's bands: 0-3 low ... 9-10 very high). */
    public static int severity(Severity s) {
        switch (s) {
            case LOW: return 3;
            case MEDIUM: return 5;
            case HIGH: return 8;
            default: return 10;
        }
    }

    /** Remembers a process, so later lines name it (CEF has no line for a process of its own). */
    public void process(ProcessEvent e) {
        processes.put(e);
    }

    public String alert(Alert a) {
        processes.put(a.process);
        Line l = new Line(a.detector.label, a.summary != null ? a.summary : a.detector.label, severity(a.severity));
        l.add("rt", OcsfEncoder.ms(a.lastSeenNanos));
        l.add("dvchost", ctx.hostName());
        l.add("cat", "alert");
        address(l, true, a.hostIp);
        l.add("smac", cefMac(a.hostMac));
        address(l, false, a.remoteIp);
        l.add("dpt", a.remotePort);
        l.add("start", OcsfEncoder.ms(a.firstSeenNanos));
        l.add("end", OcsfEncoder.ms(a.lastSeenNanos));
        l.add("msg", a.summary);
        l.custom("cs1", "alertId", a.id);
        l.custom("cs2", "detector", a.detector.label);
        if (a.process != null) {
            l.custom("cs3", "processEntityId", a.process.entityId != 0 ? EventJson.entityId(a.process.entityId) : null);
            processFields(l, a.process.pid, a.process);
        }
        List<MitreAttack.Technique> ts = MitreAttack.of(a.detector);
        l.custom("cs4", "mitreTechnique", ts.stream().map(t -> t.subId() != null ? t.subId() : t.id()).collect(Collectors.joining(",")));
        l.custom("cs5", "severityName", a.severity.label);
        l.custom("cs6", "evidence", json(a.evidence));
        l.custom("cn1", "count", a.count);
        l.custom("cfp1", "score", Math.round(a.score * 1e4) / 1e4);
        return l.toString();
    }

    public String conn(ConnEvent e) {
        boolean end = e.phase == ConnEvent.Phase.END;
        String proto = e.transport.ecsName.toUpperCase();
        String orig = Ip.toString(e.origIpHi, e.origIpLo), resp = Ip.toString(e.respIpHi, e.respIpLo);
        Line l = new Line("conn", "connection " + (end ? "end" : "open") + " " + proto + " " + orig + ":" + e.origPort + " to "
                + resp + ":" + e.respPort, 1);
        l.add("rt", OcsfEncoder.ms(end ? e.endNanos : e.startNanos));
        l.add("dvchost", ctx.hostName());
        l.add("cat", "connection");
        endpoints(l, orig, e.origPort, e.origMac, resp, e.respPort, e.respMac);
        l.add("proto", proto);
        l.add("out", e.origIpBytes);
        l.add("in", e.respIpBytes);
        l.add("start", OcsfEncoder.ms(e.startNanos));
        if (end) l.add("end", OcsfEncoder.ms(e.endNanos));
        l.add("deviceDirection", LocalSide.originatorIsLocal(e, ctx.hostAddresses()) ? 1 : 0);
        l.add("act", end ? "end" : "open");
        l.add("outcome", e.state.outcome().text);
        l.custom("cs1", "flowId", Long.toUnsignedString(e.flowId, 16));
        l.custom("cs2", "communityId", EventJson.communityId(e));
        attributed(l, e.attribution, e.processEntityId, e.pid);
        l.custom("cs4", "history", e.historyString());
        l.custom("cs5", "connState", e.state.name());
        return l.toString();
    }

    /** The two ends of a flow: src/spt/smac and dst/dpt/dmac (IPv6 in c6a2/c6a3), as connections and bursts share them. */
    private static void endpoints(Line l, String orig, int origPort, long origMac, String resp, int respPort, long respMac) {
        address(l, true, orig);
        l.add("spt", origPort);
        l.add("smac", cefMac(Mac.toString(origMac)));
        address(l, false, resp);
        l.add("dpt", respPort);
        l.add("dmac", cefMac(Mac.toString(respMac)));
    }

    /**
     * A burst: class {@code burst}, named by its index and endpoints; {@code out}/{@code in} are its payload
     * bytes each way (a connection's are IP bytes), cn1 its index, cn2 the idle time before it (ms; absent on
     * a flow's first), cn3 its payload packets, cs1 its flow's id (as on the connection's lines).
     */
    public String burst(BurstEvent e) {
        String proto = e.transport.ecsName.toUpperCase();
        String orig = Ip.toString(e.origIpHi, e.origIpLo), resp = Ip.toString(e.respIpHi, e.respIpLo);
        Line l = new Line("burst", "burst #" + e.index + " " + proto + " " + orig + ":" + e.origPort + " to " + resp + ":" + e.respPort, 1);
        l.add("rt", OcsfEncoder.ms(e.startNanos));
        l.add("dvchost", ctx.hostName());
        l.add("cat", "burst");
        endpoints(l, orig, e.origPort, e.origMac, resp, e.respPort, e.respMac);
        l.add("dhost", e.names.text(ConnNames.DNS));
        l.add("proto", proto);
        l.add("out", e.origBytes);
        l.add("in", e.respBytes);
        l.add("start", OcsfEncoder.ms(e.startNanos));
        l.add("end", OcsfEncoder.ms(e.endNanos));
        l.add("deviceDirection", LocalSide.originatorIsLocal(e, ctx.hostAddresses()) ? 1 : 0);
        l.add("requestClientApplication", e.names.text(ConnNames.USER_AGENT));
        l.custom("cs1", "flowId", Long.toUnsignedString(e.flowId, 16));
        l.custom("cs2", "communityId", EventJson.communityId(e));
        attributed(l, e.attribution, e.processEntityId, e.pid);
        l.custom("cs4", "serverName", e.names.text(ConnNames.SNI));
        l.custom("cs5", "httpHost", e.names.text(ConnNames.HTTP_HOST));
        l.custom("cn1", "burstIndex", e.index);
        l.custom("cn2", "idleBeforeMs", e.gapNanos >= 0 ? e.gapNanos / 1_000_000 : null);
        l.custom("cn3", "packets", (long) e.origPkts + e.respPkts);
        return l.toString();
    }

    public String dns(DnsEvent e) {
        String q = e.qnameLower();
        String rcode = e.responded ? DnsNames.rcode(e.rcode) : "no response";
        Line l = new Line("dns", "dns " + (e.qnameLen > 0 || e.qtype != 0 ? DnsNames.type(e.qtype) + " " + q : "response") + " " + rcode, 1);
        l.add("rt", OcsfEncoder.ms(e.tsNanos));
        l.add("dvchost", ctx.hostName());
        l.add("cat", "dns");
        address(l, true, Ip.toString(e.clientIpHi, e.clientIpLo));
        l.add("spt", e.clientPort);
        l.add("smac", cefMac(Mac.toString(e.clientMac)));
        address(l, false, Ip.toString(e.serverIpHi, e.serverIpLo));
        l.add("dpt", e.serverPort);
        l.add("proto", e.transport.ecsName.toUpperCase());
        l.add("deviceDirection", LocalSide.clientIsLocal(e, ctx.hostAddresses()) ? 1 : 0);
        l.add("outcome", !e.responded ? "unknown" : e.rcode == 0 ? "success" : "failure");
        l.custom("cs1", "dnsId", e.transId);
        l.custom("cs2", "communityId", EventJson.communityId(e));
        attributed(l, e.attribution, e.processEntityId, e.pid);
        if (e.qnameLen > 0) l.custom("cs4", "query", q);
        l.custom("cs5", "rcode", e.responded ? rcode : null);
        if (e.answerCount > 0) {
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < e.answerCount; i++) answers.add(DnsNames.type(e.answerType[i]) + " " + DnsAnswerText.render(e, i));
            l.custom("cs6", "answers", String.join("; ", answers));
        }
        return l.toString();
    }

    public String telemetry(TelemetryRow r) {
        boolean conn = r.kind == TelemetryRow.Kind.CONN;
        String subject = r.other ? "other (folded)" : conn ? r.remoteIp + ":" + r.remotePort + (r.transport != null ? "/" + r.transport.ecsName : "") : r.domain;
        Line l = new Line(conn ? "telemetry.conn" : "telemetry.dns", (r.other ? "" : r.localIp + " ")
                + (conn ? r.connections + " connections to " : r.queries + " queries for ") + subject, 0);
        l.add("rt", OcsfEncoder.ms(r.intervalEndNanos));
        l.add("dvchost", ctx.hostName());
        l.add("cat", "telemetry");
        l.add("start", OcsfEncoder.ms(r.intervalStartNanos));
        l.add("end", OcsfEncoder.ms(r.intervalEndNanos));
        if (!r.other) {
            address(l, true, r.localIp);
            l.add("smac", cefMac(r.localMac));
            if (r.processEntityId != 0) {
                l.custom("cs3", "processEntityId", EventJson.entityId(r.processEntityId));
                ProcessInfo p = processes.find(r.processEntityId);
                processFields(l, r.pid, p);
            }
        }
        if (conn) {
            if (!r.other) {
                address(l, false, r.remoteIp);
                l.add("dpt", r.remotePort);
                if (r.transport != null) l.add("proto", r.transport.ecsName.toUpperCase());
                if (!r.names.isEmpty()) l.custom("cs2", "names", String.join(",", r.names));
            }
            l.add("out", r.bytesOut);
            l.add("in", r.bytesIn);
            l.custom("cn1", "connections", r.connections);
            l.custom("cn2", "rejected", r.rejected);
            l.custom("cn3", "noAnswer", r.noAnswer);
        } else {
            if (!r.other) l.custom("cs2", "domain", r.domain);
            l.custom("cn1", "queries", r.queries);
            l.custom("cn2", "nxdomains", r.nxdomains);
            l.custom("cn3", "distinctNames", r.distinctNames);
            l.custom("cs4", "queryTypes", r.queryTypes.entrySet().stream()
                    .map(t -> TelemetryJson.typeName(t.getKey()) + ":" + t.getValue()).sorted().collect(Collectors.joining(",")));
        }
        if (r.other) l.custom("cs5", "foldedRecords", r.foldedRows);
        return l.toString();
    }

    /** This encoder as a {@link RecordEncoder}: each line in UTF-8 (no trailing newline), nothing for a process. */
    public RecordEncoder asRecordEncoder() {
        return new RecordEncoder() {
            @Override
            public byte[] process(ProcessEvent e) {
                CefEncoder.this.process(e);
                return null;
            }

            @Override
            public byte[] conn(ConnEvent e) {
                return CefEncoder.this.conn(e).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] dns(DnsEvent e) {
                return CefEncoder.this.dns(e).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] burst(BurstEvent e) {
                return CefEncoder.this.burst(e).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] alert(Alert a) {
                return CefEncoder.this.alert(a).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] telemetry(TelemetryRow r) {
                return CefEncoder.this.telemetry(r).getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private void attributed(Line l, Attribution a, long entityId, int pid) {
        if (a != Attribution.RESOLVED) return;
        l.custom("cs3", "processEntityId", EventJson.entityId(entityId));
        processFields(l, pid, processes.find(entityId));
    }

    /** suser, sproc (the executable, else the kernel's name), spid, and the command line in flexString1. */
    private static void processFields(Line l, int pid, ProcessInfo p) {
        if (pid != 0) l.add("spid", pid);
        if (p == null) return;
        l.add("suser", p.user);
        l.add("sproc", p.executable != null ? p.executable : p.name);
        l.custom("flexString1", "commandLine", p.commandLine);
    }

    /** src/dst for IPv4; IPv6 in c6a2/c6a3, labelled as the spec suggests. */
    private static void address(Line l, boolean source, String ip) {
        if (ip == null) return;
        if (ip.indexOf(':') < 0) l.add(source ? "src" : "dst", ip);
        else l.custom(source ? "c6a2" : "c6a3", source ? "Source IPv6 Address" : "Destination IPv6 Address", ip);
    }

    /** CEF's MAC form: colon separated ("02:00:5E:00:00:99"). */
    private static String cefMac(String ecsMac) {
        return ecsMac == null ? null : ecsMac.replace('-', ':');
    }

    private static String json(Map<String, Object> evidence) {
        java.io.StringWriter w = new java.io.StringWriter();
        try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
            AlertJson.value(g, evidence);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Escapes a header field: backslash and pipe with a backslash; a line break (not escapable there) as a space. */
    public static String escapeHeader(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '|') b.append('\\').append(c);
            else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
                b.append(' ');
            } else b.append(c);
        }
        return b.toString();
    }

    /** Escapes an extension value: backslash and equals sign with a backslash, newline as \n, carriage return as \r. */
    public static String escapeValue(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\': b.append("\\\\"); break;
                case '=': b.append("\\="); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }

    /** One CEF line: the header, then key=value pairs in the order added (null values left out). */
    private final class Line {
        private final StringBuilder header = new StringBuilder(64);
        private final StringBuilder ext = new StringBuilder(256);
        private final java.util.Set<String> keys = new java.util.HashSet<>();

        Line(String classId, String name, int severity) {
            header.append("CEF:0|netsensor|netsensor|").append(escapeHeader(ctx.version())).append('|')
                    .append(escapeHeader(classId)).append('|').append(escapeHeader(name)).append('|').append(severity).append('|');
        }

        void add(String key, Object value) {
            if (value == null) return;
            if (!keys.add(key)) throw new IllegalStateException("CEF key " + key + " twice"); // a parser keeps one of them
            if (ext.length() > 0) ext.append(' ');
            ext.append(key).append('=').append(escapeValue(String.valueOf(value)));
        }

        /** A custom field and its label (csNLabel, cnNLabel, ...). */
        void custom(String key, String label, Object value) {
            if (value == null) return;
            add(key, value);
            add(key + "Label", label);
        }

        @Override
        public String toString() {
            return header + ext.toString();
        }
    }
}
