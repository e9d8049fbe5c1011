package io.netsensor.installer;

import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.capture.decode.PacketView;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A small Ethernet capture of known content: complete TCP sessions and answered DNS queries. */
final class TestCapture {
    static final int TCP_SESSIONS = 20, DNS_EXCHANGES = 10;
    private static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    private static final int SYN = PacketView.SYN, ACK = PacketView.ACK, FIN = PacketView.FIN, PSH = PacketView.PSH;

    private TestCapture() {}

    static void write(Path file) throws IOException {
        long t = START;
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            for (int i = 0; i < TCP_SESSIONS; i++) {
                String client = "10.1.0." + (10 + i % 5), server = "192.0.2." + (10 + i % 3);
                int cport = 40_000 + i, sport = 443;
                long c = 1000, s = 5000;
                w.write(t += 1_000_000, Frames.ipv4(client, server).tcp(cport, sport).flags(SYN).seq(c).build());
                w.write(t += 1_000_000, Frames.ipv4(server, client).tcp(sport, cport).flags(SYN | ACK).seq(s).ack(c + 1).build());
                c++;
                s++;
                w.write(t += 1_000_000, Frames.ipv4(client, server).tcp(cport, sport).flags(ACK).seq(c).ack(s).build());
                w.write(t += 1_000_000, Frames.ipv4(client, server).tcp(cport, sport).flags(ACK | PSH).seq(c).ack(s).payload(new byte[100]).build());
                c += 100;
                w.write(t += 1_000_000, Frames.ipv4(server, client).tcp(sport, cport).flags(ACK | PSH).seq(s).ack(c).payload(new byte[300]).build());
                s += 300;
                w.write(t += 1_000_000, Frames.ipv4(client, server).tcp(cport, sport).flags(FIN | ACK).seq(c).ack(s).build());
                c++;
                w.write(t += 1_000_000, Frames.ipv4(server, client).tcp(sport, cport).flags(FIN | ACK).seq(s).ack(c).build());
                s++;
                w.write(t += 1_000_000, Frames.ipv4(client, server).tcp(cport, sport).flags(ACK).seq(c).ack(s).build());
                t += 1_000_000_000L;
            }
            for (int i = 0; i < DNS_EXCHANGES; i++) {
                String client = "10.1.0.20", resolver = "10.1.0.1", name = "host" + i + ".example.org";
                int port = 50_000 + i, id = 0x1000 + i;
                w.write(t += 1_000_000, Frames.ipv4(client, resolver).udp(port, 53).payload(dns(id, name, false)).build());
                w.write(t += 2_000_000, Frames.ipv4(resolver, client).udp(53, port).payload(dns(id, name, true)).build());
                t += 1_000_000_000L;
            }
        }
    }

    /** A DNS query for an A record, or its answer (192.0.2.53, TTL 60). */
    private static byte[] dns(int id, String name, boolean response) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        short16(b, id);
        short16(b, response ? 0x8180 : 0x0100); // response: QR RD RA, NOERROR; query: RD
        short16(b, 1);
        short16(b, response ? 1 : 0);
        short16(b, 0);
        short16(b, 0);
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
        short16(b, 1); // A
        short16(b, 1); // IN
        if (response) {
            short16(b, 0xC00C); // the question's name
            short16(b, 1);
            short16(b, 1);
            short16(b, 0);
            short16(b, 60);
            short16(b, 4);
            b.writeBytes(new byte[] {(byte) 192, 0, 2, 53});
        }
        return b.toByteArray();
    }

    private static void short16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }
}
