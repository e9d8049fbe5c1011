package io.netsensor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.dns.DnsMessages;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.fuzz.FuzzRecords;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import io.netsensor.testkit.pcap.Traffic;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed corpora of capture's fuzz targets, built from the testkit generators (valid frames of every
 * encapsulation the decoder knows, DNS messages, small pcap and pcapng files). The committed files under
 * {@code src/test/resources/.../<Target>Inputs/<method>/} must equal what this builds; rebuild them after a
 * generator change with {@code mvn -pl capture test -Dtest=FuzzSeedsTest -Dfuzz.seeds.write=true}. Findings
 * kept as regression seeds ({@code crash-*}) sit beside them and are not checked here.
 */
class FuzzSeedsTest {
    private static final Path RESOURCES = Path.of("src/test/resources/io/netsensor/capture");
    private static final boolean WRITE = Boolean.getBoolean("fuzz.seeds.write");

    @TempDir
    Path tmp;

    @Test
    void frameDecoderSeeds() {
        check("decode/FrameDecoderFuzzTestInputs/decode", frameSeeds());
    }

    @Test
    void dnsParserSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<byte[]> corpus = DnsMessages.corpus();
        for (int i = 0; i < corpus.size(); i++) seeds.put("dns-" + i, prefixed(0, corpus.get(i)));
        byte[] nb = netbiosQuery("WORKGROUP", 0x1e);
        seeds.put("netbios", prefixed(1, nb));
        seeds.put("tcp-framed", prefixed(0, DnsMessages.tcpFramed(corpus.get(1))));
        check("dns/DnsParserFuzzTestInputs/parse", seeds);
    }

    @Test
    void pcapFileSeeds() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] udp = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53).payload(DnsMessages.corpus().get(0)).build();
        byte[] tcp = Frames.ipv4("10.0.0.1", "198.51.100.7").tcp(40001, 443).flags(Frames.SYN).build();
        Path f = tmp.resolve("le-us.pcap");
        try (PcapWriter w = PcapWriter.pcap(f, LinkTypes.ETHERNET)) {
            w.write(Times.T0, udp).write(Times.T0 + 1_000_000, tcp);
        }
        seeds.put("pcap-le-us", Files.readAllBytes(f));
        f = tmp.resolve("be-ns.pcap");
        try (PcapWriter w = PcapWriter.pcap(f, LinkTypes.RAW, true, ByteOrder.BIG_ENDIAN)) {
            w.write(Times.T0, Frames.ipv6("2001:db8::1", "2001:db8::2").udp(5000, 53).link(LinkTypes.RAW).build());
            w.write(0, Times.T0 + 5, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[64]).link(LinkTypes.RAW).build(), 30);
        }
        seeds.put("pcap-be-ns-cut", Files.readAllBytes(f));
        f = tmp.resolve("ng.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(f)) {
            int eth = w.addInterface(LinkTypes.ETHERNET);
            int raw = w.addInterface(LinkTypes.RAW, 9, 0);
            w.write(eth, Times.T0, udp).write(raw, Times.T0 + 7, Frames.ipv4("10.0.0.3", "10.0.0.4").tcp(1, 2).link(LinkTypes.RAW).build());
            w.simplePacket(tcp).obsoletePacket(eth, Times.T0 + 9, udp).otherBlock(5, 12);
            w.newSection(ByteOrder.BIG_ENDIAN);
            int sll = w.addInterface(LinkTypes.LINUX_SLL);
            w.write(sll, Times.T0 + 11, Frames.ipv4("10.0.0.5", "10.0.0.6").udp(3, 4).link(LinkTypes.LINUX_SLL).build());
        }
        seeds.put("pcapng-two-sections", Files.readAllBytes(f));
        f = new Traffic().tcpSession(0, "10.0.0.9", "198.51.100.9", 443, 300, 900, 0.5)
                .dnsResolved(1, "10.0.0.9", "10.0.0.53", "www.example.com", List.of("edge.example.net"), "198.51.100.10")
                .write(tmp.resolve("traffic.pcap"));
        seeds.put("traffic-tcp-dns", Files.readAllBytes(f));
        check("source/PcapFileFuzzTestInputs/read", seeds);
    }

    /** Each seed: the link type's index in FrameDecoderFuzzTest's list, then frames with wire = captured. */
    private static Map<String, byte[]> frameSeeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        Frames v4 = Frames.ipv4("10.0.0.1", "198.51.100.7");
        byte[] dns = DnsMessages.corpus().get(1);
        s.put("eth-tcp-syn", frames(0, v4.tcp(40000, 443).flags(Frames.SYN).build()));
        s.put("eth-udp-dns", frames(0, Frames.ipv4("10.0.0.1", "10.0.0.53").udp(40001, 53).payload(dns).build()));
        s.put("eth-v6-ext", frames(0, Frames.ipv6("2001:db8::1", "2001:db8::2").extensionHeader(0).tcp(1, 2).build()));
        s.put("vlan-qinq-mpls-pppoe", frames(0, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).vlan(7).build(),
                Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).qinq(8, 9).build(),
                Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).mpls(100, 200).build(),
                Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).pppoe(3).build()));
        List<byte[]> frags = Frames.ipv4("10.0.0.1", "10.0.0.2").id(77).udp(1, 53).payload(new byte[600]).fragments(256);
        s.put("v4-fragments", frames(0, frags.toArray(new byte[0][])));
        List<byte[]> frags6 = Frames.ipv6("2001:db8::1", "2001:db8::2").udp(1, 53).payload(new byte[600]).fragments(256);
        s.put("v6-fragments", frames(0, frags6.toArray(new byte[0][])));
        byte[] inner = Frames.ipv4("192.168.1.1", "192.168.1.2").tcp(1000, 80).build();
        s.put("vxlan", frames(0, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1234, 4789).payload(Frames.vxlan(42, inner)).build()));
        s.put("gre", frames(0, Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(47)
                .payload(Frames.gre(0x0800, Frames.ipv4("192.168.1.1", "192.168.1.2").udp(5, 6).ip())).build()));
        s.put("teredo", frames(0, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(3544, 3544)
                .payload(Frames.teredo(Frames.ipv6("2001::1", "2001::2").udp(7, 8).ip())).build()));
        s.put("gtpu", frames(0, Frames.ipv4("10.0.0.1", "10.0.0.2").udp(2152, 2152)
                .payload(Frames.gtpu(5, Frames.ipv4("192.168.1.1", "192.168.1.2").tcp(1, 2).ip())).build()));
        int[] others = {LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW, LinkTypes.DLT_RAW_12,
            LinkTypes.DLT_RAW_14, LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.NULL, LinkTypes.LOOP};
        for (int i = 0; i < others.length; i++) {
            boolean v6 = others[i] == LinkTypes.IPV6;
            Frames f = v6 ? Frames.ipv6("2001:db8::1", "2001:db8::2") : Frames.ipv4("10.0.0.1", "10.0.0.2");
            s.put("link-" + others[i], frames(i + 1, f.udp(1, 2).payload("x").link(others[i]).build()));
        }
        return s;
    }

    private static byte[] frames(int linkIndex, byte[]... frames) {
        List<byte[]> recs = new ArrayList<>();
        for (byte[] f : frames) recs.add(prefixed(0, f)); // wire length = captured
        return FuzzRecords.join(new byte[] {(byte) linkIndex}, recs);
    }

    private static byte[] prefixed(int first, byte[] b) {
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) first;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    private static byte[] netbiosQuery(String name, int suffix) {
        byte[] raw = new byte[16];
        Arrays.fill(raw, (byte) ' ');
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, raw, 0, n.length);
        raw[15] = (byte) suffix;
        byte[] msg = new byte[12 + 1 + 32 + 1 + 4];
        msg[1] = 1;
        msg[5] = 1; // one question
        msg[12] = 32;
        for (int i = 0; i < 16; i++) {
            msg[13 + 2 * i] = (byte) ('A' + ((raw[i] >> 4) & 0xF));
            msg[14 + 2 * i] = (byte) ('A' + (raw[i] & 0xF));
        }
        msg[47] = 0x20; // NB
        msg[49] = 1;    // IN
        return msg;
    }

    private static void check(String dir, Map<String, byte[]> seeds) {
        List<String> differing = FuzzRecords.writeOrCheck(RESOURCES.resolve(dir), WRITE, seeds);
        assertThat(differing).as("committed seeds differ from the generators; rebuild with -Dfuzz.seeds.write=true").isEmpty();
    }
}
