package io.netsensor.detectors.relay;

/**
 * Recent connection legs of one host in arrival order (times roughly ascending): time, peer, port and,
 * for outbound legs, the gap since the inbound accept it may relay. Starts at 4 slots and doubles up to
 * the cap; when full the oldest leg is overwritten, so counts saturate at the cap (far above the seed's
 * thresholds of 3, 5 and 10).
 */
final class LegRing {
    private final int max;
    long[] ts = new long[4], hi = new long[4], lo = new long[4], gap = new long[4], flow = new long[4];
    int[] port = new int[4];
    int head, size;

    LegRing(int max) {
        this.max = max;
    }

    void add(long t, long ipHi, long ipLo, int p, long followGap) {
        add(t, ipHi, ipLo, p, followGap, 0);
    }

    void add(long t, long ipHi, long ipLo, int p, long followGap, long flowId) {
        if (size == ts.length) {
            if (size < max) {
                grow(Math.min(max, size * 2));
            } else {
                head = (head + 1) % ts.length;
                size--;
            }
        }
        int at = (head + size) % ts.length;
        ts[at] = t; hi[at] = ipHi; lo[at] = ipLo; port[at] = p; gap[at] = followGap; flow[at] = flowId;
        size++;
    }

    /** Drops legs older than the cutoff from the head (arrival order approximates time order). */
    void expire(long cutoff) {
        while (size > 0 && ts[head] < cutoff) {
            head = (head + 1) % ts.length;
            size--;
        }
    }

    int at(int i) {
        return (head + i) % ts.length;
    }

    /** Time of the latest leg at or before t, or Long.MIN_VALUE. */
    long latestAtOrBefore(long t) {
        long best = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            long v = ts[at(i)];
            if (v <= t && v > best) best = v;
        }
        return best;
    }

    /**
     * Slot of the latest leg that started in [t - within, t] from a peer other than (hi, lo), or -1: the
     * inbound connection an outbound one may be relaying.
     */
    int latestWithin(long t, long within, long otherHi, long otherLo) {
        int best = -1;
        for (int i = 0; i < size; i++) {
            int a = at(i);
            long v = ts[a];
            if (v > t || t - v > within || (hi[a] == otherHi && lo[a] == otherLo)) continue;
            if (best < 0 || v > ts[best]) best = a;
        }
        return best;
    }

    /** True when a leg on this port is held. */
    boolean hasPort(int p) {
        for (int i = 0; i < size; i++) if (port[at(i)] == p) return true;
        return false;
    }

    private void grow(int cap) {
        long[] nts = new long[cap], nhi = new long[cap], nlo = new long[cap], ngap = new long[cap], nflow = new long[cap];
        int[] np = new int[cap];
        for (int i = 0; i < size; i++) {
            int f = at(i);
            nts[i] = ts[f]; nhi[i] = hi[f]; nlo[i] = lo[f]; ngap[i] = gap[f]; np[i] = port[f]; nflow[i] = flow[f];
        }
        ts = nts; hi = nhi; lo = nlo; gap = ngap; port = np; flow = nflow;
        head = 0;
    }
}
