package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the event and alert documents say (their ECS conformance is EcsConformanceTest's). */
class EventAndAlertJsonTest {
    private final Map<String, JsonNode> docs = Documents.all();

    @Test
    void everyDocumentNamesItsEcsVersion() {
        docs.forEach((name, d) -> assertThat(d.at("/ecs/version").asText()).as(name).isEqualTo("9.4.0"));
    }

    @Test
    void theHostsOwnTrafficHasTheHostViewAndForwardedTrafficTheNetworkView() {
        assertThat(docs.get("conn open, host view, attributed").at("/network/direction").asText()).isEqualTo("egress");
        assertThat(docs.get("conn end, host view, inbound to the host").at("/network/direction").asText()).isEqualTo("ingress");
        assertThat(docs.get("dns answered, host view, attributed").at("/network/direction").asText()).isEqualTo("egress");
        // a gateway's forwarded flow (not_local: neither end is this host) keeps the home_net view
        assertThat(docs.get("conn end, gateway, forwarded").at("/network/direction").asText()).isEqualTo("outbound");
        assertThat(docs.get("dns answered, gateway, forwarded").at("/network/direction").asText()).isEqualTo("outbound");
        // without the host's addresses (replays, `events`), the network view throughout
        JsonNode replayed = Documents.events(false, j -> j.conn(Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.UNKNOWN)));
        assertThat(replayed.at("/network/direction").asText()).isEqualTo("outbound");
        assertThat(docs.get("conn end, replay (no host addresses)").at("/network/direction").asText()).isEqualTo("internal");
    }

    @Test
    void dnsIdIsAStringAndResolvedIpIsThereExactlyWhenAnAddressWasAnswered() {
        JsonNode answered = docs.get("dns answered, host view, attributed");
        assertThat(answered.at("/dns/id").isTextual()).isTrue();
        assertThat(answered.at("/dns/id").asText()).isEqualTo("4711");
        assertThat(answered.at("/dns/resolved_ip").toString()).isEqualTo("[\"93.184.216.34\",\"2001::1\"]");
        assertThat(docs.get("dns unanswered").at("/dns").has("resolved_ip")).isFalse();
        assertThat(docs.get("dns response-only mDNS announcement").at("/dns").has("resolved_ip")).as("a PTR answer only").isFalse();
        DnsEvent cnameOnly = Documents.dnsUnanswered();
        cnameOnly.responded = true;
        cnameOnly.rcode = 0;
        byte[] name = "alias.example".getBytes(StandardCharsets.ISO_8859_1);
        cnameOnly.addAnswer(DnsWire.TYPE_CNAME, 1, 60, DnsEvent.RDATA_NAME, name, 0, name.length);
        JsonNode d = Documents.events(false, j -> j.dns(cnameOnly));
        assertThat(d.at("/dns/answers")).hasSize(1);
        assertThat(d.at("/dns").has("resolved_ip")).as("no empty list").isFalse();
    }

    @Test
    void aRecordWithoutQuestionHasNoQuestionFields() {
        JsonNode announcement = docs.get("dns response-only mDNS announcement");
        assertThat(announcement.at("/dns").has("question")).isFalse();
        assertThat(announcement.toString()).doesNotContain("TYPE0").doesNotContain("CLASS0");
        assertThat(docs.get("dns unanswered").at("/dns/question/type").asText()).isEqualTo("AAAA");
    }

    @Test
    void connectionAndDnsDocumentsCarryTheFlowsCommunityId() {
        String conn = docs.get("conn open, host view, attributed").at("/network/community_id").asText();
        assertThat(conn).startsWith("1:").hasSize(30);
        // the same flow from the other end (as a capture on the remote host sees it) has the same id
        ConnEvent reversed = Documents.conn(ConnEvent.Phase.OPEN, Documents.REMOTE, Documents.HOST, Attribution.UNKNOWN);
        reversed.origPort = 443;
        reversed.respPort = 50123;
        assertThat(EventJson.communityId(reversed)).isEqualTo(conn);
        assertThat(docs.get("dns answered, host view, attributed").at("/network/community_id").asText()).startsWith("1:");
        assertThat(docs.get("dns unanswered").at("/network/community_id").asText())
                .isNotEqualTo(docs.get("dns answered, host view, attributed").at("/network/community_id").asText());
    }

    @Test
    void processOwnerIsTheRealUser() {
        JsonNode d = docs.get("conn open, host view, attributed");
        assertThat(d.at("/process/real_user/name").asText()).isEqualTo("alice");
        assertThat(d.at("/process/real_user/id").asText()).isEqualTo("1001");
        assertThat(d.at("/user/name").asText()).isEqualTo("alice");
        assertThat(d.at("/process").has("user")).isFalse();
    }

    @Test
    void alertFieldsHaveTheirEcsHomes() {
        JsonNode a = docs.get("alert beacon, host with process");
        assertThat(a.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(a.at("/netsensor/alert_id").asText()).isEqualTo("beacon-0123456789abcdef");
        assertThat(a.at("/event/id").asText()).isEqualTo("beacon-0123456789abcdef.high");
        assertThat(a.at("/rule/id").asText()).isEqualTo("beacon");
        assertThat(a.at("/rule/name").asText()).isEqualTo("beacon");
        assertThat(a.at("/event/severity").asInt()).isEqualTo(73);
        assertThat(a.at("/event/risk_score").asDouble()).isEqualTo(87.7);
        assertThat(a.at("/netsensor/severity").asText()).isEqualTo("High");
        assertThat(a.at("/message").asText()).isEqualTo("beacon from 10.0.0.5");
        assertThat(a.at("/destination/ip").asText()).isEqualTo(Documents.REMOTE);
        assertThat(a.at("/destination/port").asInt()).isEqualTo(8443);
        assertThat(a.at("/source/ip").asText()).isEqualTo(Documents.HOST);
        assertThat(a.at("/host/ip").asText()).isEqualTo(Documents.HOST);
        assertThat(a.at("/related/ip").toString()).isEqualTo("[\"10.0.0.5\",\"198.51.100.7\"]");
        assertThat(a.at("/event/start").asText()).isEqualTo(EventJson.time(Documents.T0));
        assertThat(a.at("/event/end").asText()).isEqualTo(EventJson.time(Documents.T0 + 3_600_000_000_000L));
        assertThat(a.at("/netsensor/count").asLong()).isEqualTo(42);
        assertThat(a.at("/netsensor/evidence/interval_histogram").toString()).isEqualTo("[0,3,9,1]");
        assertThat(a.at("/process/real_user/name").asText()).isEqualTo("alice");
        for (String gone : List.of("id", "detector", "severity", "score", "summary", "remote", "first_seen", "last_seen", "count", "evidence")) {
            assertThat(a.has(gone)).as("top-level %s", gone).isFalse();
        }
        JsonNode gateway = docs.get("alert beacon, gateway LAN client");
        assertThat(gateway.has("process")).as("no process: no field (was null)").isFalse();
        assertThat(gateway.at("/source/mac").asText()).isEqualTo("02-00-5E-00-00-99");
        assertThat(gateway.at("/host/mac").asText()).isEqualTo("02-00-5E-00-00-99");
        JsonNode dga = docs.get("alert dga, gateway LAN client");
        assertThat(dga.has("destination")).as("no remote").isFalse();
        assertThat(dga.at("/related/ip").toString()).isEqualTo("[\"192.168.1.20\"]");
        JsonNode fanout = docs.get("alert fanout, host with process");
        assertThat(fanout.at("/destination/port").asInt()).as("the port without a peer").isEqualTo(22);
        assertThat(fanout.at("/destination").has("ip")).isFalse();
        assertThat(fanout.at("/related/ip").toString()).isEqualTo("[\"10.0.0.5\"]");
    }

    @Test
    void severityNumbersFollowEachOther() {
        List<Integer> n = new ArrayList<>();
        for (Severity s : Severity.values()) n.add(AlertJson.ecsSeverity(s));
        assertThat(n).containsExactly(21, 47, 73, 99);
    }

    @Test
    void eachDetectorNamesTheAttackTechniqueItObservesUnderTheBotnetUmbrella() {
        Map<DetectorKind, String> technique = Map.of(DetectorKind.BEACON, "T1071", DetectorKind.C2_PORT, "T1571",
                DetectorKind.DGA, "T1568", DetectorKind.RELAY, "T1090", DetectorKind.FANOUT, "T1046",
                DetectorKind.DNS_TUNNEL, "T1071", DetectorKind.SCAN, "T1046");
        java.util.Set<DetectorKind> discovery = java.util.Set.of(DetectorKind.FANOUT, DetectorKind.SCAN);
        for (DetectorKind d : DetectorKind.values()) {
            JsonNode t = docs.get("alert " + d.label + ", host with process").path("threat");
            assertThat(t.path("framework").asText()).isEqualTo("MITRE ATT&CK");
            assertThat(t.at("/technique/id").toString()).as(d.label).isEqualTo("[\"T1583\",\"" + technique.get(d) + "\"]");
            assertThat(t.at("/technique/id")).hasSameSizeAs(t.at("/technique/name"));
            assertThat(t.at("/technique/subtechnique/id/0").asText()).isEqualTo("T1583.005");
            assertThat(t.at("/technique/subtechnique/name/0").asText()).isEqualTo("Botnet");
            assertThat(t.at("/tactic/id/0").asText()).isEqualTo("TA0042");
            assertThat(t.at("/tactic/id/1").asText()).isEqualTo(discovery.contains(d) ? "TA0007" : "TA0011");
            assertThat(t.at("/tactic/name/1").asText()).isEqualTo(discovery.contains(d) ? "Discovery" : "Command and Control");
        }
        JsonNode dga = docs.get("alert dga, host with process").path("threat");
        assertThat(dga.at("/technique/subtechnique/id").toString()).isEqualTo("[\"T1583.005\",\"T1568.002\"]");
        assertThat(dga.at("/technique/subtechnique/name/1").asText()).isEqualTo("Domain Generation Algorithms");
        JsonNode dns = docs.get("alert dns_tunnel, host with process").path("threat");
        assertThat(dns.at("/technique/subtechnique/id").toString()).isEqualTo("[\"T1583.005\",\"T1071.004\"]");
    }

    @Test
    void aBurstNamesItsConnectionDirectionTimesSizesAndNames() {
        JsonNode b = docs.get("burst, host view, attributed, with names");
        ConnEvent conn = Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED);
        JsonNode c = Documents.events(true, j -> j.conn(conn));
        assertThat(b.at("/event/dataset").asText()).isEqualTo("netsensor.burst");
        assertThat(b.at("/event/action").asText()).isEqualTo("connection_burst");
        assertThat(b.at("/event/id").asText()).startsWith("burst-");
        // the connection it lives in: the same flow id and community id as its connection records
        assertThat(b.at("/netsensor/flow_id").asText()).isEqualTo(c.at("/netsensor/flow_id").asText());
        assertThat(b.at("/network/community_id").asText()).isEqualTo(c.at("/network/community_id").asText());
        assertThat(b.at("/source/ip").asText()).isEqualTo(Documents.HOST);
        assertThat(b.at("/destination/port").asInt()).isEqualTo(443);
        assertThat(b.at("/network/direction").asText()).isEqualTo("egress");
        assertThat(b.at("/@timestamp").asText()).isEqualTo(b.at("/event/start").asText());
        assertThat(b.at("/event/duration").asLong()).isEqualTo(250_000_000L);
        assertThat(b.at("/netsensor/burst/orig_bytes").asInt()).isEqualTo(64);
        assertThat(b.at("/netsensor/burst/resp_bytes").asInt()).isEqualTo(9000);
        assertThat(b.at("/netsensor/burst/index").asInt()).isEqualTo(7);
        assertThat(b.at("/netsensor/burst/idle_before").asLong()).isEqualTo(30_000_000_000L);
        assertThat(b.at("/netsensor/burst/flow_start_seen").asBoolean()).isTrue();
        assertThat(b.at("/source/packets").asInt()).isEqualTo(1);
        assertThat(b.at("/destination/packets").asInt()).isEqualTo(7);
        assertThat(b.at("/tls/client/server_name").asText()).isEqualTo("c2.example.net");
        assertThat(b.at("/destination/domain").asText()).isEqualTo("c2.example.net");
        assertThat(b.at("/process/name").asText()).isEqualTo("curl");
        JsonNode mid = docs.get("burst, replay, IPv6, first seen mid-connection");
        assertThat(mid.at("/netsensor/burst").has("idle_before")).as("a flow's first burst has no idle time before it").isFalse();
        assertThat(mid.at("/netsensor/burst/flow_start_seen").asBoolean()).isFalse();
        assertThat(mid.at("/network/type").asText()).isEqualTo("ipv6");
        assertThat(mid.has("tls")).isFalse();
    }

    @Test
    void anInConnectionBeaconCarriesTheCommunityIdOfItsConnection() {
        JsonNode alert = docs.get("alert beacon inside one connection");
        JsonNode conn = Documents.events(false, j -> j.conn(Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.UNKNOWN)));
        assertThat(alert.at("/network/community_id").asText()).isEqualTo(conn.at("/network/community_id").asText()).startsWith("1:");
        assertThat(alert.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(docs.get("alert beacon, host with process").has("network")).as("no connection in its evidence").isFalse();
    }
}
