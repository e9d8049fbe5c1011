package io.netsensor.capture.track;

import io.netsensor.capture.decode.PacketView;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.testkit.events.Times;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Hand-filled PacketViews and a small TCP/UDP conversation driver for tracker tests. */
final class Packets {
    private Packets() {}

    /** The kit's time base plus {@code millis} milliseconds. */
    static long ms(long millis) {
        return Times.T0 + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static int flags(String f) {
        int v = 0;
        for (char c : f.toCharArray()) {
            switch (c) {
                case 'S': v |= PacketView.SYN; break;
                case 'A': v |= PacketView.ACK; break;
                case 'F': v |= PacketView.FIN; break;
                case 'R': v |= PacketView.RST; break;
                case 'P': v |= PacketView.PSH; break;
                default: throw new IllegalArgumentException("flag " + c);
            }
        }
        return v;
    }

    /** Fills v for one packet; IPv4 or IPv6 by the literal. */
    static PacketView fill(PacketView v, int proto, String src, int sport, String dst, int dport, long tsNanos,
                           int payloadLen) {
        v.reset();
        long[] s = Ip.parse(src), d = Ip.parse(dst);
        v.tsNanos = tsNanos;
        v.protocol = proto;
        v.ipVersion = src.indexOf(':') >= 0 ? 6 : 4;
        v.srcHi = s[0]; v.srcLo = s[1]; v.dstHi = d[0]; v.dstLo = d[1];
        v.srcPort = sport; v.dstPort = dport;
        v.payloadLen = v.payloadWireLen = payloadLen;
        int ipHeader = v.ipVersion == 6 ? 40 : 20;
        v.ipLen = ipHeader + (proto == 6 ? 20 : 8) + payloadLen;
        v.srcMac = 0x0200_0000_0000L | (s[1] & 0xFFFFFF);
        v.dstMac = 0x0200_0000_0000L | (d[1] & 0xFFFFFF);
        v.tcpWindow = 65535;
        return v;
    }

    static PacketView udp(String src, int sport, String dst, int dport, long tsNanos, int len) {
        return fill(new PacketView(), 17, src, sport, dst, dport, tsNanos, len);
    }

    static PacketView tcp(String src, int sport, String dst, int dport, long tsNanos, String flags, long seq,
                          long ack, int len) {
        PacketView v = fill(new PacketView(), 6, src, sport, dst, dport, tsNanos, len);
        v.tcpFlags = flags(flags);
        v.tcpSeq = seq & 0xFFFF_FFFFL;
        v.tcpAck = ack & 0xFFFF_FFFFL;
        return v;
    }

    /** Keeps copies of every ConnEvent. */
    static final class Recorder implements EventHandler {
        final List<ConnEvent> events = new ArrayList<>();

        @Override
        public void onConn(ConnEvent e) {
            ConnEvent c = new ConnEvent();
            c.copyFrom(e);
            events.add(c);
        }

        @Override
        public void onDns(DnsEvent e) {}

        List<ConnEvent> ends() {
            return events.stream().filter(e -> e.phase == ConnEvent.Phase.END).toList();
        }

        List<ConnEvent> opens() {
            return events.stream().filter(e -> e.phase == ConnEvent.Phase.OPEN).toList();
        }

        ConnEvent onlyEnd() {
            List<ConnEvent> ends = ends();
            if (ends.size() != 1) throw new AssertionError("expected one END, got " + ends);
            return ends.get(0);
        }
    }

    /**
     * One TCP conversation between a client and a server; tracks both sides' next sequence numbers so
     * tests read like a trace: {@code c.client("S").server("SA").client("A").client("PA", 100)}.
     */
    static final class Tcp {
        private final ConnTracker tracker;
        final String clientIp, serverIp;
        final int clientPort, serverPort;
        long clientSeq = 1_000, serverSeq = 5_000_000;
        long clientLastSeq, serverLastSeq;
        int clientLastLen, serverLastLen;
        long nowMs;
        int window = 65535;

        Tcp(ConnTracker tracker, String clientIp, int clientPort, String serverIp, int serverPort, long startMs) {
            this.tracker = tracker;
            this.clientIp = clientIp; this.clientPort = clientPort;
            this.serverIp = serverIp; this.serverPort = serverPort;
            this.nowMs = startMs;
        }

        Tcp at(long ms) {
            nowMs = ms;
            return this;
        }

        Tcp client(String flags) { return client(flags, 0); }

        Tcp server(String flags) { return server(flags, 0); }

        Tcp client(String flags, int len) {
            clientLastSeq = clientSeq;
            clientLastLen = len;
            send(true, flags, clientSeq, serverSeq, len);
            clientSeq += advance(flags, len);
            return this;
        }

        Tcp server(String flags, int len) {
            serverLastSeq = serverSeq;
            serverLastLen = len;
            send(false, flags, serverSeq, clientSeq, len);
            serverSeq += advance(flags, len);
            return this;
        }

        /** Sends the client's previous data segment again (same sequence number). */
        Tcp clientRetransmit() {
            send(true, "PA", clientLastSeq, serverSeq, clientLastLen);
            return this;
        }

        private static int advance(String flags, int len) {
            int f = flags(flags);
            if ((f & PacketView.RST) != 0) return 0;
            return len + ((f & PacketView.SYN) != 0 ? 1 : 0) + ((f & PacketView.FIN) != 0 ? 1 : 0);
        }

        private void send(boolean fromClient, String flags, long seq, long ack, int len) {
            PacketView v = fromClient
                    ? tcp(clientIp, clientPort, serverIp, serverPort, ms(nowMs), flags, seq, ack, len)
                    : tcp(serverIp, serverPort, clientIp, clientPort, ms(nowMs), flags, seq, ack, len);
            if ((flags(flags) & PacketView.ACK) == 0) v.tcpAck = 0;
            v.tcpWindow = window;
            tracker.onPacket(v);
            nowMs += 10;
        }
    }
}
