package io.netsensor.capture.attrib;
import io.netsensor.events.ProcessInfo;

import io.netsensor.capture.track.FlowStartListener;
import io.netsensor.capture.track.Locality;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.Transport;
import io.netsensor.metrics.Metrics;

/**
 * The capture-thread side of attribution, between the trackers and the journal writer. At a flow's first
 * packet it tells the {@link OwnerSource} (the kernel's records, or the user-space resolver) which local
 * socket to find; when a record is written it reads the outcome and fills pid, start time, entity id and
 * status, writing a PROCESS record the first time a process appears.
 *
 * <p>A record whose lookup has not finished yet (a TCP OPEN or DNS answer on a fast LAN comes back in
 * well under a millisecond, before the /proc search ends) is held in a preallocated FIFO for at most
 * {@code holdNanos} of capture time, then written with whatever is known (PENDING if nothing). Records
 * queue behind held ones so the journal order per kind is kept. Nothing here allocates per record
 * except the once-per-process PROCESS record's strings.
 *
 * <p>Which socket: the originator's when it is this host (outbound, and internal such as loopback), else
 * the responder's (inbound: the listening socket, since the SYN arrives before the accepted socket
 * exists), else none (forwarded traffic: NOT_LOCAL).
 */
public final class AttributingHandler implements EventHandler, FlowStartListener {
    private static final int TCP = 6, UDP = 17;

    private final EventHandler out;
    private final Locality host;
    private final OwnerSource source;
    private final long holdNanos;
    private final ConnEvent[] heldConns;
    private final long[] connDeadline;
    private final DnsEvent[] heldDns;
    private final long[] dnsDeadline;
    private int connHead, connSize, dnsHead, dnsSize;
    /** results.version() when the held head was last found pending (-1: not probed since it became head). */
    private long connProbed = -1, dnsProbed = -1;
    private final LongSet journaled = new LongSet(1 << 16);
    private final long[] dropped = new long[256];
    private int droppedNext;
    private final ProcessEvent processEvent = new ProcessEvent();
    private long clock = Long.MIN_VALUE;

    // counters (capture thread)
    private final long[] connBy = new long[Attribution.count()], dnsBy = new long[Attribution.count()];
    private long requests, requestDrops, held, holdFull, processRecords;

    /**
     * @param host true for this host's own addresses (and loopback): where a local process owns the socket
     * @param holdNanos how long a record may wait for its lookup (capture time)
     */
    public AttributingHandler(EventHandler out, Locality host, SocketOwnerResolver resolver, long holdNanos,
                              int maxHeldConns, int maxHeldDns) {
        this(out, host, resolver.source(), holdNanos, maxHeldConns, maxHeldDns);
    }

    /** @param source the kernel's records (eBPF) or the user-space resolver */
    public AttributingHandler(EventHandler out, Locality host, OwnerSource source, long holdNanos,
                              int maxHeldConns, int maxHeldDns) {
        this.out = out;
        this.host = host;
        this.source = source;
        this.holdNanos = holdNanos;
        heldConns = new ConnEvent[maxHeldConns];
        connDeadline = new long[maxHeldConns];
        for (int i = 0; i < maxHeldConns; i++) heldConns[i] = new ConnEvent();
        heldDns = new DnsEvent[maxHeldDns];
        dnsDeadline = new long[maxHeldDns];
        for (int i = 0; i < maxHeldDns; i++) heldDns[i] = new DnsEvent();
    }

    @Override
    public void onFlowStart(int proto, long oHi, long oLo, int oPort, long rHi, long rLo, int rPort, long ts) {
        if (proto != TCP && proto != UDP) return;
        boolean ok;
        if (local(oHi, oLo)) {
            ok = source.request(proto, oHi, oLo, oPort, rHi, rLo, rPort, false, ts);
            if (!ok) noteDropped(proto, oHi, oLo, oPort, rHi, rLo, rPort);
        } else if (local(rHi, rLo)) {
            ok = source.request(proto, rHi, rLo, rPort, oHi, oLo, oPort, proto == TCP, ts);
            if (!ok) noteDropped(proto, rHi, rLo, rPort, oHi, oLo, oPort);
        } else {
            return;
        }
        requests++;
        if (!ok) requestDrops++;
    }

    @Override
    public void onConn(ConnEvent e) {
        if (connSize == 0 && fill(e) != Attribution.PENDING) {
            emit(e);
            return;
        }
        if (connSize == heldConns.length) {
            holdFull++;
            releaseConn(true); // make room: the oldest goes out with what is known
        }
        int i = (connHead + connSize++) % heldConns.length;
        heldConns[i].copyFrom(e);
        connDeadline[i] = now() + holdNanos;
        held++;
        releaseDue(clock);
    }

    @Override
    public void onDns(DnsEvent e) {
        if (dnsSize == 0 && fill(e) != Attribution.PENDING) {
            emit(e);
            return;
        }
        if (dnsSize == heldDns.length) {
            holdFull++;
            releaseDns(true);
        }
        int i = (dnsHead + dnsSize++) % heldDns.length;
        heldDns[i].copyFrom(e);
        dnsDeadline[i] = now() + holdNanos;
        held++;
        releaseDue(clock);
    }

    @Override
    public void onProcess(ProcessEvent e) {
        out.onProcess(e);
    }

    /**
     * Capture clock tick (packet time, or wall time when idle): writes held records whose lookup finished
     * or whose time ran out. {@code Long.MAX_VALUE} writes everything (end of capture).
     */
    public void tick(long nowNanos) {
        if (nowNanos > clock) clock = nowNanos;
        releaseDue(nowNanos);
    }

    private long now() {
        return clock == Long.MIN_VALUE ? 0 : clock;
    }

    /**
     * Called per packet while records are held: the head is probed again only when the resolver published
     * something since it was last found pending (a table probe per packet is a hash and a likely cache miss).
     */
    private void releaseDue(long now) {
        long v = source.version();
        while (connSize > 0) {
            if (now < connDeadline[connHead] && connProbed == v) break;
            if (fill(heldConns[connHead]) == Attribution.PENDING && now < connDeadline[connHead]) {
                connProbed = v;
                break;
            }
            releaseConn(false);
        }
        while (dnsSize > 0) {
            if (now < dnsDeadline[dnsHead] && dnsProbed == v) break;
            if (fill(heldDns[dnsHead]) == Attribution.PENDING && now < dnsDeadline[dnsHead]) {
                dnsProbed = v;
                break;
            }
            releaseDns(false);
        }
    }

    private void releaseConn(boolean early) {
        ConnEvent e = heldConns[connHead];
        if (early) fill(e);
        connHead = (connHead + 1) % heldConns.length;
        connSize--;
        connProbed = -1;
        emit(e);
    }

    private void releaseDns(boolean early) {
        DnsEvent e = heldDns[dnsHead];
        if (early) fill(e);
        dnsHead = (dnsHead + 1) % heldDns.length;
        dnsSize--;
        dnsProbed = -1;
        emit(e);
    }

    /**
     * A burst comes long after its flow's first packet, so its socket's lookup has finished: it is filled
     * and passed on at once, never held.
     */
    @Override
    public void onBurst(io.netsensor.events.BurstEvent e) {
        e.attribution = lookup(e.transport, e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.flowStartNanos, true);
        ProcessInfo p = e.attribution == Attribution.RESOLVED ? source.process() : null;
        e.pid = p == null ? 0 : p.pid;
        e.processStartNanos = p == null ? 0 : p.startNanos;
        e.processEntityId = p == null ? 0 : p.entityId;
        if (p != null && !journaled.contains(e.processEntityId)) journalProcess(p, e.processEntityId, e.endNanos);
        out.onBurst(e);
    }

    private void emit(ConnEvent e) {
        if (e.attribution == Attribution.PENDING) {
            e.attribution = fill(e, true);
            if (e.attribution == Attribution.PENDING) e.attribution = pendingOrDropped(e.transport, e.origIpHi, e.origIpLo,
                    e.origPort, e.respIpHi, e.respIpLo, e.respPort);
        }
        connBy[e.attribution.ordinal()]++;
        if (e.attribution == Attribution.RESOLVED && !journaled.contains(e.processEntityId)) {
            lookup(e.transport, e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.startNanos, true);
            journalProcess(source.process(), e.processEntityId, e.endNanos);
        }
        out.onConn(e);
    }

    private void emit(DnsEvent e) {
        if (e.attribution == Attribution.PENDING) {
            e.attribution = fill(e, true);
            if (e.attribution == Attribution.PENDING) e.attribution = pendingOrDropped(e.transport, e.clientIpHi, e.clientIpLo,
                    e.clientPort, e.serverIpHi, e.serverIpLo, e.serverPort);
        }
        dnsBy[e.attribution.ordinal()]++;
        if (e.attribution == Attribution.RESOLVED && !journaled.contains(e.processEntityId)) {
            lookup(e.transport, e.clientIpHi, e.clientIpLo, e.clientPort, e.serverIpHi, e.serverIpLo, e.serverPort, e.tsNanos, true);
            journalProcess(source.process(), e.processEntityId, e.tsNanos);
        }
        out.onDns(e);
    }

    /** Fills the record's process fields from the source; returns its status. */
    private Attribution fill(ConnEvent e) {
        return fill(e, false);
    }

    /** @param last the record may wait no longer: take the source's best doubtful answer too */
    private Attribution fill(ConnEvent e, boolean last) {
        e.attribution = lookup(e.transport, e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.startNanos, last);
        ProcessInfo p = e.attribution == Attribution.RESOLVED ? source.process() : null;
        e.pid = p == null ? 0 : p.pid;
        e.processStartNanos = p == null ? 0 : p.startNanos;
        e.processEntityId = p == null ? 0 : p.entityId;
        return e.attribution;
    }

    private Attribution fill(DnsEvent e) {
        return fill(e, false);
    }

    private Attribution fill(DnsEvent e, boolean last) {
        e.attribution = lookup(e.transport, e.clientIpHi, e.clientIpLo, e.clientPort, e.serverIpHi, e.serverIpLo, e.serverPort, e.tsNanos, last);
        ProcessInfo p = e.attribution == Attribution.RESOLVED ? source.process() : null;
        e.pid = p == null ? 0 : p.pid;
        e.processStartNanos = p == null ? 0 : p.startNanos;
        e.processEntityId = p == null ? 0 : p.entityId;
        return e.attribution;
    }

    /** A local process may own a socket on this address: this host's, or one the source saw a socket on. */
    private boolean local(long hi, long lo) {
        return host.isLocal(hi, lo) || source.mayOwn(hi, lo);
    }

    /**
     * The outcome for the record's local socket, with the same choice of side as {@link #onFlowStart}
     * (then {@link OwnerSource#process()} is the owner). Where neither side is known to be local, both are
     * still asked: the kernel also reports sockets of other network namespaces (containers).
     */
    private Attribution lookup(Transport t, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, long flowStart, boolean last) {
        int proto = t.ianaNumber;
        if (local(aHi, aLo)) return find(proto, aHi, aLo, aPort, bHi, bLo, bPort, false, flowStart, last);
        if (local(bHi, bLo)) return find(proto, bHi, bLo, bPort, aHi, aLo, aPort, proto == TCP, flowStart, last);
        if (find(proto, aHi, aLo, aPort, bHi, bLo, bPort, false, flowStart, last) == Attribution.RESOLVED) return Attribution.RESOLVED;
        if (find(proto, bHi, bLo, bPort, aHi, aLo, aPort, proto == TCP, flowStart, last) == Attribution.RESOLVED) return Attribution.RESOLVED;
        return Attribution.NOT_LOCAL;
    }

    private Attribution find(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long flowStart, boolean last) {
        Attribution a = source.find(proto, lHi, lLo, lPort, rHi, rLo, rPort, listener, flowStart);
        if (a == Attribution.PENDING && last) a = source.last(proto, lHi, lLo, lPort, rHi, rLo, rPort, listener, flowStart);
        return a;
    }

    private void noteDropped(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        dropped[droppedNext++ & (dropped.length - 1)] = AttributionResults.hash(proto, lHi, lLo, lPort, rHi, rLo, rPort) | 1L << 40;
    }

    private Attribution pendingOrDropped(Transport t, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int proto = t.ianaNumber;
        long h = local(aHi, aLo) ? AttributionResults.hash(proto, aHi, aLo, aPort, bHi, bLo, bPort)
                : AttributionResults.hash(proto, bHi, bLo, bPort, aHi, aLo, aPort);
        h |= 1L << 40;
        for (long d : dropped) if (d == h) return Attribution.DROPPED;
        return Attribution.PENDING;
    }

    /** Writes the PROCESS record before the first record that names the process. */
    private void journalProcess(ProcessInfo p, long entityId, long tsNanos) {
        if (p == null || p.entityId != entityId) return;
        journaled.add(entityId);
        ProcessEvent pe = processEvent;
        pe.clear();
        pe.tsNanos = tsNanos;
        pe.entityId = p.entityId;
        pe.pid = p.pid;
        pe.ppid = p.ppid;
        pe.startNanos = p.startNanos;
        pe.uid = p.uid;
        pe.setStrings(p.user, p.name, p.executable, p.commandLine);
        pe.setContainer(p.containerId, p.cgroupId);
        processRecords++;
        out.onProcess(pe);
    }

    /**
     * Registers {@code attribution.*}: lookups requested and dropped, records by kind and status
     * ({@code attribution.records{kind=conn|dns,status=...}}), records held and refused a hold, held now, and
     * PROCESS records written. Counts read from the handler's own fields (capture thread, nothing per record).
     */
    public void register(Metrics m) {
        m.count("attribution.requests", () -> requests);
        m.count("attribution.request_drops", () -> requestDrops);
        for (Attribution a : Attribution.values()) {
            int i = a.ordinal();
            m.count(recordsMetric("conn", a), () -> connBy[i]);
            m.count(recordsMetric("dns", a), () -> dnsBy[i]);
        }
        m.count("attribution.held", () -> held);
        m.count("attribution.hold_full", () -> holdFull);
        m.gauge("attribution.held_now", () -> connSize + dnsSize);
        m.count("attribution.process_records", () -> processRecords);
    }

    /** The count of {@code kind} ("conn" or "dns") records written with this status. */
    public static String recordsMetric(String kind, Attribution status) {
        return Metrics.name("attribution.records", "kind", kind, "status", status.ecsName);
    }

    /** Open-addressing set of non-zero longs; cleared when full (re-journaling a process is harmless). */
    static final class LongSet {
        private final long[] keys;
        private final int mask;
        private int size;

        LongSet(int capacityPow2) {
            keys = new long[capacityPow2];
            mask = capacityPow2 - 1;
        }

        boolean contains(long k) {
            int i = slot(k);
            while (keys[i] != 0) {
                if (keys[i] == k) return true;
                i = (i + 1) & mask;
            }
            return false;
        }

        private int slot(long k) {
            return (int) (k ^ (k >>> 29)) * 0x9E3779B1 & mask;
        }

        /** Adds; false when present. */
        boolean add(long k) {
            if (size >= keys.length / 2) {
                java.util.Arrays.fill(keys, 0);
                size = 0;
            }
            int i = slot(k);
            while (keys[i] != 0) {
                if (keys[i] == k) return false;
                i = (i + 1) & mask;
            }
            keys[i] = k;
            size++;
            return true;
        }
    }
}
