package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Transport;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Falcon-compatible shape: event names, the fields the seed's queries read, FDR's conventions. */
class FalconEncoderTest {
    private static final String AID = "0123456789abcdef0123456789abcdef";

    private static FalconEncoder encoder() {
        FalconEncoder f = new FalconEncoder(EncoderContext.of("sensor-1").withAgentId(AID)
                .withHostAddresses(Documents::isHost));
        f.process(Documents.curlProcess());
        return f;
    }

    private static JsonNode parse(byte[] b) {
        return OcsfEncoderTest.parse(b);
    }

    @Test
    void anOutboundConnectionIsNetworkConnectIP4WithTheProcessAndItsUser() {
        JsonNode d = parse(encoder().conn(Documents.conn(ConnEvent.Phase.OPEN, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED)));
        assertThat(d.path("event_simpleName").asText()).isEqualTo("NetworkConnectIP4");
        assertThat(d.path("aid").asText()).isEqualTo(AID);
        assertThat(d.path("ComputerName").asText()).isEqualTo("sensor-1");
        assertThat(d.path("event_platform").asText()).isEqualTo("Lin");
        assertThat(d.path("timestamp").asText()).isEqualTo(Long.toString(Documents.T0 / 1_000_000));
        assertThat(d.path("ContextTimeStamp").asText()).isEqualTo("1700000000.123");
        assertThat(d.path("LocalAddressIP4").asText()).isEqualTo(Documents.HOST);
        assertThat(d.path("LocalPort").asText()).isEqualTo("50123");
        assertThat(d.path("RemoteAddressIP4").asText()).isEqualTo(Documents.REMOTE);
        assertThat(d.path("RemotePort").asText()).isEqualTo("443");
        assertThat(d.path("Protocol").asText()).isEqualTo("6");
        assertThat(d.path("ConnectionDirection").asText()).isEqualTo("0");
        assertThat(d.path("ContextProcessId").asText()).isEqualTo(Long.toUnsignedString(Documents.CURL.entityId));
        assertThat(d.path("RawProcessId").asText()).isEqualTo("4242");
        assertThat(d.path("ImageFileName").asText()).isEqualTo("/usr/bin/curl");
        assertThat(d.path("CommandLine").asText()).isEqualTo("curl -s https://example.com/");
        assertThat(d.path("UserName").asText()).isEqualTo("alice");
        // FDR sends every value as a string
        for (Iterator<JsonNode> it = d.elements(); it.hasNext(); ) assertThat(it.next().isTextual()).isTrue();
    }

    @Test
    void eachConnectionIsOneEventAsFalconLogsConnectsNotFlowRecords() {
        FalconEncoder f = encoder();
        assertThat(f.conn(Documents.conn(ConnEvent.Phase.OPEN, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED))).isNotNull();
        assertThat(f.conn(Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED)))
                .as("the END of an established TCP flow: its OPEN was the connect").isNull();
        ConnEvent refused = Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED);
        refused.state = ConnState.REJ;
        assertThat(parse(f.conn(refused)).path("event_simpleName").asText()).as("a refused connect has only an END").isEqualTo("NetworkConnectIP4");
        ConnEvent udp = Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.UNKNOWN);
        udp.transport = Transport.UDP;
        JsonNode u = parse(f.conn(udp));
        assertThat(u.path("Protocol").asText()).isEqualTo("17");
        assertThat(u.has("ContextProcessId")).as("unattributed: no process fields").isFalse();
    }

    @Test
    void anAcceptedConnectionIsNetworkReceiveAcceptWithTheRemoteAsTheOriginator() {
        JsonNode d = parse(encoder().conn(Documents.conn(ConnEvent.Phase.OPEN, Documents.REMOTE, Documents.HOST, Attribution.NO_SOCKET)));
        assertThat(d.path("event_simpleName").asText()).isEqualTo("NetworkReceiveAcceptIP4");
        assertThat(d.path("RemoteAddressIP4").asText()).isEqualTo(Documents.REMOTE);
        assertThat(d.path("RemotePort").asText()).isEqualTo("50123");
        assertThat(d.path("LocalAddressIP4").asText()).isEqualTo(Documents.HOST);
        assertThat(d.path("LocalPort").asText()).isEqualTo("443");
        assertThat(d.path("ConnectionDirection").asText()).isEqualTo("1");
        ConnEvent v6 = Documents.conn(ConnEvent.Phase.OPEN, "2001:db8::5", "2001:db8:ffff::1", Attribution.UNKNOWN);
        JsonNode d6 = parse(encoder().conn(v6));
        assertThat(d6.path("event_simpleName").asText()).isEqualTo("NetworkConnectIP6");
        assertThat(d6.path("RemoteAddressIP6").asText()).isEqualTo("2001:db8:ffff::1");
        assertThat(d6.path("LocalAddressIP6").asText()).isEqualTo("2001:db8::5");
    }

    @Test
    void aBurstIsNetsensorConnectionBurstWithTheConnectionEventsFieldsFromTheLocalSide() {
        JsonNode b = parse(encoder().burst(Documents.burst(Documents.HOST, Documents.REMOTE, Attribution.RESOLVED)));
        assertThat(b.path("event_simpleName").asText()).isEqualTo("NetsensorConnectionBurst");
        assertThat(b.path("aid").asText()).isEqualTo(AID);
        assertThat(b.path("timestamp").asText()).isEqualTo(Long.toString((Documents.T0 + 180_000_000_000L) / 1_000_000));
        assertThat(b.path("LocalAddressIP4").asText()).isEqualTo(Documents.HOST);
        assertThat(b.path("LocalPort").asText()).isEqualTo("50123");
        assertThat(b.path("RemoteAddressIP4").asText()).isEqualTo(Documents.REMOTE);
        assertThat(b.path("RemotePort").asText()).isEqualTo("443");
        assertThat(b.path("Protocol").asText()).isEqualTo("6");
        assertThat(b.path("ConnectionDirection").asText()).isEqualTo("0");
        assertThat(b.path("DomainName").asText()).isEqualTo("c2.example.net");
        assertThat(b.path("FlowId").asText()).isEqualTo("feed");
        assertThat(b.path("BurstIndex").asText()).isEqualTo("7");
        assertThat(b.path("IdleBefore").asText()).isEqualTo("30000");
        assertThat(b.path("BytesSent").asText()).isEqualTo("64");
        assertThat(b.path("BytesReceived").asText()).isEqualTo("9000");
        assertThat(b.path("PacketsSent").asText()).isEqualTo("1");
        assertThat(b.path("PacketsReceived").asText()).isEqualTo("7");
        assertThat(b.path("ImageFileName").asText()).isEqualTo("/usr/bin/curl");
        assertThat(b.path("UserName").asText()).isEqualTo("alice");
        for (Iterator<JsonNode> it = b.elements(); it.hasNext(); ) assertThat(it.next().isTextual()).isTrue();
        // the host answered: sent and received are its own
        JsonNode in = parse(encoder().burst(Documents.burst(Documents.REMOTE, Documents.HOST, Attribution.NO_SOCKET)));
        assertThat(in.path("ConnectionDirection").asText()).isEqualTo("1");
        assertThat(in.path("LocalAddressIP4").asText()).isEqualTo(Documents.HOST);
        assertThat(in.path("LocalPort").asText()).isEqualTo("443");
        assertThat(in.path("BytesSent").asText()).isEqualTo("9000");
        assertThat(in.path("BytesReceived").asText()).isEqualTo("64");
        assertThat(in.has("ContextProcessId")).isFalse();
        JsonNode mid = parse(encoder().burst(Documents.midStreamBurst()));
        assertThat(mid.path("LocalAddressIP6").asText()).isEqualTo("2001:db8::5");
        assertThat(mid.path("RemoteAddressIP6").asText()).isEqualTo("2001:db8:ffff::1");
        assertThat(mid.path("BurstIndex").asText()).isEqualTo("1");
        assertThat(mid.has("IdleBefore")).as("a flow's first burst has no idle time before it").isFalse();
        assertThat(mid.has("DomainName")).isFalse();
    }

    @Test
    void aLookupIsDnsRequestWithItsAnswers() {
        JsonNode d = parse(encoder().dns(Documents.dnsAnswered(Documents.HOST, Attribution.RESOLVED)));
        assertThat(d.path("event_simpleName").asText()).isEqualTo("DnsRequest");
        assertThat(d.path("DomainName").asText()).isEqualTo("www.example.com");
        assertThat(d.path("RequestType").asText()).isEqualTo("1");
        assertThat(d.path("QueryStatus").asText()).isEqualTo("0");
        assertThat(d.path("IP4Records").asText()).isEqualTo("93.184.216.34;");
        assertThat(d.path("FirstIP4Record").asText()).isEqualTo("93.184.216.34");
        assertThat(d.path("CNAMERecords").asText()).isEqualTo("edge.example.net;");
        assertThat(d.path("RespondingDnsServer").asText()).isEqualTo("192.0.2.53");
        assertThat(d.path("ImageFileName").asText()).isEqualTo("/usr/bin/curl");
        JsonNode nx = parse(encoder().dns(Documents.dnsUnanswered()));
        assertThat(nx.path("RequestType").asText()).isEqualTo("28");
        assertThat(nx.has("QueryStatus")).isFalse();
        assertThat(encoder().dns(Documents.mdnsAnnouncement())).as("no question: no request").isNull();
    }

    @Test
    void aProcessRecordIsProcessRollup2WhoseTargetProcessIdTheOtherEventsPointTo() {
        JsonNode p = parse(new FalconEncoder(EncoderContext.of("sensor-1")).process(Documents.curlProcess()));
        assertThat(p.path("event_simpleName").asText()).isEqualTo("ProcessRollup2");
        assertThat(p.path("TargetProcessId").asText()).isEqualTo(Long.toUnsignedString(Documents.CURL.entityId));
        assertThat(p.path("RawProcessId").asText()).isEqualTo("4242");
        assertThat(p.path("ImageFileName").asText()).isEqualTo("/usr/bin/curl");
        assertThat(p.path("CommandLine").asText()).isEqualTo("curl -s https://example.com/");
        assertThat(p.path("UserName").asText()).isEqualTo("alice");
        assertThat(p.path("aid").asText()).hasSize(32).isEqualTo(FalconEncoder.agentId("sensor-1"));
    }

    @Test
    void alertsAndTelemetryAreNetsensorsOwnEventsInTheSameStyle() {
        FalconEncoder f = encoder();
        JsonNode a = parse(f.alert(Documents.alert(io.netsensor.events.DetectorKind.C2_PORT, Documents.HOST, null, Documents.CURL)));
        assertThat(a.path("event_simpleName").asText()).isEqualTo("NetsensorDetection");
        assertThat(a.path("DetectName").asText()).isEqualTo("c2_port");
        assertThat(a.path("Severity").asText()).isEqualTo("4");
        assertThat(a.path("TechniqueId").asText()).isEqualTo("T1571");
        assertThat(a.path("RemotePort").asText()).isEqualTo("8443");
        assertThat(a.path("ContextProcessId").asText()).isEqualTo(Long.toUnsignedString(Documents.CURL.entityId));
        Map<String, io.netsensor.events.TelemetryRow> rows = Documents.telemetryRows();
        JsonNode c = parse(f.telemetry(rows.get("telemetry conn, process key")));
        assertThat(c.path("event_simpleName").asText()).isEqualTo("NetsensorTelemetryConn");
        assertThat(c.path("Connections").asText()).isEqualTo("12");
        assertThat(c.path("ImageFileName").asText()).isEqualTo("/usr/bin/curl");
        JsonNode d = parse(f.telemetry(rows.get("telemetry dns, LAN client key")));
        assertThat(d.path("DomainName").asText()).isEqualTo("example.com");
        assertThat(d.path("RequestTypes").asText()).contains("1:30;").contains("28:10;");
        for (String name : Set.of("telemetry conn, other", "telemetry dns, other")) {
            assertThat(parse(f.telemetry(rows.get(name))).path("Other").asText()).isEqualTo("true");
        }
    }
}
