package io.netsensor.agent.replay;

import static io.netsensor.testkit.dns.DnsMessages.A;
import static io.netsensor.testkit.dns.DnsMessages.AAAA;
import static io.netsensor.testkit.dns.DnsMessages.a;
import static io.netsensor.testkit.dns.DnsMessages.aaaa;
import static io.netsensor.testkit.dns.DnsMessages.cname;
import static io.netsensor.testkit.dns.DnsMessages.query;
import static io.netsensor.testkit.dns.DnsMessages.response;
import static io.netsensor.testkit.dns.DnsMessages.tcpFramed;
import static io.netsensor.testkit.pcap.TcpTalk.ACK;
import static io.netsensor.testkit.pcap.TcpTalk.FIN;
import static io.netsensor.testkit.pcap.TcpTalk.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.TcpTalk;
import io.netsensor.testkit.pcap.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/** DNS transactions over UDP and TCP as a user reads them in `replay --events`: one replay, one record per question. */
class ReplayDnsTest {
    private static final String CLIENT = "10.0.0.1", RESOLVER = "10.0.0.53";

    @TempDir
    static Path dir;
    static Replayed replay;

    @BeforeAll
    static void replayResolverTraffic() throws Exception {
        Trace t = new Trace();
        toResolver(t, 0, 50001, query(1, "example.com", A).toWire());
        fromResolver(t, 20, 50001, response(1, "example.com", A, a("example.com", "93.184.216.34")).toWire());
        toResolver(t, 30, 50002, query(2, "example.com", AAAA).toWire());
        fromResolver(t, 45, 50002, response(2, "example.com", AAAA, aaaa("example.com", "2606:2800:220:1:248:1893:25c8:1946")).toWire());
        toResolver(t, 50, 50003, query(3, "www.example.org", A).toWire());
        fromResolver(t, 60, 50003, response(3, "www.example.org", A, cname("www.example.org", "edge.cdn.test"),
                cname("edge.cdn.test", "e1.cdn.test"), a("e1.cdn.test", "203.0.113.5")).toWire());
        toResolver(t, 70, 50004, query(4, "nope.invalid", A).toWire());
        fromResolver(t, 75, 50004, response(4, "nope.invalid", A, Rcode.NXDOMAIN).toWire());
        toResolver(t, 100, 50005, query(5, "lost.example", A).toWire()); // never answered

        // 12 s later (past the 10 s timeout): two queries over one TCP connection, the first answer split in two
        TcpTalk tcp = new TcpTalk(CLIENT, 41053, RESOLVER, 53);
        byte[] answer1 = tcpFramed(response(6, "tcp1.example", A, a("tcp1.example", "192.0.2.61")).toWire());
        t.at(12_000, tcp.handshake())
                .at(12_010, tcp.client(ACK | PSH, tcpFramed(query(6, "tcp1.example", A).toWire())))
                .at(12_020, tcp.server(ACK | PSH, Arrays.copyOfRange(answer1, 0, 9)))
                .at(12_021, tcp.server(ACK | PSH, Arrays.copyOfRange(answer1, 9, answer1.length)))
                .at(12_030, tcp.client(ACK | PSH, tcpFramed(query(7, "tcp2.example", A).toWire())))
                .at(12_040, tcp.server(ACK | PSH, tcpFramed(response(7, "tcp2.example", A, a("tcp2.example", "192.0.2.62")).toWire())))
                .at(12_050, tcp.client(FIN | ACK)).at(12_051, tcp.server(FIN | ACK)).at(12_052, tcp.client(ACK));
        replay = Replayed.events(t.pcap(dir.resolve("dns.pcap"), LinkTypes.ETHERNET));
    }

    private static void toResolver(Trace t, double ms, int clientPort, byte[] query) {
        t.at(ms, Frames.ipv4(CLIENT, RESOLVER).udp(clientPort, 53).payload(query).build());
    }

    private static void fromResolver(Trace t, double ms, int clientPort, byte[] response) {
        t.at(ms, Frames.ipv4(RESOLVER, CLIENT).udp(53, clientPort).payload(response).build());
    }

    @Test
    void oneRecordPerTransaction() {
        assertThat(replay.dns()).extracting(d -> d.at("/dns/question/name").asText()).containsExactlyInAnyOrder(
                "example.com", "example.com", "www.example.org", "nope.invalid", "lost.example", "tcp1.example",
                "tcp2.example");
        assertThat(replay.stderr()).contains("dns: 7 queries, 6 responses, 1 unanswered, 0 responses without query");
    }

    @Test
    void aRecord() {
        JsonNode d = byType("example.com", "A");
        assertAnswered(d, "udp", "NOERROR");
        assertThat(data(d)).containsExactly("93.184.216.34");
        assertThat(d.at("/dns/resolved_ip/0").asText()).isEqualTo("93.184.216.34");
        assertThat(d.at("/dns/answers/0/ttl").asLong()).isEqualTo(300);
        assertThat(d.at("/event/duration").asLong()).isEqualTo(20_000_000L);
        assertThat(d.at("/source/ip").asText()).isEqualTo(CLIENT);
        assertThat(d.at("/source/port").asInt()).isEqualTo(50001);
        assertThat(d.at("/destination/ip").asText()).isEqualTo(RESOLVER);
        assertThat(d.at("/destination/port").asInt()).isEqualTo(53);
        assertThat(d.at("/dns/id").asText()).isEqualTo("1"); // ECS keyword
        assertThat(d.at("/dns/header_flags").toString()).contains("RD", "RA");
    }

    @Test
    void aaaaRecord() {
        JsonNode d = byType("example.com", "AAAA");
        assertAnswered(d, "udp", "NOERROR");
        assertThat(data(d)).containsExactly("2606:2800:220:1:248:1893:25c8:1946");
    }

    @Test
    void cnameChainKeepsEveryHopInOrder() {
        JsonNode d = replay.dnsFor("www.example.org");
        assertAnswered(d, "udp", "NOERROR");
        assertThat(data(d)).containsExactly("edge.cdn.test", "e1.cdn.test", "203.0.113.5");
        assertThat(d.at("/dns/answers/0/type").asText()).isEqualTo("CNAME");
        assertThat(d.at("/dns/resolved_ip")).hasSize(1);
    }

    @Test
    void nxdomainIsAnsweredButFailed() {
        JsonNode d = replay.dnsFor("nope.invalid");
        assertAnswered(d, "udp", "NXDOMAIN");
        assertThat(d.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(d.at("/dns/answers").isMissingNode()).isTrue();
    }

    @Test
    void unansweredQueryIsReportedAfterTheTimeout() {
        JsonNode d = replay.dnsFor("lost.example");
        assertThat(d.at("/netsensor/dns/responded").asBoolean()).isFalse();
        assertThat(d.at("/netsensor/dns/queried").asBoolean()).isTrue();
        assertThat(d.at("/dns/type").asText()).isEqualTo("query");
        assertThat(d.at("/dns/response_code").isMissingNode()).isTrue();
        assertThat(d.at("/event/outcome").asText()).isEqualTo("unknown");
        assertThat(d.at("/@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.100Z");
        // reported when the 10 s ran out in event time, i.e. before the later TCP queries
        List<String> order = new ArrayList<>();
        replay.dns().forEach(e -> order.add(e.at("/dns/question/name").asText()));
        assertThat(order.indexOf("lost.example")).isLessThan(order.indexOf("tcp1.example"));
    }

    @Test
    void twoQueriesOverOneTcpConnectionOneAnswerSplitAcrossSegments() {
        JsonNode d1 = replay.dnsFor("tcp1.example"), d2 = replay.dnsFor("tcp2.example");
        assertAnswered(d1, "tcp", "NOERROR");
        assertAnswered(d2, "tcp", "NOERROR");
        assertThat(data(d1)).containsExactly("192.0.2.61");
        assertThat(data(d2)).containsExactly("192.0.2.62");
        assertThat(d1.at("/event/duration").asLong()).isEqualTo(11_000_000L); // to the segment completing it
        assertThat(d1.at("/source/port").asInt()).isEqualTo(41053);
        List<JsonNode> tcp = new ArrayList<>();
        replay.conns().stream().filter(c -> c.at("/network/transport").asText().equals("tcp")).forEach(tcp::add);
        assertThat(tcp).hasSize(1);
        assertThat(tcp.get(0).at("/netsensor/conn_state").asText()).isEqualTo("SF");
        assertThat(tcp.get(0).at("/netsensor/history").asText()).isEqualTo("ShADdFf");
    }

    @Test
    void dnsFlowsAlsoAppearAsConnections() {
        // five UDP flows (one per client port) and the TCP connection
        assertThat(replay.conns()).hasSize(6);
        assertThat(replay.conns()).filteredOn(c -> c.at("/network/transport").asText().equals("udp"))
                .extracting(c -> c.at("/netsensor/conn_state").asText())
                .containsExactlyInAnyOrder("SF", "SF", "SF", "SF", "S0");
    }

    private static void assertAnswered(JsonNode d, String transport, String rcode) {
        assertThat(d.at("/network/transport").asText()).isEqualTo(transport);
        assertThat(d.at("/network/protocol").asText()).isEqualTo("dns");
        assertThat(d.at("/netsensor/dns/responded").asBoolean()).isTrue();
        assertThat(d.at("/netsensor/dns/queried").asBoolean()).isTrue();
        assertThat(d.at("/dns/type").asText()).isEqualTo("answer");
        assertThat(d.at("/dns/response_code").asText()).isEqualTo(rcode);
    }

    private static JsonNode byType(String name, String type) {
        List<JsonNode> l = new ArrayList<>();
        replay.dns().stream().filter(d -> d.at("/dns/question/name").asText().equals(name))
                .filter(d -> d.at("/dns/question/type").asText().equals(type)).forEach(l::add);
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    private static List<String> data(JsonNode d) {
        List<String> l = new ArrayList<>();
        d.at("/dns/answers").forEach(a -> l.add(a.at("/data").asText()));
        return l;
    }
}
