package io.netsensor.events;

/**
 * A connection record, like a Zeek conn.log row: emitted with phase OPEN when a TCP handshake completes
 * (so detectors see long-lived connections without waiting for their end) and with phase END when the
 * flow ends (FIN/RST, idle timeout, eviction or shutdown). A mutable record reused by its producer: copy
 * what you keep. Times are event time (packet timestamps) in nanoseconds since the epoch.
 */
public final class ConnEvent {
    public static final int MAX_HISTORY = 32;

    /** Journaled by {@link #code} (byte 144 of CONN records): codes are on-disk, never renumber, only add. */
    public enum Phase {
        OPEN(0), END(1);

        private static final Phase[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
        public final int code;

        Phase(int code) {
            this.code = code;
        }

        /** The phase with this code, null for a code this build does not know. */
        public static Phase ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /**
     * Why an END record was written (OPEN records carry OPEN). Journaled by {@link #code} (byte 145 of
     * CONN records): codes are on-disk, never renumber, only add.
     */
    public enum EndReason {
        FIN(0), RST(1), IDLE(2), EVICTED(3), SHUTDOWN(4), OPEN(5);

        private static final EndReason[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
        public final int code;

        EndReason(int code) {
            this.code = code;
        }

        /** The reason with this code, null for a code this build does not know. */
        public static EndReason ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    public Phase phase = Phase.END;
    public EndReason endReason = EndReason.FIN;
    /** Stable 64-bit id of the flow (same for its OPEN and END records). */
    public long flowId;
    public long startNanos;
    public long endNanos;
    public Transport transport = Transport.TCP;
    public long origIpHi, origIpLo;
    public int origPort;
    public long respIpHi, respIpLo;
    public int respPort;
    public Direction direction = Direction.OUTBOUND;
    public ConnState state = ConnState.OTH;
    /** Packets, payload bytes (TCP: from sequence numbers as Zeek does; UDP: payload) and IP-layer bytes. */
    public long origPkts, origBytes, origIpBytes;
    public long respPkts, respBytes, respIpBytes;
    /** Zeek-style history letters (ASCII). */
    public final byte[] history = new byte[MAX_HISTORY];
    public int historyLen;
    /** Outer and inner 802.1Q tags, 0 when untagged. */
    public int vlan, innerVlan;
    /** Ethernet addresses of originator and responder (48 bits), 0 when the link has none. */
    public long origMac, respMac;
    /**
     * The local process owning the socket (the originator's for INTERNAL flows, the listener's for
     * INBOUND): pid (0 = unknown), start time (epoch ns), entity id (stable for the life of the process,
     * see {@link ProcessEvent}), and how attribution went. Only RESOLVED sets the three numbers.
     */
    public int pid;
    public long processStartNanos, processEntityId;
    public Attribution attribution = Attribution.UNKNOWN;
    /**
     * What the connection was to by name (ASCII/UTF-8, first {@code *Len} bytes significant, 0 = unknown):
     * the DNS name the local host resolved for the remote address (ECS destination.domain), the TLS SNI of
     * the client's ClientHello (tls.client.server_name), and for cleartext HTTP the Host header
     * (url.domain) and User-Agent (user_agent.original). Journaled in the CONN names section (version 3).
     */
    public final ConnNames names = new ConnNames();

    public String historyString() {
        return new String(history, 0, historyLen, java.nio.charset.StandardCharsets.US_ASCII);
    }

    public void setHistory(CharSequence s) {
        historyLen = Math.min(s.length(), MAX_HISTORY);
        for (int i = 0; i < historyLen; i++) history[i] = (byte) s.charAt(i);
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    public void clear() {
        phase = Phase.END;
        endReason = EndReason.FIN;
        flowId = startNanos = endNanos = 0;
        transport = Transport.TCP;
        origIpHi = origIpLo = respIpHi = respIpLo = 0;
        origPort = respPort = 0;
        direction = Direction.OUTBOUND;
        state = ConnState.OTH;
        origPkts = origBytes = origIpBytes = respPkts = respBytes = respIpBytes = 0;
        historyLen = 0;
        vlan = innerVlan = 0;
        origMac = respMac = 0;
        pid = 0;
        processStartNanos = processEntityId = 0;
        attribution = Attribution.UNKNOWN;
        names.clear();
    }

    public void copyFrom(ConnEvent o) {
        phase = o.phase; endReason = o.endReason; flowId = o.flowId;
        startNanos = o.startNanos; endNanos = o.endNanos; transport = o.transport;
        origIpHi = o.origIpHi; origIpLo = o.origIpLo; origPort = o.origPort;
        respIpHi = o.respIpHi; respIpLo = o.respIpLo; respPort = o.respPort;
        direction = o.direction; state = o.state;
        origPkts = o.origPkts; origBytes = o.origBytes; origIpBytes = o.origIpBytes;
        respPkts = o.respPkts; respBytes = o.respBytes; respIpBytes = o.respIpBytes;
        System.arraycopy(o.history, 0, history, 0, o.historyLen);
        historyLen = o.historyLen;
        vlan = o.vlan; innerVlan = o.innerVlan; origMac = o.origMac; respMac = o.respMac;
        pid = o.pid; processStartNanos = o.processStartNanos; processEntityId = o.processEntityId;
        attribution = o.attribution;
        names.copyFrom(o.names);
    }

    @Override
    public String toString() {
        return phase + " " + transport.ecsName + " " + Ip.toString(origIpHi, origIpLo) + ":" + origPort + " -> "
                + Ip.toString(respIpHi, respIpLo) + ":" + respPort + " " + state + " " + historyString();
    }
}
