package io.netsensor.capture.track;

import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.names.ResolvedNames;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Transport;

import io.netsensor.metrics.Metrics;

/**
 * Turns decoded TCP and UDP packets into Zeek-compatible connection records ({@link ConnEvent}): OPEN
 * once a TCP three-way handshake completes, END when the flow finishes (FIN/RST plus linger), idles out,
 * is evicted or the input ends. Single-threaded; nothing is allocated per packet.
 *
 * <p>Orientation follows Zeek: the sender of a SYN is the originator; a flow first seen with a SYN-ACK is
 * flipped (the SYN-ACK's receiver becomes the originator); for any other first packet (mid-stream TCP,
 * UDP) the sender is the originator unless its source port is a likely server port and the destination
 * port is not (TCP without SYN also flips when both are server ports and the source port is the lower).
 * Flipped flows get Zeek's '^' history marker.
 *
 * <p>Timers run on event time. Each flow sits in one timer class list kept in expiry order, so expiry
 * only looks at list heads: established TCP (5 min idle), TCP still in its handshake (1 min idle), UDP
 * (1 min idle), UDP DNS (10 s idle: Zeek's DNS analyzer shortens the connection's inactivity timeout to
 * dns_session_timeout, so a resolver port reused after a pause is a new connection), and fixed deadlines (unanswered SYN 5 s after the first SYN; close/reset linger 5 s).
 * Timestamps that go backwards never move a flow's clock back, so durations never turn negative.
 *
 * <p>Inside each flow it also tracks request/response bursts ({@link FlowBursts}; a {@link BurstEvent}
 * per burst after the flow's first, except on DNS ports) and the flow's names ({@link FlowNames}: the DNS
 * name resolved for the remote address, the TLS SNI, HTTP Host and User-Agent), which CONN and BURST
 * records carry.
 */
public final class ConnTracker {
    private static final int TCP_ACTIVE = 0, TCP_HANDSHAKE = 1, UDP = 2, DEADLINE = 3, UDP_DNS = 4, LISTS = 5;
    private static final int PROTO_TCP = 6, PROTO_UDP = 17;

    private final ConnTrackerSettings settings;
    private final EventHandler out;
    private final Locality locality;
    private final FlowTable table;
    private final FlowHistory history;
    private final TcpFlows tcp;
    private final ConnEvent event = new ConnEvent();
    private final BurstEvent burst = new BurstEvent();
    private final FlowBursts bursts;
    private final FlowNames names;
    /** Entries of the resolved-names table (~300 bytes each). */
    static final int RESOLVED_NAMES = 8192;
    private FlowStartListener flowStarts = FlowStartListener.NONE;

    // per-flow state beyond the key, indexed by slot
    private final boolean[] origIsA, openSent, closing;
    private final long[] flowId, startNs, lastNs, activeNs, deadline, attemptAt;
    private final long[] origMac, respMac;
    private final long[] origPkts, respPkts, origIpBytes, respIpBytes, origUdpBytes, respUdpBytes;

    private long clock = Long.MIN_VALUE;
    private long idSalt;
    private long flowCounter;

    // stats
    private long created, opened, ignored, reused, burstsEmitted;
    private final long[] endedBy = new long[ConnEvent.EndReason.values().length];

    public ConnTracker(ConnTrackerSettings settings, Locality locality, EventHandler out) {
        this.settings = settings;
        this.locality = locality;
        this.out = out;
        int n = settings.maxFlows();
        table = new FlowTable(n, LISTS);
        history = new FlowHistory(n);
        tcp = new TcpFlows(n, history);
        origIsA = new boolean[n]; openSent = new boolean[n]; closing = new boolean[n];
        flowId = new long[n]; startNs = new long[n]; lastNs = new long[n]; activeNs = new long[n];
        deadline = new long[n]; attemptAt = new long[n];
        origMac = new long[n]; respMac = new long[n];
        origPkts = new long[n]; respPkts = new long[n]; origIpBytes = new long[n]; respIpBytes = new long[n];
        origUdpBytes = new long[n]; respUdpBytes = new long[n];
        bursts = new FlowBursts(n);
        names = new FlowNames(n, Math.max(256, n / 16), new ResolvedNames(RESOLVED_NAMES));
    }

    /** Where DNS answers teach which host resolved which name for which address. */
    public ResolvedNames resolvedNames() {
        return names.resolved();
    }

    /** Sets who is told about each new flow (process attribution); call before the first packet. */
    public void setFlowStartListener(FlowStartListener listener) {
        this.flowStarts = listener == null ? FlowStartListener.NONE : listener;
    }

    /** Accounts one decoded packet; packets that are neither TCP nor UDP are counted and ignored. */
    public void onPacket(PacketView v) {
        int proto = v.protocol;
        if (proto != PROTO_TCP && proto != PROTO_UDP) {
            ignored++;
            return;
        }
        long ts = v.tsNanos;
        if (ts > clock) clock = ts;
        expire(clock);

        boolean srcIsA = compare(v.srcHi, v.srcLo, v.srcPort, v.dstHi, v.dstLo, v.dstPort) <= 0;
        long aHi = srcIsA ? v.srcHi : v.dstHi, aLo = srcIsA ? v.srcLo : v.dstLo;
        long bHi = srcIsA ? v.dstHi : v.srcHi, bLo = srcIsA ? v.dstLo : v.srcLo;
        int ports = srcIsA ? (v.srcPort << 16 | v.dstPort) : (v.dstPort << 16 | v.srcPort);
        int meta = FlowTable.meta(proto, v.vlan, v.innerVlan);
        int hash = FlowTable.hash(aHi, aLo, bHi, bLo, ports, meta);

        int slot = table.find(aHi, aLo, bHi, bLo, ports, meta, hash);
        if (slot != FlowTable.NONE) {
            if (isExpired(slot, clock)) {
                end(slot, expiryReason(slot));
                slot = FlowTable.NONE;
            } else if (proto == PROTO_TCP && isReuse(slot, v)) {
                reused++;
                end(slot, endReason(slot));
                slot = FlowTable.NONE;
            }
        }
        if (slot == FlowTable.NONE) {
            if (table.isFull()) evictOne();
            slot = table.insert(aHi, aLo, bHi, bLo, ports, meta, hash);
            start(slot, v, srcIsA, ts);
        }
        boolean isOrig = srcIsA == origIsA[slot];
        count(slot, v, isOrig);
        if (proto == PROTO_TCP) onTcp(slot, v, isOrig, ts); else onUdp(slot, v, isOrig, ts);
        if (v.payloadWireLen > 0) onPayload(slot, v, isOrig, ts);
    }

    private void onPayload(int slot, PacketView v, boolean isOrig, long ts) {
        if (isOrig && v.protocol == PROTO_TCP && v.buf != null) names.onClientPayload(slot, v.buf, v.payloadOff, v.payloadLen);
        if (isDnsPort(v.srcPort) || isDnsPort(v.dstPort)) return;
        if (bursts.endsOpenBurst(slot, ts)) {
            emitBurst(slot);
            bursts.close(slot);
        }
        bursts.add(slot, isOrig, v.payloadWireLen, ts);
    }

    private void emitBurst(int slot) {
        FlowBursts b = bursts;
        if (b.index[slot] == 1 && b.startSeen[slot]) return; // the connection record stands for it
        BurstEvent e = burst;
        boolean aIsOrig = origIsA[slot];
        e.flowId = flowId[slot];
        e.flowStartNanos = startNs[slot];
        e.startNanos = b.start[slot];
        e.endNanos = b.end[slot];
        e.gapNanos = b.gapBefore[slot];
        e.transport = table.proto(slot) == PROTO_TCP ? Transport.TCP : Transport.UDP;
        e.origIpHi = aIsOrig ? table.aHi(slot) : table.bHi(slot);
        e.origIpLo = aIsOrig ? table.aLo(slot) : table.bLo(slot);
        e.origPort = aIsOrig ? table.aPort(slot) : table.bPort(slot);
        e.respIpHi = aIsOrig ? table.bHi(slot) : table.aHi(slot);
        e.respIpLo = aIsOrig ? table.bLo(slot) : table.aLo(slot);
        e.respPort = aIsOrig ? table.bPort(slot) : table.aPort(slot);
        e.direction = Direction.of(locality.isLocal(e.origIpHi, e.origIpLo), locality.isLocal(e.respIpHi, e.respIpLo));
        e.origMac = origMac[slot];
        e.respMac = respMac[slot];
        e.vlan = table.vlan(slot);
        e.innerVlan = table.innerVlan(slot);
        e.origBytes = b.origBytes[slot];
        e.respBytes = b.respBytes[slot];
        e.origPkts = b.origPkts[slot];
        e.respPkts = b.respPkts[slot];
        e.index = b.index[slot];
        e.flags = (b.index[slot] == 1 ? BurstEvent.FIRST_IN_FLOW : 0) | (b.startSeen[slot] ? BurstEvent.FLOW_START_SEEN : 0);
        e.pid = 0;
        e.processStartNanos = e.processEntityId = 0;
        e.attribution = io.netsensor.events.Attribution.UNKNOWN;
        names.copyTo(slot, e.names);
        burstsEmitted++;
        out.onBurst(e);
    }

    private static int compare(long hi1, long lo1, int p1, long hi2, long lo2, int p2) {
        int c = Long.compareUnsigned(hi1, hi2);
        if (c != 0) return c;
        c = Long.compareUnsigned(lo1, lo2);
        return c != 0 ? c : Integer.compare(p1, p2);
    }

    private void start(int slot, PacketView v, boolean srcIsA, long ts) {
        boolean flip = shouldFlip(v);
        origIsA[slot] = srcIsA != flip;
        openSent[slot] = closing[slot] = false;
        flowId[slot] = nextFlowId(ts);
        startNs[slot] = lastNs[slot] = activeNs[slot] = ts;
        deadline[slot] = attemptAt[slot] = Long.MAX_VALUE;
        origMac[slot] = flip ? v.dstMac : v.srcMac;
        respMac[slot] = flip ? v.srcMac : v.dstMac;
        origPkts[slot] = respPkts[slot] = origIpBytes[slot] = respIpBytes[slot] = 0;
        origUdpBytes[slot] = respUdpBytes[slot] = 0;
        history.clear(slot);
        tcp.clear(slot);
        bursts.clear(slot, v.protocol == PROTO_UDP || (v.tcpFlags & PacketView.SYN) != 0);
        if (flip) {
            names.start(slot, v.dstHi, v.dstLo, v.srcHi, v.srcLo, ts);
        } else {
            names.start(slot, v.srcHi, v.srcLo, v.dstHi, v.dstLo, ts);
        }
        if (flip) history.mark(slot, '^');
        created++;
        if (flip) {
            flowStarts.onFlowStart(v.protocol, v.dstHi, v.dstLo, v.dstPort, v.srcHi, v.srcLo, v.srcPort, ts);
        } else {
            flowStarts.onFlowStart(v.protocol, v.srcHi, v.srcLo, v.srcPort, v.dstHi, v.dstLo, v.dstPort, ts);
        }
    }

    /** Zeek's orientation heuristic for a flow's first packet (see class comment). */
    private static boolean shouldFlip(PacketView v) {
        if (v.protocol == PROTO_UDP) {
            return LikelyServerPorts.udp(v.srcPort) && !LikelyServerPorts.udp(v.dstPort);
        }
        boolean syn = (v.tcpFlags & PacketView.SYN) != 0, ack = (v.tcpFlags & PacketView.ACK) != 0;
        if (syn) return ack;
        if (!LikelyServerPorts.tcp(v.srcPort)) return false;
        return !LikelyServerPorts.tcp(v.dstPort) || v.srcPort < v.dstPort;
    }

    /** Unique per tracker (bijective mix of a counter), salted with the first packet's time across runs. */
    private long nextFlowId(long ts) {
        if (flowCounter == 0) idSalt = ts * 0x9E3779B97F4A7C15L;
        long z = idSalt + (++flowCounter) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void count(int slot, PacketView v, boolean isOrig) {
        if (isOrig) {
            origPkts[slot]++;
            origIpBytes[slot] += Math.max(0, v.ipLen);
        } else {
            respPkts[slot]++;
            respIpBytes[slot] += Math.max(0, v.ipLen);
        }
    }

    /**
     * Zeek treats a pure SYN as a new connection on the same tuple when it carries another initial
     * sequence number, or when the old connection already closed or reset.
     */
    private boolean isReuse(int slot, PacketView v) {
        int f = v.tcpFlags;
        if ((f & PacketView.SYN) == 0 || (f & PacketView.ACK) != 0) return false;
        if (closing[slot]) return true;
        if (tcp.state(slot, true) == TcpFlows.INACTIVE) return false;
        return (v.tcpSeq & 0xFFFF_FFFFL) != tcp.origStartSeq32(slot);
    }

    private void onTcp(int slot, PacketView v, boolean isOrig, long ts) {
        if (!tcp.bothClosed(slot)) lastNs[slot] = Math.max(lastNs[slot], ts);
        activeNs[slot] = Math.max(activeNs[slot], ts);
        int r = tcp.process(slot, isOrig, v.tcpFlags, v.tcpSeq, v.tcpAck, Math.max(0, v.payloadWireLen), v.tcpWindow);
        if ((r & TcpFlows.ARM_ATTEMPT) != 0 && attemptAt[slot] == Long.MAX_VALUE) {
            attemptAt[slot] = ts + settings.tcpAttemptDelayNanos();
        }
        if (!closing[slot] && (r & (TcpFlows.CLOSE_LINGER | TcpFlows.RESET_LINGER)) != 0) {
            closing[slot] = true;
            // Zeek lingers from the connection's last time after a close, from now after a late RST.
            long from = (r & TcpFlows.CLOSE_LINGER) != 0 ? lastNs[slot] : ts;
            setDeadline(slot, from + settings.tcpCloseDelayNanos());
        } else if (!closing[slot]) {
            if (attemptAt[slot] != Long.MAX_VALUE && tcp.isAttempt(slot)) {
                setDeadline(slot, attemptAt[slot]);
            } else {
                deadline[slot] = Long.MAX_VALUE;
                table.append(slot, tcp.inHandshake(slot) ? TCP_HANDSHAKE : TCP_ACTIVE);
            }
        }
        if (!openSent[slot] && isOrig && (v.tcpFlags & (PacketView.SYN | PacketView.ACK)) == PacketView.ACK
                && tcp.handshakeDone(slot)) {
            openSent[slot] = true;
            opened++;
            emit(slot, ConnEvent.Phase.OPEN, ConnEvent.EndReason.OPEN);
        }
    }

    private void setDeadline(int slot, long at) {
        if (deadline[slot] == at && table.list(slot) == DEADLINE) return; // keep its place
        deadline[slot] = at;
        table.append(slot, DEADLINE);
    }

    private void onUdp(int slot, PacketView v, boolean isOrig, long ts) {
        lastNs[slot] = Math.max(lastNs[slot], ts);
        activeNs[slot] = lastNs[slot];
        int len = Math.max(0, v.payloadWireLen);
        if (isOrig) origUdpBytes[slot] += len; else respUdpBytes[slot] += len;
        history.check(slot, FlowHistory.DATA, 'D', isOrig);
        table.append(slot, isDnsPort(table.aPort(slot)) || isDnsPort(table.bPort(slot)) ? UDP_DNS : UDP);
    }

    /** Ports Zeek's DNS analyzer attaches to (DNS, NetBIOS name service, mDNS, LLMNR). */
    private static boolean isDnsPort(int port) {
        return port == 53 || port == 137 || port == 5353 || port == 5355;
    }

    /** Ends flows whose timers ran out by {@code nowNanos} (event time). */
    public void expire(long nowNanos) {
        for (int list = 0; list < LISTS; list++) {
            int s;
            while ((s = table.head(list)) != FlowTable.NONE && isExpired(s, nowNanos)) {
                end(s, expiryReason(s));
            }
        }
    }

    private boolean isExpired(int slot, long now) {
        switch (table.list(slot)) {
            case DEADLINE: return now >= deadline[slot];
            case TCP_ACTIVE: return now - activeNs[slot] >= settings.tcpInactivityNanos();
            case TCP_HANDSHAKE: return now - activeNs[slot] >= settings.tcpHandshakeInactivityNanos();
            case UDP: return now - activeNs[slot] >= settings.udpInactivityNanos();
            case UDP_DNS: return now - activeNs[slot] >= settings.dnsInactivityNanos();
            default: return false;
        }
    }

    private ConnEvent.EndReason expiryReason(int slot) {
        if (closing[slot]) return endReason(slot);
        return ConnEvent.EndReason.IDLE;
    }

    /** Why a closing flow ended: RST if either side reset, FIN if it closed, else it just went quiet. */
    private ConnEvent.EndReason endReason(int slot) {
        if (table.proto(slot) != PROTO_TCP) return ConnEvent.EndReason.IDLE;
        if (tcp.anyReset(slot)) return ConnEvent.EndReason.RST;
        if (closing[slot]) return ConnEvent.EndReason.FIN;
        return ConnEvent.EndReason.IDLE;
    }

    /** Makes room by ending the least recently active flow (oldest head across the timer lists). */
    private void evictOne() {
        int victim = FlowTable.NONE;
        for (int list = 0; list < LISTS; list++) {
            int s = table.head(list);
            if (s != FlowTable.NONE && (victim == FlowTable.NONE || activeNs[s] < activeNs[victim])) victim = s;
        }
        end(victim, ConnEvent.EndReason.EVICTED);
    }

    /**
     * End of input: first lets due timers fire, then ends every remaining flow. Flows already closing
     * keep their FIN/RST reason; all others end with SHUTDOWN.
     */
    public void flush(long nowNanos) {
        if (nowNanos > clock) clock = nowNanos;
        expire(clock);
        for (int list = 0; list < LISTS; list++) {
            int s;
            while ((s = table.head(list)) != FlowTable.NONE) {
                end(s, closing[s] ? endReason(s) : ConnEvent.EndReason.SHUTDOWN);
            }
        }
    }

    /** After {@link #flush}, when packet time stepped back for good: the clock starts over from the next packet. */
    public void restartClock() {
        clock = Long.MIN_VALUE;
    }

    private void end(int slot, ConnEvent.EndReason reason) {
        if (bursts.open[slot]) {
            emitBurst(slot);
            bursts.close(slot);
        }
        emit(slot, ConnEvent.Phase.END, reason);
        endedBy[reason.ordinal()]++;
        names.release(slot);
        table.remove(slot);
    }

    private void emit(int slot, ConnEvent.Phase phase, ConnEvent.EndReason reason) {
        ConnEvent e = event;
        boolean aIsOrig = origIsA[slot];
        e.phase = phase;
        e.endReason = reason;
        e.flowId = flowId[slot];
        e.startNanos = startNs[slot];
        e.endNanos = Math.max(startNs[slot], lastNs[slot]);
        boolean isTcp = table.proto(slot) == PROTO_TCP;
        e.transport = isTcp ? Transport.TCP : Transport.UDP;
        e.origIpHi = aIsOrig ? table.aHi(slot) : table.bHi(slot);
        e.origIpLo = aIsOrig ? table.aLo(slot) : table.bLo(slot);
        e.origPort = aIsOrig ? table.aPort(slot) : table.bPort(slot);
        e.respIpHi = aIsOrig ? table.bHi(slot) : table.aHi(slot);
        e.respIpLo = aIsOrig ? table.bLo(slot) : table.aLo(slot);
        e.respPort = aIsOrig ? table.bPort(slot) : table.aPort(slot);
        e.direction = Direction.of(locality.isLocal(e.origIpHi, e.origIpLo), locality.isLocal(e.respIpHi, e.respIpLo));
        e.origPkts = origPkts[slot];
        e.respPkts = respPkts[slot];
        e.origIpBytes = origIpBytes[slot];
        e.respIpBytes = respIpBytes[slot];
        if (isTcp) {
            e.state = tcp.connState(slot);
            e.origBytes = tcp.size(slot, true);
            e.respBytes = tcp.size(slot, false);
        } else {
            e.state = udpState(slot);
            e.origBytes = origUdpBytes[slot];
            e.respBytes = respUdpBytes[slot];
        }
        history.copyTo(slot, e);
        e.vlan = table.vlan(slot);
        e.innerVlan = table.innerVlan(slot);
        e.origMac = origMac[slot];
        e.respMac = respMac[slot];
        names.copyTo(slot, e.names);
        out.onConn(e);
    }

    /** Zeek's UDP conn_state: which sides sent anything. */
    private ConnState udpState(int slot) {
        boolean o = origPkts[slot] > 0, r = respPkts[slot] > 0;
        if (o) return r ? ConnState.SF : ConnState.S0;
        return r ? ConnState.SHR : ConnState.OTH;
    }

    public int activeFlows() {
        return table.size();
    }

    /**
     * Registers {@code conn.*}: flows active (and the cap), created, opened, reused, ended by reason, and
     * packets ignored; counts read from the tracker's own fields (capture thread, nothing per packet).
     */
    public void register(Metrics m) {
        m.gauge("conn.flows_active", table::size);
        m.gauge("conn.flows_max", settings::maxFlows);
        m.count("conn.flows_created", () -> created);
        m.count("conn.flows_opened", () -> opened);
        m.count("conn.flows_reused", () -> reused);
        m.count("conn.packets_ignored", () -> ignored);
        m.count("conn.bursts", () -> burstsEmitted);
        m.count("conn.names.sni", names::snis);
        m.count("conn.names.http", names::hosts);
        m.count("conn.names.pool_full", names::poolFull);
        m.count("conn.names.dns_learned", () -> names.resolved().learned());
        for (ConnEvent.EndReason r : ConnEvent.EndReason.values()) {
            if (r == ConnEvent.EndReason.OPEN) continue;
            int i = r.ordinal();
            m.count(Metrics.name("conn.flows_ended", "reason", r.name().toLowerCase(java.util.Locale.ROOT)), () -> endedBy[i]);
        }
    }
}
