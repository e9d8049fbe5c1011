package io.netsensor.detectors;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.IpRanges;
import io.netsensor.events.Transport;

/**
 * Reads a ConnEvent from the local endpoint's point of view, without allocating. OUTBOUND and EXTERNAL
 * (gateway-forwarded: the originator is the LAN client) have the local side as originator; INBOUND has
 * it as responder; INTERNAL flows have no external side.
 */
public final class ConnView {
    /**
     * Never treated as a remote "external" peer whatever home_net says: loopback, "this network",
     * multicast and broadcast (mDNS/SSDP would otherwise look like perfectly periodic beacons).
     */
    public static final IpRanges NON_ROUTABLE = IpRanges.of("127.0.0.0/8", "0.0.0.0/8", "224.0.0.0/4",
            "255.255.255.255/32", "::1/128", "::/128", "ff00::/8");

    private ConnView() {}

    public static boolean localIsOriginator(ConnEvent e) {
        return e.direction != Direction.INBOUND;
    }

    /** True when the peer is outside home_net and routable (OUTBOUND, EXTERNAL, INBOUND). */
    public static boolean remoteIsExternal(ConnEvent e) {
        if (e.direction == Direction.INTERNAL) return false;
        return !NON_ROUTABLE.contains(remoteHi(e), remoteLo(e));
    }

    public static long remoteHi(ConnEvent e) {
        return localIsOriginator(e) ? e.respIpHi : e.origIpHi;
    }

    public static long remoteLo(ConnEvent e) {
        return localIsOriginator(e) ? e.respIpLo : e.origIpLo;
    }

    /** The remote port (the service port when the local side connects out). */
    public static int remotePort(ConnEvent e) {
        return localIsOriginator(e) ? e.respPort : e.origPort;
    }

    /**
     * The local endpoint: IP and MAC of the originator (OUTBOUND, INTERNAL, and EXTERNAL, where it is the
     * LAN client behind a gateway) or of the responder (INBOUND), plus the owning process (pid and start
     * time) when the record was attributed.
     */
    public static HostKey local(ConnEvent e, HostKey into) {
        HostKey k = localIsOriginator(e) ? into.set(e.origIpHi, e.origIpLo, e.origMac)
                : into.set(e.respIpHi, e.respIpLo, e.respMac);
        if (e.attribution == Attribution.RESOLVED) k.setProcess(e.pid, e.processStartNanos, null);
        return k;
    }

    /**
     * Counts each connection once although TCP flows appear twice (OPEN at handshake, END later): an
     * OPEN always counts; an END counts unless it closes an established TCP flow, whose OPEN was
     * already counted. So failed attempts (REJ, S0) and UDP count at END, established TCP at OPEN.
     */
    public static boolean countOnce(ConnEvent e) {
        if (e.phase == ConnEvent.Phase.OPEN) return true;
        return e.transport != Transport.TCP || e.state.outcome() != ConnState.Outcome.ESTABLISHED;
    }

    /** Established as far as this record tells: OPEN means the handshake completed. */
    public static boolean established(ConnEvent e) {
        return e.phase == ConnEvent.Phase.OPEN || e.state.outcome() == ConnState.Outcome.ESTABLISHED;
    }

    /**
     * Whether the record covers the connection's start: UDP always (its first datagram is its start); TCP
     * when a handshake packet was seen (history S, s, H or h). A capture that starts mid-connection, or a
     * connection that idled out and went on, gives records without one; their check-ins are its bursts.
     */
    public static boolean startSeen(ConnEvent e) {
        if (e.transport != Transport.TCP || e.historyLen == 0) return true; // no history: nothing says otherwise
        for (int i = 0; i < e.historyLen; i++) {
            byte c = e.history[i];
            if (c == 'S' || c == 's' || c == 'H' || c == 'h') return true;
        }
        return false;
    }

    /** Start of the connection, the time detectors count it at. */
    public static long time(ConnEvent e) {
        return e.startNanos != 0 ? e.startNanos : e.endNanos;
    }
}
