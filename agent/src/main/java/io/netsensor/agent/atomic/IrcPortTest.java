package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;

/**
 * Seed test 3, IRC-protocol port: nc connects to an external host's port 6667 and keeps the connection
 * two seconds. The seed points at 127.0.0.1 and itself notes that loopback is excluded by the queries
 * ("point this at a controlled external test host on port 6667"), which is what this does. Established,
 * so High (a refused attempt would be Medium).
 */
final class IrcPortTest extends AtomicTest {
    static final String SERVER = "203.0.113.66";
    static final int PORT = 6667;

    IrcPortTest() {
        super("irc-port", 3, "T1583.005", "Botnet C2 channel: a connection to the IRC port 6667 of an external host",
                "an established tcp connection to " + SERVER + ":" + PORT + " (IRC) from nc", "c2_port", Severity.HIGH, "nc");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("irc-server", "nc", "-dlk", SERVER, Integer.toString(PORT));
        net.awaitListening(net.internetNs, SERVER, PORT);
    }

    @Override
    public Process start(AtomicNet net) throws IOException {
        return net.inVictim(name, "nc", "-d", "-w", "2", SERVER, Integer.toString(PORT));
    }

    @Override
    public String command() {
        return "nc -d -w 2 " + SERVER + " " + PORT;
    }

    @Override
    public Duration trafficTime() {
        return Duration.ofSeconds(3);
    }

    @Override
    public boolean observes(Observed.Conn c) {
        return SERVER.equals(c.destinationIp()) && c.destinationPort() == PORT;
    }

    @Override
    public boolean fits(Observed.AlertSeen a) {
        return SERVER.equals(a.remoteIp()) && Integer.valueOf(PORT).equals(a.remotePort());
    }
}
