package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;

/**
 * An implant that keeps one session open and checks in over it (HTTP keep-alive, TLS, WebSocket, a raw
 * TCP heartbeat): one bash process opens ONE connection to 203.0.113.30:9443 and, every 3 s, writes a
 * line and reads the server's answer (a perl server that acknowledges each line). There is a single
 * connection start, so only the check-ins inside it (BURST records: payload after at least 1 s idle)
 * can make the beacon. The wait between check-ins is bash's builtin read on the socket itself (no forked
 * sleep inherits the socket), so the socket's only owner is the bash the alert must name.
 *
 * <p>32 check-ins over 96 s: the flow's first exchange is its connection record's, the other 31 are
 * bursts, each written when the next begins; the short-window fast path wants 20 check-ins over at least
 * 1 minute, which the 22nd burst (63 s in) reaches, ten check-ins before the traffic ends. (With 25, three
 * before the end, a check-in merged or a late read on a loaded CI machine left it without an alert.)
 */
final class InConnectionBeaconTest extends AtomicTest {
    static final String C2 = "203.0.113.30";
    static final int PORT = 9443;
    static final int CHECK_INS = 32;
    private static final String SERVER = "use IO::Socket::INET; my $l = IO::Socket::INET->new(LocalAddr => '" + C2 + "', LocalPort => " + PORT
            + ", Listen => 5, ReuseAddr => 1) or die \"listen: $!\";"
            + " while (my $c = $l->accept) { $c->autoflush(1); while (my $line = <$c>) { print $c \"ack $line\" } }";
    private static final String SCRIPT = "exec 3<>/dev/tcp/" + C2 + "/" + PORT + " || exit 1; for ((i = 1; i <= " + CHECK_INS
            + "; i++)); do echo \"beat $i\" >&3; read -t 2 -u 3 reply; read -t 3 -u 3; done; exec 3>&-";

    InConnectionBeaconTest() {
        super("in-connection-beacon", 0, "T1095", "C2 check-ins inside one long-lived connection: periodic request/response, one process",
                CHECK_INS + " request/response exchanges every ~3 s inside one tcp connection from one process to " + C2 + ":" + PORT,
                "beacon", Severity.LOW, "bash");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("in-connection-c2", "perl", "-e", SERVER);
        net.awaitListening(net.internetNs, C2, PORT);
    }

    @Override
    public Process start(AtomicNet net) throws IOException {
        return net.inVictim(name, "bash", "-c", SCRIPT);
    }

    @Override
    public String command() {
        return "bash -c '" + SCRIPT + "'";
    }

    @Override
    public Duration trafficTime() {
        return Duration.ofSeconds(CHECK_INS * 3L);
    }

    @Override
    public boolean observes(Observed.Conn c) {
        return C2.equals(c.destinationIp()) && c.destinationPort() == PORT;
    }

    /** The in-connection path's alert ("check-ins inside one connection"), not one of connection starts. */
    @Override
    public boolean fits(Observed.AlertSeen a) {
        return C2.equals(a.remoteIp()) && Integer.valueOf(PORT).equals(a.remotePort())
                && a.message() != null && a.message().contains("inside one connection");
    }
}
