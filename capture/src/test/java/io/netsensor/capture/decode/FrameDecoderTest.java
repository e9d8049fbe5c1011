package io.netsensor.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Ip;
import io.netsensor.testkit.pcap.Frames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    /** The registry the decoder's counts are read from, as the summary lines read them. */
    private final io.netsensor.metrics.Metrics metrics = new io.netsensor.metrics.Metrics();

    {
        decoder.stats().register(metrics);
    }
    private final PacketView v = new PacketView();

    private DecodeResult decode(int linkType, byte[] frame) {
        return decoder.decode(v, 1_000L, linkType, frame, 0, frame.length, frame.length);
    }

    private String payload() {
        return new String(v.buf, v.payloadOff, v.payloadLen, StandardCharsets.UTF_8);
    }

    static int[] allLinkTypes() {
        return new int[] {LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW,
            LinkTypes.DLT_RAW_12, LinkTypes.DLT_RAW_14, LinkTypes.NULL, LinkTypes.LOOP};
    }

    @ParameterizedTest
    @MethodSource("allLinkTypes")
    void decodesTcpOverIpv4OnEveryLinkType(int linkType) {
        byte[] f = Frames.ipv4("10.0.0.1", "192.168.1.2").tcp(40000, 443).flags(PacketView.SYN | PacketView.ACK)
                .seq(0xFFFF_FFF0L).ack(77).window(1234).payload("hello").link(linkType).build();

        assertThat(decode(linkType, f)).isEqualTo(DecodeResult.OK);
        assertThat(v.ipVersion).isEqualTo(4);
        assertThat(Ip.toString(v.srcHi, v.srcLo)).isEqualTo("10.0.0.1");
        assertThat(Ip.toString(v.dstHi, v.dstLo)).isEqualTo("192.168.1.2");
        assertThat(v.protocol).isEqualTo(6);
        assertThat(v.srcPort).isEqualTo(40000);
        assertThat(v.dstPort).isEqualTo(443);
        assertThat(v.tcpFlags).isEqualTo(PacketView.SYN | PacketView.ACK);
        assertThat(v.tcpSeq).isEqualTo(0xFFFF_FFF0L);
        assertThat(v.tcpAck).isEqualTo(77);
        assertThat(v.tcpWindow).isEqualTo(1234);
        assertThat(v.ipLen).isEqualTo(20 + 20 + 5);
        assertThat(payload()).isEqualTo("hello");
        assertThat(v.payloadWireLen).isEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("allLinkTypes")
    void decodesUdpOverIpv6OnEveryLinkType(int linkType) {
        byte[] f = Frames.ipv6("2001:db8::1", "fe80::2").udp(5353, 53).payload("query").link(linkType).build();

        assertThat(decode(linkType, f)).isEqualTo(DecodeResult.OK);
        assertThat(v.ipVersion).isEqualTo(6);
        assertThat(Ip.toString(v.srcHi, v.srcLo)).isEqualTo("2001:db8::1");
        assertThat(Ip.toString(v.dstHi, v.dstLo)).isEqualTo("fe80::2");
        assertThat(v.protocol).isEqualTo(17);
        assertThat(v.srcPort).isEqualTo(5353);
        assertThat(v.dstPort).isEqualTo(53);
        assertThat(payload()).isEqualTo("query");
    }

    @Test
    void ipv4AndIpv6LinkTypesRequireTheirVersion() {
        byte[] v4 = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).link(LinkTypes.IPV4).build();
        byte[] v6 = Frames.ipv6("::1", "::2").udp(1, 2).link(LinkTypes.IPV6).build();
        assertThat(decode(LinkTypes.IPV4, v4)).isEqualTo(DecodeResult.OK);
        assertThat(decode(LinkTypes.IPV6, v6)).isEqualTo(DecodeResult.OK);
        assertThat(decode(LinkTypes.IPV4, v6)).isEqualTo(DecodeResult.BAD_IP_VERSION);
        assertThat(decode(LinkTypes.IPV6, v4)).isEqualTo(DecodeResult.BAD_IP_VERSION);
    }

    @Test
    void nullLinkAcceptsEitherByteOrderAndEveryIpv6Family() {
        byte[] ip6 = Frames.ipv6("::1", "::2").udp(1, 2).link(LinkTypes.RAW).build();
        for (int family : new int[] {24, 28, 30}) {
            for (boolean bigEndian : new boolean[] {true, false}) {
                int header = bigEndian ? family : Integer.reverseBytes(family);
                byte[] f = new byte[4 + ip6.length];
                f[0] = (byte) (header >>> 24);
                f[1] = (byte) (header >>> 16);
                f[2] = (byte) (header >>> 8);
                f[3] = (byte) header;
                System.arraycopy(ip6, 0, f, 4, ip6.length);
                assertThat(decode(LinkTypes.NULL, f)).as("family %d big-endian %s", family, bigEndian)
                        .isEqualTo(DecodeResult.OK);
                assertThat(v.ipVersion).isEqualTo(6);
            }
        }
        byte[] unknownFamily = {0, 0, 0, 17, 0x45};
        assertThat(decode(LinkTypes.NULL, unknownFamily)).isEqualTo(DecodeResult.NON_IP);
    }

    @Test
    void ethernetCarriesMacsAndVlanTags() {
        byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).vlan(10).build();
        assertThat(decode(LinkTypes.ETHERNET, f)).isEqualTo(DecodeResult.OK);
        assertThat(v.srcMac).isEqualTo(Frames.SRC_MAC);
        assertThat(v.dstMac).isEqualTo(Frames.DST_MAC);
        assertThat(v.vlan).isEqualTo(10);
        assertThat(v.innerVlan).isZero();
    }

    @Test
    void qinqAndTripleTagsKeepTheFirstTwoIds() {
        assertThat(decode(LinkTypes.ETHERNET, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).qinq(100, 200).build()))
                .isEqualTo(DecodeResult.OK);
        assertThat(v.vlan).isEqualTo(100);
        assertThat(v.innerVlan).isEqualTo(200);

        byte[] triple = Frames.ipv6("::1", "::2").tcp(1, 2).vlan(1).vlan(2).vlan(3).build();
        assertThat(decode(LinkTypes.ETHERNET, triple)).isEqualTo(DecodeResult.OK);
        assertThat(v.vlan).isEqualTo(1);
        assertThat(v.innerVlan).isEqualTo(2);
        assertThat(v.dstPort).isEqualTo(2);
    }

    @Test
    void mplsLabelStacksAndPppoeSessions() {
        assertThat(decode(LinkTypes.ETHERNET, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(7, 8).vlan(5).mpls(16, 17, 18).build()))
                .isEqualTo(DecodeResult.OK);
        assertThat(v.vlan).isEqualTo(5);
        assertThat(v.dstPort).isEqualTo(8);
        assertThat(decode(LinkTypes.ETHERNET, Frames.ipv6("::1", "::2").udp(7, 8).mpls(100).build()))
                .isEqualTo(DecodeResult.OK);
        assertThat(v.ipVersion).isEqualTo(6);
        assertThat(decode(LinkTypes.ETHERNET, Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(7, 8).pppoe(3).build()))
                .isEqualTo(DecodeResult.OK);
        assertThat(v.dstPort).isEqualTo(8);
        assertThat(decode(LinkTypes.ETHERNET, Frames.ipv6("::1", "::2").tcp(7, 9).pppoe(3).build()))
                .isEqualTo(DecodeResult.OK);
        assertThat(v.dstPort).isEqualTo(9);
    }

    @ParameterizedTest
    @ValueSource(ints = {Frames.HOP_BY_HOP, Frames.ROUTING, Frames.DEST_OPTIONS, Frames.MOBILITY, Frames.AUTH})
    void ipv6ExtensionHeadersAreSkipped(int type) {
        byte[] f = Frames.ipv6("2001:db8::1", "2001:db8::2").extensionHeader(type).extensionHeader(Frames.DEST_OPTIONS)
                .tcp(1000, 80).flags(PacketView.PSH | PacketView.ACK).payload("GET /").build();
        assertThat(decode(LinkTypes.ETHERNET, f)).isEqualTo(DecodeResult.OK);
        assertThat(v.protocol).isEqualTo(6);
        assertThat(v.dstPort).isEqualTo(80);
        assertThat(payload()).isEqualTo("GET /");
    }

    @Test
    void espAndNoNextHeaderStopAtTheIpLayer() {
        byte[] esp = Frames.ipv6("::1", "::2").extensionHeader(Frames.HOP_BY_HOP).protocol(50).payload(new byte[24]).build();
        assertThat(decode(LinkTypes.ETHERNET, esp)).isEqualTo(DecodeResult.IP_ONLY);
        assertThat(v.protocol).isEqualTo(50);
        assertThat(v.payloadLen).isEqualTo(24);
        byte[] none = Frames.ipv6("::1", "::2").protocol(59).build();
        assertThat(decode(LinkTypes.ETHERNET, none)).isEqualTo(DecodeResult.IP_ONLY);
        assertThat(v.protocol).isEqualTo(59);
    }

    @Test
    void icmpDecodesToTheIpLayerAndArpIsNotIp() {
        byte[] icmp = Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(1).payload(new byte[] {8, 0, 0, 0, 0, 1, 0, 1}).build();
        assertThat(decode(LinkTypes.ETHERNET, icmp)).isEqualTo(DecodeResult.IP_ONLY);
        assertThat(v.protocol).isEqualTo(1);
        assertThat(v.payloadLen).isEqualTo(8);

        byte[] arp = Arrays.copyOf(icmp, 42);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertThat(decode(LinkTypes.ETHERNET, arp)).isEqualTo(DecodeResult.NON_IP);
        assertThat(decoder.stats().malformed()).isZero();
        assertThat(decoder.stats().get(DecodeResult.IP_ONLY)).isEqualTo(1);
        assertThat(decoder.stats().get(DecodeResult.NON_IP)).isEqualTo(1);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(PacketView.ACK).build();
        byte[] padded = Arrays.copyOf(f, 60);
        assertThat(decode(LinkTypes.ETHERNET, padded)).isEqualTo(DecodeResult.OK);
        assertThat(v.payloadLen).isZero();
        assertThat(v.ipLen).isEqualTo(40);
    }

    @Test
    void snaplenTruncatedPayloadIsStillDecoded() {
        byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).payload(new byte[500]).build();
        int capLen = 14 + 20 + 8 + 100;
        assertThat(decoder.decode(v, 0, LinkTypes.ETHERNET, f, 0, capLen, f.length)).isEqualTo(DecodeResult.OK);
        assertThat(v.payloadLen).isEqualTo(100);
        assertThat(v.payloadWireLen).isEqualTo(500);
    }

    @Test
    void decodesAtAnOffsetInALargerBuffer() {
        byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).payload("x").build();
        byte[] big = new byte[f.length + 100];
        System.arraycopy(f, 0, big, 37, f.length);
        assertThat(decoder.decode(v, 0, LinkTypes.ETHERNET, big, 37, f.length, f.length)).isEqualTo(DecodeResult.OK);
        assertThat(payload()).isEqualTo("x");
    }

    @Test
    void unknownLinkTypeIsCountedNotMalformed() {
        assertThat(decode(147, new byte[40])).isEqualTo(DecodeResult.UNSUPPORTED_LINKTYPE);
        assertThat(decoder.stats().get(DecodeResult.UNSUPPORTED_LINKTYPE)).isEqualTo(1);
        assertThat(decoder.stats().malformed()).isZero();
    }

    @Test
    void badHeaderFieldsAreCountedByReason() {
        byte[] tcp = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).payload("abcd").link(LinkTypes.RAW).build();
        byte[] badIhl = tcp.clone();
        badIhl[0] = 0x44;
        assertThat(decode(LinkTypes.RAW, badIhl)).isEqualTo(DecodeResult.BAD_IPV4_HEADER);
        byte[] shortTotal = tcp.clone();
        shortTotal[3] = 10;
        assertThat(decode(LinkTypes.RAW, shortTotal)).isEqualTo(DecodeResult.BAD_IPV4_HEADER);
        byte[] longTotal = tcp.clone();
        longTotal[3] = (byte) 200;
        assertThat(decode(LinkTypes.RAW, longTotal)).isEqualTo(DecodeResult.TRUNCATED_IP);
        byte[] badOffset = tcp.clone();
        badOffset[20 + 12] = 0x30;
        assertThat(decode(LinkTypes.RAW, badOffset)).isEqualTo(DecodeResult.BAD_TCP_HEADER);
        byte[] version5 = tcp.clone();
        version5[0] = 0x55;
        assertThat(decode(LinkTypes.RAW, version5)).isEqualTo(DecodeResult.BAD_IP_VERSION);

        byte[] udp = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload("abcd").link(LinkTypes.RAW).build();
        byte[] longUdp = udp.clone();
        longUdp[20 + 5] = 100;
        assertThat(decode(LinkTypes.RAW, longUdp)).isEqualTo(DecodeResult.BAD_UDP_LENGTH);

        byte[] ext = Frames.ipv6("::1", "::2").extensionHeader(Frames.HOP_BY_HOP).udp(1, 2).link(LinkTypes.RAW).build();
        ext[40 + 1] = 50; // extension header longer than the packet
        assertThat(decode(LinkTypes.RAW, ext)).isEqualTo(DecodeResult.BAD_EXTENSION_HEADER);

        assertThat(DecodeStats.byReason(metrics, DecodeResult.Kind.MALFORMED)).containsOnlyKeys("BAD_IPV4_HEADER", "TRUNCATED_IP",
                "BAD_TCP_HEADER", "BAD_IP_VERSION", "BAD_UDP_LENGTH", "BAD_EXTENSION_HEADER");
        assertThat(decoder.stats().get(DecodeResult.BAD_IPV4_HEADER)).isEqualTo(2);
    }

    static byte[][] sampleFrames() {
        return new byte[][] {
            Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(PacketView.SYN).payload("abc").qinq(1, 2).build(),
            Frames.ipv6("::1", "::2").extensionHeader(Frames.HOP_BY_HOP).extensionHeader(Frames.AUTH).udp(1, 2)
                    .payload("abc").mpls(3, 4).build(),
            Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload("abc").pppoe(9).build(),
            Frames.ipv6("::1", "::2").tcp(1, 2).link(LinkTypes.LINUX_SLL2).build(),
            Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 4789)
                    .payload(Frames.vxlan(1, Frames.ipv6("::1", "::2").tcp(3, 4).vlan(5).build())).build(),
        };
    }

    /** Every prefix of a valid frame is either decoded or counted with a reason, never thrown. */
    @Test
    void everyTruncationIsCountedByReasonAndNeverThrows() {
        int[] linkTypes = {LinkTypes.ETHERNET, LinkTypes.ETHERNET, LinkTypes.ETHERNET, LinkTypes.LINUX_SLL2, LinkTypes.ETHERNET};
        byte[][] frames = sampleFrames();
        for (int i = 0; i < frames.length; i++) {
            byte[] f = frames[i];
            assertThat(decode(linkTypes[i], f)).isEqualTo(DecodeResult.OK);
            for (int len = 0; len < f.length; len++) {
                byte[] cut = Arrays.copyOf(f, len);
                // as if cut by a snaplen, and as if the wire frame itself was that short
                DecodeResult snapped = decoder.decode(v, 0, linkTypes[i], cut, 0, len, f.length);
                DecodeResult shortWire = decoder.decode(v, 0, linkTypes[i], cut, 0, len, len);
                assertThat(snapped).as("snaplen %d of frame %d", len, i).isIn(DecodeResult.OK, DecodeResult.IP_ONLY,
                        DecodeResult.TRUNCATED_LINK, DecodeResult.TRUNCATED_IP, DecodeResult.TRUNCATED_TCP,
                        DecodeResult.TRUNCATED_UDP);
                assertThat(shortWire).as("wire length %d of frame %d", len, i).isNotEqualTo(DecodeResult.OK);
                while (decoder.nextLayer(v)) { /* inner layers must not throw either */ }
            }
        }
        assertThat(decoder.stats().malformed()).isGreaterThan(0);
        assertThat(DecodeStats.byReason(metrics, DecodeResult.Kind.MALFORMED)).containsKeys("TRUNCATED_LINK", "TRUNCATED_IP",
                "TRUNCATED_TCP", "TRUNCATED_UDP");
    }

    @Test
    void randomMutationsNeverThrow() {
        Random random = new Random(20240601L);
        byte[][] frames = sampleFrames();
        int[] linkTypes = {LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW, LinkTypes.NULL};
        int decodedInner = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] f = frames[random.nextInt(frames.length)].clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) f[random.nextInt(f.length)] = (byte) random.nextInt(256);
            int len = random.nextInt(4) == 0 ? random.nextInt(f.length + 1) : f.length;
            int wire = len + (random.nextBoolean() ? 0 : random.nextInt(100));
            DecodeResult r = decoder.decode(v, round, linkTypes[random.nextInt(linkTypes.length)], f, 0, len, wire);
            if (r.hasIp()) {
                assertThat(v.payloadOff + v.payloadLen).isLessThanOrEqualTo(v.buf.length);
                assertThat(v.payloadLen).isBetween(0, v.payloadWireLen);
            }
            while (decoder.nextLayer(v)) {
                decodedInner++;
                assertThat(v.payloadOff + v.payloadLen).isLessThanOrEqualTo(v.buf.length);
            }
        }
        DecodeStats s = decoder.stats();
        long counted = IntStream.range(0, DecodeResult.values().length).mapToLong(i -> s.get(DecodeResult.values()[i])).sum();
        assertThat(counted).isGreaterThanOrEqualTo(200_000);
        assertThat(s.malformed()).isGreaterThan(0);
        assertThat(decodedInner).isGreaterThan(0);
    }
}
