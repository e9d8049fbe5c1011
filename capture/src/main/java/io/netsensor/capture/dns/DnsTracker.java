package io.netsensor.capture.dns;

import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.track.Locality;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Transport;
import io.netsensor.metrics.Metrics;

/**
 * Pairs DNS queries with their responses and reports one {@link DnsEvent} per transaction, like a Zeek
 * dns.log row. Handles UDP 53 (DNS), 5353 (mDNS), 5355 (LLMNR), 137 (NetBIOS name service, which uses DNS
 * framing; Zeek logs it in dns.log too, with the decoded NetBIOS name as query) and TCP 53.
 *
 * <p>Transactions are keyed by (transport, client ip/port, server ip/port, id). Which side is the client is
 * decided by the QR bit, not by ports (a response from port 53 to port 53 still has the client as its
 * destination), except for a response sent to a multicast group (mDNS), which keeps its own direction as
 * Zeek does. Behaviour, compared with Zeek:
 * <ul>
 * <li>a retransmitted query (same key and question) increments queryCount of the pending transaction (Zeek logs one
 *     extra unanswered row per retransmission instead);</li>
 * <li>a response with no pending query (never seen, already answered, or timed out) is an event with
 *     queried=false, its query fields taken from the response's question: a duplicate response therefore
 *     yields a second row, as in Zeek's duplicate-responses baseline (where Zeek leaves qtype/qclass unset);</li>
 * <li>a query unanswered after the timeout (event time) is an event with rcode -1, responded=false;</li>
 * <li>flags are the response's header bits when responded, else the query's; rttNanos is set for every
 *     answered query (Zeek only sets rtt when the response had answers).</li>
 * </ul>
 * Nothing is allocated per packet: parsing is in place, state lives in preallocated primitive tables, and
 * the two reported events are reused (handlers must copy what they keep).
 */
public final class DnsTracker implements TcpDnsStreams.MessageSink {
    private static final int TCP = 6, UDP = 17;
    private static final long STREAM_SCAN_NANOS = 1_000_000_000L;

    private final DnsTrackerSettings settings;
    private final Locality locality;
    private final EventHandler out;
    private final DnsMessageParser parser = new DnsMessageParser();
    private final PendingQueries pending;
    private final TcpDnsStreams streams;
    /** The message being handled; also what answered/response-only transactions are reported in. */
    private final DnsEvent event = new DnsEvent();
    /** Unanswered transactions are reported here, so expiring during a message never clobbers it. */
    private final DnsEvent expired = new DnsEvent();
    private PacketView current;
    private long lastStreamScan = Long.MIN_VALUE;

    private long queries, responses, responsesWithoutQuery, retransmittedQueries, unanswered, evictions;
    private final long[] malformed = new long[DnsMessageParser.REASON_COUNT];

    public DnsTracker(DnsTrackerSettings settings, Locality locality, EventHandler out) {
        this.settings = settings;
        this.locality = locality;
        this.out = out;
        this.pending = new PendingQueries(settings.maxPending);
        this.streams = new TcpDnsStreams(settings.tcpStreams, settings.tcpBufferSize);
    }

    public static boolean isDnsUdpPort(int port) {
        return port == 53 || port == 5353 || port == 5355 || port == 137;
    }

    /** Handles the current packet if it is DNS; other packets are ignored. */
    public void onPacket(PacketView v) {
        boolean udp = v.isUdp() && (isDnsUdpPort(v.srcPort) || isDnsUdpPort(v.dstPort));
        boolean tcp = v.isTcp() && (v.srcPort == 53 || v.dstPort == 53);
        if (!udp && !tcp) return;
        expire(v.tsNanos);
        current = v;
        if (udp) {
            message(UDP, v.buf, v.payloadOff, v.payloadLen);
        } else {
            streams.segment(v, this);
        }
        current = null;
    }

    @Override
    public void onTcpMessage(byte[] buf, int off, int len) {
        message(TCP, buf, off, len);
    }

    private void message(int transport, byte[] buf, int off, int len) {
        PacketView v = current;
        boolean netbios = v.srcPort == 137 || v.dstPort == 137;
        int r = parser.parse(buf, off, len, event, netbios);
        if (r != DnsMessageParser.OK) malformed[r]++;
        if (!parser.usable()) return;
        if (parser.response) {
            onResponse(v, transport);
        } else {
            onQuery(v, transport);
        }
    }

    private void onQuery(PacketView v, int tr) {
        queries++;
        int s = pending.find(tr, v.srcHi, v.srcLo, v.srcPort, v.dstHi, v.dstLo, v.dstPort, event.transId);
        if (s >= 0 && sameQuestion(s)) {
            pending.queryCount[s]++;
            retransmittedQueries++;
            return;
        }
        if (s >= 0) {
            // Same id on the same ports but another question (mDNS always uses id 0): a new transaction.
            // Zeek logs both; the earlier one can no longer be told apart from it, so it is reported now.
            reportUnanswered(s);
        }
        if (pending.full()) {
            evictions++;
            reportUnanswered(pending.oldest());
        }
        s = pending.insert(tr, v.srcHi, v.srcLo, v.srcPort, v.dstHi, v.dstLo, v.dstPort, event.transId);
        pending.tsNanos[s] = v.tsNanos;
        pending.clientMac[s] = v.srcMac;
        pending.vlan[s] = v.vlan;
        pending.queryCount[s] = 1;
        pending.qtype[s] = event.qtype;
        pending.qclass[s] = event.qclass;
        pending.opcode[s] = event.opcode;
        pending.flags[s] = event.flags;
        pending.qnameLen[s] = event.qnameLen;
        System.arraycopy(event.qname, 0, pending.qnames, s * DnsEvent.MAX_NAME, event.qnameLen);
    }

    private boolean sameQuestion(int s) {
        if (pending.qtype[s] != event.qtype || pending.qnameLen[s] != event.qnameLen) return false;
        return java.util.Arrays.equals(pending.qnames, s * DnsEvent.MAX_NAME, s * DnsEvent.MAX_NAME + event.qnameLen,
                event.qname, 0, event.qnameLen);
    }

    private void onResponse(PacketView v, int tr) {
        responses++;
        boolean toGroup = isMulticast(v.dstHi, v.dstLo);
        long cHi = toGroup ? v.srcHi : v.dstHi, cLo = toGroup ? v.srcLo : v.dstLo;
        long sHi = toGroup ? v.dstHi : v.srcHi, sLo = toGroup ? v.dstLo : v.srcLo;
        int cPort = toGroup ? v.srcPort : v.dstPort, sPort = toGroup ? v.dstPort : v.srcPort;
        DnsEvent ev = event;
        ev.transport = tr == TCP ? Transport.TCP : Transport.UDP;
        ev.clientIpHi = cHi;
        ev.clientIpLo = cLo;
        ev.clientPort = cPort;
        ev.serverIpHi = sHi;
        ev.serverIpLo = sLo;
        ev.serverPort = sPort;
        ev.direction = direction(cHi, cLo, sHi, sLo);
        ev.responded = true;
        ev.vlan = v.vlan;
        // Multicast DNS answers with id 0 are announcements, not replies to a particular query (RFC 6762
        // 18.1); Zeek does not associate them with a query either.
        boolean unsolicited = ev.transId == 0 && (sPort == 5353 || cPort == 5353);
        int s = unsolicited ? -1 : pending.find(tr, cHi, cLo, cPort, sHi, sLo, sPort, ev.transId);
        if (s >= 0) {
            ev.tsNanos = pending.tsNanos[s];
            ev.rttNanos = v.tsNanos - pending.tsNanos[s];
            ev.queried = true;
            ev.queryCount = pending.queryCount[s];
            ev.clientMac = pending.clientMac[s];
            ev.qtype = pending.qtype[s];
            ev.qclass = pending.qclass[s];
            ev.qnameLen = pending.qnameLen[s];
            System.arraycopy(pending.qnames, s * DnsEvent.MAX_NAME, ev.qname, 0, ev.qnameLen);
            pending.remove(s);
        } else {
            responsesWithoutQuery++;
            ev.tsNanos = v.tsNanos;
            ev.rttNanos = -1;
            ev.queried = false;
            ev.queryCount = 0;
            ev.clientMac = toGroup ? v.srcMac : v.dstMac;
        }
        if (resolvedNames != null) resolvedNames.learn(ev);
        out.onDns(ev);
    }

    private io.netsensor.capture.names.ResolvedNames resolvedNames;

    /** Where answers are recorded so connections know the name their host resolved (call before the first packet). */
    public void setResolvedNames(io.netsensor.capture.names.ResolvedNames names) {
        this.resolvedNames = names;
    }

    private void reportUnanswered(int s) {
        unanswered++;
        DnsEvent ev = expired;
        ev.clear();
        pending.keyTo(s, ev);
        ev.tsNanos = pending.tsNanos[s];
        ev.direction = direction(ev.clientIpHi, ev.clientIpLo, ev.serverIpHi, ev.serverIpLo);
        ev.opcode = pending.opcode[s];
        ev.qtype = pending.qtype[s];
        ev.qclass = pending.qclass[s];
        ev.flags = pending.flags[s];
        ev.queried = true;
        ev.queryCount = pending.queryCount[s];
        ev.clientMac = pending.clientMac[s];
        ev.vlan = pending.vlan[s];
        ev.qnameLen = pending.qnameLen[s];
        System.arraycopy(pending.qnames, s * DnsEvent.MAX_NAME, ev.qname, 0, ev.qnameLen);
        pending.remove(s);
        out.onDns(ev);
    }

    /** Reports queries older than the timeout as unanswered and drops idle TCP streams (event time). */
    public void expire(long nowNanos) {
        for (int s = pending.oldest(); s >= 0; s = pending.oldest()) {
            if (nowNanos - pending.tsNanos[s] < settings.timeoutNanos) break;
            reportUnanswered(s);
        }
        if (lastStreamScan == Long.MIN_VALUE || nowNanos - lastStreamScan >= STREAM_SCAN_NANOS) {
            lastStreamScan = nowNanos;
            streams.expire(nowNanos, settings.timeoutNanos);
        }
    }

    /** End of input: reports every pending query as unanswered and forgets TCP streams. */
    public void flush(long nowNanos) {
        for (int s = pending.oldest(); s >= 0; s = pending.oldest()) {
            reportUnanswered(s);
        }
        streams.clear();
        lastStreamScan = nowNanos;
    }

    /** After {@link #flush}, when packet time stepped back for good: the stream scan starts over from the next tick. */
    public void restartClock() {
        lastStreamScan = Long.MIN_VALUE;
    }

    public int pendingCount() {
        return pending.size();
    }

    /**
     * Registers {@code dns.*}: queries, responses (with and without their query), retransmitted queries,
     * unanswered, evictions, pending now, TCP stream outcomes ({@code dns.tcp.*}) and malformed messages by
     * reason; counts read from the tracker's own fields (capture thread, nothing per packet).
     */
    public void register(Metrics m) {
        m.count("dns.queries", () -> queries);
        m.count("dns.responses", () -> responses);
        m.count("dns.responses_without_query", () -> responsesWithoutQuery);
        m.count("dns.retransmitted_queries", () -> retransmittedQueries);
        m.count("dns.unanswered", () -> unanswered);
        m.gauge("dns.pending", pending::size);
        m.count("dns.evictions", () -> evictions);
        m.count("dns.tcp.gaps", () -> streams.gaps);
        m.count("dns.tcp.retransmits", () -> streams.retransmits);
        m.count("dns.tcp.oversize", () -> streams.oversize);
        m.count("dns.tcp.stream_evictions", () -> streams.streamEvictions);
        for (int r = 1; r < malformed.length; r++) {
            int i = r;
            m.count(Metrics.name("dns.malformed", "reason", DnsMessageParser.reasonName(r)), () -> malformed[i]);
        }
    }

    private Direction direction(long cHi, long cLo, long sHi, long sLo) {
        return Direction.of(locality.isLocal(cHi, cLo), locality.isLocal(sHi, sLo));
    }

    static boolean isMulticast(long hi, long lo) {
        if (hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == 0x0000_FFFF_0000_0000L) {
            return ((int) lo >>> 28) == 0xE;
        }
        return (hi >>> 56) == 0xFF;
    }
}
