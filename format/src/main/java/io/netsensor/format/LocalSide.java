package io.netsensor.format;

import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;

/**
 * Which end of a record is the local one (this host, or the LAN client behind a gateway): the shapes made for
 * endpoint agents (Falcon, CEF's source/destination as the agent saw them) speak of local and remote, not of
 * originator and responder. With the host's addresses known, the end that is this host; else home_net's view
 * (the responder of INBOUND flows, the originator of every other), as the detectors and rollups take it.
 */
final class LocalSide {
    private LocalSide() {}

    static boolean originatorIsLocal(ConnEvent e, EventJson.HostAddresses host) {
        return originatorIsLocal(e.origIpHi, e.origIpLo, e.respIpHi, e.respIpLo, e.direction, host);
    }

    /** The same for a burst: its client is its flow's originator. */
    static boolean originatorIsLocal(BurstEvent e, EventJson.HostAddresses host) {
        return originatorIsLocal(e.origIpHi, e.origIpLo, e.respIpHi, e.respIpLo, e.direction, host);
    }

    private static boolean originatorIsLocal(long origHi, long origLo, long respHi, long respLo, Direction d,
                                             EventJson.HostAddresses host) {
        if (host != null) {
            if (host.isHostAddress(origHi, origLo)) return true;
            if (host.isHostAddress(respHi, respLo)) return false;
        }
        return d != Direction.INBOUND;
    }

    /**
     * Counts each connection once although established TCP flows have two records (OPEN at the handshake, END
     * later): OPEN always; END unless it closes an established TCP flow (the rule of the detectors' ConnView,
     * which format cannot depend on).
     */
    static boolean firstRecordOfConnection(ConnEvent e) {
        if (e.phase == ConnEvent.Phase.OPEN) return true;
        return e.transport != io.netsensor.events.Transport.TCP
                || e.state.outcome() != io.netsensor.events.ConnState.Outcome.ESTABLISHED;
    }

    /** Whether the DNS client is this host (or the LAN client); the server is for DNS records seen inbound. */
    static boolean clientIsLocal(DnsEvent e, EventJson.HostAddresses host) {
        if (host != null) {
            if (host.isHostAddress(e.clientIpHi, e.clientIpLo)) return true;
            if (host.isHostAddress(e.serverIpHi, e.serverIpLo)) return false;
        }
        return e.direction != Direction.INBOUND;
    }
}
