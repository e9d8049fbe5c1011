package io.netsensor.format;

import io.netsensor.events.Alert;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Alerts as a ranked table for a person (like the seed's table() + sort()): one row per alert id at its
 * highest severity, most severe and highest score first, beacons with their interval pattern drawn inline.
 */
public final class AlertTable {
    private static final char[] BARS = {' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private AlertTable() {}

    /** The beacon detector's histogram: buckets of 0..2 x the median interval. */
    private static final class Regularity {
        static final int BUCKETS = 10;
    }

    /** Column widths: a row is {@value #ROW_WIDTH} characters, so the table fits a 120-column terminal. */
    private static final String FMT = "%-8s %5s %-8s %-26s %-23s %6s %-14s %s%n";
    static final int ROW_WIDTH = 8 + 1 + 5 + 1 + 8 + 1 + 26 + 1 + 23 + 1 + 6 + 1 + 14 + 1 + Regularity.BUCKETS;

    /** Times in this machine's zone, named in the header. */
    public static void print(PrintStream out, List<Alert> alerts) {
        print(out, alerts, ZoneId.systemDefault());
    }

    /**
     * One row per alert id at its highest severity, its summary on the line below, then a legend: what the
     * pattern shows and which zone the times are in.
     */
    public static void print(PrintStream out, List<Alert> alerts, ZoneId zone) {
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
        out.printf(FMT, "SEVERITY", "SCORE", "DETECTOR", "HOST / PROCESS", "REMOTE", "COUNT", "LAST SEEN", "PATTERN");
        boolean beacons = false;
        for (Alert a : rows) {
            String spark = sparkline(a.evidence.get("interval_histogram"));
            beacons |= !spark.isEmpty();
            out.printf(FMT, a.severity.label, String.format(Locale.ROOT, "%.2f", a.score), a.detector.label, clip(host(a), 26),
                    clip(remote(a), 23), a.count, time(a.lastSeenNanos, zone), spark);
            if (a.summary != null && !a.summary.isBlank()) out.println("         " + clip(a.summary, ROW_WIDTH - 9));
        }
        out.println();
        out.println("LAST SEEN is " + zoneName(zone) + " (month-day time); COUNT is connections or events behind the alert.");
        if (beacons) {
            out.println("PATTERN: how regular a beacon is: the gaps between its connections in " + Regularity.BUCKETS
                    + " bars from 0 to 2x the median gap;");
            out.println("         bars bunched in the middle = clockwork check-ins, a flat spread = ordinary traffic.");
        }
    }

    /** The local side: address, and process name and pid when attributed. */
    static String host(Alert a) {
        String host = a.hostIp == null ? "-" : a.hostIp;
        return a.process == null ? host : host + " " + a.process.name + "[" + a.process.pid + "]";
    }

    /** The remote side, or what the alert is about when it has no one peer (hosts scanned, domains tried). */
    static String remote(Alert a) {
        if (a.remoteIp != null) {
            return (a.remoteIp.indexOf(':') >= 0 ? "[" + a.remoteIp + "]" : a.remoteIp) + (a.remotePort == null ? "" : ":" + a.remotePort);
        }
        Object hosts = a.evidence.get("unique_external_ips");
        if (hosts != null) return hosts + " hosts" + (a.remotePort == null ? "" : " port " + a.remotePort);
        Object domains = a.evidence.get("improbable_domains");
        if (domains != null) return domains + " improbable domains";
        Object targets = a.evidence.get("outbound_targets");
        if (targets instanceof Collection<?> c && !c.isEmpty()) {
            return c.iterator().next() + (c.size() > 1 ? " +" + (c.size() - 1) : "");
        }
        return a.remotePort == null ? "-" : "port " + a.remotePort;
    }

    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss", Locale.ROOT);

    static String time(long nanos, ZoneId zone) {
        return ROW_TIME.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).atZone(zone));
    }

    /** "UTC", or "Europe/Berlin (UTC+01:00)" at the current offset. */
    static String zoneName(ZoneId zone) {
        String offset = zone.getRules().getOffset(Instant.now()).getId();
        if (offset.equals("Z")) return zone.getId().equals("Z") || zone.getId().contains("UTC") || zone.getId().equals("GMT") ? "UTC" : zone.getId() + " (UTC)";
        return zone.getId() + " (UTC" + offset + ")";
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

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
