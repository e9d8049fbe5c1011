package io.netsensor.testkit.events;

/**
 * The test kit's one time base: every builder of events, frames and captures counts from {@link #T0}
 * (event time in nanoseconds since the epoch), so tests read in offsets ({@code T0 + 5 * SEC}) and a
 * fixture's instants look like real ones.
 */
public final class Times {
    /** 2023-11-14T22:13:20Z (1 700 000 000 s): any fixed instant; the pipeline only uses event time. */
    public static final long T0 = 1_700_000_000_000_000_000L;
    public static final long MS = 1_000_000L, SEC = 1_000_000_000L, MIN = 60 * SEC, HOUR = 60 * MIN;

    private Times() {}

    /** T0 plus {@code seconds} (rounded to the nanosecond). */
    public static long at(double seconds) {
        return T0 + Math.round(seconds * 1e9);
    }
}
