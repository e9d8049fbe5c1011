package io.netsensor.agent.atomic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The atomic run's report: a table for people, or one JSON document (`--json`) whose shape is stable:
 *
 * <pre>
 * { "schema": "netsensor.atomic/1", "passed": true, "tests_total": 7, "tests_passed": 7, "tests_failed": 0,
 *   "profile": "short-window", "attribution": "kernel", "interface": "atv1a2b3", "duration_seconds": 71.2,
 *   "tests": [ { "name", "seed_test", "technique", "description",
 *                "expected": { "signal", "detector", "min_severity" },
 *                "traffic": { "tool", "pid", "command", "pids": [ pid ] },
 *                "observed": { "connections", "outcomes": { outcome: count }, "remotes": [ "ip:port" ],
 *                              "attributed_pids": [ pid ], "bursts", "dns_queries" },
 *                "alert": null | { "id", "detector", "severity", "message", "remote",
 *                                  "process": { "pid", "name", "executable" } },
 *                "passed", "reason" } ],
 *   "other_alerts": [ { "detector", "severity", "remote", "pid", "message" } ] }
 * </pre>
 *
 * New fields may be added; none is renamed or removed without changing "schema".
 */
public final class AtomicReport {
    public static final String SCHEMA = "netsensor.atomic/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AtomicReport() {}

    public static String json(AtomicRun.Outcome o) {
        ObjectNode root = JSON.createObjectNode();
        long passed = o.results().stream().filter(AtomicResult::passed).count();
        root.put("schema", SCHEMA);
        root.put("passed", o.passed());
        root.put("tests_total", o.results().size());
        root.put("tests_passed", passed);
        root.put("tests_failed", o.results().size() - passed);
        root.put("profile", AtomicRun.PROFILE);
        root.put("attribution", o.attribution());
        root.put("interface", o.victimInterface());
        root.put("duration_seconds", Math.round(o.seconds() * 10) / 10.0);
        ArrayNode tests = root.putArray("tests");
        for (AtomicResult r : o.results()) {
            AtomicTest t = r.test();
            ObjectNode n = tests.addObject();
            n.put("name", t.name);
            n.put("seed_test", t.seedTest);
            n.put("technique", t.technique);
            n.put("description", t.description);
            ObjectNode exp = n.putObject("expected");
            exp.put("signal", t.expectedSignal);
            exp.put("detector", t.detector);
            exp.put("min_severity", t.minSeverity.label);
            ObjectNode traffic = n.putObject("traffic");
            traffic.put("tool", t.tool);
            traffic.put("pid", r.pid());
            traffic.put("command", t.command());
            // whose alerts count: the traffic process, or the check-in processes it started
            ArrayNode trafficPids = traffic.putArray("pids");
            r.pids().stream().sorted().forEach(trafficPids::add);
            ObjectNode obs = n.putObject("observed");
            obs.put("connections", r.connections().size());
            ObjectNode outcomes = obs.putObject("outcomes");
            outcomes(r).forEach(outcomes::put);
            ArrayNode remotes = obs.putArray("remotes");
            remotes(r).forEach(remotes::add);
            ArrayNode pids = obs.putArray("attributed_pids");
            r.connections().stream().map(Observed.Conn::pid).filter(p -> p != 0).distinct().sorted().forEach(pids::add);
            obs.put("bursts", r.bursts().size());
            obs.put("dns_queries", r.dnsQueries().size());
            if (r.alert() == null) {
                n.putNull("alert");
            } else {
                Observed.AlertSeen a = r.alert();
                ObjectNode an = n.putObject("alert");
                an.put("id", a.id());
                an.put("detector", a.detector());
                an.put("severity", a.severity());
                an.put("message", a.message());
                an.put("remote", remote(a));
                ObjectNode p = an.putObject("process");
                p.put("pid", a.pid());
                p.put("name", a.processName());
                p.put("executable", a.executable());
            }
            n.put("passed", r.passed());
            n.put("reason", r.reason());
        }
        ArrayNode other = root.putArray("other_alerts");
        for (Observed.AlertSeen a : o.otherAlerts()) {
            ObjectNode an = other.addObject();
            an.put("detector", a.detector());
            an.put("severity", a.severity());
            an.put("remote", remote(a));
            an.put("pid", a.pid());
            an.put("message", a.message());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One block per test: verdict, expectation, what was seen, the alert. */
    public static String text(AtomicRun.Outcome o) {
        StringBuilder b = new StringBuilder();
        for (AtomicResult r : o.results()) {
            AtomicTest t = r.test();
            b.append(r.passed() ? "PASS  " : "FAIL  ").append(t.name).append("  (")
                    .append(t.seedTest > 0 ? "seed test " + t.seedTest + ", " : "").append(t.technique).append(")\n");
            b.append("  expected: ").append(t.expectedSignal).append("; ").append(t.detector).append(" alert, at least ")
                    .append(t.minSeverity.label).append('\n');
            String who = r.pids().equals(java.util.Set.of(r.pid())) ? t.tool + " pid " + r.pid()
                    : r.pids().size() + " " + t.tool + " processes started by pid " + r.pid();
            b.append("  traffic:  ").append(who).append(": ").append(t.command()).append('\n');
            b.append("  observed: ").append(r.connections().size()).append(" connection(s) ").append(outcomes(r))
                    .append(" to ").append(summarize(remotes(r)))
                    .append(r.bursts().isEmpty() ? "" : ", " + r.bursts().size() + " burst(s) inside")
                    .append(r.dnsQueries().isEmpty() ? "" : ", " + r.dnsQueries().size() + " DNS queries").append('\n');
            Observed.AlertSeen a = r.alert();
            b.append("  alert:    ").append(a == null ? "none" : a.detector() + " " + a.severity() + ", " + a.processName()
                    + " (pid " + a.pid() + ", " + a.executable() + "): " + a.message()).append('\n');
            b.append("  result:   ").append(r.reason()).append("\n\n");
        }
        long passed = o.results().stream().filter(AtomicResult::passed).count();
        b.append(passed).append(" of ").append(o.results().size()).append(" passed (profile ").append(AtomicRun.PROFILE)
                .append(", attribution ").append(o.attribution()).append(", ").append(Math.round(o.seconds())).append(" s)\n");
        return b.toString();
    }

    /** The text of --list: name, seed test ("-" when not from the seed), technique, detector, description. */
    public static String list(List<AtomicTest> tests) {
        int width = tests.stream().mapToInt(t -> t.name.length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (AtomicTest t : tests) {
            b.append(String.format("%-" + width + "s  seed %s  %-9s %-10s %s%n", t.name, t.seedTest > 0 ? Integer.toString(t.seedTest) : "-",
                    t.technique, t.detector, t.description));
        }
        return b.toString();
    }

    private static Map<String, Integer> outcomes(AtomicResult r) {
        Map<String, Integer> m = new TreeMap<>();
        for (Observed.Conn c : r.connections()) m.merge(c.outcome(), 1, Integer::sum);
        return m;
    }

    private static TreeSet<String> remotes(AtomicResult r) {
        TreeSet<String> s = new TreeSet<>();
        for (Observed.Conn c : r.connections()) {
            boolean inbound = AtomicNet.VICTIM_IP.equals(c.destinationIp());
            s.add(inbound ? c.sourceIp() + " -> :" + c.destinationPort() : c.destinationIp() + ":" + c.destinationPort());
        }
        return s;
    }

    private static String summarize(TreeSet<String> remotes) {
        if (remotes.isEmpty()) return "-";
        if (remotes.size() <= 3) return String.join(", ", remotes);
        return remotes.size() + " remotes (" + remotes.first() + " ... " + remotes.last() + ")";
    }

    private static String remote(Observed.AlertSeen a) {
        return a.remoteIp() == null ? null : a.remoteIp() + (a.remotePort() == null ? "" : ":" + a.remotePort());
    }
}
