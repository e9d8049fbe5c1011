package io.netsensor.detectors.beacon;

import io.netsensor.events.Alert;
import io.netsensor.detectors.AlertIds;
import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.BoundedStates;
import io.netsensor.detectors.ConnView;
import io.netsensor.detectors.Detector;
import io.netsensor.events.DetectorKind;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.PairKey;
import io.netsensor.events.Severity;
import io.netsensor.metrics.Metrics;
import io.netsensor.events.Attribution;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.ProcessLookup;
import io.netsensor.events.Transport;
import io.netsensor.detectors.AlertGate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C2 beaconing (seed query 1): one local endpoint connecting to the same remote ip and port at a
 * regular rhythm. Counts each connection at its END record (which carries the bytes sent, needed for
 * size regularity), by its start time. Alerts when the seed's counters pass (>= 12 events over >= 30
 * min at 4..120 per hour; severity from the seed's case() table) and the {@link Regularity} score passes
 * (stricter on web ports). A series faster than the seed's rate cap alerts too, at Low/Medium, when it
 * is very regular (seed atomic test 1: every 10 s).
 *
 * <p>Cost: each connection is O(1) (ring append, O(k) for k positions of disorder). The full
 * O(n log n) regularity evaluation runs only when the counters allow a severity above the one already
 * alerted, and then only when that potential severity changes (a seed threshold was crossed: alert at
 * once) or after {@code clamp(events/4, 8, ringSize)} further events (the score may have improved), so
 * irregular series cost one evaluation per ring's worth of events and alerted series none.
 *
 * <p>Check-ins are connection starts (END records) and bursts inside connections (BURST records, after
 * each flow's first), in one series per (local host or program, remote name or address, port, transport):
 * an implant that keeps one TLS session open and one that reconnects each time look the same here.
 * A local UDP port that talks to many peers is a P2P socket, not a beacon ({@link LocalPortPeers}).
 * Cloud platform endpoints never reach it ({@link io.netsensor.detectors.DetectorSettings#knownInfrastructure}).
 *
 * <p>Memory per series: ~510 bytes (map entry, key, state, the last names, up to 8 remote addresses, the
 * 5-tuple of the latest connection that carried bursts and the process of the latest attributed check-in;
 * name strings are shared with nothing else, ~100 bytes more when a series has all four) plus 12 bytes
 * per kept event; the ring starts at 8 slots and doubles up to {@code ringSize} (128 by default: ~2.1 KB
 * at most). With the default 20 000 series cap, at most ~45 MB, typically far less since most series
 * stay short.
 */
public final class BeaconDetector implements Detector {
    private static final int SAMPLE_INTERVALS = 10;

    private final DetectorSettings.Beacon cfg;
    private final long minDurationNanos, fastMinDurationNanos, slowMinDurationNanos, mergeNanos;
    private final BitSet webPorts = new BitSet(65536);
    private final BitSet ignoredTcp = new BitSet(65536), ignoredUdp = new BitSet(65536);
    private final BoundedStates<PairKey, BeaconSeries> states;
    private final PairKey probe = new PairKey();
    /** The key of the series being updated or reported. */
    private PairKey current = probe;
    private final long idleNanos;
    private ProcessLookup processes = id -> null;
    private boolean restartedKey;
    /** Per local host and UDP port: the peers it talked to (P2P sockets are not beacons). */
    private final BoundedStates<PairKey, LocalPortPeers> udpPorts;
    private final PairKey portProbe = new PairKey();
    private long p2pSkipped;
    private long burstUpdates, restarted, progressUpdates, adopted;
    private final Regularity regularity;
    private long watermark = Long.MIN_VALUE;
    private long updates, evaluations, alerts, disorderDropped;
    private boolean fastPath, slowPath;

    public BeaconDetector(DetectorSettings.Beacon cfg) {
        if (cfg.ringSize < 8) throw new IllegalArgumentException("beacon ringSize must be >= 8");
        this.cfg = cfg;
        this.minDurationNanos = cfg.minDuration.toNanos();
        this.fastMinDurationNanos = cfg.fastMinDuration.toNanos();
        this.slowMinDurationNanos = cfg.slowMinDuration.toNanos();
        this.mergeNanos = cfg.mergeWithin.toNanos();
        for (int p : cfg.webPorts) webPorts.set(p);
        for (String svc : cfg.ignoredServices) parseService(svc);
        this.states = new BoundedStates<>(cfg.maxKeys, cfg.idleExpiry.toNanos(), BeaconSeries::lastSeen);
        this.idleNanos = cfg.idleExpiry.toNanos();
        this.udpPorts = new BoundedStates<>(cfg.maxKeys, cfg.idleExpiry.toNanos(), LocalPortPeers::lastSeen);
        this.regularity = new Regularity(cfg.ringSize);
    }

    /** "udp/123", "tcp/53" or "53" (both transports). */
    private void parseService(String svc) {
        String s = svc.trim().toLowerCase(java.util.Locale.ROOT);
        int slash = s.indexOf('/');
        String proto = slash < 0 ? "" : s.substring(0, slash);
        int port = Integer.parseInt(s.substring(slash + 1));
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port in " + svc);
        if (!proto.equals("udp") && !proto.isEmpty() && !proto.equals("tcp")) {
            throw new IllegalArgumentException("bad service '" + svc + "' (expected udp/N, tcp/N or N)");
        }
        if (!proto.equals("udp")) ignoredTcp.set(port);
        if (!proto.equals("tcp")) ignoredUdp.set(port);
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.BEACON;
    }

    @Override
    public void setProcessLookup(ProcessLookup lookup) {
        this.processes = lookup == null ? id -> null : lookup;
    }

    @Override
    public void onConn(ConnEvent e, AlertSink out) {
        if (e.phase != ConnEvent.Phase.END) return;
        // a record from mid-connection is not a check-in: the bursts inside it are (BURST records)
        if (!ConnView.startSeen(e)) return;
        if (!ConnView.localIsOriginator(e) || !ConnView.remoteIsExternal(e)) return;
        int port = e.respPort;
        if ((e.transport == Transport.UDP ? ignoredUdp : ignoredTcp).get(port & 0xFFFF)) return;
        long t = ConnView.time(e);
        if (e.transport == Transport.UDP && p2p(e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, t)) return;
        ConnView.local(e, probe.host);
        BeaconSeries s = series(out, t, e.respIpHi, e.respIpLo, port, e.transport, e.attribution, e.pid, e.processStartNanos,
                e.processEntityId, e.names);
        if (s == null) return;
        int size = (int) Math.min(Integer.MAX_VALUE, Math.max(0, e.origBytes));
        add(s, t, size, out);
    }

    /**
     * A burst inside a connection is a check-in like a connection start. A flow's first burst is skipped
     * when the flow's start was seen: its connection record already counts it.
     */
    @Override
    public void onBurst(BurstEvent e, AlertSink out) {
        if (e.firstInFlow() && e.flowStartSeen()) return;
        if (e.direction == Direction.INBOUND || e.direction == Direction.INTERNAL) return;
        if (ConnView.NON_ROUTABLE.contains(e.respIpHi, e.respIpLo)) return;
        int port = e.respPort;
        if ((e.transport == Transport.UDP ? ignoredUdp : ignoredTcp).get(port & 0xFFFF)) return;
        if (e.transport == Transport.UDP && p2p(e.origIpHi, e.origIpLo, e.origPort, e.respIpHi, e.respIpLo, e.respPort, e.startNanos)) return;
        probe.host.set(e.origIpHi, e.origIpLo, e.origMac);
        BeaconSeries s = series(out, e.startNanos, e.respIpHi, e.respIpLo, port, e.transport, e.attribution, e.pid,
                e.processStartNanos, e.processEntityId, e.names);
        if (s == null) return;
        burstUpdates++;
        s.bursts++;
        s.burstRespBytes += Math.max(0, e.respBytes);
        if (s.flowId != e.flowId || s.flowBursts == 0) {
            s.flowId = e.flowId;
            s.flowBursts = 0;
            s.flowOrigHi = e.origIpHi; s.flowOrigLo = e.origIpLo; s.flowOrigPort = e.origPort;
            s.flowRespHi = e.respIpHi; s.flowRespLo = e.respIpLo; s.flowRespPort = e.respPort;
        }
        s.flowStartNanos = e.flowStartNanos;
        s.flowBursts++;
        add(s, e.startNanos, Math.max(0, e.origBytes), out);
    }

    /** True when the local UDP port talks to so many peers that it is a P2P socket (see {@link LocalPortPeers}). */
    private boolean p2p(long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, long t) {
        portProbe.host.set(lHi, lLo, 0);
        portProbe.set(0, 0, lPort, Transport.UDP.ianaNumber);
        LocalPortPeers peers = udpPorts.get(portProbe);
        if (peers == null) {
            peers = new LocalPortPeers();
            udpPorts.put(portProbe.copy(), peers);
        }
        long h = (rHi * 0x9E3779B97F4A7C15L ^ rLo) * 0xC2B2AE3D27D4EB4FL ^ rPort;
        boolean p2p = peers.add(h, t);
        udpPorts.expire(t);
        if (p2p) p2pSkipped++;
        return p2p;
    }

    /**
     * The series of this check-in (made when new, restarted when it went quiet for longer than the idle
     * expiry, as if it had expired): keyed by the local host, or by its program when attribution names one
     * (a scheduler that starts a new process per check-in is one series), and by the remote's name when
     * the connection has one (a C2 name rotating its addresses is one series), else its address.
     */
    private BeaconSeries series(AlertSink out, long t, long remoteHi, long remoteLo, int port, Transport transport,
                                Attribution attribution, int pid, long processStart, long entityId, ConnNames names) {
        if (t > watermark) watermark = t;
        sink = out;
        probe.host.setProcess(0, 0, null);
        String executable = null;
        if (attribution == Attribution.RESOLVED) {
            ProcessInfo p = processes.find(entityId);
            if (p != null && p.executable != null) executable = p.executable;
        }
        String name = names.serverName();
        probe.set(name != null ? 0 : remoteHi, name != null ? 0 : remoteLo, port, transport.ianaNumber);
        probe.name = name;
        BeaconSeries s = null;
        if (executable != null) {
            probe.host.setProcess(0, 0, executable);
            s = states.get(probe);
            if (s == null) s = adoptHostSeries(executable);
        } else {
            s = states.get(probe);
        }
        if (s != null && t - s.lastNanos > idleNanos && s.events > 0) {
            ended(probe, s);
            states.remove(probe);
            restarted++;
            restartedKey = true;
            s = null;
        }
        boolean again = s == null && restartedKey;
        restartedKey = false;
        if (s == null) {
            s = new BeaconSeries(cfg.ringSize);
            s.episode = again ? t : 0;
            states.put(probe.copy(), s);
        }
        updates++;
        s.address(remoteHi, remoteLo);
        if (attribution == Attribution.RESOLVED) {
            s.pid = pid;
            s.processStartNanos = processStart;
            s.processEntityId = entityId;
        }
        String v;
        if ((v = names.text(ConnNames.DNS)) != null) s.dnsName = v;
        if ((v = names.text(ConnNames.SNI)) != null) s.sni = v;
        if ((v = names.text(ConnNames.HTTP_HOST)) != null) s.httpHost = v;
        if ((v = names.text(ConnNames.USER_AGENT)) != null) s.userAgent = v;
        current = probe;
        return s;
    }

    /**
     * The first check-ins of a process can reach the detector before its executable is known (the process
     * record follows the connection's; a capture that starts mid-stream): they make a series keyed by the host
     * alone. When the executable becomes known, that series becomes the executable's, so one implant is one
     * series rather than two halves that each stay below the count. Returns null when there is none.
     */
    private BeaconSeries adoptHostSeries(String executable) {
        probe.host.setProcess(0, 0, null);
        BeaconSeries s = states.get(probe);
        if (s != null) {
            states.remove(probe);
            probe.host.setProcess(0, 0, executable);
            states.put(probe.copy(), s);
            adopted++;
        }
        probe.host.setProcess(0, 0, executable);
        return s;
    }

    private void add(BeaconSeries s, long t, int size, AlertSink out) {
        long dropped = s.disorderDropped;
        if (s.add(t, size, mergeNanos)) {
            maybeEvaluate(s, out);
            maybeProgress(s, out);
        }
        disorderDropped += s.disorderDropped - dropped;
        sink = out;
        states.expire(watermark, ended);
    }

    /** Where a series that ends states its final count (the sink of the event being handled). */
    private AlertSink sink;
    private final java.util.function.BiConsumer<PairKey, BeaconSeries> ended = this::ended;

    /** A series went quiet: an alerted one states how far it got. */
    private void ended(PairKey key, BeaconSeries s) {
        if (s.alerted == null || s.connections <= s.alertedCount || sink == null) return;
        PairKey was = current;
        current = key;
        progress(s, sink);
        current = was;
    }

    /**
     * An alerted series that keeps going is re-stated (same id and severity, marked as progress) each time
     * its count doubles and at the end of input, so its alert tells how long it really ran.
     */
    private void maybeProgress(BeaconSeries s, AlertSink out) {
        if (s.alerted == null || s.connections < 2 * s.alertedCount) return;
        progress(s, out);
    }

    private void progress(BeaconSeries s, AlertSink out) {
        if (s.n < 4) return;
        fastPath = s.fastPath;
        slowPath = s.slowPath;
        regularity.evaluate(s);
        Alert.Draft a = draft(s, s.alerted, s.scoreNeeded);
        a.evidence.put(AlertGate.PROGRESS, true);
        s.alertedCount = a.count;
        progressUpdates++;
        alerts++; // an alert raised like any other (detector.alerts counts before the gate)
        out.onAlert(a.build());
    }

    @Override
    public void finish(AlertSink out) {
        for (Map.Entry<PairKey, BeaconSeries> en : states.entries()) { // progress() does not touch the map
            BeaconSeries s = en.getValue();
            if (s.alerted == null || s.connections <= s.alertedCount) continue;
            current = en.getKey();
            progress(s, out);
        }
    }

    private void maybeEvaluate(BeaconSeries s, AlertSink out) {
        Severity potential = potentialSeverity(s);
        if (potential == null) return;
        if (s.alerted != null && potential.compareTo(s.alerted) <= 0) return;
        if (potential == s.lastPotential && s.events < s.nextEvalAt) return;
        s.lastPotential = potential;
        s.nextEvalAt = s.events + Math.max(8, Math.min(cfg.ringSize, s.events / 4));
        if (s.n < 4) return;
        evaluations++;
        double score = regularity.evaluate(s);
        double needed = fastPath ? cfg.fastMinScore : slowPath ? cfg.slowMinScore : cfg.minScore;
        if (webPorts.get(current.remotePort)) needed = Math.max(needed, cfg.webMinScore);
        if (score < needed) return;
        s.alerted = potential;
        s.scoreNeeded = needed;
        s.fastPath = fastPath;
        s.slowPath = slowPath;
        alerts++;
        Alert.Draft a = draft(s, potential, needed);
        s.alertedCount = a.count;
        out.onAlert(a.build());
    }

    /**
     * The severity the counters allow, if the series is regular enough (null: none). Sets fastPath when
     * the series is above the seed's rate cap.
     */
    private Severity potentialSeverity(BeaconSeries s) {
        long ev = s.events;
        long span = s.lastNanos - s.firstNanos;
        double perHour = span <= 0 ? Double.POSITIVE_INFINITY : ev * 3600e9 / span;
        fastPath = slowPath = false;
        if (ev >= cfg.minConnections && span >= minDurationNanos && perHour >= cfg.minPerHour
                && perHour <= cfg.maxPerHour) {
            return seedSeverity(ev, span / 60e9);
        }
        if (perHour > cfg.maxPerHour && ev >= cfg.fastMinConnections && span >= fastMinDurationNanos) {
            fastPath = true;
            return ev > 100 ? Severity.MEDIUM : Severity.LOW;
        }
        if (perHour < cfg.minPerHour && ev >= cfg.slowMinConnections && span >= slowMinDurationNanos) {
            slowPath = true;
            return ev > 20 ? Severity.MEDIUM : Severity.LOW;
        }
        return null;
    }

    /** The seed's beacon_score case(). */
    static Severity seedSeverity(long count, double durationMinutes) {
        if (count > 100 && durationMinutes > 120) return Severity.CRITICAL;
        if (count > 50) return Severity.HIGH;
        if (count > 20) return Severity.MEDIUM;
        return Severity.LOW;
    }

    private Alert.Draft draft(BeaconSeries s, Severity sev, double needed) {
        Regularity r = regularity;
        PairKey k = current;
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.BEACON;
        a.severity = sev;
        a.score = r.score;
        a.hostIp = k.host.ipText();
        a.hostMac = k.host.macText();
        a.firstSeenNanos = s.firstNanos;
        a.lastSeenNanos = s.lastNanos;
        a.count = s.connections; // check-ins: connection starts and bursts
        a.remotePort = k.remotePort;
        String transport = k.protocol == Transport.UDP.ianaNumber ? "udp" : "tcp";
        double durMin = s.durationMinutes();
        double perHour = durMin > 0 ? s.events * 60.0 / durMin : 0;
        boolean inConnection = s.bursts * 2 > s.connections;
        Map<String, Object> ev = a.evidence;
        // the id: host, program, remote name or address, port, transport (not the latest address of a name)
        // a series that started again after going quiet is a new finding, with its own id
        ev.put(AlertIds.SUBJECT, transport + (k.name != null ? " " + k.name : "") + (k.host.executable != null ? " " + k.host.executable : "")
                + (s.episode != 0 ? " since " + s.episode : ""));
        a.remoteIp = k.remoteIpText();
        a.id = AlertIds.of(a);
        a.remoteIp = Ip.toString(s.remoteHi, s.remoteLo);
        // the process of the series' latest attributed check-in: an alert raised at the end of input or when
        // the series expires is raised while no record, or another series' record, is being handled. Set
        // after the id: a series keyed by executable is one finding whichever of its processes checked in last
        if (s.pid != 0 || s.processEntityId != 0) {
            ProcessInfo p = processes.find(s.processEntityId);
            a.process = p != null ? p : ProcessInfo.identityOnly(s.processEntityId, s.pid, s.processStartNanos);
        }
        ev.put("transport", transport);
        ev.put("path", fastPath ? "fast_regular" : slowPath ? "slow_regular" : "seed");
        ev.put("pattern", inConnection ? "bursts_in_connection" : "connections");
        ev.put("connection_count", s.connections - s.bursts);
        ev.put("burst_count", s.bursts);
        ev.put("beacon_events", s.events);
        ev.put("duration_minutes", round(durMin, 2));
        ev.put("connections_per_hour", round(perHour, 1));
        ev.put("interval_median_s", round(r.medianInterval / 1e9, 3));
        ev.put("interval_mad_s", round(r.madInterval / 1e9, 3));
        ev.put("interval_skew", round(r.skew, 3));
        ev.put("interval_relative_mad", round(r.relMad, 3));
        List<Integer> hist = new ArrayList<>(Regularity.HISTOGRAM_BUCKETS);
        for (int c : r.histogram) hist.add(c);
        ev.put("interval_histogram", hist);
        ev.put("interval_histogram_max_s", round(2 * r.medianInterval / 1e9, 3));
        ev.put("sample_intervals_s", sampleIntervals(r));
        ev.put("size_median_bytes", r.medianSize);
        ev.put("size_mad_bytes", r.madSize);
        ev.put("size_skew", round(r.sizeSkew, 3));
        if (s.bursts > 0) ev.put("burst_response_bytes_mean", s.burstRespBytes / s.bursts);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("interval_skew", round(r.skewScore, 3));
        sub.put("interval_dispersion", round(r.madScore, 3));
        sub.put("time_spread", round(r.spreadScore, 3));
        sub.put("size_regularity", round(r.sizeScore, 3));
        ev.put("sub_scores", sub);
        ev.put("score_threshold", needed);
        ev.put("samples", r.n);
        if (k.name != null) ev.put("remote_name", k.name);
        if (s.dnsName != null) ev.put("destination_domain", s.dnsName);
        if (s.sni != null) ev.put("tls_server_name", s.sni);
        if (s.httpHost != null) ev.put("http_host", s.httpHost);
        if (s.userAgent != null) ev.put("user_agent", s.userAgent);
        List<String> addrs = new ArrayList<>(s.addresses);
        for (int i = 0; i < s.addresses; i++) addrs.add(Ip.toString(s.addressHi[i], s.addressLo[i]));
        ev.put("remote_addresses", addrs);
        if (s.addresses == BeaconSeries.MAX_ADDRESSES) ev.put("remote_addresses_truncated", true);
        if (k.host.executable != null) ev.put("series_executable", k.host.executable);
        if (s.bursts > 0) {
            Map<String, Object> conn = new LinkedHashMap<>();
            conn.put("flow_id", Long.toHexString(s.flowId)); // = netsensor.flow_id of its CONN and BURST records
            // its 5-tuple (the series may span addresses and connections: this is the latest one's)
            conn.put("transport", transport);
            conn.put("source_ip", Ip.toString(s.flowOrigHi, s.flowOrigLo));
            conn.put("source_port", s.flowOrigPort);
            conn.put("destination_ip", Ip.toString(s.flowRespHi, s.flowRespLo));
            conn.put("destination_port", s.flowRespPort);
            conn.put("start", java.time.Instant.ofEpochSecond(0, s.flowStartNanos).toString());
            conn.put("open_minutes", round((s.lastNanos - s.flowStartNanos) / 60e9, 2));
            conn.put("bursts", s.flowBursts);
            ev.put("connection", conn);
        }
        String what = inConnection ? "check-ins inside one connection" : transport + " connections";
        String to = k.name != null ? k.name + ":" + k.remotePort + (s.addresses > 1 ? " (" + s.addresses + (s.addresses == BeaconSeries.MAX_ADDRESSES ? "+" : "") + " addresses)" : "")
                : a.remoteIp + ":" + k.remotePort;
        a.summary = String.format(java.util.Locale.ROOT,
                "periodic %s every ~%s (jitter %.0f %%) to %s, %d in %s%s",
                what, human(r.medianInterval), 100 * r.relMad, to, a.count, humanSpan(s.lastNanos - s.firstNanos),
                inConnection ? ", " + transport + " connection open " + humanSpan(s.lastNanos - s.flowStartNanos) : "");
        return a;
    }

    private static String humanSpan(long nanos) {
        double min = nanos / 60e9;
        if (min < 120) return String.format(java.util.Locale.ROOT, "%.0f min", min);
        return String.format(java.util.Locale.ROOT, "%.1f h", min / 60);
    }

    private static List<Double> sampleIntervals(Regularity r) {
        long[] ts = r.timestamps();
        List<Double> out = new ArrayList<>(SAMPLE_INTERVALS);
        for (int i = Math.max(1, r.n - SAMPLE_INTERVALS); i < r.n; i++) out.add(round((ts[i] - ts[i - 1]) / 1e9, 3));
        return out;
    }

    private static String human(long nanos) {
        double s = nanos / 1e9;
        if (s < 120) return String.format(java.util.Locale.ROOT, "%.0f s", s);
        if (s < 7200) return String.format(java.util.Locale.ROOT, "%.1f min", s / 60);
        return String.format(java.util.Locale.ROOT, "%.1f h", s / 3600);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    @Override
    public void register(Metrics m) {
        states.register(m, kind(), () -> alerts);
        m.count("detector.beacon.updates", () -> updates);
        m.count("detector.beacon.evaluations", () -> evaluations);
        m.count("detector.beacon.disorder_dropped", () -> disorderDropped);
        m.count("detector.beacon.burst_updates", () -> burstUpdates);
        m.count("detector.beacon.series_restarted", () -> restarted);
        m.count("detector.beacon.series_adopted", () -> adopted);
        m.count("detector.beacon.progress_updates", () -> progressUpdates);
        m.count("detector.beacon.p2p_skipped", () -> p2pSkipped);
    }
}
