package io.netsensor.telemetry;

import io.netsensor.detectors.ConnView;
import io.netsensor.detectors.dga.DomainName;
import io.netsensor.detectors.dga.PublicSuffixes;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.Mac;
import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import java.util.ArrayList;
import java.util.HashMap;
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
 * into one "other" row that counts them; the names per remote address are a bounded LRU per key.
 *
 * <p>Connections are counted once ({@link ConnView#countOnce}); bytes and packets come from END records
 * (final counts), failures from the END state (REJ = rejected, S0/SH = no answer). A record older than the
 * open interval (journal order is nearly time order) is added to the open interval and counted as late.
 */
public final class Rollups implements EventHandler {
    private final RollupSettings settings;
    private final long intervalNanos;
    private final Consumer<TelemetryRow> out;
    private final Map<ConnKey, ConnAgg> conns = new HashMap<>();
    private final Map<DnsKey, DnsAgg> dns = new HashMap<>();
    private final Map<Local, LinkedHashMap<String, List<String>>> names = new HashMap<>();
    private final DomainName domainName = new DomainName();
    private ConnAgg otherConn;
    private DnsAgg otherDns;
    private long intervalStart = Long.MIN_VALUE;
    private long rows, folded, late, intervals;

    public Rollups(RollupSettings settings, Consumer<TelemetryRow> out) {
        this.settings = settings;
        this.intervalNanos = settings.interval().toNanos();
        this.out = out;
    }

    /** Key of a row: the process where attribution exists, else the local host (or LAN client). */
    private record Local(String ip, String mac, long entityId, int pid) {}

    private record ConnKey(Local local, String remoteIp, int remotePort, Transport transport) {}

    private record DnsKey(Local local, String domain) {}

    private static final class ConnAgg {
        long connections, rejected, noAnswer, bytesOut, bytesIn, packetsOut, packetsIn, first = Long.MAX_VALUE, last, folded;
    }

    private static final class DnsAgg {
        long queries, nxdomains, folded;
        final Set<String> distinct = new HashSet<>();
        final Map<String, Long> types = new LinkedHashMap<>();
    }

    @Override
    public void onConn(ConnEvent e) {
        long t = e.phase == ConnEvent.Phase.END ? e.endNanos : e.startNanos;
        advance(t);
        boolean localOrig = ConnView.localIsOriginator(e);
        Local local = localOrig ? local(e.origIpHi, e.origIpLo, e.origMac, e) : local(e.respIpHi, e.respIpLo, e.respMac, e);
        ConnKey key = new ConnKey(local, Ip.toString(ConnView.remoteHi(e), ConnView.remoteLo(e)), ConnView.remotePort(e), e.transport);
        ConnAgg a = conns.get(key);
        if (a == null) {
            if (conns.size() >= settings.maxRows()) {
                if (otherConn == null) otherConn = new ConnAgg();
                a = otherConn;
                a.folded++; // a row that did not fit (counted per record folded; rows = distinct keys are not kept)
            } else {
                a = new ConnAgg();
                conns.put(key, a);
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

    private Local local(long hi, long lo, long mac, ConnEvent e) {
        boolean attributed = e.attribution == Attribution.RESOLVED;
        return new Local(Ip.toString(hi, lo), mac == 0 ? null : Mac.toString(mac), attributed ? e.processEntityId : 0,
                attributed ? e.pid : 0);
    }

    @Override
    public void onDns(DnsEvent e) {
        advance(e.tsNanos);
        boolean attributed = e.attribution == Attribution.RESOLVED;
        Local local = new Local(Ip.toString(e.clientIpHi, e.clientIpLo), e.clientMac == 0 ? null : Mac.toString(e.clientMac),
                attributed ? e.processEntityId : 0, attributed ? e.pid : 0);
        String qname = e.qnameLower();
        rememberNames(local, qname, e);
        if (!e.queried && qname.isEmpty()) return; // a response-only record without a question: nothing to count
        DnsKey key = new DnsKey(local, registeredDomain(qname));
        DnsAgg a = dns.get(key);
        if (a == null) {
            if (dns.size() >= settings.maxRows()) {
                if (otherDns == null) otherDns = new DnsAgg();
                a = otherDns;
                a.folded++;
            } else {
                a = new DnsAgg();
                dns.put(key, a);
            }
        }
        a.queries += Math.max(1, e.queryCount);
        if (e.rcode == 3) a.nxdomains++;
        if (a.distinct.size() < 10_000) a.distinct.add(qname); // bounded: a count past 10,000 names is "at least"
        a.types.merge(Integer.toString(e.qtype), 1L, Long::sum);
    }

    /** The names this key resolved for each address it got in answers (A and AAAA), most recent first. */
    private void rememberNames(Local local, String qname, DnsEvent e) {
        if (qname.isEmpty() || e.answerCount == 0) return;
        LinkedHashMap<String, List<String>> byAddress = names.computeIfAbsent(local, k -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                return size() > settings.nameCacheSize();
            }
        });
        for (int i = 0; i < e.answerCount; i++) {
            if ((e.answerType[i] != DnsWire.TYPE_A && e.answerType[i] != DnsWire.TYPE_AAAA)
                    || e.answerEncoding[i] != DnsEvent.RDATA_ADDRESS) continue;
            String addr = address(e.answerData, e.answerOffset[i], e.answerLength[i]);
            if (addr == null) continue;
            List<String> l = byAddress.computeIfAbsent(addr, k -> new ArrayList<>(2));
            l.remove(qname);
            l.add(0, qname);
            if (l.size() > settings.maxNames()) l.remove(l.size() - 1);
        }
    }

    private static String address(byte[] d, int off, int len) {
        if (len == 4) {
            return (d[off] & 0xFF) + "." + (d[off + 1] & 0xFF) + "." + (d[off + 2] & 0xFF) + "." + (d[off + 3] & 0xFF);
        }
        if (len == 16) {
            long hi = 0, lo = 0;
            for (int i = 0; i < 8; i++) hi = (hi << 8) | (d[off + i] & 0xFF);
            for (int i = 8; i < 16; i++) lo = (lo << 8) | (d[off + i] & 0xFF);
            return Ip.toString(hi, lo);
        }
        return null;
    }

    /** The registered domain (PSL: the label left of the public suffix, with it), or the name itself. */
    private String registeredDomain(String qname) {
        if (qname.isEmpty() || !domainName.parse(qname)) return qname.isEmpty() ? "." : qname;
        int k = PublicSuffixes.get().registeredLabel(domainName);
        if (k < 0) return qname;
        return domainName.substring(domainName.labelStart(k), domainName.length());
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
        for (Map.Entry<ConnKey, ConnAgg> en : conns.entrySet()) out.accept(connRow(en.getKey(), en.getValue(), end));
        if (otherConn != null) out.accept(connRow(null, otherConn, end));
        for (Map.Entry<DnsKey, DnsAgg> en : dns.entrySet()) out.accept(dnsRow(en.getKey(), en.getValue(), end));
        if (otherDns != null) out.accept(dnsRow(null, otherDns, end));
        rows += conns.size() + dns.size() + (otherConn != null ? 1 : 0) + (otherDns != null ? 1 : 0);
        folded += (otherConn != null ? otherConn.folded : 0) + (otherDns != null ? otherDns.folded : 0);
        conns.clear();
        dns.clear();
        otherConn = null;
        otherDns = null;
        intervals++;
    }

    private TelemetryRow connRow(ConnKey k, ConnAgg a, long end) {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.CONN);
        b.intervalStartNanos = intervalStart;
        b.intervalEndNanos = end;
        if (k == null) {
            b.other = true;
            b.foldedRows = a.folded;
            b.transport = null;
        } else {
            key(b, k.local());
            b.remoteIp = k.remoteIp();
            b.remotePort = k.remotePort();
            b.transport = k.transport();
            LinkedHashMap<String, List<String>> byAddr = names.get(k.local());
            List<String> n = byAddr == null ? null : byAddr.get(k.remoteIp());
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

    private TelemetryRow dnsRow(DnsKey k, DnsAgg a, long end) {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.DNS);
        b.intervalStartNanos = intervalStart;
        b.intervalEndNanos = end;
        b.transport = null;
        if (k == null) {
            b.other = true;
            b.foldedRows = a.folded;
        } else {
            key(b, k.local());
            b.domain = k.domain();
        }
        b.queries = a.queries;
        b.nxdomains = a.nxdomains;
        b.distinctNames = a.distinct.size();
        b.queryTypes = a.types;
        return b.build();
    }

    private static void key(TelemetryRow.Builder b, Local l) {
        b.localIp = l.ip();
        b.localMac = l.mac();
        b.processEntityId = l.entityId();
        b.pid = l.pid();
    }

    /** Rows emitted so far. */
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
