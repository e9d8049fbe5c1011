package io.netsensor.detectors.dga;

import io.netsensor.events.Alert;
import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.Detector;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.metrics.Metrics;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Domain-generation-algorithm activity per local host, over a sliding event-time window:
 * <ul>
 *   <li>improbable path: distinct registered domains whose label the lexical {@link DgaModel} scores
 *       above its threshold (random-character DGAs);</li>
 *   <li>failing path: distinct never-before-seen registered domains answered NXDOMAIN, when they are a
 *       large enough share of all the host's domains (dictionary DGAs, which look like words);</li>
 *   <li>the seed rule's volume signal (queries for names longer than 20 characters &gt; 50 and distinct
 *       such domains &gt; 20), which raises the score of an alert but does not raise one by itself:
 *       alone it fires on ordinary heavy browsing.</li>
 * </ul>
 * Names under {@link CdnSuffixes} and local names are ignored entirely. Alerts fire on the event that
 * crosses a threshold and again only when the severity rises (see DGA.md for the table). Not
 * thread-safe: feed it from one thread.
 */
public final class DgaDetector implements Detector {
    /** Tunables; the defaults are the documented behaviour. */
    public static final class Config {
        public long windowNanos = 600_000_000_000L;
        public int maxKeys = 1024;
        public int maxDomainsPerKey = 256;
        public int historyPerKey = 1024;
        /** Model score above which a name counts as improbable; NaN = the model's 0.1 % FPR threshold. */
        public double improbableThreshold = Double.NaN;
        public int minImprobable = 10;
        public int minFailing = 15;
        public double minNxRatio = 0.25;
        public int seedLongName = 20, seedQueries = 50, seedUnique = 20;
        /** Raise a LOW alert on the seed signal alone (off: noisy on busy browsers). */
        public boolean seedAloneAlerts = false;
        /**
         * Slow DGA: a handful of NXDOMAINs for machine-made names an hour, over hours, never fills the 10-min
         * window. New registered domains answered NXDOMAIN whose model score is above the 1 % FPR
         * threshold (the NXDOMAIN and the hours make up for the looser score) are counted per hour over
         * this long window: {@code slowMinDomains} spread over {@code slowMinHours} hours alert Medium, twice
         * as many High. 0 turns it off.
         */
        public long slowWindowNanos = 6 * 3_600_000_000_000L;
        public int slowMinDomains = 12;
        public int slowMinHours = 3;
    }

    private static final int QTYPE_PTR = 12, RCODE_NXDOMAIN = 3;
    private static final String[] LOCAL_TLDS = {"arpa", "local", "localdomain", "lan", "home", "internal", "intranet",
        "corp", "localhost", "invalid", "test"};

    private final Config cfg;
    private final DgaModel.Scorer scorer;
    private final double threshold;
    private final long bucketNanos, slowBucketNanos;
    private final double slowThreshold;
    private final DomainName name = new DomainName();
    private final LongPairIndex keys;
    private final HostWindow[] windows;
    /** Scores of recently scored registered domains (48 KiB): the same names come from every host. */
    private final ScoreCache scores = new ScoreCache(4096);

    private long events, ignoredInbound, ignoredPtr, ignoredLocal, ignoredCdn, ignoredNoRegistered, badNames;
    private long keyEvictions, domainEvictions, domainsExpired, alerts, slowAlerts;

    public DgaDetector() {
        this(new Config(), DgaModel.bundled());
    }

    public DgaDetector(Config cfg, DgaModel model) {
        this.cfg = cfg;
        this.scorer = model.newScorer();
        this.threshold = Double.isNaN(cfg.improbableThreshold) ? model.threshold01pct : cfg.improbableThreshold;
        this.bucketNanos = Math.max(1, cfg.windowNanos / HostWindow.BUCKETS);
        this.slowBucketNanos = Math.max(1, cfg.slowWindowNanos / HostWindow.SLOW_BUCKETS);
        this.slowThreshold = Math.min(threshold, model.threshold1pct);
        this.keys = new LongPairIndex(cfg.maxKeys);
        this.windows = new HostWindow[cfg.maxKeys];
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.DGA;
    }

    @Override
    public void onDns(DnsEvent e, AlertSink out) {
        events++;
        if (e.direction == Direction.INBOUND) { // a remote client asking a local server: not our host's lookup
            ignoredInbound++;
            return;
        }
        if (e.qtype == QTYPE_PTR) {
            ignoredPtr++;
            return;
        }
        DomainName d = name;
        if (!d.parse(e.qname, 0, e.qnameLen)) {
            badNames++;
            return;
        }
        if (d.labelCount() < 2 || isLocal(d)) {
            ignoredLocal++;
            return;
        }
        if (CdnSuffixes.matches(d)) {
            ignoredCdn++;
            return;
        }
        int reg = PublicSuffixes.get().registeredLabel(d);
        if (reg < 0) {
            ignoredNoRegistered++;
            return;
        }
        HostWindow w = window(e.clientIpHi, e.clientIpLo, e.tsNanos);
        long now = Math.max(w.lastTs, e.tsNanos); // small disorder: never move a key's clock backwards
        w.lastTs = now;
        if (now >= w.nextSweepTs) sweep(w, now);
        boolean longName = d.length() > cfg.seedLongName;
        w.countQuery(now, bucketNanos, longName);

        long h = d.suffixHash(reg);
        int id = w.domains.get(h, 0);
        boolean flagged = false;
        if (id < 0) {
            if (w.domains.isFull()) {
                domainsExpired += w.expire(now - cfg.windowNanos);
                if (w.domains.isFull()) {
                    w.remove(w.oldest());
                    domainEvictions++;
                }
            }
            id = w.domains.add(h, 0);
            w.live[id] = true;
            w.flags[id] = 0;
            w.firstSeen[id] = now;
            float s = scores.get(h);
            if (Float.isNaN(s)) {
                s = (float) scorer.scoreLabel(d.bytes(), d.labelStart(reg), d.labelEnd(reg));
                scores.put(h, s);
            }
            w.score[id] = s;
            if (!w.seenBefore(h)) w.setFlag(id, HostWindow.NEW);
            w.remember(h);
            if (s > threshold) {
                w.setFlag(id, HostWindow.IMPROBABLE);
                flagged = true;
            }
        }
        w.lastSeen[id] = now;
        if (longName) w.setFlag(id, HostWindow.LONG);
        boolean slow = false;
        if (e.rcode == RCODE_NXDOMAIN && (w.flags[id] & HostWindow.NX) == 0) {
            w.setFlag(id, HostWindow.NX);
            boolean fresh = (w.flags[id] & HostWindow.NEW) != 0;
            flagged |= fresh;
            if (fresh && cfg.slowMinDomains > 0 && w.score[id] > slowThreshold) {
                w.countSlow(now, slowBucketNanos, d.bytes(), d.length());
                slow = true;
            }
        }
        if (flagged) w.addSample(d.bytes(), d.length(), w.score[id], (w.flags[id] & HostWindow.NX) != 0);
        evaluate(w, now, out);
        if (slow) evaluateSlow(w, now, out);
    }

    private static boolean isLocal(DomainName d) {
        for (String tld : LOCAL_TLDS) if (d.endsWithLabel(tld)) return true;
        return false;
    }

    private HostWindow window(long hi, long lo, long ts) {
        int id = keys.get(hi, lo);
        if (id >= 0) return windows[id];
        if (keys.isFull()) { // evict the key idle longest: a scan, but only when a new host appears
            int oldest = -1;
            for (int i = 0; i < windows.length; i++) {
                if (oldest < 0 || windows[i].lastTs < windows[oldest].lastTs) oldest = i;
            }
            keys.removeId(oldest);
            keyEvictions++;
        }
        id = keys.add(hi, lo);
        if (windows[id] == null) windows[id] = new HostWindow(cfg.maxDomainsPerKey, cfg.historyPerKey);
        windows[id].reset(hi, lo, ts);
        return windows[id];
    }

    private void sweep(HostWindow w, long now) {
        domainsExpired += w.expire(now - cfg.windowNanos);
        w.nextSweepTs = now + bucketNanos;
        if (w.alerted != null && now - w.lastAlertTs > cfg.windowNanos && signal(w, now) == 0) {
            w.alerted = null; // a quiet window ends the episode: the next burst alerts afresh
        }
    }

    private double nxRatio(HostWindow w) {
        return w.unique() == 0 ? 0 : w.nx / (double) w.unique();
    }

    private boolean seed(HostWindow w, long now) {
        return w.queries(now, bucketNanos, true) > cfg.seedQueries && w.longDomains > cfg.seedUnique;
    }

    /**
     * Strength of the evidence: 0 below every threshold; otherwise the larger path's multiple of its
     * threshold, +1 when both paths are over threshold, +1 with the seed signal.
     */
    private double signal(HostWindow w, long now) {
        double eI = w.improbable / (double) cfg.minImprobable;
        double eF = nxRatio(w) >= cfg.minNxRatio ? w.newNx / (double) cfg.minFailing : 0;
        boolean seed = seed(w, now);
        if (eI < 1 && eF < 1) return seed && cfg.seedAloneAlerts ? 0.415 : 0; // 0.415 -> score 0.25 (LOW)
        return Math.max(eI, eF) + (Math.min(eI, eF) >= 1 ? 1 : 0) + (seed ? 1 : 0);
    }

    /** Score 0..1 from strength: 1 - 2^-strength (threshold crossed = 0.5). */
    static double score(double strength) {
        return strength <= 0 ? 0 : 1 - Math.pow(2, -strength);
    }

    static Severity severity(double score) {
        if (score >= 0.9) return Severity.CRITICAL;
        if (score >= 0.75) return Severity.HIGH;
        if (score >= 0.5) return Severity.MEDIUM;
        return Severity.LOW;
    }

    private void evaluate(HostWindow w, long now, AlertSink out) {
        double strength = signal(w, now);
        if (strength <= 0) return;
        double s = score(strength);
        Severity sev = severity(s);
        if (w.alerted != null && sev.compareTo(w.alerted) <= 0) return;
        w.alerted = sev;
        w.lastAlertTs = now;
        alerts++;
        out.onAlert(alert(w, now, s, sev));
    }

    /** The slow path: machine-made NXDOMAIN domains spread over hours. Same finding (id) as the fast path. */
    private void evaluateSlow(HostWindow w, long now, AlertSink out) {
        int total = w.slowTotal(now, slowBucketNanos), hours = w.slowHours(now, slowBucketNanos);
        if (total < cfg.slowMinDomains || hours < cfg.slowMinHours) return;
        Severity sev = total >= 2 * cfg.slowMinDomains ? Severity.HIGH : Severity.MEDIUM;
        if (w.slowAlerted != null && sev.compareTo(w.slowAlerted) <= 0) return;
        if (w.alerted != null && sev.compareTo(w.alerted) <= 0) return; // the fast path said as much
        w.slowAlerted = sev;
        alerts++;
        slowAlerts++;
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.DGA;
        a.hostIp = Ip.toString(w.ipHi, w.ipLo);
        a.id = "dga:" + a.hostIp;
        a.severity = sev;
        a.score = sev == Severity.HIGH ? 0.75 : 0.55;
        a.firstSeenNanos = w.slowFirst;
        a.lastSeenNanos = now;
        a.count = total;
        Map<String, Object> ev = a.evidence;
        ev.put("pattern", "slow");
        ev.put("slow_window_hours", cfg.slowWindowNanos / 3_600_000_000_000L);
        ev.put("machine_made_nxdomain_domains", total);
        ev.put("hours_with_them", hours);
        ev.put("threshold", cfg.slowMinDomains);
        ev.put("score_threshold", round(slowThreshold));
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < w.slowSamples; i++) {
            samples.add(new String(w.slowName[i], 0, w.slowLen[i], StandardCharsets.ISO_8859_1));
        }
        ev.put("samples", samples);
        double span = (now - w.slowFirst) / 3.6e12;
        a.summary = String.format(java.util.Locale.ROOT,
                "slow DGA: %d machine-made domains answered NXDOMAIN over %.1f h (%d hours with them), e.g. %s",
                total, span, hours, samples.isEmpty() ? "" : samples.get(0));
        out.onAlert(a.build());
    }

    private Alert alert(HostWindow w, long now, double s, Severity sev) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.DGA;
        a.hostIp = Ip.toString(w.ipHi, w.ipLo);
        a.id = "dga:" + a.hostIp;
        a.severity = sev;
        a.score = s;
        long first = now;
        int suspicious = 0;
        for (int id = 0; id < w.live.length; id++) {
            if (!w.live[id]) continue;
            byte f = w.flags[id];
            if ((f & HostWindow.IMPROBABLE) != 0 || ((f & HostWindow.NX) != 0 && (f & HostWindow.NEW) != 0)) {
                suspicious++;
                first = Math.min(first, w.firstSeen[id]);
            }
        }
        a.firstSeenNanos = first;
        a.lastSeenNanos = now;
        a.count = suspicious;
        Map<String, Object> ev = a.evidence;
        ev.put("window_seconds", cfg.windowNanos / 1_000_000_000L);
        ev.put("unique_domains", w.unique());
        ev.put("improbable_domains", w.improbable);
        ev.put("improbable_threshold", round(threshold));
        ev.put("nxdomain_domains", w.nx);
        ev.put("new_nxdomain_domains", w.newNx);
        ev.put("nxdomain_ratio", round(nxRatio(w)));
        ev.put("queries", w.queries(now, bucketNanos, false));
        ev.put("long_name_queries", w.queries(now, bucketNanos, true));
        ev.put("long_name_domains", w.longDomains);
        ev.put("seed_rule", seed(w, now));
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < w.sampleCount; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", new String(w.sampleName[i], 0, w.sampleLen[i], StandardCharsets.ISO_8859_1));
            m.put("score", round(w.sampleScore[i]));
            m.put("nxdomain", w.sampleNx[i]);
            samples.add(m);
        }
        samples.sort((x, y) -> Double.compare((Double) y.get("score"), (Double) x.get("score")));
        ev.put("samples", samples);
        String example = samples.isEmpty() ? "" : ", e.g. " + samples.get(0).get("domain");
        a.summary = String.format("%d improbable and %d new NXDOMAIN domains of %d in %d min%s", w.improbable, w.newNx,
                w.unique(), cfg.windowNanos / 60_000_000_000L, example);
        return a.build();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * The common detector metrics (its keys are local hosts; it expires domains, not keys, so it has no
     * {@code detector.expirations}) and {@code detector.dga.*}: events seen, domains evicted and expired,
     * events ignored by reason, bad names.
     */
    @Override
    public void register(Metrics m) {
        m.gauge(Detector.metric("keys", kind()), keys::size);
        m.count(Detector.metric("evictions", kind()), () -> keyEvictions);
        m.count(Detector.metric("alerts", kind()), () -> alerts);
        m.count("detector.dga.events", () -> events);
        m.count("detector.dga.slow_alerts", () -> slowAlerts);
        m.count("detector.dga.domain_evictions", () -> domainEvictions);
        m.count("detector.dga.domains_expired", () -> domainsExpired);
        m.count(Metrics.name("detector.dga.ignored", "reason", "inbound"), () -> ignoredInbound);
        m.count(Metrics.name("detector.dga.ignored", "reason", "ptr"), () -> ignoredPtr);
        m.count(Metrics.name("detector.dga.ignored", "reason", "local"), () -> ignoredLocal);
        m.count(Metrics.name("detector.dga.ignored", "reason", "cdn"), () -> ignoredCdn);
        m.count(Metrics.name("detector.dga.ignored", "reason", "no_registered_domain"), () -> ignoredNoRegistered);
        m.count("detector.dga.bad_names", () -> badNames);
        m.count(Metrics.name("detector.dga.score_cache", "outcome", "hit"), scores::hits);
        m.count(Metrics.name("detector.dga.score_cache", "outcome", "miss"), scores::misses);
    }
}
