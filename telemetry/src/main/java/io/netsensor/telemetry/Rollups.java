package io.netsensor.telemetry;

import io.netsensor.detectors.ConnView;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.TelemetryRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Summarized telemetry: folds connection and DNS records into rows per interval of event time (see
 * {@link TelemetryRow}) and hands each finished interval's rows to {@code out}. Pure (events in, rows
 * out, event time only) and bounded: at most {@code maxRows} rows per interval and kind, the rest folded
 * into one "other" row that counts them; the names per remote address are a bounded LRU per key, and the keys
 * that have names a bounded LRU too.
 *
 * <p>Connections are counted once ({@link ConnView#countOnce}); bytes and packets come from END records
 * (final counts), failures from the END state (REJ = rejected, S0/SH = no answer). A record older than the
 * open interval (journal order is nearly time order) is added to the open interval and counted as late.
 *
 * <p>It runs once per record on the detection thread, so a record whose key was seen before allocates nothing:
 * keys are primitive fields ({@link RowKey}, {@link Address}) looked up by a reused probe and copied only when a
 * row or name is new; query names and their registered domains are Strings made once per distinct name
 * ({@link QueryNames}). Text is made when rows are emitted. Rows come out in the order their keys were first
 * seen in the interval.
 */
public final class Rollups implements EventHandler {
    private final RollupSettings settings;
    private final long intervalNanos;
    private final Consumer<TelemetryRow> out;
    private final Map<RowKey, ConnAgg> conns = new LinkedHashMap<>();
    private final Map<RowKey, DnsAgg> dns = new LinkedHashMap<>();
    /**
     * Most local keys whose resolved names are kept: a gateway's LAN clients (or the processes of a busy server)
     * come and go, and the names of the least recently resolving ones are dropped past this (counted in
     * {@link #nameKeysEvicted()}), so a row of theirs goes out without names.
     */
    static final int MAX_NAME_KEYS = 4096;
    private final Map<RowKey, LinkedHashMap<Address, List<String>>> names = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RowKey, LinkedHashMap<Address, List<String>>> eldest) {
            if (size() <= MAX_NAME_KEYS) return false;
            nameKeysEvicted++;
            return true;
        }
    };
    private long nameKeysEvicted;
    private final QueryNames queryNames = new QueryNames();
    // probes, one per map, refilled from every record (never stored: maps keep copies)
    private final RowKey connProbe = new RowKey(), dnsProbe = new RowKey(), localProbe = new RowKey();
    private final Address addressProbe = new Address();
    private ConnAgg otherConn;
    private DnsAgg otherDns;
    private long intervalStart = Long.MIN_VALUE;
    private long rows, folded, late, intervals;

    public Rollups(RollupSettings settings, Consumer<TelemetryRow> out) {
        this.settings = settings;
        this.intervalNanos = settings.interval().toNanos();
        this.out = out;
    }

    private static final class ConnAgg {
        long connections, rejected, noAnswer, bytesOut, bytesIn, packetsOut, packetsIn, first = Long.MAX_VALUE, last, folded;
    }

    private static final class DnsAgg {
        long queries, nxdomains, folded;
        final Set<String> distinct = new HashSet<>(); // of QueryNames' Strings: adding one seen before allocates nothing
        final TypeCounts types = new TypeCounts();
    }

    @Override
    public void onConn(ConnEvent e) {
        long t = e.phase == ConnEvent.Phase.END ? e.endNanos : e.startNanos;
        advance(t);
        boolean localOrig = ConnView.localIsOriginator(e);
        // the key of a row: the process where attribution exists, else the local host (or LAN client)
        boolean attributed = e.attribution == Attribution.RESOLVED;
        RowKey key = localOrig ? connProbe.local(e.origIpHi, e.origIpLo, e.origMac, attributed, e.processEntityId, e.pid)
                : connProbe.local(e.respIpHi, e.respIpLo, e.respMac, attributed, e.processEntityId, e.pid);
        key.remoteHi = ConnView.remoteHi(e);
        key.remoteLo = ConnView.remoteLo(e);
        key.remotePort = ConnView.remotePort(e);
        key.transport = e.transport;
        ConnAgg a = conns.get(key);
        if (a == null) {
            if (conns.size() >= settings.maxRows()) {
                if (otherConn == null) otherConn = new ConnAgg();
                a = otherConn;
                a.folded++; // a row that did not fit (counted per record folded; rows = distinct keys are not kept)
            } else {
                a = new ConnAgg();
                conns.put(key.copy(), a);
            }
        }
        if (ConnView.countOnce(e)) a.connections++;
        if (e.phase == ConnEvent.Phase.END) {
            ConnState.Outcome o = e.state.outcome();
            if (o == ConnState.Outcome.REJECTED) a.rejected++;
            else if (o == ConnState.Outcome.NO_ANSWER) a.noAnswer++;
            a.bytesOut += localOrig ? e.origBytes : e.respBytes;
            a.bytesIn += localOrig ? e.respBytes : e.origBytes;
            a.packetsOut += localOrig ? e.origPkts : e.respPkts;
            a.packetsIn += localOrig ? e.respPkts : e.origPkts;
        }
        long start = ConnView.time(e);
        a.first = Math.min(a.first, start);
        a.last = Math.max(a.last, Math.max(start, e.endNanos));
    }

    @Override
    public void onDns(DnsEvent e) {
        advance(e.tsNanos);
        boolean attributed = e.attribution == Attribution.RESOLVED;
        RowKey local = localProbe.local(e.clientIpHi, e.clientIpLo, e.clientMac, attributed, e.processEntityId, e.pid);
        QueryNames.Name name = queryNames.of(e);
        String qname = name.text;
        rememberNames(local, qname, e);
        if (!e.queried && qname.isEmpty()) return; // a response-only record without a question: nothing to count
        RowKey key = dnsProbe.localOf(local);
        key.domain = name.domain;
        DnsAgg a = dns.get(key);
        if (a == null) {
            if (dns.size() >= settings.maxRows()) {
                if (otherDns == null) otherDns = new DnsAgg();
                a = otherDns;
                a.folded++;
            } else {
                a = new DnsAgg();
                dns.put(key.copy(), a);
            }
        }
        a.queries += Math.max(1, e.queryCount);
        if (e.rcode == 3) a.nxdomains++;
        if (a.distinct.size() < 10_000) a.distinct.add(qname); // bounded: a count past 10,000 names is "at least"
        a.types.add(e.qtype);
    }

    /** The names this key resolved for each address it got in answers (A and AAAA), most recent first. */
    private void rememberNames(RowKey local, String qname, DnsEvent e) {
        if (qname.isEmpty() || e.answerCount == 0) return;
        // get, then put a copy when absent: computeIfAbsent would keep the probe (and allocate its lambda)
        LinkedHashMap<Address, List<String>> byAddress = names.get(local);
        if (byAddress == null) {
            byAddress = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Address, List<String>> eldest) {
                    return size() > settings.nameCacheSize();
                }
            };
            names.put(local.copy(), byAddress);
        }
        for (int i = 0; i < e.answerCount; i++) {
            if ((e.answerType[i] != DnsWire.TYPE_A && e.answerType[i] != DnsWire.TYPE_AAAA)
                    || e.answerEncoding[i] != DnsEvent.RDATA_ADDRESS) continue;
            Address addr = address(e.answerData, e.answerOffset[i], e.answerLength[i]);
            if (addr == null) continue;
            List<String> l = byAddress.get(addr); // access order: a get is a use, as computeIfAbsent's was
            if (l == null) {
                l = new ArrayList<>(2);
                byAddress.put(addr.copy(), l);
            }
            l.remove(qname); // QueryNames' String: equals is mostly ==
            l.add(0, qname);
            if (l.size() > settings.maxNames()) l.remove(l.size() - 1);
        }
    }

    /** The answer's address in the probe (A as v4-mapped, so it matches connections' remotes), null for another length. */
    private Address address(byte[] d, int off, int len) {
        if (len == 4) return addressProbe.set(0, Ip.v4Lo(Ip.readInt(d, off)));
        if (len == 16) return addressProbe.set(Ip.readLong(d, off), Ip.readLong(d, off + 8));
        return null;
    }

    /** Moves to the interval of event time t, emitting the finished one first. */
    private void advance(long t) {
        long start = Math.floorDiv(t, intervalNanos) * intervalNanos;
        if (intervalStart == Long.MIN_VALUE) {
            intervalStart = start;
        } else if (start > intervalStart) {
            emit();
            intervalStart = start;
        } else if (start < intervalStart) {
            late++;
        }
    }

    /** Emits the open interval (end of input: call before the last records are lost). */
    public void finish() {
        if (intervalStart != Long.MIN_VALUE) emit();
        intervalStart = Long.MIN_VALUE;
    }

    private void emit() {
        long end = intervalStart + intervalNanos;
        for (Map.Entry<RowKey, ConnAgg> en : conns.entrySet()) out.accept(connRow(en.getKey(), en.getValue(), end));
        if (otherConn != null) out.accept(connRow(null, otherConn, end));
        for (Map.Entry<RowKey, DnsAgg> en : dns.entrySet()) out.accept(dnsRow(en.getKey(), en.getValue(), end));
        if (otherDns != null) out.accept(dnsRow(null, otherDns, end));
        rows += conns.size() + dns.size() + (otherConn != null ? 1 : 0) + (otherDns != null ? 1 : 0);
        folded += (otherConn != null ? otherConn.folded : 0) + (otherDns != null ? otherDns.folded : 0);
        conns.clear();
        dns.clear();
        otherConn = null;
        otherDns = null;
        intervals++;
    }

    private TelemetryRow connRow(RowKey k, ConnAgg a, long end) {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.CONN);
        b.intervalStartNanos = intervalStart;
        b.intervalEndNanos = end;
        if (k == null) {
            b.other = true;
            b.foldedRows = a.folded;
            b.transport = null;
        } else {
            key(b, k);
            b.remoteIp = k.remoteText();
            b.remotePort = k.remotePort;
            b.transport = k.transport;
            LinkedHashMap<Address, List<String>> byAddr = names.get(localProbe.localOf(k));
            List<String> n = byAddr == null ? null : byAddr.get(addressProbe.set(k.remoteHi, k.remoteLo)); // a use, in access order
            if (n != null) b.names = List.copyOf(n);
        }
        b.connections = a.connections;
        b.rejected = a.rejected;
        b.noAnswer = a.noAnswer;
        b.bytesOut = a.bytesOut;
        b.bytesIn = a.bytesIn;
        b.packetsOut = a.packetsOut;
        b.packetsIn = a.packetsIn;
        b.firstSeenNanos = a.first == Long.MAX_VALUE ? 0 : a.first;
        b.lastSeenNanos = a.last;
        return b.build();
    }

    private TelemetryRow dnsRow(RowKey k, DnsAgg a, long end) {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.DNS);
        b.intervalStartNanos = intervalStart;
        b.intervalEndNanos = end;
        b.transport = null;
        if (k == null) {
            b.other = true;
            b.foldedRows = a.folded;
        } else {
            key(b, k);
            b.domain = k.domain;
        }
        b.queries = a.queries;
        b.nxdomains = a.nxdomains;
        b.distinctNames = a.distinct.size();
        b.queryTypes = a.types.toMap();
        return b.build();
    }

    private static void key(TelemetryRow.Builder b, RowKey k) {
        b.localIp = k.ipText();
        b.localMac = k.macText();
        b.processEntityId = k.entityId;
        b.pid = k.pid;
    }

    /** Rows emitted so far. */
    /** Local keys whose resolved names were dropped to keep at most {@value #MAX_NAME_KEYS}. */
    public long nameKeysEvicted() {
        return nameKeysEvicted;
    }

    public long rows() {
        return rows;
    }

    /** Records folded into "other" rows because an interval was at its row cap. */
    public long folded() {
        return folded;
    }

    /** Records older than the open interval, added to it. */
    public long late() {
        return late;
    }

    public long intervals() {
        return intervals;
    }
}
