package io.netsensor.capture.track;

import io.netsensor.events.ConnState;

/**
 * Zeek's TCP endpoint state machine, sequence-space accounting and history letters for every flow slot,
 * as primitive arrays indexed by endpoint (slot * 2 for the originator, slot * 2 + 1 for the
 * responder). The rules follow Zeek's TCP session adapter so conn_state, history and orig/resp bytes
 * match conn.log; reassembly, checksums, gaps and weirds are out of scope.
 *
 * <p>Sequence numbers are kept "unwrapped" as 64-bit values: every new 32-bit number is placed next to
 * the endpoint's previous one, so flows beyond 4 GiB and wrap-around need no extra wrap counters.
 */
final class TcpFlows {
    static final byte INACTIVE = 0, SYN_SENT = 1, SYN_ACK_SENT = 2, PARTIAL = 3, ESTABLISHED = 4, CLOSED = 5,
            RESET = 6;

    /** process() result bits: timers the tracker must arm. */
    static final int ARM_ATTEMPT = 1, CLOSE_LINGER = 2, RESET_LINGER = 4;

    private static final int FIN = 1, SYN = 2, RST = 4, ACK = 16;
    /** Zeek ignores SYN/RST sequence numbers that jump further than this. */
    private static final long TOO_LARGE_SEQ_DELTA = 1_048_576;
    /** Fresh endpoints start at 2^32 + seq so "seq - 1" never goes negative. */
    private static final long FRESH = 1L << 32;
    private static final long U32 = 0xFFFF_FFFFL;
    private static final byte F_ORIG_SYN = 1, F_RESP_SYNACK = 2;

    private final FlowHistory history;
    private final byte[] state, prevState;
    private final boolean[] didClose, sawFin;
    private final long[] start, last, ack;
    private final int[] lastSynRel, lastFinRel, lastRstRel;
    private final int[] rxmit, zeroWin;
    private final byte[] handshake; // per slot: F_ORIG_SYN | F_RESP_SYNACK

    TcpFlows(int slots, FlowHistory history) {
        this.history = history;
        int n = slots * 2;
        state = new byte[n]; prevState = new byte[n];
        didClose = new boolean[n]; sawFin = new boolean[n];
        start = new long[n]; last = new long[n]; ack = new long[n];
        lastSynRel = new int[n]; lastFinRel = new int[n]; lastRstRel = new int[n];
        rxmit = new int[n]; zeroWin = new int[n];
        handshake = new byte[slots];
    }

    void clear(int slot) {
        handshake[slot] = 0;
        for (int e = slot * 2; e <= slot * 2 + 1; e++) {
            state[e] = prevState[e] = INACTIVE;
            didClose[e] = sawFin[e] = false;
            start[e] = last[e] = ack[e] = 0;
            lastSynRel[e] = lastFinRel[e] = lastRstRel[e] = 0;
            rxmit[e] = zeroWin[e] = 0;
        }
    }

    /** Updates the flow with one segment; returns ARM_* / *_LINGER bits. */
    int process(int slot, boolean isOrig, int flags, long seq32, long ack32, int len, int window) {
        int e = slot * 2 + (isOrig ? 0 : 1);
        int p = e ^ 1;
        boolean syn = (flags & SYN) != 0, fin = (flags & FIN) != 0, rst = (flags & RST) != 0;
        boolean isAck = (flags & ACK) != 0;
        seq32 &= U32;
        ack32 &= U32;
        int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0) - (rst ? len : 0);

        initEndpoint(e, syn, seq32, segLen);
        long seq = unwrap(seq32, last[e]);
        updateHistory(slot, e, isOrig, syn, fin, rst, isAck, seq - start[e], len);
        // A zero window is noteworthy unless the endpoint reset or its peer already said goodbye.
        if (window == 0 && !rst && state[p] != CLOSED && state[e] != RESET) {
            history.scaled(slot, 'W', isOrig, ++zeroWin[e]);
        }
        if (fin) sawFin[e] = true;
        if (isOrig && syn && !isAck) handshake[slot] |= F_ORIG_SYN;
        if (!isOrig && syn && isAck) handshake[slot] |= F_RESP_SYNACK;
        if (isAck) updatePeerAck(p, ack32, rst);
        updateLastSeq(slot, e, isOrig, seq + segLen, syn, fin, rst, len);
        return updateState(e, p, isOrig, syn, fin, rst, isAck, len);
    }

    private static long unwrap(long seq32, long near) {
        return near + (int) (seq32 - near);
    }

    private void init(int e, long seq, long last) {
        start[e] = ack[e] = seq;
        this.last[e] = last;
    }

    private void initEndpoint(int e, boolean syn, long seq32, int segLen) {
        long fresh = FRESH + seq32;
        switch (state[e]) {
            case INACTIVE:
                // Without a SYN, pretend one preceded this segment so relative numbering stays consistent.
                if (syn) init(e, fresh, fresh + segLen); else init(e, fresh - 1, fresh);
                break;
            case SYN_SENT: case SYN_ACK_SENT:
                if (syn && seq32 != (start[e] & U32)) init(e, fresh, fresh + segLen);
                break;
            case ESTABLISHED: case PARTIAL:
                if (syn) init(e, fresh, fresh + segLen);
                break;
            case RESET:
                // The earlier RST may have been spoofed; the SYN's numbers are more trustworthy.
                if (syn && prevState[e] == INACTIVE) init(e, fresh, fresh + segLen);
                break;
            default:
                break;
        }
    }

    private void updateHistory(int slot, int e, boolean orig, boolean syn, boolean fin, boolean rst, boolean isAck,
                               long relSeq, int len) {
        int control = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (control > 1) {
            if (fin && rst) history.check(slot, FlowHistory.FIN_RST, 'I', orig);
            else history.check(slot, FlowHistory.MULTI, 'Q', orig);
        } else if (syn) {
            char c = isAck ? 'H' : 'S';
            // Repeated SYNs are recorded again only when they carry a new sequence number.
            if (history.check(slot, FlowHistory.SYN, c, orig) && (int) relSeq != lastSynRel[e]) history.add(slot, c, orig);
            lastSynRel[e] = (int) relSeq;
        } else if (fin) {
            int finSeq = (int) (relSeq + len); // a FIN's number comes after its data
            if (history.check(slot, FlowHistory.FIN, 'F', orig) && finSeq != lastFinRel[e]) history.add(slot, 'F', orig);
            lastFinRel[e] = finSeq;
        } else if (rst) {
            if (history.check(slot, FlowHistory.RST, 'R', orig) && (int) relSeq != lastRstRel[e]) history.add(slot, 'R', orig);
            lastRstRel[e] = (int) relSeq;
        } else if (len > 0) {
            history.check(slot, FlowHistory.DATA, 'D', orig);
        } else if (isAck) {
            history.check(slot, FlowHistory.ACK, 'A', orig);
        }
    }

    private void updatePeerAck(int p, long ack32, boolean rst) {
        if (state[p] == INACTIVE) {
            // Peer not heard from yet: start its numbering just below what we acknowledge.
            long fresh = FRESH + ack32;
            init(p, fresh - 1, fresh - 1);
            return;
        }
        long a = unwrap(ack32, ack[p]);
        if (a < start[p] || rst) return; // acks below the start are misordered; RST acks are untrusted
        long delta = a - ack[p];
        if (ack32 == 0 && delta > TOO_LARGE_SEQ_DELTA) return; // more likely a broken ack than a wrap
        if (delta > 0) ack[p] = a;
    }

    private void updateLastSeq(int slot, int e, boolean orig, long onePast, boolean syn, boolean fin, boolean rst,
                               int len) {
        long delta = onePast - last[e];
        if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
            return; // implausible jump in a control segment
        }
        if (fin && last[e] == start[e] + 1) {
            last[e] = onePast; // SYN + FIN only: trust the FIN even across a > 2 GiB gap
        } else if (state[e] == RESET) {
            return; // nothing after a RST is trusted
        } else if (delta > 0) {
            last[e] = onePast;
        } else if (len > 0) {
            history.scaled(slot, 'T', orig, ++rxmit[e]);
        }
    }

    private void setState(int e, byte s) {
        if (state[e] != s) {
            prevState[e] = state[e];
            state[e] = s;
        }
    }

    private int updateState(int e, int p, boolean isOrig, boolean syn, boolean fin, boolean rst, boolean isAck,
                            int len) {
        switch (state[e]) {
            case INACTIVE:
                return fromInactive(e, p, isOrig, syn, fin, rst, isAck, len);
            case SYN_SENT: case SYN_ACK_SENT: {
                if (fin) setState(e, CLOSED);
                if (rst) setState(e, RESET);
                return fin || rst ? closed(e, p) : 0;
            }
            case ESTABLISHED: case PARTIAL: {
                if (syn && state[e] == PARTIAL && state[p] == INACTIVE && !isAck) setState(e, SYN_SENT);
                if (fin && !rst) {
                    setState(e, CLOSED);
                    // FIN followed by RST from the peer is a normal close after all.
                    if (state[p] == RESET && prevState[p] == CLOSED) setState(p, CLOSED);
                }
                if (rst) setState(e, RESET);
                return fin || rst ? closed(e, p) : 0;
            }
            case CLOSED:
                // After a FIN exchange a RST changes nothing; after a one-sided FIN it resets the flow.
                if (rst && state[p] != CLOSED) {
                    setState(e, RESET);
                    return (didClose[e] ? 0 : closed(e, p)) | RESET_LINGER;
                }
                return 0;
            default:
                return 0;
        }
    }

    private int fromInactive(int e, int p, boolean isOrig, boolean syn, boolean fin, boolean rst, boolean isAck,
                             int len) {
        int r = 0;
        if (syn) {
            if (isOrig) {
                if (isAck) {
                    setState(e, SYN_ACK_SENT);
                    r |= ARM_ATTEMPT;
                } else if (state[p] == ESTABLISHED) {
                    // The SYN-ACK was captured before its SYN (multi-queue reorder): the handshake is done.
                    setState(e, ESTABLISHED);
                } else {
                    setState(e, SYN_SENT);
                    r |= ARM_ATTEMPT;
                }
            } else {
                if (state[p] == SYN_SENT) setState(p, ESTABLISHED);
                setState(e, ESTABLISHED);
            }
        }
        if (fin) setState(e, CLOSED);
        if (rst) setState(e, RESET);
        if (fin || rst) r |= closed(e, p);
        if (state[e] == INACTIVE) { // no control flag moved us
            if (!isOrig && len == 0 && state[p] == SYN_SENT) {
                // Some stacks ack a SYN before answering it; that is not a partial connection yet.
            } else if (isAck && state[p] == ESTABLISHED) {
                setState(e, ESTABLISHED); // missed the SYN but saw the SYN-ACK: treat as established
            } else {
                setState(e, PARTIAL);
            }
        }
        return r;
    }

    /** Zeek's ConnectionClosed: marks the side closed; a complete close starts the linger timer. */
    private int closed(int e, int p) {
        if (didClose[e]) return 0;
        didClose[e] = true;
        boolean complete = state[e] == RESET || didClose[p] || state[p] == INACTIVE;
        return complete ? CLOSE_LINGER : 0;
    }

    // ---- queries

    boolean bothClosed(int slot) {
        return didClose[slot * 2] && didClose[slot * 2 + 1];
    }

    boolean anyReset(int slot) {
        return state[slot * 2] == RESET || state[slot * 2 + 1] == RESET;
    }

    /** Originator tried to connect and the responder has said nothing (Zeek's connection_attempt). */
    boolean isAttempt(int slot) {
        byte o = state[slot * 2];
        return (o == SYN_SENT || o == SYN_ACK_SENT) && state[slot * 2 + 1] == INACTIVE;
    }

    boolean inHandshake(int slot) {
        return isHandshakeState(state[slot * 2]) && isHandshakeState(state[slot * 2 + 1]);
    }

    private static boolean isHandshakeState(byte s) {
        return s == INACTIVE || s == SYN_SENT || s == SYN_ACK_SENT;
    }

    /** SYN from the originator, SYN-ACK from the responder and both sides established. */
    boolean handshakeDone(int slot) {
        return handshake[slot] == (F_ORIG_SYN | F_RESP_SYNACK)
                && state[slot * 2] == ESTABLISHED && state[slot * 2 + 1] == ESTABLISHED;
    }

    /** The originator's initial sequence number, for connection-reuse checks. */
    long origStartSeq32(int slot) {
        return start[slot * 2] & U32;
    }

    byte state(int slot, boolean orig) {
        return state[slot * 2 + (orig ? 0 : 1)];
    }

    /** Payload bytes sent by the endpoint as Zeek computes them: its sequence space minus SYN and FIN. */
    long size(int slot, boolean orig) {
        int e = slot * 2 + (orig ? 0 : 1);
        int p = e ^ 1;
        boolean noDataAcked = ack[e] == start[e] || ack[e] == start[e] + 1;
        if (prevState[e] == SYN_SENT && state[e] == RESET && state[p] == INACTIVE && !noDataAcked) {
            return 0; // half-open connection aborted: the numbers say nothing about data
        }
        long size = Math.max(last[e], ack[e]) - start[e];
        if (size <= 0) return 0;
        size--; // SYN
        if (sawFin[e] && size > 0) size--; // FIN
        return size;
    }

    /** Zeek's conn_state for TCP (base/protocols/conn/main.zeek). */
    ConnState connState(int slot) {
        byte os = state[slot * 2], rs = state[slot * 2 + 1];
        boolean oInactive = os == INACTIVE || os == PARTIAL;
        boolean rInactive = rs == INACTIVE || rs == PARTIAL;
        if (rs == RESET) {
            if (os == SYN_SENT || os == SYN_ACK_SENT || (os == RESET && size(slot, true) == 0 && size(slot, false) == 0)) {
                return ConnState.REJ;
            }
            return oInactive ? ConnState.RSTRH : ConnState.RSTR;
        }
        if (os == RESET) {
            if (rInactive) return history.isSynThenReset(slot) ? ConnState.RSTOS0 : ConnState.OTH;
            return ConnState.RSTO;
        }
        if (rs == CLOSED && os == CLOSED) return ConnState.SF;
        if (os == CLOSED) return rInactive ? ConnState.SH : ConnState.S2;
        if (rs == CLOSED) return oInactive ? ConnState.SHR : ConnState.S3;
        if (os == SYN_SENT && rs == INACTIVE) return ConnState.S0;
        if (os == ESTABLISHED && rs == ESTABLISHED) return ConnState.S1;
        return ConnState.OTH;
    }
}
