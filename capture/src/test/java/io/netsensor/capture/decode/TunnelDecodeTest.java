package io.netsensor.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Ip;
import io.netsensor.testkit.pcap.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunnelDecodeTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final PacketView v = new PacketView();

    /** Decodes every layer and records "depth proto src:sport>dst:dport" per layer. */
    private List<String> layers(byte[] frame) {
        List<String> out = new ArrayList<>();
        if (!decoder.decode(v, 0, LinkTypes.ETHERNET, frame, 0, frame.length, frame.length).hasIp()) return out;
        do {
            out.add(v.tunnelDepth + " " + v.protocol + " " + Ip.toString(v.srcHi, v.srcLo) + ":" + v.srcPort + ">"
                    + Ip.toString(v.dstHi, v.dstLo) + ":" + v.dstPort);
        } while (decoder.nextLayer(v));
        return out;
    }

    private static final byte[] INNER_V4 = Frames.ipv4("192.168.0.1", "8.8.8.8").udp(1111, 53).payload("dns").ip();
    private static final byte[] INNER_V6 = Frames.ipv6("2001::1", "2001::2").tcp(2222, 80).payload("http").ip();

    @Test
    void greCarriesIpv4Ipv6AndEthernet() {
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(47).payload(Frames.gre(0x0800, INNER_V4)).build()))
                .containsExactly("0 47 10.0.0.1:0>10.0.0.2:0", "1 17 192.168.0.1:1111>8.8.8.8:53");
        assertThat(layers(Frames.ipv6("::a", "::b").protocol(47).payload(Frames.gre(0x86DD, INNER_V6)).build()))
                .containsExactly("0 47 ::a:0>::b:0", "1 6 2001::1:2222>2001::2:80");
        byte[] innerEth = Frames.ipv4("192.168.0.1", "8.8.8.8").udp(1111, 53).vlan(77).build();
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(47).payload(Frames.gre(0x6558, innerEth)).build()))
                .containsExactly("0 47 10.0.0.1:0>10.0.0.2:0", "1 17 192.168.0.1:1111>8.8.8.8:53");
        assertThat(v.vlan).isEqualTo(77);
        assertThat(decoder.stats().tunnelLayers()).isEqualTo(3);
    }

    @Test
    void vxlanCarriesAnEthernetFrame() {
        byte[] inner = Frames.ipv6("2001::1", "2001::2").tcp(2222, 80).payload("http").build();
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(50000, 4789).payload(Frames.vxlan(5, inner)).build()))
                .containsExactly("0 17 10.0.0.1:50000>10.0.0.2:4789", "1 6 2001::1:2222>2001::2:80");
        assertThat(new String(v.buf, v.payloadOff, v.payloadLen)).isEqualTo("http");
    }

    @Test
    void teredoCarriesIpv6AndValidatesIt() {
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(3544, 40000).payload(Frames.teredo(INNER_V6)).build()))
                .containsExactly("0 17 10.0.0.1:3544>10.0.0.2:40000", "1 6 2001::1:2222>2001::2:80");
        // port 3544 traffic that is not IPv6 stays plain UDP
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(3544, 40000).payload(new byte[60]).build()))
                .hasSize(1);
    }

    @Test
    void gtpuCarriesOnlyGpdus() {
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(2152, 2152).payload(Frames.gtpu(9, INNER_V4)).build()))
                .containsExactly("0 17 10.0.0.1:2152>10.0.0.2:2152", "1 17 192.168.0.1:1111>8.8.8.8:53");
        byte[] echo = Frames.gtpu(9, INNER_V4);
        echo[1] = 1; // echo request: signalling, not a tunnelled packet
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(2152, 2152).payload(echo).build())).hasSize(1);
    }

    @Test
    void ipInIp() {
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(4).payload(INNER_V4).build()))
                .containsExactly("0 4 10.0.0.1:0>10.0.0.2:0", "1 17 192.168.0.1:1111>8.8.8.8:53");
        assertThat(layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(41).payload(INNER_V6).build()))
                .containsExactly("0 41 10.0.0.1:0>10.0.0.2:0", "1 6 2001::1:2222>2001::2:80");
    }

    @Test
    void depthIsBounded() {
        byte[] l3 = Frames.ipv4("10.0.0.3", "10.0.0.4").protocol(4).payload(INNER_V4).ip();
        byte[] l2 = Frames.ipv4("10.0.0.2", "10.0.0.3").protocol(4).payload(l3).ip();
        byte[] frame = Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(4).payload(l2).build();
        assertThat(layers(frame)).hasSize(3); // outer + 2 tunnel layers (Zeek's default max depth)
        assertThat(decoder.stats().get(DecodeResult.TUNNEL_TOO_DEEP)).isEqualTo(1);

        FrameDecoder deep = new FrameDecoder(new DecodeStats(), new FragmentReassembler(), 5);
        int n = 0;
        deep.decode(v, 0, LinkTypes.ETHERNET, frame, 0, frame.length, frame.length);
        do n++; while (deep.nextLayer(v));
        assertThat(n).isEqualTo(4);
        assertThat(v.dstPort).isEqualTo(53);
        assertThat(v.tunnelDepth).isEqualTo(3);
    }

    @Test
    void threeVxlanLayersReachTheInnerPacketAsInZeek() {
        // Zeek's core.tunnels.max-depth baseline: DNS inside three VXLAN layers is logged with default settings
        byte[] frame = Frames.ipv4("4.4.4.4", "4.4.4.9").udp(53, 53).payload("dns").build();
        for (int i = 3; i >= 1; i--) {
            frame = Frames.ipv4(i + "." + i + "." + i + "." + i, i + "." + i + "." + i + ".9").udp(4789, 4789)
                    .payload(Frames.vxlan(i, frame)).build();
        }
        assertThat(layers(frame)).hasSize(4).last().isEqualTo("3 17 4.4.4.4:53>4.4.4.9:53");
        assertThat(decoder.stats().get(DecodeResult.TUNNEL_TOO_DEEP)).isZero();
    }

    @Test
    void brokenTunnelHeadersAreCounted() {
        layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(47).payload(new byte[] {0, 0}).build());
        assertThat(decoder.stats().get(DecodeResult.BAD_TUNNEL_HEADER)).isEqualTo(1);
        layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(47).payload(new byte[] {0x40, 0, 8, 0}).build());
        assertThat(decoder.stats().get(DecodeResult.UNSUPPORTED_TUNNEL)).isEqualTo(1);
        byte[] truncatedInner = java.util.Arrays.copyOf(INNER_V4, 10);
        layers(Frames.ipv4("10.0.0.1", "10.0.0.2").protocol(4).payload(truncatedInner).build());
        assertThat(decoder.stats().get(DecodeResult.TRUNCATED_IP)).isEqualTo(1);
    }
}
