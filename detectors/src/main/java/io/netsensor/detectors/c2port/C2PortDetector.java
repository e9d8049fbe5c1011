package io.netsensor.detectors.c2port;

import io.netsensor.events.Alert;
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
import io.netsensor.events.Direction;
import io.netsensor.events.Transport;
import java.util.BitSet;
import java.util.List;

/**
 * Connections to ports known for botnet C2 (seed atomic test 3: IRC 6667). An established connection
 * is High, a failed attempt Medium (the host tried; nothing answered); one alert per host and
 * destination per window unless an attempt later succeeds. Established TCP alerts at OPEN, without
 * waiting for the session to end. Loopback never counts (the seed excludes 127.0.0.1 too: a local
 * listener is not C2); internal peers only when configured.
 *
 * <p>Memory per (host, destination): ~220 bytes (map entry, key, state).
 */
public final class C2PortDetector implements Detector {
    private final DetectorSettings.C2Port cfg;
    private final long windowNanos;
    private final BitSet ports;
    private final BoundedStates<PairKey, Hits> states;
    private final PairKey probe = new PairKey();
    private long watermark = Long.MIN_VALUE;
    private long hits, alerts;

    static final class Hits {
        long windowStart, lastSeen, attempts, established;
        Severity alerted;
    }

    public C2PortDetector(DetectorSettings.C2Port cfg) {
        this.cfg = cfg;
        this.windowNanos = cfg.window.toNanos();
        this.ports = parsePorts(cfg.ports);
        this.states = new BoundedStates<>(cfg.maxKeys, windowNanos, h -> h.lastSeen);
    }

    /** "6667" or "6660-6669". */
    static BitSet parsePorts(List<String> specs) {
        BitSet set = new BitSet(65536);
        for (String spec : specs) {
            String s = spec.trim();
            int dash = s.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
            int hi = dash < 0 ? lo : Integer.parseInt(s.substring(dash + 1).trim());
            if (lo < 0 || hi > 65535 || lo > hi) throw new IllegalArgumentException("bad port range: " + spec);
            set.set(lo, hi + 1);
        }
        return set;
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.C2_PORT;
    }

    @Override
    public void onConn(ConnEvent e, AlertSink out) {
        if (!ports.get(e.respPort) || !ConnView.localIsOriginator(e) || !ConnView.countOnce(e)) return;
        if (cfg.tcpOnly && e.transport != Transport.TCP) return;
        if (!ConnView.remoteIsExternal(e)) {
            boolean internal = e.direction == Direction.INTERNAL
                    && !ConnView.NON_ROUTABLE.contains(e.respIpHi, e.respIpLo);
            if (!(cfg.includeInternal && internal)) return;
        }
        long t = ConnView.time(e);
        if (t > watermark) watermark = t;
        states.expire(watermark);
        hits++;
        ConnView.local(e, probe.host);
        probe.set(e.respIpHi, e.respIpLo, e.respPort, e.transport.ianaNumber);
        Hits h = states.get(probe);
        if (h == null) {
            h = new Hits();
            h.windowStart = t;
            states.put(probe.copy(), h);
        }
        if (t - h.windowStart >= windowNanos) {
            h.windowStart = t;
            h.alerted = null;
            h.attempts = h.established = 0;
        }
        h.lastSeen = Math.max(h.lastSeen, t);
        h.attempts++;
        boolean ok = ConnView.established(e);
        if (ok) h.established++;
        Severity sev = ok ? Severity.HIGH : Severity.MEDIUM;
        if (h.alerted != null && sev.compareTo(h.alerted) <= 0) return;
        h.alerted = sev;
        alerts++;
        out.onAlert(alert(h, sev, ok, t, e.transport));
    }

    private Alert alert(Hits h, Severity sev, boolean established, long t, Transport transport) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.C2_PORT;
        a.severity = sev;
        a.score = established ? 0.8 : 0.6;
        a.hostIp = probe.host.ipText();
        a.hostMac = probe.host.macText();
        a.remoteIp = probe.remoteIpText();
        a.remotePort = probe.remotePort;
        a.firstSeenNanos = h.windowStart;
        a.lastSeenNanos = t;
        a.count = h.attempts;
        a.evidence.put("transport", transport.ecsName);
        a.evidence.put("attempts", h.attempts);
        a.evidence.put("established", h.established);
        a.evidence.put("port_class", portClass(probe.remotePort));
        a.summary = String.format(java.util.Locale.ROOT, "%s connection to %s:%d (%s port)",
                established ? "established" : "attempted", a.remoteIp, a.remotePort, portClass(probe.remotePort));
        return a.build();
    }

    static String portClass(int port) {
        if ((port >= 6660 && port <= 6669) || port == 6697) return "IRC";
        return "known RAT/C2 default";
    }

    @Override
    public void register(Metrics m) {
        states.register(m, kind(), () -> alerts);
        m.count("detector.c2_port.hits", () -> hits);
    }
}
