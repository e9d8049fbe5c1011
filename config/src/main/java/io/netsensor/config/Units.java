package io.netsensor.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human units in config: durations ("90s", "5m", "24h", "7d", "250ms") and sizes ("512MiB", "10GB"). */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    private Units() {}

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 250ms, 90s, 5m, 24h, 7d)");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofDays(n);
        }
    }

    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 512MiB, 10GiB, 1000000)");
        }
        long n = Long.parseLong(m.group(1));
        String u = m.group(2) == null ? "b" : m.group(2);
        long mult;
        switch (u) {
            case "b": mult = 1; break;
            case "k": case "kib": mult = 1L << 10; break;
            case "kb": mult = 1000; break;
            case "m": case "mib": mult = 1L << 20; break;
            case "mb": mult = 1000_000; break;
            case "g": case "gib": mult = 1L << 30; break;
            case "gb": mult = 1000_000_000; break;
            case "tb": mult = 1000_000_000_000L; break;
            default: mult = 1L << 40;
        }
        return Math.multiplyExact(n, mult);
    }
}
