package io.netsensor.detectors;

import io.netsensor.events.Alert;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * De-duplicates alerts: the first alert of an id passes, later ones only when severity rises or when
 * {@code realertAfterNanos} of event time passed since the last one that passed, or when it is a progress
 * update ({@link #PROGRESS} in its evidence: the same finding, seen for longer) that counts more than the
 * last one that passed: a beacon's alert says how long it ran, not where it stood at its last severity
 * change. Remembers at most
 * {@code maxEntries} ids (least recently raised forgotten first, counted as evictions); a forgotten id
 * may alert again, which errs on the side of telling.
 */
public final class AlertGate {
    private final int maxEntries;
    private final long realertAfterNanos;
    /** Evidence key of a progress update: the alert's count grew since its last step, the severity did not. */
    public static final String PROGRESS = "progress_update";
    private final Map<String, long[]> seen; // id -> {severity ordinal, last passed time, count}
    private long passed, suppressed, evictions;

    public AlertGate(int maxEntries, long realertAfterNanos) {
        this.maxEntries = maxEntries;
        this.realertAfterNanos = realertAfterNanos;
        this.seen = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                if (size() > AlertGate.this.maxEntries) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    public AlertGate(DetectorSettings.Gate s) {
        this(s.maxEntries, s.realertAfter.toNanos());
    }

    /** True when the alert (whose id is set) should be emitted; remembers it. */
    public boolean admit(Alert a) {
        long[] prev = seen.get(a.id);
        int sev = a.severity.ordinal();
        if (prev == null) {
            seen.put(a.id, new long[] {sev, a.lastSeenNanos, a.count});
        } else if (sev > prev[0] || a.lastSeenNanos - prev[1] >= realertAfterNanos
                || (sev == prev[0] && a.count > prev[2] && Boolean.TRUE.equals(a.evidence.get(PROGRESS)))) {
            prev[0] = Math.max(prev[0], sev);
            prev[1] = a.lastSeenNanos;
            prev[2] = Math.max(prev[2], a.count);
        } else {
            suppressed++;
            return false;
        }
        passed++;
        return true;
    }

    /**
     * Learns an alert raised before (read back from the journal after a restart) without counting it, so
     * the same alert is not raised again unless its severity rises or the re-alert period passes.
     */
    public void remember(Alert a) {
        long[] prev = seen.get(a.id);
        int sev = a.severity.ordinal();
        if (prev == null) {
            seen.put(a.id, new long[] {sev, a.lastSeenNanos, a.count});
        } else {
            prev[0] = Math.max(prev[0], sev);
            prev[1] = Math.max(prev[1], a.lastSeenNanos);
            prev[2] = Math.max(prev[2], a.count);
        }
    }

    public long passed() {
        return passed;
    }

    public long suppressed() {
        return suppressed;
    }

    public long evictions() {
        return evictions;
    }

    public int size() {
        return seen.size();
    }
}
