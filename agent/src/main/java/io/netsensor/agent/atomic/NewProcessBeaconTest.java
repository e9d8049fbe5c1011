package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A check-in made by a new process each time (a cron job, a scheduled task, a loader that runs its
 * stager anew): a bash loop starts `nc` 28 times, each holding its connection to 203.0.113.40:8443 for a
 * second and exiting, ~2.5 s apart. No process makes more than one connection, so only a series keyed
 * by the program (the executable path attribution names) sees a beacon; keyed by pid it would be 28
 * series of one. The alert must name one of those nc processes (the loop prints each one's pid).
 *
 * <p>28 check-ins over ~70 s: the short-window fast path wants 20 over at least 1 minute, reached at the
 * 25th (60 s in); 8443 is no web port (80/443 would need the stricter score) and no C2 port.
 */
final class NewProcessBeaconTest extends AtomicTest {
    static final String C2 = "203.0.113.40";
    static final int PORT = 8443;
    static final int CHECK_INS = 28;
    private static final String SCRIPT = "for i in $(seq " + CHECK_INS + "); do nc -d -w 1 " + C2 + " " + PORT
            + " & echo $!; wait $!; sleep 1.5; done";
    private Path log;

    NewProcessBeaconTest() {
        super("new-process-beacon", 0, "T1095", "C2 beaconing by a new process per check-in: the same executable every ~2.5 s",
                CHECK_INS + " connections to " + C2 + ":" + PORT + " every ~2.5 s, each from a new nc process",
                "beacon", Severity.LOW, "nc");
    }

    @Override
    public void prepare(AtomicNet net) throws IOException, InterruptedException {
        net.inInternet("new-process-c2", "nc", "-dlk", C2, Integer.toString(PORT));
        net.awaitListening(net.internetNs, C2, PORT);
    }

    @Override
    public Process start(AtomicNet net) throws IOException {
        log = net.workDir().resolve(name + ".log");
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

    /** The nc processes: the pids the loop printed, one a line ($!). */
    @Override
    public Set<Long> trafficPids(Process traffic) throws IOException {
        Set<Long> pids = new LinkedHashSet<>();
        if (log != null && Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                if (line.strip().matches("[0-9]+")) pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }
}
