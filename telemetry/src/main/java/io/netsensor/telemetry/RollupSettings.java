package io.netsensor.telemetry;

import java.time.Duration;

/**
 * How telemetry is summarized: the interval (event time) and the caps that bound it.
 *
 * @param interval     length of one rollup interval (default 60 s)
 * @param maxRows      rows per interval and kind; keys past it fold into one "other" row (default 10,000)
 * @param maxNames     names kept per CONN row (default 4)
 * @param nameCacheSize addresses remembered per key for naming (default 256) — bounded, least recently used out
 */
public record RollupSettings(Duration interval, int maxRows, int maxNames, int nameCacheSize) {
    public RollupSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("telemetry interval must be positive");
        if (maxRows < 1) throw new IllegalArgumentException("telemetry max_rows must be at least 1");
    }

    public static RollupSettings defaults() {
        return new RollupSettings(Duration.ofSeconds(60), 10_000, 4, 256);
    }
}
