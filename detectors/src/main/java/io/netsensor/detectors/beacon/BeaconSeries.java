package io.netsensor.detectors.beacon;

import io.netsensor.events.Severity;

/**
 * Connection times and sizes of one (local endpoint, remote ip, remote port) series: a ring of the
 * latest events kept in time order, growing from 8 slots up to the configured size (most series stay
 * tiny). Events out of order by a few positions are inserted in place; a connection starting within
 * the merge interval of a neighbour is the same beacon event (parallel connects) and only counted.
 */
final class BeaconSeries {
    private static final int INITIAL = 8;
    /** How far back an out-of-order event may be placed; older ones are counted and dropped. */
    static final int MAX_DISORDER = 16;

    private final int maxSize;
    long[] ts = new long[INITIAL];
    int[] sizes = new int[INITIAL];
    /** Index of the oldest sample and number of samples. */
    int start, n;

    long firstNanos = Long.MAX_VALUE, lastNanos = Long.MIN_VALUE;
    /** Beacon events (after merging) and raw check-ins (connections and bursts, before merging). */
    long events, connections;
    long disorderDropped;

    /** Of the events: bursts inside connections (the rest are connection starts). */
    long bursts;
    /** Remote payload bytes answered in the bursts, for the evidence. */
    long burstRespBytes;
    /** The connection the latest burst lived in: its id, start, 5-tuple, and bursts seen in it. */
    long flowId, flowStartNanos;
    long flowBursts;
    long flowOrigHi, flowOrigLo, flowRespHi, flowRespLo;
    int flowOrigPort, flowRespPort;
    /** The names last seen (DNS, SNI, HTTP Host, User-Agent), the latest remote address, and how many addresses. */
    String dnsName, sni, httpHost, userAgent;
    long remoteHi, remoteLo;
    final long[] addressLo = new long[MAX_ADDRESSES], addressHi = new long[MAX_ADDRESSES];
    int addresses;
    static final int MAX_ADDRESSES = 8;
    /** The process of the latest attributed check-in (pid 0 and entity 0: none), named by the series' alerts. */
    int pid;
    long processStartNanos, processEntityId;
    /** Start of the series when it began again after its key went quiet (0: the key's first series). */
    long episode;
    /** Score needed and path at the alert (for progress updates). */
    double scoreNeeded;
    boolean fastPath, slowPath;
    /** Count at the last alert that passed (a progress update follows when it has doubled). */
    long alertedCount;

    /** Notes the remote address (up to MAX_ADDRESSES distinct ones are remembered). */
    void address(long hi, long lo) {
        if (lo == remoteLo && hi == remoteHi && addresses > 0) return; // the usual case: the same address again
        remoteHi = hi;
        remoteLo = lo;
        for (int i = 0; i < addresses; i++) if (addressLo[i] == lo && addressHi[i] == hi) return;
        if (addresses == MAX_ADDRESSES) return; // the evidence then says "at least"
        addressHi[addresses] = hi;
        addressLo[addresses] = lo;
        addresses++;
    }

    /** Highest severity alerted for this series, null when none. */
    Severity alerted;
    /** Severity the counters alone would allow at the last evaluation, and when to re-evaluate. */
    Severity lastPotential;
    long nextEvalAt;

    BeaconSeries(int maxSize) {
        this.maxSize = maxSize;
    }

    long lastSeen() {
        return lastNanos;
    }

    /** Records one connection; returns true when it became a new beacon event (not merged or dropped). */
    boolean add(long t, int size, long mergeNanos) {
        connections++;
        if (t < firstNanos) firstNanos = t;
        if (t > lastNanos) lastNanos = t;
        int cap = ts.length;
        // find the insertion position: after the last sample <= t, searching back from the newest
        // (ring indices wrap by subtraction, not %: an integer division per step was a visible cost)
        int pos = n; // logical position, 0 = oldest
        int steps = 0;
        while (pos > 0 && ts[slot(pos - 1, cap)] > t) {
            if (++steps > MAX_DISORDER) {
                disorderDropped++;
                return false;
            }
            pos--;
        }
        if (pos > 0 && t - ts[slot(pos - 1, cap)] < mergeNanos) return false;
        if (pos < n && ts[slot(pos, cap)] - t < mergeNanos) return false;
        events++;
        if (n == cap) {
            if (cap < maxSize) {
                grow(Math.min(maxSize, cap * 2));
                cap = ts.length;
            } else {
                if (pos == 0) return true; // older than everything kept in a full ring: counted only
                start = start + 1 == cap ? 0 : start + 1; // drop the oldest
                n--;
                pos--;
            }
        }
        // shift samples after pos one slot towards the newest end
        for (int i = n; i > pos; i--) {
            int to = slot(i, cap), from = slot(i - 1, cap);
            ts[to] = ts[from];
            sizes[to] = sizes[from];
        }
        int at = slot(pos, cap);
        ts[at] = t;
        sizes[at] = size;
        n++;
        return true;
    }

    /** The array index of logical position {@code pos} (0 = oldest, pos < cap). */
    private int slot(int pos, int cap) {
        int i = start + pos;
        return i >= cap ? i - cap : i;
    }

    private void grow(int newCap) {
        long[] nts = new long[newCap];
        int[] ns = new int[newCap];
        for (int i = 0; i < n; i++) {
            int from = (start + i) % ts.length;
            nts[i] = ts[from];
            ns[i] = sizes[from];
        }
        ts = nts;
        sizes = ns;
        start = 0;
    }

    /** Copies samples oldest-first into the given arrays; returns the count. */
    int copyTo(long[] outTs, long[] outSizes) {
        int cap = ts.length;
        for (int i = 0; i < n; i++) {
            int at = slot(i, cap);
            outTs[i] = ts[at];
            outSizes[i] = sizes[at];
        }
        return n;
    }

    double durationMinutes() {
        return events == 0 ? 0 : (lastNanos - firstNanos) / 60e9;
    }
}
