package io.netsensor.agent.atomic;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.events.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs atomic tests against the real agent: builds the namespace network, starts `netsensor run` in the
 * victim namespace under the short-window profile, starts every test's traffic at once (each from its own
 * process, so their records and alerts stay apart by process), waits until each has its alert or its
 * time is up, stops the agent (SIGTERM: open flows flushed) and judges each test on what it printed.
 * Everything it created is removed, whatever happens.
 */
public final class AtomicRun {
    /** The detector profile the agent runs under: windows of minutes, so the beacon test needs ~1 minute. */
    public static final String PROFILE = "short-window";
    /** Time after a test's traffic ends for its records to reach the detectors (TCP close delay, journal). */
    static final long GRACE_SECONDS = 20;
    private static final List<String> TOOLS = List.of("ip", "ss", "nc", "perl", "bash");

    private AtomicRun() {}

    /** Why the harness cannot run here (one line), or null. */
    public static String unavailableReason() {
        if (!Commands.isRoot()) return "needs root (it creates network namespaces and captures live): run it with sudo";
        for (String tool : TOOLS) {
            if (!Commands.onPath(tool)) return "'" + tool + "' not found on PATH (apt-get install iproute2 netcat-openbsd perl bash)";
        }
        return null;
    }

    /** The whole run's outcome plus what the report names about the setup. */
    public record Outcome(List<AtomicResult> results, String attribution, String victimInterface, String victimNamespace,
                          double seconds, List<Observed.AlertSeen> otherAlerts) {
        public boolean passed() {
            return results.stream().allMatch(AtomicResult::passed);
        }
    }

    public static Outcome run(List<AtomicTest> tests, PrintStream log) throws IOException, InterruptedException {
        String why = unavailableReason();
        if (why != null) throw new AtomicSetupException(why);
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("netsensor-atomic-");
        AtomicNet net = AtomicNet.create(work);
        // Ctrl-C or a kill ends this JVM through its shutdown hooks, not through the finally below: the
        // namespaces, the agent and the generators must go either way.
        Thread cleanup = new Thread(() -> {
            net.close();
            io.netsensor.agent.FileTrees.deleteQuietly(work);
        }, "atomic-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (net; AgentUnderTest agent = AgentUnderTest.start(net, PROFILE)) {
            net.adopt(agent.process());
            log.println("netsensor atomic: test network " + net.victimNs + " <-> " + net.internetNs + "; starting the agent on "
                    + net.victimIf + " (profile " + PROFILE + ")");
            agent.awaitCapturing(120);
            String attribution = agent.attributionMode();
            log.println("netsensor atomic: agent capturing (attribution: " + attribution + "); running " + tests.size() + " test(s)");
            for (AtomicTest t : tests) t.prepare(net);

            Map<AtomicTest, Process> traffic = new LinkedHashMap<>();
            Map<AtomicTest, Long> deadline = new LinkedHashMap<>();
            for (AtomicTest t : tests) {
                traffic.put(t, t.start(net));
                deadline.put(t, System.nanoTime() + TimeUnit.SECONDS.toNanos(t.trafficTime().toSeconds() + GRACE_SECONDS));
            }
            List<Observed.Conn> records = new ArrayList<>();
            List<Observed.AlertSeen> alerts = new ArrayList<>();
            // the pids whose alerts count, known once a test's traffic process has ended
            Map<AtomicTest, Set<Long>> pids = new LinkedHashMap<>();
            List<AtomicTest> waiting = new ArrayList<>(tests);
            while (!waiting.isEmpty()) {
                collect(agent.newRecords(), records, alerts);
                long now = System.nanoTime();
                for (AtomicTest t : waiting) {
                    if (!traffic.get(t).isAlive() && !pids.containsKey(t)) pids.put(t, t.trafficPids(traffic.get(t)));
                }
                waiting.removeIf(t -> now > deadline.get(t) || (pids.containsKey(t) && alerted(t, pids.get(t), alerts)));
                if (!agent.alive()) throw new AtomicSetupException("the agent stopped during the tests: " + agent.stderrText().strip());
                TimeUnit.MILLISECONDS.sleep(200);
            }
            for (Map.Entry<AtomicTest, Process> e : traffic.entrySet()) {
                if (!e.getValue().waitFor(5, TimeUnit.SECONDS)) e.getValue().destroyForcibly();
                if (!pids.containsKey(e.getKey())) pids.put(e.getKey(), e.getKey().trafficPids(e.getValue()));
            }
            int exit = agent.stop(30);
            collect(agent.newRecords(), records, alerts);
            try {
                collect(agent.journaledBursts(), records, alerts);
            } catch (IOException | RuntimeException e) {
                // the verdicts do not depend on it: only the report's burst counts are missing
                log.println("netsensor atomic: could not read the bursts from the agent's journal: " + e.getMessage());
            }
            if (exit != 0) log.println("netsensor atomic: the agent exited " + exit + " on SIGTERM");

            List<AtomicResult> results = new ArrayList<>();
            List<Observed.AlertSeen> other = new ArrayList<>(alerts);
            for (AtomicTest t : tests) {
                AtomicResult r = judge(t, traffic.get(t).pid(), pids.get(t), records, alerts);
                results.add(r);
                log.println("netsensor atomic: " + (r.passed() ? "PASS " : "FAIL ") + t.name + ": " + r.reason());
                other.removeIf(a -> a.detector().equals(t.detector) && t.fits(a) && r.pids().contains(a.pid()));
            }
            return new Outcome(results, attribution, net.victimIf, net.victimNs, (System.nanoTime() - t0) / 1e9, other);
        } finally {
            io.netsensor.agent.FileTrees.deleteQuietly(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will: it cleans up
            }
        }
    }

    private static void collect(List<JsonNode> printed, List<Observed.Conn> records, List<Observed.AlertSeen> alerts) {
        for (JsonNode r : printed) {
            if (Observed.isAlert(r)) {
                alerts.add(Observed.AlertSeen.of(r));
            } else {
                Observed.Conn c = Observed.record(r);
                if (c != null) records.add(c);
            }
        }
    }

    private static boolean alerted(AtomicTest t, Set<Long> pids, List<Observed.AlertSeen> alerts) {
        Observed.AlertSeen a = best(t, pids, alerts);
        return a != null && severity(a).compareTo(t.minSeverity) >= 0;
    }

    /** The highest-severity alert of the test's detector that fits it and is attributed to one of its processes. */
    private static Observed.AlertSeen best(AtomicTest t, Set<Long> pids, List<Observed.AlertSeen> alerts) {
        return alerts.stream().filter(a -> a.detector().equals(t.detector) && t.fits(a) && pids.contains(a.pid()))
                .max(Comparator.comparing(AtomicRun::severity)).orElse(null);
    }

    /** As below, for a test whose only traffic process is the one it started. */
    static AtomicResult judge(AtomicTest t, long pid, List<Observed.Conn> records, List<Observed.AlertSeen> alerts) {
        return judge(t, pid, Set.of(pid), records, alerts);
    }

    static AtomicResult judge(AtomicTest t, long pid, Set<Long> pids, List<Observed.Conn> records, List<Observed.AlertSeen> alerts) {
        List<Observed.Conn> mine = records.stream().filter(c -> c.isEnd() && t.observes(c)).toList();
        List<Observed.Conn> bursts = records.stream().filter(c -> c.isBurst() && t.observes(c)).toList();
        List<Observed.Conn> dns = records.stream().filter(c -> c.isDns() && t.observes(c)).toList();
        String seen = mine.size() + " connection record(s)" + (bursts.isEmpty() ? "" : ", " + bursts.size() + " burst(s) inside")
                + (dns.isEmpty() ? "" : ", " + dns.size() + " DNS quer" + (dns.size() == 1 ? "y" : "ies"));
        Observed.AlertSeen alert = best(t, pids, alerts);
        if (alert != null) {
            boolean ok = severity(alert).compareTo(t.minSeverity) >= 0;
            String who = alert.processName() + " (pid " + alert.pid()
                    + (pids.size() > 1 ? ", one of the test's " + pids.size() + " " + t.tool + " processes" : "") + ")";
            return new AtomicResult(t, pid, pids, mine, bursts, dns, alert, ok, ok
                    ? t.detector + " " + alert.severity() + " alert attributed to " + who + "; " + seen
                    : t.detector + " alert attributed to " + who + " is " + alert.severity() + ", expected at least " + t.minSeverity.label);
        }
        Observed.AlertSeen elsewhere = alerts.stream().filter(a -> a.detector().equals(t.detector) && t.fits(a)).findFirst().orElse(null);
        String theirs = pids.size() > 1 ? "one of the test's " + pids.size() + " " + t.tool + " processes" : "the test's " + t.tool + " (pid " + pid + ")";
        String reason = elsewhere != null
                ? t.detector + " alert raised but attributed to " + (elsewhere.pid() == 0 ? "no process" : "pid " + elsewhere.pid())
                        + ", not " + theirs
                : mine.isEmpty() && bursts.isEmpty() && dns.isEmpty() ? "no " + t.detector + " alert, and no connection record of the test's traffic"
                : "no " + t.detector + " alert within " + (t.trafficTime().toSeconds() + GRACE_SECONDS) + " s; " + seen + " seen";
        return new AtomicResult(t, pid, pids, mine, bursts, dns, null, false, reason);
    }

    static Severity severity(Observed.AlertSeen a) {
        for (Severity s : Severity.values()) if (s.label.equalsIgnoreCase(a.severity())) return s;
        return Severity.LOW;
    }
}
