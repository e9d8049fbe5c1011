package io.netsensor.events;

/**
 * One request/response exchange inside a connection: the client (originator) sent payload after the flow
 * had been idle for at least the tracker's burst gap, and the server answered. Long-lived C2 sessions
 * (HTTP keep-alive, TLS, WebSocket, raw TCP heartbeats, a UDP socket) beacon this way: one connection,
 * many bursts. Written when the burst is over (the next burst starts or the flow ends), so detectors can
 * score the rhythm of bursts as they score connection starts. A mutable record reused by its producer.
 * Times are event time, epoch ns.
 */
public final class BurstEvent {
    /** {@link #flags}: this is the first burst the flow carried. */
    public static final int FIRST_IN_FLOW = 1;
    /** {@link #flags}: the flow's own start was seen (TCP handshake, or the first UDP datagram), so its
     *  connection record already stands for this flow's first exchange. */
    public static final int FLOW_START_SEEN = 2;

    public long flowId;
    /** The flow's first packet (as the CONN record's startNanos). */
    public long flowStartNanos;
    /** The burst's first client payload, and its last payload packet in either direction. */
    public long startNanos, endNanos;
    /** Idle time before the burst (since the flow's previous payload), -1 for the flow's first burst. */
    public long gapNanos = -1;
    public Transport transport = Transport.TCP;
    public long origIpHi, origIpLo;
    public int origPort;
    public long respIpHi, respIpLo;
    public int respPort;
    public Direction direction = Direction.OUTBOUND;
    public long origMac, respMac;
    public int vlan, innerVlan;
    /** Payload bytes and payload-carrying packets of the burst, per side. */
    public int origBytes, respBytes, origPkts, respPkts;
    /** 1 for the flow's first burst, counting up. */
    public int index;
    public int flags;
    /** As in {@link ConnEvent}: the local socket's process, when attributed. */
    public int pid;
    public long processStartNanos, processEntityId;
    public Attribution attribution = Attribution.UNKNOWN;
    public final ConnNames names = new ConnNames();

    public boolean firstInFlow() {
        return (flags & FIRST_IN_FLOW) != 0;
    }

    public boolean flowStartSeen() {
        return (flags & FLOW_START_SEEN) != 0;
    }

    public void clear() {
        flowId = flowStartNanos = startNanos = endNanos = 0;
        gapNanos = -1;
        transport = Transport.TCP;
        origIpHi = origIpLo = respIpHi = respIpLo = 0;
        origPort = respPort = 0;
        direction = Direction.OUTBOUND;
        origMac = respMac = 0;
        vlan = innerVlan = 0;
        origBytes = respBytes = origPkts = respPkts = 0;
        index = flags = 0;
        pid = 0;
        processStartNanos = processEntityId = 0;
        attribution = Attribution.UNKNOWN;
        names.clear();
    }

    public void copyFrom(BurstEvent o) {
        flowId = o.flowId; flowStartNanos = o.flowStartNanos; startNanos = o.startNanos; endNanos = o.endNanos;
        gapNanos = o.gapNanos; transport = o.transport;
        origIpHi = o.origIpHi; origIpLo = o.origIpLo; origPort = o.origPort;
        respIpHi = o.respIpHi; respIpLo = o.respIpLo; respPort = o.respPort;
        direction = o.direction; origMac = o.origMac; respMac = o.respMac; vlan = o.vlan; innerVlan = o.innerVlan;
        origBytes = o.origBytes; respBytes = o.respBytes; origPkts = o.origPkts; respPkts = o.respPkts;
        index = o.index; flags = o.flags;
        pid = o.pid; processStartNanos = o.processStartNanos; processEntityId = o.processEntityId;
        attribution = o.attribution;
        names.copyFrom(o.names);
    }

    @Override
    public String toString() {
        return "burst #" + index + " " + transport.ecsName + " " + Ip.toString(origIpHi, origIpLo) + ":" + origPort + " -> "
                + Ip.toString(respIpHi, respIpLo) + ":" + respPort + " " + origBytes + "/" + respBytes + " B";
    }
}
