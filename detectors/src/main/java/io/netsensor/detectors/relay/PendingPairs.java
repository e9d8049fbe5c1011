package io.netsensor.detectors.relay;

/**
 * Candidate relay pairs of one host: an inbound connection and an outbound one that started within the
 * pairing time after it, waiting for both END records to compare their bytes. A relay forwards what it
 * receives, so the client's bytes to the host match the host's bytes to the target, and the target's
 * answer matches what the host sends back. Fixed capacity; the oldest candidate is overwritten (counted
 * by the detector). 16 candidates: ~1.3 KB, allocated on the host's first candidate.
 */
final class PendingPairs {
    static final int CAP = 16;
    final long[] inFlow = new long[CAP], outFlow = new long[CAP], start = new long[CAP], gap = new long[CAP];
    final long[] inOrig = new long[CAP], inResp = new long[CAP], outOrig = new long[CAP], outResp = new long[CAP];
    final long[] outHi = new long[CAP], outLo = new long[CAP];
    final int[] outPort = new int[CAP];
    /** Bit 1: inbound END seen, bit 2: outbound END seen, 0: free slot. */
    final byte[] seen = new byte[CAP];
    final boolean[] used = new boolean[CAP];
    int next;

    /** Stores a candidate; returns true when a live one had to be overwritten. */
    boolean add(long in, long out, long t, long g, long hi, long lo, int port) {
        int i = next;
        next = (next + 1) % CAP;
        boolean overwrote = used[i];
        used[i] = true;
        seen[i] = 0;
        inFlow[i] = in; outFlow[i] = out; start[i] = t; gap[i] = g;
        outHi[i] = hi; outLo[i] = lo; outPort[i] = port;
        return overwrote;
    }

    /** The slot waiting for this flow's END as the inbound (side 1) or outbound (side 2) leg, or -1. */
    int find(long flow, int side) {
        for (int i = 0; i < CAP; i++) {
            if (!used[i] || (seen[i] & side) != 0) continue;
            if ((side == 1 ? inFlow[i] : outFlow[i]) == flow) return i;
        }
        return -1;
    }

    void free(int i) {
        used[i] = false;
    }

    /**
     * Whether the legs carried the same bytes both ways, within 20 % plus 600 bytes (headers and framing
     * a relay adds or strips, a TLS-terminating one re-encrypting), with something carried at all.
     */
    static boolean symmetric(long inOrig, long inResp, long outOrig, long outResp) {
        if (inOrig + inResp < 256 || outOrig + outResp < 256) return false;
        return close(inOrig, outOrig) && close(inResp, outResp);
    }

    private static boolean close(long a, long b) {
        return Math.abs(a - b) <= 600 + 0.2 * Math.max(a, b);
    }
}
