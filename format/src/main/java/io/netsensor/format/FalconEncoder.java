package io.netsensor.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.Ip;
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
import java.util.UUID;

/**
 * Falcon-compatible events (CrowdStrike's Falcon Data Replicator shape, ../shared/schemas/falcon-fields.md), so
 * LogScale queries written for Falcon telemetry, like the seed's, run on netsensor's records: connections as
 * {@code NetworkConnectIP4/6} (the local end connected out) or {@code NetworkReceiveAcceptIP4/6} (it accepted),
 * DNS lookups as {@code DnsRequest}, PROCESS records as {@code ProcessRollup2}. As in FDR, names are Falcon's,
 * the event type is {@code event_simpleName} (LogScale's Falcon parser makes it the {@code #event_simpleName} tag)
 * and every value is a JSON string; {@code timestamp} is epoch milliseconds, {@code ContextTimeStamp} epoch
 * seconds with a millisecond fraction. The process ids {@code ContextProcessId}/{@code TargetProcessId} are
 * netsensor's entity id (unique per boot, like Falcon's own), {@code RawProcessId} the OS pid.
 *
 * <p>Falcon logs one event per connect or accept: a TCP flow that reached the handshake is encoded from its
 * OPEN record, its END record gives no document (null), so counts in the SIEM are connections. Alerts and
 * telemetry rows and bursts inside a connection have no Falcon event; they are netsensor's own
 * {@code NetsensorDetection}, {@code NetsensorTelemetryConn}, {@code NetsensorTelemetryDns} and
 * {@code NetsensorConnectionBurst} in the same style.
 */
public final class FalconEncoder implements RecordEncoder {
    private final JsonBuffer out = new JsonBuffer();
    private final EncoderContext ctx;
    private final Processes processes;
    private final String aid;

    public FalconEncoder(EncoderContext ctx) {
        this.ctx = ctx;
        this.processes = new Processes(ctx.processes());
        this.aid = ctx.agentId() != null ? ctx.agentId() : agentId(ctx.hostName());
    }

    /** A stable 32-hex-digit agent id from a host name (a name-based UUID), for hosts without a machine id. */
    public static String agentId(String hostName) {
        if (hostName == null) return "0".repeat(32);
        return UUID.nameUUIDFromBytes(hostName.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /** Falcon's process id form: an unsigned decimal number. */
    public static String processId(long entityId) {
        return Long.toUnsignedString(entityId);
    }

    @Override
    public byte[] process(ProcessEvent e) {
        processes.put(e);
        JsonGenerator g = out.start();
        try {
            start(g, "ProcessRollup2", e.tsNanos);
            g.writeStringField("TargetProcessId", processId(e.entityId));
            g.writeStringField("RawProcessId", Integer.toString(e.pid));
            if (e.ppid != 0) g.writeStringField("RawParentProcessId", Integer.toString(e.ppid));
            if (e.executableLen > 0) {
                g.writeStringField("ImageFileName", e.executable());
                g.writeStringField("FileName", baseName(e.executable()));
            }
            if (e.commandLineLen > 0) g.writeStringField("CommandLine", e.commandLine());
            if (e.userLen > 0) g.writeStringField("UserName", e.user());
            if (e.uid >= 0) g.writeStringField("UID", Integer.toString(e.uid));
            if (e.startNanos != 0) g.writeStringField("ProcessStartTime", seconds(e.startNanos));
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    @Override
    public byte[] conn(ConnEvent e) {
        if (!LocalSide.firstRecordOfConnection(e)) return null; // its OPEN record was the connect/accept
        boolean outbound = LocalSide.originatorIsLocal(e, ctx.hostAddresses());
        boolean v4 = Ip.isV4(e.origIpHi, e.origIpLo);
        JsonGenerator g = out.start();
        try {
            start(g, (outbound ? "NetworkConnectIP" : "NetworkReceiveAcceptIP") + (v4 ? "4" : "6"), e.startNanos != 0 ? e.startNanos : e.endNanos);
            ends(g, outbound, e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.transport.ianaNumber);
            process(g, e.attribution, e.processEntityId, e.pid);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    /** The local/remote address, port, protocol and direction fields a connect, an accept and a burst share. */
    private static void ends(JsonGenerator g, boolean outbound, long origHi, long origLo, int origPort,
                             long respHi, long respLo, int respPort, int protocol) throws IOException {
        boolean v4 = Ip.isV4(origHi, origLo);
        g.writeStringField(v4 ? "LocalAddressIP4" : "LocalAddressIP6", outbound ? Ip.toString(origHi, origLo) : Ip.toString(respHi, respLo));
        g.writeStringField("LocalPort", Integer.toString(outbound ? origPort : respPort));
        g.writeStringField(v4 ? "RemoteAddressIP4" : "RemoteAddressIP6", outbound ? Ip.toString(respHi, respLo) : Ip.toString(origHi, origLo));
        g.writeStringField("RemotePort", Integer.toString(outbound ? respPort : origPort));
        g.writeStringField("Protocol", Integer.toString(protocol));
        g.writeStringField("ConnectionDirection", outbound ? "0" : "1");
    }

    /**
     * A burst: netsensor's own {@code NetsensorConnectionBurst} (Falcon logs connects, not the exchanges inside
     * a connection), with the connection events' local/remote fields, so a query on {@code RemoteAddressIP4}
     * finds both; Bytes/Packets Sent and Received are the burst's payload from the local end's side.
     */
    @Override
    public byte[] burst(BurstEvent e) {
        boolean outbound = LocalSide.originatorIsLocal(e, ctx.hostAddresses());
        JsonGenerator g = out.start();
        try {
            start(g, "NetsensorConnectionBurst", e.startNanos);
            ends(g, outbound, e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.transport.ianaNumber);
            String domain = e.names.text(ConnNames.DNS);
            if (domain != null) g.writeStringField("DomainName", domain);
            g.writeStringField("FlowId", Long.toUnsignedString(e.flowId, 16));
            g.writeStringField("BurstIndex", Integer.toString(e.index));
            g.writeStringField("StartTime", Long.toString(OcsfEncoder.ms(e.startNanos)));
            g.writeStringField("EndTime", Long.toString(OcsfEncoder.ms(e.endNanos)));
            if (e.gapNanos >= 0) g.writeStringField("IdleBefore", Long.toString(e.gapNanos / 1_000_000)); // ms
            g.writeStringField("BytesSent", Integer.toString(outbound ? e.origBytes : e.respBytes));
            g.writeStringField("BytesReceived", Integer.toString(outbound ? e.respBytes : e.origBytes));
            g.writeStringField("PacketsSent", Integer.toString(outbound ? e.origPkts : e.respPkts));
            g.writeStringField("PacketsReceived", Integer.toString(outbound ? e.respPkts : e.origPkts));
            process(g, e.attribution, e.processEntityId, e.pid);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    @Override
    public byte[] dns(DnsEvent e) {
        // Falcon's DnsRequest is a lookup a process of this host made: records without a question, or of
        // queries this host answered (seen inbound), have none
        if (e.qnameLen == 0 || !LocalSide.clientIsLocal(e, ctx.hostAddresses())) return null;
        JsonGenerator g = out.start();
        try {
            start(g, "DnsRequest", e.tsNanos);
            g.writeStringField("DomainName", e.qnameLower());
            g.writeStringField("RequestType", Integer.toString(e.qtype));
            g.writeStringField("RespondingDnsServer", Ip.toString(e.serverIpHi, e.serverIpLo));
            if (e.responded) {
                // Windows DNS status codes, as Falcon reports them: 0, else DNS_ERROR_RCODE_* = 9000 + rcode
                g.writeStringField("QueryStatus", e.rcode == 0 ? "0" : Integer.toString(9000 + e.rcode));
                List<String> v4 = new ArrayList<>(), v6 = new ArrayList<>(), cnames = new ArrayList<>();
                for (int i = 0; i < e.answerCount; i++) {
                    int t = e.answerType[i];
                    if (t == DnsWire.TYPE_A && e.answerEncoding[i] == DnsEvent.RDATA_ADDRESS) v4.add(DnsAnswerText.render(e, i));
                    else if (t == DnsWire.TYPE_AAAA && e.answerEncoding[i] == DnsEvent.RDATA_ADDRESS) v6.add(DnsAnswerText.render(e, i));
                    else if (t == DnsWire.TYPE_CNAME) cnames.add(DnsAnswerText.render(e, i));
                }
                if (!v4.isEmpty()) {
                    g.writeStringField("IP4Records", String.join(";", v4) + ";");
                    g.writeStringField("FirstIP4Record", v4.get(0));
                }
                if (!v6.isEmpty()) g.writeStringField("IP6Records", String.join(";", v6) + ";");
                if (!cnames.isEmpty()) g.writeStringField("CNAMERecords", String.join(";", cnames) + ";");
            }
            process(g, e.attribution, e.processEntityId, e.pid);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    /** Falcon's severity scale: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
    public static int severity(Severity s) {
        return OcsfEncoder.severityId(s); // the same 2..5 scale
    }

    @Override
    public byte[] alert(Alert a) {
        processes.put(a.process);
        JsonGenerator g = out.start();
        try {
            start(g, "NetsensorDetection", a.lastSeenNanos);
            g.writeStringField("DetectId", a.id);
            g.writeStringField("DetectName", a.detector.label);
            if (a.summary != null) g.writeStringField("DetectDescription", a.summary);
            g.writeStringField("Severity", Integer.toString(severity(a.severity)));
            g.writeStringField("SeverityName", a.severity.label);
            g.writeStringField("Score", Long.toString(Math.round(a.score * 100)));
            List<MitreAttack.Technique> ts = MitreAttack.of(a.detector);
            MitreAttack.Technique t = ts.get(ts.size() - 1); // what the detector observes (the umbrella when unmapped)
            g.writeStringField("Tactic", t.tactic());
            g.writeStringField("TacticId", t.tacticId());
            g.writeStringField("Technique", t.subName() != null ? t.subName() : t.name());
            g.writeStringField("TechniqueId", t.subId() != null ? t.subId() : t.id());
            g.writeStringField("FirstSeen", Long.toString(OcsfEncoder.ms(a.firstSeenNanos)));
            g.writeStringField("LastSeen", Long.toString(OcsfEncoder.ms(a.lastSeenNanos)));
            g.writeStringField("Count", Long.toString(a.count));
            if (a.hostIp != null) g.writeStringField(a.hostIp.indexOf(':') < 0 ? "LocalAddressIP4" : "LocalAddressIP6", a.hostIp);
            if (a.hostMac != null) g.writeStringField("MAC", a.hostMac);
            if (a.remoteIp != null) g.writeStringField(a.remoteIp.indexOf(':') < 0 ? "RemoteAddressIP4" : "RemoteAddressIP6", a.remoteIp);
            if (a.remotePort != null) g.writeStringField("RemotePort", Integer.toString(a.remotePort));
            if (a.process != null) processFields(g, a.process.entityId, a.process.pid, a.process);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    @Override
    public byte[] telemetry(TelemetryRow r) {
        boolean conn = r.kind == TelemetryRow.Kind.CONN;
        JsonGenerator g = out.start();
        try {
            start(g, conn ? "NetsensorTelemetryConn" : "NetsensorTelemetryDns", r.intervalEndNanos);
            g.writeStringField("IntervalStart", Long.toString(OcsfEncoder.ms(r.intervalStartNanos)));
            g.writeStringField("IntervalEnd", Long.toString(OcsfEncoder.ms(r.intervalEndNanos)));
            if (r.other) {
                g.writeStringField("Other", "true");
                g.writeStringField("FoldedRecords", Long.toString(r.foldedRows));
            } else {
                g.writeStringField(r.localIp.indexOf(':') < 0 ? "LocalAddressIP4" : "LocalAddressIP6", r.localIp);
                if (r.localMac != null) g.writeStringField("MAC", r.localMac);
                if (r.processEntityId != 0) {
                    ProcessInfo p = processes.find(r.processEntityId);
                    processFields(g, r.processEntityId, r.pid, p);
                }
            }
            if (conn) {
                if (!r.other) {
                    g.writeStringField(r.remoteIp.indexOf(':') < 0 ? "RemoteAddressIP4" : "RemoteAddressIP6", r.remoteIp);
                    g.writeStringField("RemotePort", Integer.toString(r.remotePort));
                    if (r.transport != null) g.writeStringField("Protocol", Integer.toString(r.transport.ianaNumber));
                    if (!r.names.isEmpty()) g.writeStringField("DomainNames", String.join(";", r.names) + ";");
                }
                g.writeStringField("Connections", Long.toString(r.connections));
                g.writeStringField("Rejected", Long.toString(r.rejected));
                g.writeStringField("NoAnswer", Long.toString(r.noAnswer));
                g.writeStringField("BytesSent", Long.toString(r.bytesOut));
                g.writeStringField("BytesReceived", Long.toString(r.bytesIn));
                g.writeStringField("PacketsSent", Long.toString(r.packetsOut));
                g.writeStringField("PacketsReceived", Long.toString(r.packetsIn));
                if (r.firstSeenNanos != 0) g.writeStringField("FirstSeen", Long.toString(OcsfEncoder.ms(r.firstSeenNanos)));
                if (r.lastSeenNanos != 0) g.writeStringField("LastSeen", Long.toString(OcsfEncoder.ms(r.lastSeenNanos)));
            } else {
                if (!r.other) g.writeStringField("DomainName", r.domain);
                g.writeStringField("Queries", Long.toString(r.queries));
                g.writeStringField("NxDomains", Long.toString(r.nxdomains));
                g.writeStringField("DistinctNames", Long.toString(r.distinctNames));
                StringBuilder types = new StringBuilder();
                for (Map.Entry<String, Long> t : r.queryTypes.entrySet()) types.append(t.getKey()).append(':').append(t.getValue()).append(';');
                if (types.length() > 0) g.writeStringField("RequestTypes", types.toString()); // numeric qtype:count;
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.take();
    }

    /** Opens the event with the fields every Falcon event has. */
    private void start(JsonGenerator g, String simpleName, long nanos) throws IOException {
        g.writeStartObject();
        g.writeStringField("event_simpleName", simpleName);
        g.writeStringField("aid", aid);
        if (ctx.hostName() != null) g.writeStringField("ComputerName", ctx.hostName());
        g.writeStringField("event_platform", "Lin");
        g.writeStringField("timestamp", Long.toString(OcsfEncoder.ms(nanos)));
        g.writeStringField("ContextTimeStamp", seconds(nanos));
    }

    /** The process fields of an attributed record (ContextProcessId and, where known, its image, command line and user). */
    private void process(JsonGenerator g, Attribution a, long entityId, int pid) throws IOException {
        if (a != Attribution.RESOLVED) return;
        processFields(g, entityId, pid, processes.find(entityId));
    }

    private static void processFields(JsonGenerator g, long entityId, int pid, ProcessInfo p) throws IOException {
        if (entityId != 0) g.writeStringField("ContextProcessId", processId(entityId));
        if (pid != 0) g.writeStringField("RawProcessId", Integer.toString(pid));
        if (p == null) return;
        if (p.executable != null) {
            g.writeStringField("ImageFileName", p.executable);
            g.writeStringField("ContextBaseFileName", baseName(p.executable));
        }
        if (p.commandLine != null) g.writeStringField("CommandLine", p.commandLine);
        if (p.user != null) g.writeStringField("UserName", p.user);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Epoch seconds with a millisecond fraction ("1709251200.123"). */
    static String seconds(long nanos) {
        long ms = OcsfEncoder.ms(nanos);
        return Math.floorDiv(ms, 1000) + "." + String.format("%03d", Math.floorMod(ms, 1000));
    }
}
