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
import io.netsensor.events.ConnEvent;
import io.netsensor.events.Transport;
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
 * <p>Memory per series: ~200 bytes (map entry, key, state) plus 12 bytes per kept event; the ring
 * starts at 8 slots and doubles up to {@code ringSize} (128 by default: ~1.8 KB at most). With the
 * default 20 000 series cap, at most ~36 MB, typically far less since most series stay short.
 */
public final class BeaconDetector implements Detector {
    private static final int SAMPLE_INTERVALS = 10;

    private final DetectorSettings.Beacon cfg;
    private final long minDurationNanos, fastMinDurationNanos, mergeNanos;
    private final BitSet webPorts = new BitSet(65536);
    private final BitSet ignoredTcp = new BitSet(65536), ignoredUdp = new BitSet(65536);
    private final BoundedStates<PairKey, BeaconSeries> states;
    private final PairKey probe = new PairKey();
    private final Regularity regularity;
    private long watermark = Long.MIN_VALUE;
    private long updates, evaluations, alerts, disorderDropped;
    private boolean fastPath;

    public BeaconDetector(DetectorSettings.Beacon cfg) {
        if (cfg.ringSize < 8) throw new IllegalArgumentException("beacon ringSize must be >= 8");
        this.cfg = cfg;
        this.minDurationNanos = cfg.minDuration.toNanos();
        this.fastMinDurationNanos = cfg.fastMinDuration.toNanos();
        this.mergeNanos = cfg.mergeWithin.toNanos();
        for (int p : cfg.webPorts) webPorts.set(p);
        for (String svc : cfg.ignoredServices) parseService(svc);
        this.states = new BoundedStates<>(cfg.maxKeys, cfg.idleExpiry.toNanos(), BeaconSeries::lastSeen);
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
    public void onConn(ConnEvent e, AlertSink out) {
        if (e.phase != ConnEvent.Phase.END) return;
        if (!ConnView.localIsOriginator(e) || !ConnView.remoteIsExternal(e)) return;
        int port = e.respPort;
        if ((e.transport == Transport.UDP ? ignoredUdp : ignoredTcp).get(port & 0xFFFF)) return;
        long t = ConnView.time(e);
        if (t > watermark) watermark = t;
        ConnView.local(e, probe.host);
        probe.set(e.respIpHi, e.respIpLo, port, e.transport.ianaNumber);
        BeaconSeries s = states.get(probe);
        if (s == null) {
            s = new BeaconSeries(cfg.ringSize);
            states.put(probe.copy(), s);
        }
        updates++;
        int size = (int) Math.min(Integer.MAX_VALUE, Math.max(0, e.origBytes));
        long dropped = s.disorderDropped;
        if (s.add(t, size, mergeNanos)) maybeEvaluate(s, out);
        disorderDropped += s.disorderDropped - dropped;
        states.expire(watermark);
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
        double needed = fastPath ? cfg.fastMinScore : cfg.minScore;
        if (webPorts.get(probe.remotePort)) needed = Math.max(needed, cfg.webMinScore);
        if (score < needed) return;
        s.alerted = potential;
        alerts++;
        out.onAlert(alert(s, potential, needed));
    }

    /**
     * The severity the counters allow, if the series is regular enough (null: none). Sets fastPath when
     * the series is above the seed's rate cap.
     */
    private Severity potentialSeverity(BeaconSeries s) {
        long ev = s.events;
        long span = s.lastNanos - s.firstNanos;
        double perHour = span <= 0 ? Double.POSITIVE_INFINITY : ev * 3600e9 / span;
        if (ev >= cfg.minConnections && span >= minDurationNanos && perHour >= cfg.minPerHour
                && perHour <= cfg.maxPerHour) {
            fastPath = false;
            return seedSeverity(ev, span / 60e9);
        }
        if (perHour > cfg.maxPerHour && ev >= cfg.fastMinConnections && span >= fastMinDurationNanos) {
            fastPath = true;
            return ev > 100 ? Severity.MEDIUM : Severity.LOW;
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

    private Alert alert(BeaconSeries s, Severity sev, double needed) {
        Regularity r = regularity;
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.BEACON;
        a.severity = sev;
        a.score = r.score;
        a.hostIp = probe.host.ipText();
        a.hostMac = probe.host.macText();
        a.remoteIp = probe.remoteIpText();
        a.remotePort = probe.remotePort;
        a.firstSeenNanos = s.firstNanos;
        a.lastSeenNanos = s.lastNanos;
        a.count = s.connections;
        String transport = probe.protocol == Transport.UDP.ianaNumber ? "udp" : "tcp";
        double durMin = s.durationMinutes();
        double perHour = durMin > 0 ? s.events * 60.0 / durMin : 0;
        Map<String, Object> ev = a.evidence;
        ev.put(AlertIds.SUBJECT, transport);
        ev.put("transport", transport);
        ev.put("path", fastPath ? "fast_regular" : "seed");
        ev.put("connection_count", s.connections);
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
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("interval_skew", round(r.skewScore, 3));
        sub.put("interval_dispersion", round(r.madScore, 3));
        sub.put("time_spread", round(r.spreadScore, 3));
        sub.put("size_regularity", round(r.sizeScore, 3));
        ev.put("sub_scores", sub);
        ev.put("score_threshold", needed);
        ev.put("samples", r.n);
        a.summary = String.format(java.util.Locale.ROOT,
                "periodic %s connections every ~%s (jitter %.0f %%) to %s:%d, %d in %.0f min",
                transport, human(r.medianInterval), 100 * r.relMad, a.remoteIp, a.remotePort, s.connections, durMin);
        return a.build();
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
    }
}
