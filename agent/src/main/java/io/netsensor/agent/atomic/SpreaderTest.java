package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;

/**
 * Seed test 4, botnet spreader: one bash process opens connections to 30 distinct addresses of
 * 203.0.113.0/24 on port 22 and holds them two seconds. The internet namespace accepts them (a perl
 * acceptor on 0.0.0.0:22 answers for the whole range), so each counts as soon as its handshake is seen;
 * unanswered SYNs would count only when their flows time out. The wait is bash's builtin read on the last
 * socket (the server never sends): no child process inherits the sockets, and bash is not replaced by an
 * exec'd sleep, so the sockets' only owner is the bash the alert must name.
 */
final class SpreaderTest extends AtomicTest {
    static final int PORT = 22;
    static final int FIRST = 101, HOSTS = 30;
    private static final String SCRIPT = "for i in $(seq " + FIRST + " " + (FIRST + HOSTS - 1) + "); do exec {fd}<>/dev/tcp/203.0.113.$i/"
            + PORT + "; done; read -t 2 -u $fd; exit 0";

    SpreaderTest() {
        super("spreader", 4, "T1583.005", "Botnet spreader: one process connecting to 30 external addresses on port 22",
                HOSTS + " connections from one process to " + HOSTS + " unique addresses in 203.0.113.0/24 on port " + PORT,
                "fanout", Severity.MEDIUM, "bash");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("ssh-acceptor", "perl", "-MIO::Socket::INET", "-e", "my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => "
                + PORT + ", Listen => 512, ReuseAddr => 1) or die $!; my @open; while (my $c = $s->accept) { push @open, $c }");
        net.awaitListening(net.internetNs, "0.0.0.0", PORT);
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
        return Duration.ofSeconds(3);
    }

    @Override
    public boolean observes(Observed.Conn c) {
        if (c.destinationPort() != PORT || !c.destinationIp().startsWith("203.0.113.")) return false;
        int last = Integer.parseInt(c.destinationIp().substring("203.0.113.".length()));
        return last >= FIRST && last < FIRST + HOSTS;
    }
}
