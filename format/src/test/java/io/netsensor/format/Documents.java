package io.netsensor.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import io.netsensor.events.Transport;
import io.netsensor.testkit.events.Times;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of every kind of document the encoders write, by name: connection open and end records, DNS records
 * (answered, unanswered, response-only, an mDNS announcement), alerts of every detector with and without a
 * process, in a host's view (its own traffic, host.name) and a gateway's (forwarded traffic, LAN client MAC).
 */
final class Documents {
    static final String HOST = "10.0.0.5", LAN_CLIENT = "192.168.1.20", REMOTE = "198.51.100.7";
    /** The kit's time base with a sub-second part, so documents show their fractions. */
    static final long T0 = Times.T0 + 123_456_789L;
    static final ProcessInfo CURL = new ProcessInfo(0x1234_5678_9abc_def0L, 4242, 1000, 1001, T0 - 5_000_000_000L, "curl",
            "/usr/bin/curl", "curl -s https://example.com/", "alice");
    /** A process in a container, as kernel attribution describes it (container id from its cgroup path). */
    static final ProcessInfo IN_CONTAINER = new ProcessInfo(0x0fed_cba9_8765_4321L, 77, 1, 0, T0 - 1_000_000_000L, "nginx",
            "/usr/sbin/nginx", "nginx -g daemon off;", "root",
            "3f4e1b2c5d6a7980112233445566778899aabbccddeeff00112233445566778a", 9_876L);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {}

    /** The sensor host's addresses, as the live capture's locality tells them. */
    static boolean isHost(long hi, long lo) {
        long[] h = Ip.parse(HOST);
        return hi == h[0] && lo == h[1];
    }

    static Map<String, JsonNode> all() {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        m.put("conn open, host view, attributed", events(true, j -> j.conn(conn(ConnEvent.Phase.OPEN, HOST, REMOTE, Attribution.RESOLVED))));
        m.put("conn end, host view, inbound to the host", events(true, j -> j.conn(conn(ConnEvent.Phase.END, REMOTE, HOST, Attribution.NO_SOCKET))));
        m.put("conn end, gateway, forwarded", events(true, j -> j.conn(conn(ConnEvent.Phase.END, LAN_CLIENT, REMOTE, Attribution.NOT_LOCAL))));
        m.put("conn end, replay (no host addresses)", events(false, j -> j.conn(conn(ConnEvent.Phase.END, LAN_CLIENT, "10.9.9.9", Attribution.UNKNOWN))));
        ConnEvent v6 = conn(ConnEvent.Phase.END, "2001:db8::5", "2001:db8:ffff::1", Attribution.UNKNOWN);
        v6.vlan = 0;
        m.put("conn end, IPv6, untagged", events(false, j -> j.conn(v6)));
        m.put("dns answered, host view, attributed", events(true, j -> j.dns(dnsAnswered(HOST, Attribution.RESOLVED))));
        m.put("dns answered, gateway, forwarded", events(true, j -> j.dns(dnsAnswered(LAN_CLIENT, Attribution.NOT_LOCAL))));
        m.put("dns unanswered", events(false, j -> j.dns(dnsUnanswered())));
        m.put("conn open, attributed to a process in a container", events(true, j -> j.conn(inContainer(conn(ConnEvent.Phase.OPEN, HOST, REMOTE, Attribution.RESOLVED)))));
        m.put("dns answered, attributed to a process in a container", events(true, j -> j.dns(inContainer(dnsAnswered(HOST, Attribution.RESOLVED)))));
        m.put("alert beacon, process in a container", alert(alert(DetectorKind.BEACON, HOST, null, IN_CONTAINER), "sensor-1"));
        m.put("dns response-only mDNS announcement", events(false, j -> j.dns(mdnsAnnouncement())));
        m.put("alert beacon inside one connection", alert(inConnectionBeacon(), "sensor-1"));
        m.put("burst, host view, attributed, with names", events(true, j -> j.burst(burst(HOST, REMOTE, Attribution.RESOLVED))));
        m.put("burst, replay, IPv6, first seen mid-connection", events(false, j -> j.burst(midStreamBurst())));
        for (DetectorKind d : DetectorKind.values()) {
            m.put("alert " + d.label + ", host with process", alert(alert(d, HOST, null, CURL), "sensor-1"));
            m.put("alert " + d.label + ", gateway LAN client", alert(alert(d, LAN_CLIENT, "02-00-5E-00-00-99", null), null));
            m.put("alert " + d.label + ", identity-only process", alert(alert(d, HOST, null, ProcessInfo.identityOnly(7, 99, T0)), null));
        }
        return m;
    }

    interface Writes {
        void to(EventJson json);
    }

    /** One document written by EventJson, with the sensor's addresses known (live) or not (replay). */
    static JsonNode events(boolean live, Writes w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventJson json = live ? new EventJson(out, "sensor-1",
                id -> id == CURL.entityId ? CURL : id == IN_CONTAINER.entityId ? IN_CONTAINER : null, Documents::isHost)
                : new EventJson(out, null, id -> null);
        w.to(json);
        json.close();
        return parse(out);
    }

    static JsonNode alert(Alert a, String hostName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventJson json = new EventJson(out);
        new AlertJson(json.generator(), hostName).write(a);
        json.close();
        return parse(out);
    }

    private static JsonNode parse(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) throw new AssertionError("not one JSON line: " + text);
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConnEvent conn(ConnEvent.Phase phase, String orig, String resp, Attribution attribution) {
        ConnEvent e = new ConnEvent();
        e.phase = phase;
        e.endReason = phase == ConnEvent.Phase.OPEN ? ConnEvent.EndReason.OPEN : ConnEvent.EndReason.FIN;
        e.flowId = 0xfeedL;
        e.startNanos = T0;
        e.endNanos = T0 + 1_500_000_000L;
        e.transport = Transport.TCP;
        long[] o = Ip.parse(orig), r = Ip.parse(resp);
        e.origIpHi = o[0];
        e.origIpLo = o[1];
        e.respIpHi = r[0];
        e.respIpLo = r[1];
        e.origPort = 50123;
        e.respPort = 443;
        e.direction = Direction.of(!orig.startsWith("198.") && !orig.startsWith("2001:db8:ffff"), !resp.startsWith("198.") && !resp.startsWith("2001:db8:ffff"));
        e.state = ConnState.SF;
        e.origPkts = 10;
        e.origBytes = 500;
        e.origIpBytes = 1000;
        e.respPkts = 8;
        e.respBytes = 4000;
        e.respIpBytes = 4500;
        e.setHistory("ShADadFf");
        e.vlan = 10;
        e.innerVlan = 20;
        e.origMac = 0x02005E000099L;
        e.respMac = 0x02005E000001L;
        e.attribution = attribution;
        if (attribution == Attribution.RESOLVED) {
            e.pid = CURL.pid;
            e.processStartNanos = CURL.startNanos;
            e.processEntityId = CURL.entityId;
        }
        return e;
    }

    /** The 7th exchange of a TLS session with its names, 30 s after the previous one. */
    static io.netsensor.events.BurstEvent burst(String orig, String resp, Attribution attribution) {
        ConnEvent c = conn(ConnEvent.Phase.END, orig, resp, attribution);
        io.netsensor.events.BurstEvent b = new io.netsensor.events.BurstEvent();
        b.flowId = c.flowId;
        b.flowStartNanos = T0;
        b.startNanos = T0 + 180_000_000_000L;
        b.endNanos = b.startNanos + 250_000_000L;
        b.gapNanos = 30_000_000_000L;
        b.transport = c.transport;
        b.origIpHi = c.origIpHi; b.origIpLo = c.origIpLo; b.origPort = c.origPort;
        b.respIpHi = c.respIpHi; b.respIpLo = c.respIpLo; b.respPort = c.respPort;
        b.direction = c.direction;
        b.origMac = c.origMac; b.respMac = c.respMac;
        b.vlan = c.vlan;
        b.origBytes = 64; b.respBytes = 9000; b.origPkts = 1; b.respPkts = 7;
        b.index = 7;
        b.flags = io.netsensor.events.BurstEvent.FLOW_START_SEEN;
        b.pid = c.pid; b.processStartNanos = c.processStartNanos; b.processEntityId = c.processEntityId;
        b.attribution = attribution;
        b.names.set(io.netsensor.events.ConnNames.DNS, "c2.example.net");
        b.names.set(io.netsensor.events.ConnNames.SNI, "c2.example.net");
        return b;
    }

    /** The first burst of an IPv6 flow whose start the capture did not see: no idle time before it, no names. */
    static io.netsensor.events.BurstEvent midStreamBurst() {
        io.netsensor.events.BurstEvent b = burst("2001:db8::5", "2001:db8:ffff::1", Attribution.UNKNOWN);
        b.flags = io.netsensor.events.BurstEvent.FIRST_IN_FLOW; // the capture began mid-connection
        b.gapNanos = -1;
        b.index = 1;
        b.vlan = 0;
        b.names.clear();
        return b;
    }

    static DnsEvent dnsAnswered(String client, Attribution attribution) {
        DnsEvent e = base(client, "192.0.2.53");
        e.rttNanos = 12_000_000;
        e.responded = true;
        e.rcode = 0;
        e.flags = DnsEvent.FLAG_RD | DnsEvent.FLAG_RA;
        e.queried = true;
        e.queryCount = 1;
        e.setQname("WWW.Example.com");
        e.qtype = DnsWire.TYPE_A;
        e.qclass = 1;
        byte[] name = "edge.example.net".getBytes(StandardCharsets.ISO_8859_1);
        e.addAnswer(DnsWire.TYPE_CNAME, 1, 300, DnsEvent.RDATA_NAME, name, 0, name.length);
        e.addAnswer(DnsWire.TYPE_A, 1, 60, DnsEvent.RDATA_ADDRESS, new byte[] {93, (byte) 184, (byte) 216, 34}, 0, 4);
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 1;
        e.addAnswer(DnsWire.TYPE_AAAA, 1, 60, DnsEvent.RDATA_ADDRESS, v6, 0, 16);
        byte[] txt = {5, 'h', 'e', 'l', 'l', 'o'};
        e.addAnswer(16, 1, 60, DnsEvent.RDATA_RAW, txt, 0, txt.length);
        e.addAnswer(65, 1, 60, DnsEvent.RDATA_RAW, new byte[] {0, 1, 0}, 0, 3); // HTTPS 1 .
        e.attribution = attribution;
        if (attribution == Attribution.RESOLVED) {
            e.pid = CURL.pid;
            e.processStartNanos = CURL.startNanos;
            e.processEntityId = CURL.entityId;
        }
        return e;
    }

    static ConnEvent inContainer(ConnEvent e) {
        e.pid = IN_CONTAINER.pid;
        e.processStartNanos = IN_CONTAINER.startNanos;
        e.processEntityId = IN_CONTAINER.entityId;
        return e;
    }

    static DnsEvent inContainer(DnsEvent e) {
        e.pid = IN_CONTAINER.pid;
        e.processStartNanos = IN_CONTAINER.startNanos;
        e.processEntityId = IN_CONTAINER.entityId;
        return e;
    }

    static DnsEvent dnsUnanswered() {
        DnsEvent e = base(LAN_CLIENT, "192.0.2.53");
        e.queried = true;
        e.queryCount = 3;
        e.setQname("nx.example");
        e.qtype = DnsWire.TYPE_AAAA;
        e.qclass = 1;
        return e;
    }

    /** A response to the group with no question (RFC 6762 announcement): qtype and qclass 0. */
    static DnsEvent mdnsAnnouncement() {
        DnsEvent e = base("192.168.1.30", "224.0.0.251");
        e.clientPort = 5353;
        e.serverPort = 5353;
        e.responded = true;
        e.rcode = 0;
        e.flags = DnsEvent.FLAG_AA;
        byte[] name = "printer.local".getBytes(StandardCharsets.ISO_8859_1);
        e.addAnswer(DnsWire.TYPE_PTR, 0x8001, 4500, DnsEvent.RDATA_NAME, name, 0, name.length);
        return e;
    }

    private static DnsEvent base(String client, String server) {
        DnsEvent e = new DnsEvent();
        e.tsNanos = T0;
        e.transport = Transport.UDP;
        long[] c = Ip.parse(client), s = Ip.parse(server);
        e.clientIpHi = c[0];
        e.clientIpLo = c[1];
        e.serverIpHi = s[0];
        e.serverIpLo = s[1];
        e.clientPort = 40000;
        e.serverPort = 53;
        e.direction = server.startsWith("192.0.2.") ? Direction.OUTBOUND : Direction.INTERNAL;
        e.transId = 4711;
        e.clientMac = 0x02005E000099L;
        return e;
    }

    /** A CONN row of a process (the curl of the host's records), a DNS row of a LAN client, and the folded "other" rows. */
    static java.util.Map<String, io.netsensor.events.TelemetryRow> telemetryRows() {
        java.util.Map<String, io.netsensor.events.TelemetryRow> m = new LinkedHashMap<>();
        io.netsensor.events.TelemetryRow.Builder c = new io.netsensor.events.TelemetryRow.Builder(io.netsensor.events.TelemetryRow.Kind.CONN);
        c.intervalStartNanos = T0 - T0 % 60_000_000_000L;
        c.intervalEndNanos = c.intervalStartNanos + 60_000_000_000L;
        c.localIp = HOST;
        c.processEntityId = CURL.entityId;
        c.pid = CURL.pid;
        c.remoteIp = REMOTE;
        c.remotePort = 443;
        c.transport = Transport.TCP;
        c.connections = 12;
        c.rejected = 1;
        c.noAnswer = 2;
        c.bytesOut = 5_000;
        c.bytesIn = 120_000;
        c.packetsOut = 60;
        c.packetsIn = 110;
        c.firstSeenNanos = T0;
        c.lastSeenNanos = T0 + 50_000_000_000L;
        c.names = List.of("www.example.com", "example.com");
        m.put("telemetry conn, process key", c.build());
        io.netsensor.events.TelemetryRow.Builder d = new io.netsensor.events.TelemetryRow.Builder(io.netsensor.events.TelemetryRow.Kind.DNS);
        d.intervalStartNanos = c.intervalStartNanos;
        d.intervalEndNanos = c.intervalEndNanos;
        d.localIp = LAN_CLIENT;
        d.localMac = "02-00-5E-00-00-99";
        d.transport = null;
        d.domain = "example.com";
        d.queries = 40;
        d.nxdomains = 3;
        d.distinctNames = 7;
        d.queryTypes = Map.of("1", 30L, "28", 10L);
        m.put("telemetry dns, LAN client key", d.build());
        io.netsensor.events.TelemetryRow.Builder oc = new io.netsensor.events.TelemetryRow.Builder(io.netsensor.events.TelemetryRow.Kind.CONN);
        oc.intervalStartNanos = c.intervalStartNanos;
        oc.intervalEndNanos = c.intervalEndNanos;
        oc.other = true;
        oc.foldedRows = 500;
        oc.transport = null;
        oc.connections = 900;
        oc.bytesOut = 1;
        m.put("telemetry conn, other", oc.build());
        io.netsensor.events.TelemetryRow.Builder od = new io.netsensor.events.TelemetryRow.Builder(io.netsensor.events.TelemetryRow.Kind.DNS);
        od.intervalStartNanos = c.intervalStartNanos;
        od.intervalEndNanos = c.intervalEndNanos;
        od.other = true;
        od.foldedRows = 70;
        od.transport = null;
        od.queries = 70;
        m.put("telemetry dns, other", od.build());
        return m;
    }

    /** Every record of the fixtures, as an encoder of another shape takes them: records by name, writing into the encoder. */
    interface Encodes {
        byte[] with(RecordEncoder enc);
    }

    /** The fixtures as records for the other shapes (OCSF, Falcon, CEF), each fed to a fresh encoder. */
    static Map<String, Encodes> records() {
        Map<String, Encodes> m = new LinkedHashMap<>();
        m.put("conn open, host, attributed", enc -> enc.conn(conn(ConnEvent.Phase.OPEN, HOST, REMOTE, Attribution.RESOLVED)));
        m.put("conn end, inbound to the host", enc -> enc.conn(conn(ConnEvent.Phase.END, REMOTE, HOST, Attribution.NO_SOCKET)));
        m.put("conn end, gateway, forwarded", enc -> enc.conn(conn(ConnEvent.Phase.END, LAN_CLIENT, REMOTE, Attribution.NOT_LOCAL)));
        m.put("conn end, internal", enc -> enc.conn(conn(ConnEvent.Phase.END, LAN_CLIENT, "10.9.9.9", Attribution.UNKNOWN)));
        ConnEvent refused = conn(ConnEvent.Phase.END, HOST, REMOTE, Attribution.RESOLVED);
        refused.state = ConnState.REJ;
        refused.setHistory("Sr");
        m.put("conn end, refused", enc -> enc.conn(refused));
        ConnEvent v6 = conn(ConnEvent.Phase.END, "2001:db8::5", "2001:db8:ffff::1", Attribution.UNKNOWN);
        v6.vlan = 0;
        m.put("conn end, IPv6", enc -> enc.conn(v6));
        m.put("burst, host, attributed, with names", enc -> enc.burst(burst(HOST, REMOTE, Attribution.RESOLVED)));
        m.put("burst, inbound to the host", enc -> enc.burst(burst(REMOTE, HOST, Attribution.NO_SOCKET)));
        m.put("burst, IPv6, first seen mid-connection", enc -> enc.burst(midStreamBurst()));
        m.put("dns answered, host, attributed", enc -> enc.dns(dnsAnswered(HOST, Attribution.RESOLVED)));
        m.put("dns answered, gateway", enc -> enc.dns(dnsAnswered(LAN_CLIENT, Attribution.NOT_LOCAL)));
        m.put("dns unanswered", enc -> enc.dns(dnsUnanswered()));
        m.put("dns mDNS announcement", enc -> enc.dns(mdnsAnnouncement()));
        for (DetectorKind d : DetectorKind.values()) {
            m.put("alert " + d.label + ", host with process", enc -> enc.alert(alert(d, HOST, null, CURL)));
            m.put("alert " + d.label + ", gateway LAN client", enc -> enc.alert(alert(d, LAN_CLIENT, "02-00-5E-00-00-99", null)));
            m.put("alert " + d.label + ", identity-only process", enc -> enc.alert(alert(d, HOST, null, ProcessInfo.identityOnly(7, 99, T0))));
        }
        telemetryRows().forEach((name, row) -> m.put(name, enc -> enc.telemetry(row)));
        return m;
    }

    /** The PROCESS record of CURL, as the journal has it. */
    static io.netsensor.events.ProcessEvent curlProcess() {
        io.netsensor.events.ProcessEvent p = new io.netsensor.events.ProcessEvent();
        p.tsNanos = T0;
        p.entityId = CURL.entityId;
        p.pid = CURL.pid;
        p.ppid = CURL.ppid;
        p.uid = CURL.uid;
        p.startNanos = CURL.startNanos;
        p.setStrings(CURL.user, CURL.name, CURL.executable, CURL.commandLine);
        return p;
    }

    /** A beacon whose check-ins are bursts inside one connection: its evidence names the connection. */
    static Alert inConnectionBeacon() {
        Alert.Draft a = alert(DetectorKind.BEACON, HOST, null, null).toDraft();
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("flow_id", "feed");
        conn.put("transport", "tcp");
        conn.put("source_ip", HOST);
        conn.put("source_port", 50123);
        conn.put("destination_ip", REMOTE);
        conn.put("destination_port", 443);
        a.evidence.put("connection", conn);
        return a.build();
    }

    static Alert alert(DetectorKind d, String hostIp, String hostMac, ProcessInfo process) {
        Alert.Draft a = new Alert.Draft();
        a.id = d.label + "-0123456789abcdef";
        a.detector = d;
        a.severity = d == DetectorKind.DGA ? Severity.MEDIUM : Severity.HIGH;
        a.score = 0.8765;
        a.hostIp = hostIp;
        a.hostMac = hostMac;
        a.process = process;
        // as the detectors fill them: dga has no remote, fanout a port but no single peer
        a.remoteIp = d == DetectorKind.DGA || d == DetectorKind.FANOUT ? null : REMOTE;
        a.remotePort = d == DetectorKind.DGA ? null : d == DetectorKind.FANOUT ? 22 : 8443;
        a.firstSeenNanos = T0;
        a.lastSeenNanos = T0 + 3_600_000_000_000L;
        a.count = 42;
        a.evidence.put("interval_histogram", new long[] {0, 3, 9, 1});
        a.evidence.put("jitter", 0.12);
        a.evidence.put("domains", List.of("xkqzvb.example", "qpwoei.example"));
        a.evidence.put("nested", Map.of("nx_ratio", 0.9, "never_seen", true));
        a.summary = d.label + " from " + hostIp;
        return a.build();
    }
}
