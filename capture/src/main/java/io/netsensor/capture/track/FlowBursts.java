package io.netsensor.capture.track;

/**
 * Request/response bursts inside each flow: a burst starts with the first payload after the flow was idle
 * (no payload either way) for at least {@link #GAP_NANOS}, and takes every payload until the next such gap.
 * Beaconing implants that keep one connection open (HTTP keep-alive, TLS, WebSocket, raw TCP heartbeats,
 * a UDP socket) check in as bursts, not as connections. Works from the first payload seen, so a capture
 * that starts mid-connection has bursts too. Per flow: the open burst's times and counters (~60 bytes);
 * a burst is handed to the tracker when the next one starts or the flow ends.
 */
final class FlowBursts {
    /** One second: longer than a request/response round trip, shorter than any beacon sleep of interest. */
    static final long GAP_NANOS = 1_000_000_000L;
    static final long NONE = Long.MIN_VALUE;

    final long[] start, end, lastPayload, gapBefore;
    final int[] origBytes, respBytes, origPkts, respPkts, index;
    final boolean[] open, startSeen;

    FlowBursts(int slots) {
        start = new long[slots]; end = new long[slots]; lastPayload = new long[slots]; gapBefore = new long[slots];
        origBytes = new int[slots]; respBytes = new int[slots]; origPkts = new int[slots]; respPkts = new int[slots];
        index = new int[slots];
        open = new boolean[slots]; startSeen = new boolean[slots];
    }

    void clear(int slot, boolean flowStartSeen) {
        open[slot] = false;
        startSeen[slot] = flowStartSeen;
        lastPayload[slot] = NONE;
        index[slot] = 0;
    }

    /**
     * A payload packet. Returns true when it begins a new burst while one was open: the caller emits the
     * finished burst first ({@link #isOpen} still describes it) and then calls {@link #begin}.
     */
    boolean endsOpenBurst(int slot, long ts) {
        return open[slot] && ts - lastPayload[slot] >= GAP_NANOS;
    }

    /** Accounts the payload, opening a burst when none is open. */
    void add(int slot, boolean isOrig, int len, long ts) {
        if (!open[slot]) {
            open[slot] = true;
            start[slot] = ts;
            gapBefore[slot] = lastPayload[slot] == NONE ? -1 : Math.max(0, ts - lastPayload[slot]);
            origBytes[slot] = respBytes[slot] = origPkts[slot] = respPkts[slot] = 0;
            index[slot]++;
        }
        if (isOrig) {
            origBytes[slot] = (int) Math.min(Integer.MAX_VALUE, (long) origBytes[slot] + len);
            origPkts[slot]++;
        } else {
            respBytes[slot] = (int) Math.min(Integer.MAX_VALUE, (long) respBytes[slot] + len);
            respPkts[slot]++;
        }
        if (ts > lastPayload[slot]) lastPayload[slot] = ts;
        end[slot] = lastPayload[slot];
    }

    void close(int slot) {
        open[slot] = false;
    }

    /**
     * Whether the open burst is worth a record: not when it is the flow's only exchange and the flow's start
     * was seen, since the connection record already stands for it (short connections cost nothing extra).
     */
    boolean worthEmitting(int slot, boolean flowEnding) {
        return open[slot] && !(flowEnding && index[slot] == 1 && startSeen[slot]);
    }
}
