package io.netsensor.agent;

import io.netsensor.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The counts that say how hostile the input was and what bounded state had to give up, as short summary
 * lines for `replay` and `run`'s stop report: DNS messages that did not parse (by reason), evictions
 * (connections, DNS queries and TCP streams, fragment sets, detector state), and packet times that went
 * backwards, jumped or stepped back; and what no detector saw because the operator said so (allowlist: by
 * address or port, by the server's name; alerts it suppressed) or it is cloud platform infrastructure. Only
 * non-zero counts are shown, and a line only when one of its counts is non-zero: a clean run adds nothing.
 */
public final class RobustnessCounts {
    private RobustnessCounts() {}

    /** The lines, indented as the summaries' other lines, read from the registry. */
    public static List<String> lines(Metrics m) {
        List<String> lines = new ArrayList<>();
        String dnsMalformed = byTag(m, "dns.malformed", "reason");
        if (!dnsMalformed.isEmpty()) lines.add("  dns malformed: " + m.sum("dns.malformed") + " (" + dnsMalformed + ")");

        List<String> evicted = new ArrayList<>();
        add(evicted, m.sum("conn.flows_ended{reason=evicted}"), "connections");
        add(evicted, m.sum("dns.evictions"), "dns queries");
        add(evicted, m.sum("dns.tcp.stream_evictions"), "dns tcp streams");
        add(evicted, m.sum("capture.fragments.evicted"), "fragment sets");
        String detectors = byTag(m, "detector.evictions", "detector");
        long detectorTotal = m.sum("detector.evictions");
        if (detectorTotal > 0) evicted.add(detectorTotal + " detector keys (" + detectors + ")");
        add(evicted, m.sum("detector.dga.domain_evictions"), "dga domains");
        add(evicted, m.sum("detector.gate.evictions"), "alert gate keys");
        if (!evicted.isEmpty()) lines.add("  evicted (tables full): " + String.join(", ", evicted));

        List<String> time = new ArrayList<>();
        add(time, m.sum("capture.time_regressions"), "packets earlier than the one before");
        add(time, m.sum("capture.time_jumps"), "far-off timestamps handled at the running clock");
        add(time, m.sum("capture.time_restarts"), "clock restarts (time stepped back)");
        if (!time.isEmpty()) lines.add("  packet time: " + String.join(", ", time));

        List<String> suppressed = new ArrayList<>();
        long allowlisted = m.sum("detector.engine.allowlisted_events"), byName = m.sum("detector.engine.allowlisted_by_name");
        if (allowlisted > 0) {
            suppressed.add(allowlisted + " events by the allowlist" + (byName > 0 ? " (" + byName + " by server name)" : ""));
        }
        add(suppressed, m.sum("detector.engine.allowlisted_alerts"), "alerts by the allowlist");
        add(suppressed, m.sum("detector.engine.infrastructure_events"), "events to cloud platform endpoints");
        if (!suppressed.isEmpty()) lines.add("  not detected on: " + String.join(", ", suppressed));
        return lines;
    }

    private static void add(List<String> parts, long count, String what) {
        if (count > 0) parts.add(count + " " + what);
    }

    /** "reason_a 3, reason_b 1": the non-zero values of one tag of a base, largest first. */
    private static String byTag(Metrics m, String base, String tag) {
        SortedMap<String, Long> all = m.values(base + "{");
        List<Map.Entry<String, Long>> nonZero = new ArrayList<>();
        for (Map.Entry<String, Long> e : all.entrySet()) {
            if (e.getValue() > 0) nonZero.add(e);
        }
        nonZero.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : nonZero) {
            if (b.length() > 0) b.append(", ");
            b.append(Metrics.Name.parse(e.getKey()).tags().get(tag)).append(' ').append(e.getValue());
        }
        return b.toString();
    }
}
