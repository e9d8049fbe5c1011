package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;

/**
 * Seed test 2, ORB relay: one perl process accepts a connection from an external host on port 19876 and
 * a second later connects out to 8.8.8.8:53 over TCP, as the seed's single PowerShell does. The inbound
 * leg comes from 203.0.113.77 in the internet namespace (nc bound to that address). One process for both
 * legs matters: the relay detector joins legs per host and process.
 */
final class RelayTest extends AtomicTest {
    static final int LISTEN_PORT = 19876;
    static final String PEER = "203.0.113.77";
    static final String OUT = "8.8.8.8";
    static final int OUT_PORT = 53;
    private static final String SCRIPT = "use IO::Socket::INET; $| = 1;"
            + " my $l = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => " + LISTEN_PORT + ", Listen => 5, ReuseAddr => 1) or die \"listen: $!\";"
            + " my $in = $l->accept or die \"accept: $!\"; print 'accepted ', $in->peerhost, \"\\n\"; sleep 1;"
            + " my $out = IO::Socket::INET->new(PeerAddr => '" + OUT + "', PeerPort => " + OUT_PORT + ", Proto => 'tcp', Timeout => 5) or die \"connect: $!\";"
            + " print \"relayed\\n\"; sleep 1; close $out; close $in;";

    RelayTest() {
        super("orb-relay", 2, "T1583.005", "ORB relay: an inbound accepted connection followed by an outbound connect, one process",
                "an inbound connection from " + PEER + " accepted on port " + LISTEN_PORT + ", then an outbound connection to "
                        + OUT + ":" + OUT_PORT + " (tcp) from the same process within the correlation window",
                "relay", Severity.MEDIUM, "perl");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("relay-dns-server", "nc", "-dlk", OUT, Integer.toString(OUT_PORT));
        net.awaitListening(net.internetNs, OUT, OUT_PORT);
    }

    @Override
    public Process start(AtomicNet net) throws IOException, InterruptedException {
        Process relay = net.inVictim(name, "perl", "-e", SCRIPT);
        net.awaitListening(net.victimNs, "0.0.0.0", LISTEN_PORT);
        net.inInternet("relay-peer", "nc", "-d", "-w", "4", "-s", PEER, AtomicNet.VICTIM_IP, Integer.toString(LISTEN_PORT));
        return relay;
    }

    @Override
    public String command() {
        return "perl -e \"" + SCRIPT + "\" (inbound: nc -s " + PEER + " " + AtomicNet.VICTIM_IP + " " + LISTEN_PORT + " from the internet namespace)";
    }

    @Override
    public Duration trafficTime() {
        return Duration.ofSeconds(3);
    }

    @Override
    public boolean observes(Observed.Conn c) {
        return (OUT.equals(c.destinationIp()) && c.destinationPort() == OUT_PORT && "tcp".equals(c.transport()))
                || (PEER.equals(c.sourceIp()) && c.destinationPort() == LISTEN_PORT);
    }
}
