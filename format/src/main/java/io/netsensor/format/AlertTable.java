package io.netsensor.format;

import io.netsensor.events.Alert;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts as a ranked table for a person (like the seed's table() + sort()): one row per alert id at its
 * highest severity, most severe and highest score first, beacons with their interval pattern drawn inline.
 */
public final class AlertTable {
    private static final char[] BARS = {' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private AlertTable() {}

    public static void print(PrintStream out, List<Alert> alerts) {
        Map<String, Alert> latest = new LinkedHashMap<>();
        for (Alert a : alerts) latest.merge(a.id, a, (x, y) -> y.severity.compareTo(x.severity) >= 0 ? y : x);
        List<Alert> rows = new ArrayList<>(latest.values());
        rows.sort(Comparator.comparing((Alert a) -> a.severity).reversed()
                .thenComparing(Comparator.comparingDouble((Alert a) -> a.score).reversed())
                .thenComparing(Comparator.comparingLong((Alert a) -> a.count).reversed()));
        if (rows.isEmpty()) {
            out.println("no alerts");
            return;
        }
        String fmt = "%-8s %5s  %-8s  %-39s  %-45s %6s  %-19s  %-19s  %-12s  %s%n";
        out.printf(fmt, "SEVERITY", "SCORE", "DETECTOR", "HOST / PROCESS", "REMOTE", "COUNT", "FIRST SEEN", "LAST SEEN",
                "PATTERN", "SUMMARY");
        for (Alert a : rows) {
            String host = a.hostIp + (a.process != null ? " " + a.process.name + "[" + a.process.pid + "]" : "");
            String remote = a.remoteIp == null ? "-" : (a.remoteIp.indexOf(':') >= 0 ? "[" + a.remoteIp + "]" : a.remoteIp)
                    + (a.remotePort == null ? "" : ":" + a.remotePort);
            out.printf(fmt, a.severity.label, String.format("%.2f", a.score), a.detector.label, clip(host, 39),
                    clip(remote, 45), a.count, seconds(a.firstSeenNanos), seconds(a.lastSeenNanos),
                    sparkline(a.evidence.get("interval_histogram")), a.summary == null ? "" : a.summary);
        }
    }

    /** A histogram (counts per bucket) as block characters scaled to the largest bucket. */
    public static String sparkline(Object histogram) {
        long[] counts = counts(histogram);
        if (counts.length == 0) return "";
        long max = 0;
        for (long c : counts) max = Math.max(max, c);
        StringBuilder sb = new StringBuilder(counts.length);
        for (long c : counts) sb.append(max == 0 ? ' ' : BARS[(int) Math.ceil(8.0 * c / max)]);
        return sb.toString();
    }

    private static long[] counts(Object h) {
        if (h instanceof long[]) return (long[]) h;
        if (h instanceof int[]) {
            int[] a = (int[]) h;
            long[] r = new long[a.length];
            for (int i = 0; i < a.length; i++) r[i] = a[i];
            return r;
        }
        if (h instanceof Collection) {
            return ((Collection<?>) h).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
        }
        return new long[0];
    }

    private static String seconds(long nanos) {
        return EventJson.time(nanos / 1_000_000_000L * 1_000_000_000L).replace('T', ' ').replace("Z", "");
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
