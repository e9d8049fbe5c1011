package io.netsensor.testkit.pcap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Frames of one TCP conversation with sequence and acknowledgement numbers kept consistent, so tests read
 * as the exchange they model: {@code t.client(SYN); t.server(SYN | ACK); t.client(ACK); t.client(ACK, 100)}.
 */
public final class TcpTalk {
    public static final int SYN = Frames.SYN, ACK = Frames.ACK, FIN = Frames.FIN, RST = Frames.RST, PSH = Frames.PSH;

    private final String client, server;
    private final int clientPort, serverPort;
    private final UnaryOperator<Frames> framing;
    private long clientSeq = 1000, serverSeq = 5000;
    private boolean serverSeen;

    /**
     * @param framing applied to every frame: link type, VLAN tags, MPLS, IPv6 extension headers...
     */
    public TcpTalk(String client, int clientPort, String server, int serverPort, UnaryOperator<Frames> framing) {
        this.client = client;
        this.server = server;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        this.framing = framing;
    }

    public TcpTalk(String client, int clientPort, String server, int serverPort) {
        this(client, clientPort, server, serverPort, UnaryOperator.identity());
    }

    public byte[] client(int flags) {
        return client(flags, 0);
    }

    public byte[] server(int flags) {
        return server(flags, 0);
    }

    /** A client segment carrying {@code dataBytes} bytes of payload. */
    public byte[] client(int flags, int dataBytes) {
        return client(flags, filler(dataBytes, 'c'));
    }

    public byte[] server(int flags, int dataBytes) {
        return server(flags, filler(dataBytes, 's'));
    }

    public byte[] client(int flags, byte[] payload) {
        byte[] f = frame(client, clientPort, server, serverPort, flags, clientSeq, serverSeen ? serverSeq : 0, payload);
        clientSeq += advance(flags, payload);
        return f;
    }

    public byte[] server(int flags, byte[] payload) {
        serverSeen = true;
        byte[] f = frame(server, serverPort, client, clientPort, flags, serverSeq, clientSeq, payload);
        serverSeq += advance(flags, payload);
        return f;
    }

    /** Handshake, 100 bytes up, 300 bytes down, FIN from the client first: a Zeek SF connection. */
    public List<byte[]> established() {
        return established(100, 300);
    }

    public List<byte[]> established(int up, int down) {
        List<byte[]> l = new ArrayList<>(handshake());
        l.add(client(ACK | PSH, up));
        l.add(server(ACK | PSH, down));
        l.add(client(FIN | ACK));
        l.add(server(FIN | ACK));
        l.add(client(ACK));
        return l;
    }

    public List<byte[]> handshake() {
        return List.of(client(SYN), server(SYN | ACK), client(ACK));
    }

    private static long advance(int flags, byte[] payload) {
        return payload.length + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    }

    private byte[] frame(String src, int sport, String dst, int dport, int flags, long seq, long ack, byte[] payload) {
        Frames f = src.indexOf(':') >= 0 ? Frames.ipv6(src, dst) : Frames.ipv4(src, dst);
        f.tcp(sport, dport).flags(flags).seq(seq).ack((flags & ACK) != 0 ? ack : 0).payload(payload);
        return framing.apply(f).build();
    }

    public static byte[] filler(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }
}
