package io.netsensor.detectors.fanout;

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
import io.netsensor.events.ConnState;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Spreader / scanner fan-out (seed atomic test 4): one local endpoint connecting to many distinct
 * external addresses on the same port within the window (default >= 30 in 5 min; busy ports such as
 * DNS and web need 300). Every attempt counts, once (TCP at OPEN when established, failures and UDP at
 * END), and failures (rejected, unanswered) are reported: scanners mostly fail. Alerts the moment the
 * threshold is reached: Medium at 1x, High at 2x, Critical at 4x the threshold.
 *
 * <p>Memory per (host, port): ~250 bytes (map entry, key, state, samples) plus 32 bytes per table slot
 * (two arrays of time and hash, double-buffered so expiry does not allocate);
 * the table starts at 16 slots (512 bytes) and grows, as distinct peers arrive, to the power of two
 * above 2 x 4 x threshold: 256 slots (8 KB) for 30, 4096 slots (128 KB) for a busy port under a scan.
 *
 * <p>Slow spreading (a few attempts a minute, for hours) never fills the 5-minute window, so failed
 * attempts on non-busy ports also feed a long window (default 6 h in hourly buckets, {@link SlowPeers}):
 * {@code slowMinUnique} (100) distinct failed peers there raise the same finding (same id), Medium at 1x,
 * High 2x, Critical 4x. Only failures count: a mail server delivering to hundreds of MX hosts, or an
 * Ansible controller reaching its fleet on 22, is answered. Memory per (host, port) with failures: ~1.1 KB
 * (six 128-byte bitmaps, samples, key, entry), at most {@code slowMaxKeys} (4096: ~4.5 MB).
 *
 * <p>IoT worms (Mirai's telnet scan of 23/2323: many unanswered SYNs, fast) are raised a step higher, at
 * least High, when at least {@code wormFailShare} of the attempts failed.
 */
public final class FanoutDetector implements Detector {
    private static final int MAX_SAMPLES = 10;

    private final DetectorSettings.Fanout cfg;
    private final long windowNanos, sweepNanos;
    private final BitSet busyPorts = new BitSet(65536);
    private final BoundedStates<PairKey, PortFanout> states;
    private final BoundedStates<PairKey, SlowFanout> slow;
    private final BitSet wormPorts = new BitSet(65536);
    private final long slowBucketNanos;
    private final PairKey probe = new PairKey();
    private long watermark = Long.MIN_VALUE;
    private long attempts, alerts, slowAlerts;

    static final class PortFanout {
        final RecentPeers peers;
        final int threshold;
        long lastSeen, firstSeen, nextSweep;
        long attempts, rejected, noAnswer, established;
        final long[] sampleHi = new long[MAX_SAMPLES], sampleLo = new long[MAX_SAMPLES];
        int samples;
        Severity alerted;

        PortFanout(int threshold) {
            this.threshold = threshold;
            this.peers = new RecentPeers(4 * threshold);
        }

        void reset(long t) {
            attempts = rejected = noAnswer = established = 0;
            samples = 0;
            alerted = null;
            firstSeen = t;
        }
    }

    /** The slow path's state of one (host, port): failed peers over the long window. */
    static final class SlowFanout {
        final SlowPeers peers;
        long rejected, noAnswer;
        final long[] sampleHi = new long[MAX_SAMPLES], sampleLo = new long[MAX_SAMPLES];
        int samples;
        Severity alerted;

        SlowFanout(int buckets, long bucketNanos) {
            peers = new SlowPeers(buckets, bucketNanos);
        }
    }

    public FanoutDetector(DetectorSettings.Fanout cfg) {
        this.cfg = cfg;
        this.windowNanos = cfg.window.toNanos();
        this.sweepNanos = Math.max(1, windowNanos / 8);
        for (int p : cfg.busyPorts) busyPorts.set(p);
        this.states = new BoundedStates<>(cfg.maxKeys, windowNanos, f -> f.lastSeen);
        for (int p : cfg.wormPorts) wormPorts.set(p);
        long slowNanos = cfg.slowWindow.toNanos();
        this.slowBucketNanos = Math.max(1, slowNanos / SLOW_BUCKETS);
        this.slow = new BoundedStates<>(Math.max(1, cfg.slowMaxKeys), Math.max(1, slowNanos), f -> f.peers.lastSeen);
    }

    private static final int SLOW_BUCKETS = 6;

    @Override
    public DetectorKind kind() {
        return DetectorKind.FANOUT;
    }

    @Override
    public void onConn(ConnEvent e, AlertSink out) {
        if (!ConnView.countOnce(e) || !ConnView.localIsOriginator(e) || !ConnView.remoteIsExternal(e)) return;
        long t = ConnView.time(e);
        if (t > watermark) watermark = t;
        states.expire(watermark);
        attempts++;
        ConnView.local(e, probe.host);
        probe.set(0, 0, e.respPort, e.transport.ianaNumber);
        PortFanout f = states.get(probe);
        if (f == null) {
            f = new PortFanout(busyPorts.get(e.respPort) ? cfg.busyMinUnique : cfg.minUnique);
            f.reset(t);
            f.nextSweep = t + sweepNanos;
            states.put(probe.copy(), f);
        }
        f.lastSeen = Math.max(f.lastSeen, t);
        long cutoff = watermark - windowNanos;
        if (watermark >= f.nextSweep) {
            f.nextSweep = watermark + sweepNanos;
            f.peers.expire(cutoff);
            if (f.peers.size == 0) f.reset(t); // the previous episode is over
        }
        f.attempts++;
        ConnState.Outcome o = e.phase == ConnEvent.Phase.OPEN ? ConnState.Outcome.ESTABLISHED : e.state.outcome();
        if (o == ConnState.Outcome.REJECTED) f.rejected++;
        else if (o == ConnState.Outcome.NO_ANSWER) f.noAnswer++;
        else if (o == ConnState.Outcome.ESTABLISHED) f.established++;
        if ((o == ConnState.Outcome.REJECTED || o == ConnState.Outcome.NO_ANSWER) && cfg.slowMinUnique > 0
                && !busyPorts.get(e.respPort)) {
            slowPath(e, t, o == ConnState.Outcome.REJECTED, out);
        }
        if (!f.peers.touch(RecentPeers.hash(e.respIpHi, e.respIpLo), t)) return;
        if (f.samples < MAX_SAMPLES) {
            f.sampleHi[f.samples] = e.respIpHi;
            f.sampleLo[f.samples] = e.respIpLo;
            f.samples++;
        }
        int approx = f.peers.size; // may include peers up to one sweep interval stale
        Severity sev = severity(approx, f.threshold);
        if (sev == null || (f.alerted != null && sev.compareTo(f.alerted) <= 0)) return;
        int exact = f.peers.countSince(cutoff);
        sev = severity(exact, f.threshold);
        if (sev == null || (f.alerted != null && sev.compareTo(f.alerted) <= 0)) {
            f.peers.expire(cutoff); // make the cheap count exact again so this scan is not repeated
            return;
        }
        f.alerted = sev;
        alerts++;
        out.onAlert(alert(f, worm(f, sev), exact, e.transport));
    }

    /**
     * An IoT worm's telnet scan (mostly unanswered attempts on a worm port) is raised a step higher, at
     * least High: it is the infection spreading, not a survey.
     */
    private Severity worm(PortFanout f, Severity sev) {
        if (!wormPorts.get(probe.remotePort) || !wormLike(f.rejected + f.noAnswer, f.attempts)) return sev;
        return sev == Severity.MEDIUM ? Severity.HIGH : Severity.CRITICAL;
    }

    private boolean wormLike(long failed, long attempts) {
        return attempts > 0 && failed >= cfg.wormFailShare * attempts;
    }

    /**
     * The slow path: distinct failed peers over the long window. Keyed like the fast path, so a scan that
     * is fast at times and slow at others is one finding whose severity only rises.
     */
    private void slowPath(ConnEvent e, long t, boolean rejected, AlertSink out) {
        states.expire(watermark); // keeps idle expiry of both tables in step
        slow.expire(watermark);
        SlowFanout s = slow.get(probe);
        if (s == null) {
            s = new SlowFanout(SLOW_BUCKETS, slowBucketNanos);
            s.peers.firstSeen = t;
            slow.put(probe.copy(), s);
        }
        if (rejected) s.rejected++; else s.noAnswer++;
        s.peers.add(RecentPeers.hash(e.respIpHi, e.respIpLo), t);
        if (s.samples < MAX_SAMPLES) {
            s.sampleHi[s.samples] = e.respIpHi;
            s.sampleLo[s.samples] = e.respIpLo;
            s.samples++;
        }
        int unique = s.peers.distinct(t);
        Severity sev = severity(unique, cfg.slowMinUnique);
        if (sev == null || (s.alerted != null && sev.compareTo(s.alerted) <= 0)) return;
        s.alerted = sev;
        alerts++;
        slowAlerts++;
        out.onAlert(slowAlert(s, sev, unique, t, e.transport));
    }

    private Alert slowAlert(SlowFanout s, Severity sev, int unique, long t, Transport transport) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.FANOUT;
        boolean worm = wormPorts.get(probe.remotePort);
        a.severity = worm && sev == Severity.MEDIUM ? Severity.HIGH : worm ? Severity.CRITICAL : sev;
        double ratio = (double) unique / cfg.slowMinUnique;
        a.score = Math.max(0, Math.min(1, 0.6 + 0.2 * (Math.log(ratio) / Math.log(2))));
        a.hostIp = probe.host.ipText();
        a.hostMac = probe.host.macText();
        a.remotePort = probe.remotePort;
        a.firstSeenNanos = s.peers.firstSeen;
        a.lastSeenNanos = t;
        a.count = unique;
        double hours = Math.max((t - s.peers.firstSeen) / 3.6e12, 1e-9);
        Map<String, Object> ev = a.evidence;
        ev.put(AlertIds.SUBJECT, transport.ecsName);
        ev.put("transport", transport.ecsName);
        ev.put("pattern", "slow");
        ev.put("unique_failed_external_ips", unique);
        ev.put("threshold", cfg.slowMinUnique);
        ev.put("window_hours", cfg.slowWindow.toMinutes() / 60.0);
        ev.put("active_hours", s.peers.activeBuckets(t) * (cfg.slowWindow.toMinutes() / 60.0) / SLOW_BUCKETS);
        ev.put("failed", s.rejected + s.noAnswer);
        ev.put("rejected", s.rejected);
        ev.put("no_answer", s.noAnswer);
        ev.put("failed_per_minute", Math.round(10 * (s.rejected + s.noAnswer) / (hours * 60)) / 10.0);
        if (worm) ev.put("iot_worm_port", true);
        List<String> samples = new ArrayList<>(s.samples);
        for (int i = 0; i < s.samples; i++) samples.add(Ip.toString(s.sampleHi[i], s.sampleLo[i]));
        ev.put("sample_targets", samples);
        a.summary = String.format(java.util.Locale.ROOT,
                "slow scan: failed to reach ~%d distinct external addresses on %s/%d over %.1f h (%.1f failed attempts a minute)",
                unique, transport.ecsName, probe.remotePort, hours, (s.rejected + s.noAnswer) / (hours * 60));
        return a.build();
    }

    static Severity severity(int unique, int threshold) {
        if (unique >= 4 * threshold) return Severity.CRITICAL;
        if (unique >= 2 * threshold) return Severity.HIGH;
        if (unique >= threshold) return Severity.MEDIUM;
        return null;
    }

    private Alert alert(PortFanout f, Severity sev, int unique, Transport transport) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.FANOUT;
        a.severity = sev;
        double failRatio = f.attempts == 0 ? 0 : (double) (f.rejected + f.noAnswer) / f.attempts;
        double ratio = (double) unique / f.threshold;
        a.score = Math.max(0, Math.min(1, 0.5 + 0.2 * (Math.log(ratio) / Math.log(2)) + 0.2 * failRatio));
        a.hostIp = probe.host.ipText();
        a.hostMac = probe.host.macText();
        a.remotePort = probe.remotePort;
        a.firstSeenNanos = f.firstSeen;
        a.lastSeenNanos = f.lastSeen;
        a.count = unique;
        Map<String, Object> ev = a.evidence;
        ev.put(AlertIds.SUBJECT, transport.ecsName);
        ev.put("transport", transport.ecsName);
        ev.put("unique_external_ips", unique);
        ev.put("threshold", f.threshold);
        ev.put("window_minutes", cfg.window.toSeconds() / 60.0);
        ev.put("attempts", f.attempts);
        ev.put("established", f.established);
        ev.put("rejected", f.rejected);
        ev.put("no_answer", f.noAnswer);
        ev.put("failed", f.rejected + f.noAnswer);
        ev.put("untracked_new_peers", f.peers.overflow);
        if (wormPorts.get(probe.remotePort) && wormLike(f.rejected + f.noAnswer, f.attempts)) ev.put("iot_worm_port", true);
        List<String> samples = new ArrayList<>(f.samples);
        for (int i = 0; i < f.samples; i++) samples.add(Ip.toString(f.sampleHi[i], f.sampleLo[i]));
        ev.put("sample_targets", samples);
        a.summary = String.format(java.util.Locale.ROOT,
                "connected to %d distinct external addresses on %s/%d within %d min (%d of %d attempts failed)",
                unique, transport.ecsName, probe.remotePort, cfg.window.toMinutes(), f.rejected + f.noAnswer, f.attempts);
        return a.build();
    }

    @Override
    public void register(Metrics m) {
        states.register(m, kind(), () -> alerts);
        m.count("detector.fanout.attempts", () -> attempts);
        m.count("detector.fanout.slow_alerts", () -> slowAlerts);
        m.gauge("detector.fanout.slow_keys", slow::size);
        m.count("detector.fanout.slow_evictions", slow::evictions);
        m.count("detector.fanout.slow_expirations", slow::expirations);
    }
}
