package io.netsensor.detectors.relay;

import io.netsensor.events.Alert;
import io.netsensor.detectors.AlertIds;
import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.BoundedStates;
import io.netsensor.detectors.ConnView;
import io.netsensor.detectors.Detector;
import io.netsensor.events.DetectorKind;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.HostKey;
import io.netsensor.events.Severity;
import io.netsensor.metrics.Metrics;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * ORB relay (seed query 3, atomic test 2): a host that accepts connections from external peers and,
 * within the window, connects out to external peers on non-standard ports. Legs are counted once and
 * in time (TCP at OPEN, so a long-lived relay leg counts while it is still up; failed and UDP attempts
 * at END). Inbound legs must be established; outbound legs are attempts, as the seed's connect events.
 *
 * <p>Alerts when the window holds an inbound leg and either >= 3 outbound legs (the seed) or one
 * outbound leg that follows an inbound accept within {@code followWithin} (the atomic test's single
 * relayed connection: the timing is the stronger evidence). Severity is the seed's relay_score table;
 * the score rises the closer an outbound leg follows an inbound one. An ordinary web server stays quiet
 * because its outbound 80/443 are standard ports. Port 53: the seed excludes it but its own test relays
 * to 8.8.8.8:53; udp/53 (ordinary resolution) is excluded, tcp/53 counts as a non-standard leg.
 *
 * <p>Hosts are keyed by address (and process, once attributed), not MAC: on a Linux "any" capture
 * (cooked headers carry only the sender's MAC) a host's MAC is missing from the inbound legs it
 * receives, so keying by MAC would never join them with its outbound legs. The MAC, when seen, is
 * still reported.
 *
 * <p>Tight pairing on any port, 443 included: an outbound connection that starts within
 * {@code pairWithin} (1 s) of an inbound one from another peer is a candidate; when both have ended with
 * the same bytes both ways ({@link PendingPairs#symmetric}) it is a relayed connection. One confirmed pair
 * alerts on a non-standard outbound port, {@code minPairs} (3) on 80/443. What this tells apart: a web
 * server calling an API right after a request (tight, but the bytes differ), a mail server (SMTP in, SMTP
 * out: store and forward) and a jump host (SSH in, SSH out): outbound legs to a
 * {@code forwardingServices} port from a host that accepts that port are the service's own forwarding and
 * count in neither path. Hence an ORB that relays SSH to SSH is not found here (documented in
 * DETECTIONS).
 *
 * <p>Memory per host: ~250 bytes (map entry, key, state) plus 32 bytes per inbound and 44 per outbound
 * leg held, each ring growing from 4 up to {@code legsPerHost} (64: ~5 KB at most), plus 1.3 KB of
 * candidate pairs once the host has one, and 256 bytes of confirmed pair times.
 */
public final class RelayDetector implements Detector {
    private static final int MAX_LISTED = 10;

    private final DetectorSettings.Relay cfg;
    private final long windowNanos, followNanos, pairNanos;
    private final BitSet forwarding = new BitSet(65536);
    private final BitSet standardPorts = new BitSet(65536);
    private final BoundedStates<HostKey, HostLegs> states;
    private final HostKey probe = new HostKey();
    private long watermark = Long.MIN_VALUE;
    private long inboundLegs, outboundLegs, alerts, forwardedLegs, candidatePairs, symmetricPairs, asymmetricPairs,
            pairsOverwritten;

    static final class HostLegs {
        final LegRing in, out;
        long lastSeen;
        /** The host's MAC as last seen on one of its legs (0: none seen). */
        long mac;
        Severity alerted;
        /** Candidate pairs (allocated on the first one) and the times of confirmed symmetric pairs. */
        PendingPairs pending;
        final long[] confirmed = new long[32];
        int confirmedCount, confirmedNext;
        long lastPairGap, lastPairOrig, lastPairResp;
        int lastPairPort;
        long lastPairHi, lastPairLo;

        HostLegs(int legs) {
            in = new LegRing(legs);
            out = new LegRing(legs);
        }
    }

    public RelayDetector(DetectorSettings.Relay cfg) {
        this.cfg = cfg;
        this.windowNanos = cfg.window.toNanos();
        this.followNanos = cfg.followWithin.toNanos();
        this.pairNanos = cfg.pairWithin.toNanos();
        for (int p : cfg.forwardingServices) forwarding.set(p);
        for (int p : cfg.standardPorts) standardPorts.set(p);
        this.states = new BoundedStates<>(cfg.maxKeys, windowNanos, h -> h.lastSeen);
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.RELAY;
    }

    @Override
    public void onConn(ConnEvent e, AlertSink out) {
        if (!ConnView.remoteIsExternal(e)) return;
        if (e.phase == ConnEvent.Phase.END) completePairs(e, out);
        if (!ConnView.countOnce(e)) return;
        boolean inbound = e.direction == Direction.INBOUND;
        boolean seedLeg = true;
        if (inbound) {
            if (!ConnView.established(e)) return;
        } else {
            int p = e.respPort;
            if (cfg.ignoreUdpDns && p == 53 && e.transport == Transport.UDP) return;
            seedLeg = !standardPorts.get(p);
        }
        long t = ConnView.time(e);
        if (t > watermark) watermark = t;
        states.expire(watermark);
        ConnView.local(e, probe);
        long mac = probe.mac;
        probe.mac = 0;
        HostLegs h = states.get(probe);
        if (h == null) {
            if (!inbound && !seedLeg) return; // a web client: nothing to pair with
            h = new HostLegs(cfg.legsPerHost);
            states.put(probe.copy(), h);
        }
        if (mac != 0) h.mac = mac;
        h.lastSeen = Math.max(h.lastSeen, t);
        long cutoff = watermark - windowNanos;
        h.in.expire(cutoff);
        h.out.expire(cutoff);
        if (h.in.size == 0 && h.out.size == 0) h.alerted = null; // a new episode may alert again
        if (inbound) {
            inboundLegs++;
            h.in.add(t, e.origIpHi, e.origIpLo, e.respPort, -1, e.flowId);
            evaluate(h, out); // the seed's join also holds when the outbound legs came first
            return;
        }
        // a mail server delivering, a jump host's user connecting on: the service's own forwarding
        boolean forwarded = forwarding.get(e.respPort) && h.in.hasPort(e.respPort);
        if (forwarded) {
            forwardedLegs++;
            return;
        }
        int in = h.in.latestWithin(t, pairNanos, e.respIpHi, e.respIpLo);
        if (in >= 0) {
            if (h.pending == null) h.pending = new PendingPairs();
            if (h.pending.add(h.in.flow[in], e.flowId, t, t - h.in.ts[in], e.respIpHi, e.respIpLo, e.respPort)) {
                pairsOverwritten++;
            }
            candidatePairs++;
            if (e.phase == ConnEvent.Phase.END) completePairs(e, out); // a failed or UDP leg ends at once
        }
        if (!seedLeg) return;
        outboundLegs++;
        long prev = h.in.latestAtOrBefore(t);
        long gap = prev == Long.MIN_VALUE ? -1 : t - prev;
        h.out.add(t, e.respIpHi, e.respIpLo, e.respPort, gap, e.flowId);
        evaluate(h, out);
    }

    /** Fills in the bytes of candidate pairs this END record closes a leg of; judges complete pairs. */
    private void completePairs(ConnEvent e, AlertSink out) {
        boolean inbound = e.direction == Direction.INBOUND;
        ConnView.local(e, probe);
        probe.mac = 0;
        HostLegs h = states.get(probe);
        if (h == null || h.pending == null) return;
        PendingPairs pp = h.pending;
        int side = inbound ? 1 : 2;
        int i = pp.find(e.flowId, side);
        if (i < 0) return;
        if (inbound) {
            pp.inOrig[i] = e.origBytes;
            pp.inResp[i] = e.respBytes;
        } else {
            pp.outOrig[i] = e.origBytes;
            pp.outResp[i] = e.respBytes;
        }
        pp.seen[i] |= (byte) side;
        if (pp.seen[i] != 3) return;
        boolean sym = PendingPairs.symmetric(pp.inOrig[i], pp.inResp[i], pp.outOrig[i], pp.outResp[i]);
        if (sym) {
            symmetricPairs++;
            long t = ConnView.time(e);
            h.confirmed[h.confirmedNext] = pp.start[i];
            h.confirmedNext = (h.confirmedNext + 1) % h.confirmed.length;
            if (h.confirmedCount < h.confirmed.length) h.confirmedCount++;
            h.lastPairGap = pp.gap[i];
            h.lastPairOrig = pp.outOrig[i];
            h.lastPairResp = pp.outResp[i];
            h.lastPairPort = pp.outPort[i];
            h.lastPairHi = pp.outHi[i];
            h.lastPairLo = pp.outLo[i];
            h.lastSeen = Math.max(h.lastSeen, t);
            pp.free(i);
            evaluatePairs(h, t, out);
        } else {
            asymmetricPairs++;
            pp.free(i);
        }
    }

    /** Confirmed pairs that started within the window before t. */
    private int confirmedSince(HostLegs h, long t) {
        int n = 0;
        for (int k = 0; k < h.confirmedCount; k++) if (t - h.confirmed[k] <= windowNanos) n++;
        return n;
    }

    /**
     * Tightly paired, byte-symmetric legs: one suffices on a non-standard outbound port, {@code minPairs}
     * on 80/443 (a web server calling an API right after a request does not forward the request's bytes,
     * but one coincidence is not enough). Medium, High at twice, Critical at four times the pairs needed.
     */
    private void evaluatePairs(HostLegs h, long t, AlertSink out) {
        int pairs = confirmedSince(h, t);
        int need = standardPorts.get(h.lastPairPort) ? cfg.minPairs : 1;
        if (pairs < need) return;
        Severity sev = pairs >= 4 * Math.max(need, 3) ? Severity.CRITICAL
                : pairs >= 2 * Math.max(need, 3) ? Severity.HIGH : Severity.MEDIUM;
        if (h.alerted != null && sev.compareTo(h.alerted) <= 0) return;
        h.alerted = sev;
        alerts++;
        out.onAlert(pairAlert(h, sev, pairs, t));
    }

    private Alert pairAlert(HostLegs h, Severity sev, int pairs, long t) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.RELAY;
        a.severity = sev;
        a.score = Math.min(1, (sev == Severity.CRITICAL ? 0.85 : sev == Severity.HIGH ? 0.7 : 0.55)
                + 0.1 * (1 - (double) h.lastPairGap / Math.max(1, pairNanos)));
        a.hostIp = probe.ipText();
        a.id = AlertIds.of(a); // the host's one relay finding, as the seed path's
        a.hostMac = io.netsensor.events.Mac.toString(h.mac);
        a.remoteIp = Ip.toString(h.lastPairHi, h.lastPairLo);
        a.remotePort = h.lastPairPort;
        a.firstSeenNanos = h.confirmed[(h.confirmedNext - h.confirmedCount + h.confirmed.length) % h.confirmed.length];
        a.lastSeenNanos = t;
        a.count = pairs;
        Set<String> sources = new LinkedHashSet<>();
        for (int i = h.in.size - 1; i >= 0 && sources.size() < MAX_LISTED; i--) {
            int at = h.in.at(i);
            sources.add(Ip.toString(h.in.hi[at], h.in.lo[at]));
        }
        Map<String, Object> ev = a.evidence;
        ev.put("pattern", "paired");
        ev.put("symmetric_pairs", pairs);
        ev.put("pairs_needed", standardPorts.get(h.lastPairPort) ? cfg.minPairs : 1);
        ev.put("pair_gap_ms", Math.round(h.lastPairGap / 1e5) / 10.0);
        ev.put("pair_within_ms", cfg.pairWithin.toMillis());
        ev.put("relayed_bytes_out", h.lastPairOrig);
        ev.put("relayed_bytes_back", h.lastPairResp);
        ev.put("inbound_sources", new ArrayList<>(sources));
        ev.put("window_minutes", cfg.window.toSeconds() / 60.0);
        a.summary = String.format(java.util.Locale.ROOT,
                "relay: %d outbound connection(s) opened within %.0f ms of an inbound one and carrying its bytes both ways (last to %s:%d, %d/%d B)",
                pairs, h.lastPairGap / 1e6, a.remoteIp, a.remotePort, h.lastPairOrig, h.lastPairResp);
        return a.build();
    }

    private void evaluate(HostLegs h, AlertSink out) {
        int in = h.in.size, outCount = h.out.size;
        if (in == 0 || outCount == 0) return;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < outCount; i++) {
            long g = h.out.gap[h.out.at(i)];
            if (g >= 0 && g <= followNanos && g < bestGap) bestGap = g;
        }
        boolean followed = bestGap != Long.MAX_VALUE;
        if (outCount < cfg.minOutbound && !followed) return;
        Severity sev = seedSeverity(in, outCount);
        if (h.alerted != null && sev.compareTo(h.alerted) <= 0) return;
        h.alerted = sev;
        alerts++;
        out.onAlert(alert(h, sev, followed ? bestGap : -1));
    }

    /** The seed's relay_score case(). */
    static Severity seedSeverity(int inbound, int outbound) {
        if (inbound > 10 && outbound > 10) return Severity.CRITICAL;
        if (inbound > 5 || outbound > 5) return Severity.HIGH;
        return Severity.MEDIUM;
    }

    private Alert alert(HostLegs h, Severity sev, long gap) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.RELAY;
        a.severity = sev;
        double base = sev == Severity.CRITICAL ? 0.8 : sev == Severity.HIGH ? 0.65 : 0.5;
        double follow = gap < 0 ? 0 : 0.2 * (1 - (double) gap / Math.max(1, followNanos));
        a.score = Math.min(1, base + follow);
        a.hostIp = probe.ipText();
        // one id per host (the targets change as the relay runs, the MAC may be learnt late): derive it
        // before naming the MAC and the latest target
        a.id = AlertIds.of(a);
        a.hostMac = io.netsensor.events.Mac.toString(h.mac);
        LegRing lastOut = h.out;
        int last = lastOut.at(lastOut.size - 1);
        a.remoteIp = Ip.toString(lastOut.hi[last], lastOut.lo[last]);
        a.remotePort = lastOut.port[last];
        a.firstSeenNanos = Math.min(h.in.ts[h.in.at(0)], lastOut.ts[lastOut.at(0)]);
        a.lastSeenNanos = h.lastSeen;
        a.count = h.in.size + (long) h.out.size;
        Set<String> sources = new LinkedHashSet<>(), targets = new LinkedHashSet<>();
        Set<Integer> inPorts = new LinkedHashSet<>();
        for (int i = h.in.size - 1; i >= 0 && sources.size() < MAX_LISTED; i--) {
            int at = h.in.at(i);
            sources.add(Ip.toString(h.in.hi[at], h.in.lo[at]));
            inPorts.add(h.in.port[at]);
        }
        for (int i = lastOut.size - 1; i >= 0 && targets.size() < MAX_LISTED; i--) {
            int at = lastOut.at(i);
            targets.add(Ip.toString(lastOut.hi[at], lastOut.lo[at]) + ":" + lastOut.port[at]);
        }
        Map<String, Object> ev = a.evidence;
        ev.put("inbound_count", h.in.size);
        ev.put("outbound_count", h.out.size);
        ev.put("inbound_sources", new ArrayList<>(sources));
        ev.put("inbound_ports", new ArrayList<>(inPorts));
        ev.put("outbound_targets", new ArrayList<>(targets));
        ev.put("window_minutes", cfg.window.toSeconds() / 60.0);
        if (gap >= 0) ev.put("follow_gap_s", Math.round(gap / 1e6) / 1e3);
        a.summary = String.format(java.util.Locale.ROOT,
                "host accepts external connections (%d) and connects out on non-standard ports (%d) within %d min%s",
                h.in.size, h.out.size, cfg.window.toMinutes(),
                gap >= 0 ? String.format(java.util.Locale.ROOT, ", outbound %.1f s after inbound", gap / 1e9) : "");
        return a.build();
    }

    @Override
    public void register(Metrics m) {
        states.register(m, kind(), () -> alerts);
        m.count("detector.relay.inbound_legs", () -> inboundLegs);
        m.count("detector.relay.outbound_legs", () -> outboundLegs);
        m.count("detector.relay.forwarded_legs", () -> forwardedLegs);
        m.count("detector.relay.candidate_pairs", () -> candidatePairs);
        m.count("detector.relay.symmetric_pairs", () -> symmetricPairs);
        m.count("detector.relay.asymmetric_pairs", () -> asymmetricPairs);
        m.count("detector.relay.pairs_overwritten", () -> pairsOverwritten);
    }
}
