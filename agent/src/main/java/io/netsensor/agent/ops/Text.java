package io.netsensor.agent.ops;

import java.util.Locale;

/** Numbers for people: durations ("2h05m"), sizes ("1.2 GiB"), rates ("1.5 k/s"). */
public final class Text {
    private Text() {}

    public static String duration(long seconds) {
        if (seconds < 0) return "?";
        if (seconds < 60) return seconds + "s";
        if (seconds < 3600) return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        if (seconds < 86_400) return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    public static String bytes(long n) {
        if (n < 0) return "?";
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    public static String rate(double perSecond) {
        if (perSecond < 1000) return String.format(Locale.ROOT, perSecond < 10 ? "%.1f" : "%.0f", perSecond);
        if (perSecond < 1e6) return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
        return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
    }
}
