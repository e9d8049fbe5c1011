package io.netsensor.detectors.fanout;

import io.netsensor.detectors.AlertIds;
import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.BoundedStates;
import io.netsensor.detectors.ConnView;
import io.netsensor.detectors.Detector;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.PairKey;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.metrics.Metrics;
import java.util.Locale;
import java.util.Map;

/**
 * A vertical port scan: one local endpoint trying many ports of one external peer within the window
 * (default 50 distinct ports in 5 min, most attempts failing). It is reconnaissance of one target, not a
 * bot spreading to new victims, so it is its own finding ({@code scan}, not {@code fanout}) and stays low:
 * Low at the threshold, Medium at 4x, never higher. Failures must be at least {@code minFailShare} of the
 * attempts: clients that legitimately reach many ports of one server (passive FTP data connections, RTP
 * media, Kubernetes NodePorts) are answered.
 *
 * <p>Memory per (host, peer): ~250 bytes plus the port table (16 slots, 512 bytes, growing to 512 slots,
 * 16 KB, under a full scan), at most {@code maxKeys} keys, expired after a window idle.
 */
public final class PortScanDetector implements Detector {
    private final DetectorSettings.Scan cfg;
    private final long windowNanos, sweepNanos;
    private final BoundedStates<PairKey, PeerPorts> states;
    private final PairKey probe = new PairKey();
    private long watermark = Long.MIN_VALUE;
    private long attempts, alerts;

    static final class PeerPorts {
        final RecentPeers ports;
        long firstSeen, lastSeen, nextSweep, attempts, failed;
        int lowPort = Integer.MAX_VALUE, highPort;
        Severity alerted;

        PeerPorts(int cap) {
            ports = new RecentPeers(cap);
        }

        void reset(long t) {
            firstSeen = t;
            attempts = failed = 0;
            lowPort = Integer.MAX_VALUE;
            highPort = 0;
            alerted = null;
        }
    }

    public PortScanDetector(DetectorSettings.Scan cfg) {
        this.cfg = cfg;
        this.windowNanos = cfg.window.toNanos();
        this.sweepNanos = Math.max(1, windowNanos / 8);
        this.states = new BoundedStates<>(cfg.maxKeys, windowNanos, p -> p.lastSeen);
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.SCAN;
    }

    @Override
    public void onConn(ConnEvent e, AlertSink out) {
        if (!ConnView.countOnce(e) || !ConnView.localIsOriginator(e) || !ConnView.remoteIsExternal(e)) return;
        long t = ConnView.time(e);
        if (t > watermark) watermark = t;
        states.expire(watermark);
        attempts++;
        ConnView.local(e, probe.host);
        probe.set(e.respIpHi, e.respIpLo, 0, e.transport.ianaNumber);
        PeerPorts p = states.get(probe);
        if (p == null) {
            p = new PeerPorts(4 * cfg.minPorts);
            p.reset(t);
            p.nextSweep = t + sweepNanos;
            states.put(probe.copy(), p);
        }
        p.lastSeen = Math.max(p.lastSeen, t);
        long cutoff = watermark - windowNanos;
        if (watermark >= p.nextSweep) {
            p.nextSweep = watermark + sweepNanos;
            p.ports.expire(cutoff);
            if (p.ports.size == 0) p.reset(t);
        }
        p.attempts++;
        ConnState.Outcome o = e.phase == ConnEvent.Phase.OPEN ? ConnState.Outcome.ESTABLISHED : e.state.outcome();
        if (o == ConnState.Outcome.REJECTED || o == ConnState.Outcome.NO_ANSWER) p.failed++;
        if (!p.ports.touch(e.respPort + 1L, t)) return; // +1: port 0 is a valid key, hash 0 is not
        p.lowPort = Math.min(p.lowPort, e.respPort);
        p.highPort = Math.max(p.highPort, e.respPort);
        int n = p.ports.size;
        Severity sev = n >= 4 * cfg.minPorts ? Severity.MEDIUM : n >= cfg.minPorts ? Severity.LOW : null;
        if (sev == null || (p.alerted != null && sev.compareTo(p.alerted) <= 0)) return;
        if (p.failed < cfg.minFailShare * p.attempts) return;
        int exact = p.ports.countSince(cutoff);
        if (exact < cfg.minPorts) {
            p.ports.expire(cutoff);
            return;
        }
        p.alerted = sev;
        alerts++;
        out.onAlert(alert(p, sev, exact, e));
    }

    private Alert alert(PeerPorts p, Severity sev, int ports, ConnEvent e) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.SCAN;
        a.severity = sev;
        a.score = sev == Severity.MEDIUM ? 0.45 : 0.3;
        a.hostIp = probe.host.ipText();
        a.hostMac = probe.host.macText();
        a.remoteIp = probe.remoteIpText();
        a.firstSeenNanos = p.firstSeen;
        a.lastSeenNanos = p.lastSeen;
        a.count = ports;
        Map<String, Object> ev = a.evidence;
        ev.put(AlertIds.SUBJECT, e.transport.ecsName);
        ev.put("pattern", "vertical");
        ev.put("transport", e.transport.ecsName);
        ev.put("distinct_ports", ports);
        ev.put("threshold", cfg.minPorts);
        ev.put("lowest_port", p.lowPort);
        ev.put("highest_port", p.highPort);
        ev.put("attempts", p.attempts);
        ev.put("failed", p.failed);
        ev.put("window_minutes", cfg.window.toSeconds() / 60.0);
        a.summary = String.format(Locale.ROOT, "port scan of %s: %d distinct %s ports (%d-%d) within %d min, %d of %d attempts failed",
                a.remoteIp, ports, e.transport.ecsName, p.lowPort, p.highPort, cfg.window.toMinutes(), p.failed, p.attempts);
        return a.build();
    }

    @Override
    public void register(Metrics m) {
        states.register(m, kind(), () -> alerts);
        m.count("detector.scan.attempts", () -> attempts);
    }
}
