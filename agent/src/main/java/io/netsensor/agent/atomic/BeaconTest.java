package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;

/**
 * Seed test 1, C2 beaconing: one bash process connects to a C2 host every 3 s (bash's /dev/tcp, so the
 * shell itself is the connecting process), holding each connection half a second with the builtin read
 * (a forked sleep would inherit the socket, and /proc would show it as the sleep's too). 22 check-ins over 63 s
 * meet the short-window profile's fast-beacon minimum (20 connections over 1 minute); the seed's 10 s
 * interval would need 4 minutes. The seed talks to 127.0.0.1, which its own queries exclude; here the C2
 * is an external test host.
 */
final class BeaconTest extends AtomicTest {
    static final String C2 = "203.0.113.10";
    static final int PORT = 8080;
    static final int CHECK_INS = 22;
    private static final String SCRIPT = "for i in $(seq " + CHECK_INS + "); do exec 3<>/dev/tcp/" + C2 + "/" + PORT
            + " && read -t 0.5 -u 3; exec 3>&-; sleep 2.5; done";

    BeaconTest() {
        super("c2-beacon", 1, "T1583.005", "C2 beaconing: regular periodic outbound connections from one process",
                CHECK_INS + " connections from one process to " + C2 + ":" + PORT + " every ~3 s (seed: 30 every ~10 s to 127.0.0.1:8080)",
                "beacon", Severity.LOW, "bash");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("c2-server", "nc", "-dlk", C2, Integer.toString(PORT));
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

    @Override
    public boolean fits(Observed.AlertSeen a) {
        return C2.equals(a.remoteIp()) && Integer.valueOf(PORT).equals(a.remotePort());
    }
}
