package io.netsensor.sinks;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): the n-th
 * consecutive failure waits a uniform random time in [0, min(cap, base * 2^n)], so many agents cut off by
 * the same outage do not retry in lockstep.
 */
final class Backoff {
    private final long baseMillis, capMillis;
    private int failures;

    Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    /** Milliseconds to wait after one more failure. */
    long nextDelayMillis() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(failures, 30));
        failures++;
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
