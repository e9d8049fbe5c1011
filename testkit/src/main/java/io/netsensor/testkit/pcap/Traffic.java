package io.netsensor.testkit.pcap;

import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import io.netsensor.testkit.dns.DnsMessages;
import io.netsensor.testkit.events.Times;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * Builds a capture of whole conversations (TCP sessions with handshake, data and close; refused and
 * unanswered attempts; UDP request/response; DNS lookups) at given event times, then writes them as a
 * pcap in time order. Times are seconds from the kit's time base {@link Times#T0}; client ports are
 * assigned automatically.
 */
public final class Traffic {
    private static final int FIN = Frames.FIN, SYN = Frames.SYN, RST = Frames.RST, PSH = Frames.PSH, ACK = Frames.ACK;
    private static final long RTT = 20_000_000L; // 20 ms

    private static final IpRanges HOME_NET = IpRanges.defaultHomeNet();
    private static final long GATEWAY_MAC = 0x0200_00FE_FEFEL;

    private final Trace trace = new Trace();
    private boolean linuxCooked;
    private int nextPort = 40_000;
    private int nextDnsId = 1;

    /**
     * Writes Linux cooked v2 frames (what libpcap gives for the "any" device) instead of Ethernet: each
     * frame carries only its sender's MAC, so a host's own MAC is missing from the packets it receives.
     */
    public Traffic linuxCooked() {
        linuxCooked = true;
        return this;
    }

    private int ephemeral() {
        int p = nextPort++;
        if (nextPort > 60_999) nextPort = 40_000;
        return p;
    }

    /**
     * Queues a frame with the MACs a capture on the local link shows: home-net hosts have their own,
     * everything else comes and goes through the gateway's (Frames uses one fixed pair for all frames,
     * which would make the same host look like two).
     */
    private void add(long ts, String src, String dst, byte[] frame) {
        writeMac(frame, 0, mac(dst));
        writeMac(frame, 6, mac(src));
        trace.add(ts, frame);
    }

    private static long mac(String ip) {
        long[] a = Ip.parse(ip);
        if (!HOME_NET.contains(a[0], a[1])) return GATEWAY_MAC;
        return 0x0200_0000_0000L | (a[1] & 0xFFFF_FFFFL);
    }

    private static void writeMac(byte[] frame, int at, long mac) {
        for (int i = 0; i < 6; i++) frame[at + i] = (byte) (mac >>> (8 * (5 - i)));
    }

    /**
     * A complete TCP session from client to server starting at {@code seconds}: handshake, {@code sent}
     * bytes from the client, {@code received} bytes back, then FIN from both sides {@code duration}
     * seconds later.
     */
    public Traffic tcpSession(double seconds, String client, String server, int port, int sent, int received, double duration) {
        long t = Times.at(seconds);
        int cp = ephemeral();
        long cs = 1000, ss = 5000;
        add(t, client, server, Frames.ipv4(client, server).tcp(cp, port).flags(SYN).seq(cs).build());
        add(t + RTT, server, client, Frames.ipv4(server, client).tcp(port, cp).flags(SYN | ACK).seq(ss).ack(cs + 1).build());
        add(t + RTT + 1000, client, server, Frames.ipv4(client, server).tcp(cp, port).flags(ACK).seq(cs + 1).ack(ss + 1).build());
        long c = cs + 1, s = ss + 1;
        long td = t + RTT + 2000;
        if (sent > 0) {
            add(td, client, server, Frames.ipv4(client, server).tcp(cp, port).flags(PSH | ACK).seq(c).ack(s)
                    .payload(new byte[sent]).build());
            c += sent;
        }
        if (received > 0) {
            add(td + RTT, server, client, Frames.ipv4(server, client).tcp(port, cp).flags(PSH | ACK).seq(s).ack(c)
                    .payload(new byte[received]).build());
            s += received;
        }
        long tf = Math.max(td + 2 * RTT, t + Math.round(duration * 1e9));
        add(tf, client, server, Frames.ipv4(client, server).tcp(cp, port).flags(FIN | ACK).seq(c).ack(s).build());
        add(tf + RTT, server, client, Frames.ipv4(server, client).tcp(port, cp).flags(FIN | ACK).seq(s).ack(c + 1).build());
        add(tf + RTT + 1000, client, server, Frames.ipv4(client, server).tcp(cp, port).flags(ACK).seq(c + 1).ack(s + 1).build());
        return this;
    }

    /**
     * A long-lived TCP connection from client to server, IPv4 or IPv6 by the addresses' form, for
     * exchanges inside it ({@link Session#exchange}); with {@code handshake} false the capture starts
     * mid-connection (no SYN: the first packet is the first exchange's request).
     */
    public Session tcpOpen(double seconds, String client, String server, int port, boolean handshake) {
        Session s = new Session(client, ephemeral(), server, port, true);
        if (handshake) {
            long t = Times.at(seconds);
            add(t, client, server, s.frame(true).flags(SYN).seq(s.c - 1).build());
            add(t + RTT, server, client, s.frame(false).flags(SYN | ACK).seq(s.s - 1).ack(s.c).build());
            add(t + RTT + 1000, client, server, s.frame(true).flags(ACK).seq(s.c).ack(s.s).build());
        }
        return s;
    }

    /** A UDP socket of the client (one local port) talking to one server port: exchanges are datagrams. */
    public Session udpSocket(String client, int clientPort, String server, int port) {
        return new Session(client, clientPort, server, port, false);
    }

    /** One connection (or UDP socket) carrying request/response exchanges at given times. */
    public final class Session {
        private final String client, server;
        private final int clientPort, port;
        private final boolean tcp, v6;
        private long c = 100_001, s = 900_001;

        private Session(String client, int clientPort, String server, int port, boolean tcp) {
            this.client = client;
            this.clientPort = clientPort;
            this.server = server;
            this.port = port;
            this.tcp = tcp;
            this.v6 = client.indexOf(':') >= 0;
        }

        private Frames frame(boolean fromClient) {
            Frames f = fromClient ? (v6 ? Frames.ipv6(client, server) : Frames.ipv4(client, server))
                    : (v6 ? Frames.ipv6(server, client) : Frames.ipv4(server, client));
            return tcp ? f.tcp(fromClient ? clientPort : port, fromClient ? port : clientPort)
                    : f.udp(fromClient ? clientPort : port, fromClient ? port : clientPort);
        }

        /** The client sends {@code request} at {@code seconds}, the server answers {@code received} bytes (0: none). */
        public Session exchange(double seconds, byte[] request, int received) {
            long t = Times.at(seconds);
            if (tcp) {
                add(t, client, server, frame(true).flags(PSH | ACK).seq(c).ack(s).payload(request).build());
                c += request.length;
                if (received > 0) {
                    add(t + RTT, server, client, frame(false).flags(PSH | ACK).seq(s).ack(c).payload(new byte[received]).build());
                    s += received;
                }
                add(t + 2 * RTT, client, server, frame(true).flags(ACK).seq(c).ack(s).build());
            } else {
                add(t, client, server, frame(true).payload(request).build());
                if (received > 0) add(t + RTT, server, client, frame(false).payload(new byte[received]).build());
            }
            return this;
        }

        public Session exchange(double seconds, int sent, int received) {
            return exchange(seconds, new byte[sent], received);
        }

        /** Closes the TCP connection (FIN both ways) at {@code seconds}. */
        public Session close(double seconds) {
            if (!tcp) return this;
            long t = Times.at(seconds);
            add(t, client, server, frame(true).flags(FIN | ACK).seq(c).ack(s).build());
            add(t + RTT, server, client, frame(false).flags(FIN | ACK).seq(s).ack(c + 1).build());
            add(t + RTT + 1000, client, server, frame(true).flags(ACK).seq(c + 1).ack(s + 1).build());
            return this;
        }

        public Traffic traffic() {
            return Traffic.this;
        }
    }

    /** A connection attempt the server refuses (SYN, RST-ACK). */
    public Traffic tcpRefused(double seconds, String client, String server, int port) {
        long t = Times.at(seconds);
        int cp = ephemeral();
        add(t, client, server, Frames.ipv4(client, server).tcp(cp, port).flags(SYN).seq(1000).build());
        add(t + RTT, server, client, Frames.ipv4(server, client).tcp(port, cp).flags(RST | ACK).ack(1001).build());
        return this;
    }

    /** A connection attempt nobody answers (a lone SYN). */
    public Traffic tcpUnanswered(double seconds, String client, String server, int port) {
        add(Times.at(seconds), client, server, Frames.ipv4(client, server).tcp(ephemeral(), port).flags(SYN).seq(1000).build());
        return this;
    }

    /** One UDP request and its reply, from a fixed client port (NTP clients use 123 both sides). */
    public Traffic udpExchange(double seconds, String client, int clientPort, String server, int port, int sent, int received) {
        long t = Times.at(seconds);
        add(t, client, server, Frames.ipv4(client, server).udp(clientPort, port).payload(new byte[sent]).build());
        add(t + RTT, server, client, Frames.ipv4(server, client).udp(port, clientPort).payload(new byte[received]).build());
        return this;
    }

    /** An A lookup over UDP answered NXDOMAIN. */
    public Traffic dnsNxdomain(double seconds, String client, String resolver, String name) {
        return dns(seconds, client, resolver, name, Rcode.NXDOMAIN, List.of());
    }

    /** An A lookup answered with a CNAME chain ending in an address: {@code chain} = cname targets. */
    public Traffic dnsResolved(double seconds, String client, String resolver, String name, List<String> chain, String address) {
        List<Record> answers = new ArrayList<>();
        String owner = name;
        for (String c : chain) {
            answers.add(DnsMessages.cname(owner, c, 300));
            owner = c;
        }
        answers.add(DnsMessages.a(owner, address, 60));
        return dns(seconds, client, resolver, name, Rcode.NOERROR, answers);
    }

    /** A lookup of any type over UDP, answered (NOERROR) with the records given (TXT, NULL, CNAME ...). */
    public Traffic dnsExchange(double seconds, String client, String resolver, String name, int qtype, Record... answers) {
        return dns(seconds, client, resolver, name, qtype, Rcode.NOERROR, List.of(answers));
    }

    private Traffic dns(double seconds, String client, String resolver, String name, int rcode, List<Record> answers) {
        return dns(seconds, client, resolver, name, DnsMessages.A, rcode, answers);
    }

    private Traffic dns(double seconds, String client, String resolver, String name, int qtype, int rcode, List<Record> answers) {
        long t = Times.at(seconds);
        int id = nextDnsId++ & 0xFFFF;
        int cp = ephemeral();
        Message query = DnsMessages.query(id, name, qtype);
        Message response = DnsMessages.response(id, name, qtype, rcode, answers.toArray(new Record[0]));
        add(t, client, resolver, Frames.ipv4(client, resolver).udp(cp, 53).payload(query.toWire()).build());
        add(t + RTT, resolver, client, Frames.ipv4(resolver, client).udp(53, cp).payload(response.toWire()).build());
        return this;
    }

    /** Writes all packets, in time order (equal times in the order added), as an Ethernet (or cooked) pcap. */
    public Path write(Path file) throws IOException {
        Trace sorted = trace.sorted();
        return linuxCooked ? sorted.map(Traffic::cooked).pcap(file, LinkType.LINUX_SLL2) : sorted.pcap(file, LinkType.ETHERNET);
    }

    /** The Ethernet frame as Linux cooked v2: protocol, ifindex 2, ARPHRD_ETHER, packet type, sender MAC. */
    private static byte[] cooked(byte[] eth) {
        byte[] f = new byte[20 + eth.length - 14];
        f[0] = eth[12];
        f[1] = eth[13];
        f[7] = 2; // ifindex
        f[9] = 1; // ARPHRD_ETHER
        long src = 0;
        for (int i = 6; i < 12; i++) src = src << 8 | (eth[i] & 0xFF);
        f[10] = (byte) (src == GATEWAY_MAC ? 0 : 4); // PACKET_HOST (to us) or PACKET_OUTGOING
        f[11] = 6;
        System.arraycopy(eth, 6, f, 12, 6);
        System.arraycopy(eth, 14, f, 20, eth.length - 14);
        return f;
    }
}
