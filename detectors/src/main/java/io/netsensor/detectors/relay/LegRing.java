package io.netsensor.detectors.relay;

/**
 * Recent connection legs of one host in arrival order (times roughly ascending): time, peer, port and,
 * for outbound legs, the gap since the inbound accept it may relay. Starts at 4 slots and doubles up to
 * the cap; when full the oldest leg is overwritten, so counts saturate at the cap (far above the seed's
 * thresholds of 3, 5 and 10).
 */
final class LegRing {
    private final int max;
    long[] ts = new long[4], hi = new long[4], lo = new long[4], gap = new long[4];
    int[] port = new int[4];
    int head, size;

    LegRing(int max) {
        this.max = max;
    }

    void add(long t, long ipHi, long ipLo, int p, long followGap) {
        if (size == ts.length) {
            if (size < max) {
                grow(Math.min(max, size * 2));
            } else {
                head = (head + 1) % ts.length;
                size--;
            }
        }
        int at = (head + size) % ts.length;
        ts[at] = t; hi[at] = ipHi; lo[at] = ipLo; port[at] = p; gap[at] = followGap;
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

    private void grow(int cap) {
        long[] nts = new long[cap], nhi = new long[cap], nlo = new long[cap], ngap = new long[cap];
        int[] np = new int[cap];
        for (int i = 0; i < size; i++) {
            int f = at(i);
            nts[i] = ts[f]; nhi[i] = hi[f]; nlo[i] = lo[f]; ngap[i] = gap[f]; np[i] = port[f];
        }
        ts = nts; hi = nhi; lo = nlo; gap = ngap; port = np;
        head = 0;
    }
}
