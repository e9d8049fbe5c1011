package io.netsensor.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.dns.DnsMessages;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import io.netsensor.testkit.pcap.TcpTalk;
import io.netsensor.testkit.pcap.Trace;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Capture files the tests write themselves, replayed through the real CLI ({@code replay --events --no-detect}),
 * asserting the JSON a user reads: the same TCP connection must come out identical whatever the framing.
 */
class ReplayEndToEndTest {
    @TempDir
    Path dir;

    static Stream<Arguments> linkTypes() {
        return Stream.of(
                Arguments.of("Ethernet IPv4", LinkTypes.ETHERNET, LinkTypes.ETHERNET, false, true),
                Arguments.of("Ethernet IPv6", LinkTypes.ETHERNET, LinkTypes.ETHERNET, true, true),
                Arguments.of("Linux SLL", LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL, false, true),
                Arguments.of("Linux SLL2 IPv4", LinkTypes.LINUX_SLL2, LinkTypes.LINUX_SLL2, false, true),
                Arguments.of("Linux SLL2 IPv6", LinkTypes.LINUX_SLL2, LinkTypes.LINUX_SLL2, true, true),
                Arguments.of("raw 101 IPv4", LinkTypes.RAW, LinkTypes.RAW, false, false),
                Arguments.of("raw 101 IPv6", LinkTypes.RAW, LinkTypes.RAW, true, false),
                Arguments.of("DLT_RAW 12", LinkTypes.DLT_RAW_12, LinkTypes.DLT_RAW_12, false, false),
                Arguments.of("DLT_RAW 14", LinkTypes.DLT_RAW_14, LinkTypes.DLT_RAW_14, false, false),
                Arguments.of("IPv4 228", LinkTypes.IPV4, LinkTypes.IPV4, false, false),
                Arguments.of("IPv6 229", LinkTypes.IPV6, LinkTypes.IPV6, true, false),
                Arguments.of("NULL little-endian IPv4", LinkTypes.NULL, LinkTypes.NULL, false, false),
                Arguments.of("NULL little-endian IPv6", LinkTypes.NULL, LinkTypes.NULL, true, false),
                // a big-endian capturer's NULL header has the LOOP framing (family in network order)
                Arguments.of("NULL big-endian IPv4", LinkTypes.LOOP, LinkTypes.NULL, false, false),
                Arguments.of("LOOP 108 IPv4", LinkTypes.LOOP, LinkTypes.LOOP, false, false),
                Arguments.of("LOOP 108 IPv6", LinkTypes.LOOP, LinkTypes.LOOP, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkTypes")
    void sameConnectionWhateverTheLinkType(String name, int framing, int fileLinkType, boolean v6, boolean hasMac)
            throws Exception {
        String client = v6 ? "2001:db8::10" : "10.0.0.1", server = v6 ? "2001:db8:ffff::80" : "93.184.216.34";
        TcpTalk t = new TcpTalk(client, 40000, server, 80, f -> f.link(framing));
        Path pcap = new Trace().at(0, t.established()).pcap(dir.resolve("conn.pcap"), fileLinkType);

        Replayed r = Replayed.events(pcap);

        assertThat(r.packets()).isEqualTo(8);
        assertThat(r.decode()).containsEntry("decoded", 8L).containsEntry("malformed", 0L).containsEntry("not_decoded", 0L);
        JsonNode c = r.connTo(80);
        int ipHeader = v6 ? 40 : 20;
        assertSfConnection(c, client, 40000, server, 80, 5 * (ipHeader + 20) + 100, 3 * (ipHeader + 20) + 300);
        assertThat(c.at("/network/type").asText()).isEqualTo(v6 ? "ipv6" : "ipv4");
        assertThat(c.at("/event/start").asText()).isEqualTo("2023-11-14T22:13:20Z"); // Times.T0
        assertThat(c.at("/source/mac").isMissingNode()).as("source.mac present").isEqualTo(!hasMac);
        // the handshake's OPEN record shares the flow id, so a consumer can join the two
        List<JsonNode> opens = r.conns("open");
        assertThat(opens).hasSize(1);
        assertThat(opens.get(0).at("/netsensor/flow_id").asText()).isEqualTo(c.at("/netsensor/flow_id").asText());
        assertThat(r.dns()).isEmpty();
    }

    /** The END record of {@link TcpTalk#established()}: orig 100 bytes up, resp 300 down, closed by FINs. */
    static void assertSfConnection(JsonNode c, String client, int cport, String server, int sport, long origIpBytes,
            long respIpBytes) {
        assertThat(c.at("/source/ip").asText()).isEqualTo(client);
        assertThat(c.at("/source/port").asInt()).isEqualTo(cport);
        assertThat(c.at("/destination/ip").asText()).isEqualTo(server);
        assertThat(c.at("/destination/port").asInt()).isEqualTo(sport);
        assertThat(c.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(c.at("/netsensor/conn_state").asText()).isEqualTo("SF");
        assertThat(c.at("/netsensor/outcome").asText()).isEqualTo("established");
        assertThat(c.at("/netsensor/history").asText()).isEqualTo("ShADdFf");
        assertThat(c.at("/netsensor/end_reason").asText()).isEqualTo("fin");
        assertThat(c.at("/netsensor/orig_bytes").asLong()).isEqualTo(100);
        assertThat(c.at("/netsensor/resp_bytes").asLong()).isEqualTo(300);
        assertThat(c.at("/source/packets").asLong()).isEqualTo(5);
        assertThat(c.at("/destination/packets").asLong()).isEqualTo(3);
        assertThat(c.at("/source/bytes").asLong()).isEqualTo(origIpBytes);
        assertThat(c.at("/destination/bytes").asLong()).isEqualTo(respIpBytes);
        assertThat(c.at("/network/bytes").asLong()).isEqualTo(origIpBytes + respIpBytes);
        // 8 packets 1 ms apart; as in Zeek, the last ACK after both FINs does not extend the connection
        assertThat(c.at("/event/duration").asLong()).isEqualTo(6_000_000L);
    }

    static Stream<Arguments> tags() {
        return Stream.of(
                Arguments.of("802.1Q", (UnaryOperator<Frames>) f -> f.vlan(100), "100", null),
                Arguments.of("QinQ", (UnaryOperator<Frames>) f -> f.qinq(100, 200), "100", "200"),
                Arguments.of("two 802.1Q tags", (UnaryOperator<Frames>) f -> f.vlan(7).vlan(8), "7", "8"),
                Arguments.of("MPLS", (UnaryOperator<Frames>) f -> f.mpls(16, 17), null, null),
                Arguments.of("802.1Q + MPLS", (UnaryOperator<Frames>) f -> f.vlan(7).mpls(16), "7", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tags")
    void vlanTagsAndMplsLabels(String name, UnaryOperator<Frames> framing, String vlan, String innerVlan) throws Exception {
        TcpTalk t = new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80, framing);
        Path pcap = new Trace().at(0, t.established()).pcap(dir.resolve("tagged.pcap"), LinkTypes.ETHERNET);

        JsonNode c = Replayed.events(pcap).connTo(80);

        assertSfConnection(c, "10.0.0.1", 40000, "93.184.216.34", 80, 300, 420);
        assertThat(text(c.at("/network/vlan/id"))).isEqualTo(vlan);
        assertThat(text(c.at("/network/inner/vlan/id"))).isEqualTo(innerVlan);
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() ? null : n.asText();
    }

    @Test
    void ipv6ExtensionHeadersAreSkippedAndCountedInIpBytes() throws Exception {
        TcpTalk t = new TcpTalk("2001:db8::10", 40000, "2001:db8:ffff::80", 443,
                f -> f.extensionHeader(Frames.HOP_BY_HOP).extensionHeader(Frames.DEST_OPTIONS));
        Path pcap = new Trace().at(0, t.established()).pcap(dir.resolve("ext.pcap"), LinkTypes.ETHERNET);

        JsonNode c = Replayed.events(pcap).connTo(443);

        int perPacket = 40 + 8 + 8 + 20; // IPv6 + hop-by-hop + destination options + TCP
        assertSfConnection(c, "2001:db8::10", 40000, "2001:db8:ffff::80", 443, 5 * perPacket + 100, 3 * perPacket + 300);
    }

    @Test
    void fragmentedIpv6DnsResponseIsReassembled() throws Exception {
        org.xbill.DNS.Record[] answers = new org.xbill.DNS.Record[20];
        for (int i = 0; i < answers.length; i++) answers[i] = DnsMessages.aaaa("big.example.com", "2001:db8::" + (i + 1));
        byte[] response = DnsMessages.response(7, "big.example.com", DnsMessages.AAAA, answers).toWire();
        List<byte[]> fragments = Frames.ipv6("2001:db8::53", "2001:db8::10").extensionHeader(Frames.DEST_OPTIONS)
                .udp(53, 33333).id(0x1234).payload(response).fragments(256);
        assertThat(fragments).hasSizeGreaterThan(2);
        Trace trace = new Trace()
                .at(0, Frames.ipv6("2001:db8::10", "2001:db8::53").udp(33333, 53)
                        .payload(DnsMessages.query(7, "big.example.com", DnsMessages.AAAA).toWire()).build())
                .at(5, fragments);

        Replayed r = Replayed.events(trace.pcap(dir.resolve("frag.pcap"), LinkTypes.ETHERNET));

        JsonNode d = r.dnsFor("big.example.com");
        assertThat(d.at("/netsensor/dns/responded").asBoolean()).isTrue();
        assertThat(d.at("/dns/response_code").asText()).isEqualTo("NOERROR");
        assertThat(d.at("/dns/answers")).hasSize(20);
        assertThat(d.at("/dns/answers/19/data").asText()).isEqualTo("2001:db8::20");
        assertThat(d.at("/network/type").asText()).isEqualTo("ipv6");
        assertThat(d.at("/event/duration").asLong()).isEqualTo(5_000_000L + (fragments.size() - 1) * 1_000_000L);
        // the fragments before the last were held, not lost: one UDP flow, one datagram each way
        JsonNode udp = r.connTo(53);
        assertThat(udp.at("/netsensor/conn_state").asText()).isEqualTo("SF");
        assertThat(udp.at("/netsensor/resp_bytes").asLong()).isEqualTo(response.length);
        assertThat(r.decode()).containsEntry("FRAGMENT_HELD", (long) fragments.size() - 1).containsEntry("malformed", 0L);
    }

    @Test
    void pcapngWithTwoInterfacesOfDifferentLinkTypes() throws Exception {
        TcpTalk web = new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80, f -> f.link(LinkTypes.ETHERNET));
        TcpTalk tls = new TcpTalk("10.0.0.2", 41000, "198.51.100.7", 443, f -> f.link(LinkTypes.RAW));
        Path file = dir.resolve("two.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            int eth = w.addInterface(LinkTypes.ETHERNET);
            int raw = w.addInterface(LinkTypes.RAW, 9, 0); // nanosecond timestamps on this one
            new Trace().at(0, web.established()).writeTo(w, eth);
            new Trace().at(0.000_123, tls.established()).writeTo(w, raw); // T0 + 123 ns
        }

        Replayed r = Replayed.events(file);

        assertThat(r.conns()).hasSize(2);
        assertSfConnection(r.connTo(80), "10.0.0.1", 40000, "93.184.216.34", 80, 300, 420);
        JsonNode c = r.connTo(443);
        assertThat(c.at("/source/ip").asText()).isEqualTo("10.0.0.2");
        assertThat(c.at("/destination/ip").asText()).isEqualTo("198.51.100.7");
        assertThat(c.at("/netsensor/conn_state").asText()).isEqualTo("SF");
        assertThat(c.at("/source/mac").isMissingNode()).isTrue();
        assertThat(c.at("/event/start").asText()).isEqualTo("2023-11-14T22:13:20.000000123Z");
        assertThat(r.decode()).containsEntry("decoded", 16L);
    }
}
