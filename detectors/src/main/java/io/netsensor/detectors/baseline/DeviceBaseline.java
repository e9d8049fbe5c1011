package io.netsensor.detectors.baseline;

import io.netsensor.detectors.BoundedStates;
import io.netsensor.detectors.ConnView;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.HostKey;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Ip;
import io.netsensor.events.Severity;
import io.netsensor.metrics.Metrics;

/**
 * Ranks an appliance's own vendor-cloud polling low: an IoT device (a lock, a camera, a thermostat) talks
 * to a few endpoints, periodically, from the moment it appears; that is its whole traffic, and it is what
 * the beacon detector finds. So a beacon alert is downranked to Low when, at the time of the alert, the
 * host has been seen for at least {@code minObserved}, all its external traffic since it was first seen
 * went to at most {@code maxEndpoints} endpoints, and the beaconing endpoint was among those of its first
 * {@code startSlack}, and the host keeps its own clock and address like a device does (NTP or DHCP seen from
 * it; a capture of a lone beacon, or a process on the sensor's own host, shows neither). An implant that starts later is not hidden: its endpoint is new after the device's
 * start, so its alert keeps its severity (and a host that talks to many endpoints is no appliance at all).
 * What this cannot tell: an implant already running when the sensor first saw a quiet host is ranked Low
 * too (still raised, with the reason in its evidence).
 *
 * <p>An endpoint is (remote /24 or /48, port, transport): vendor clouds rotate addresses within their
 * ranges. DNS, NTP and DHCP do not count (every device does them). Pure: fed every connection record in
 * event time, it changes alerts only. Memory per host: ~220 bytes (key, entry, up to 9 endpoint slots), at
 * most {@code maxKeys} hosts (LRU, counted), forgotten after {@code idleExpiry}.
 */
public final class DeviceBaseline {
    private final DetectorSettings.Baseline cfg;
    private final long minObservedNanos, startSlackNanos;
    private final BoundedStates<HostKey, Device> states;
    private final HostKey probe = new HostKey();
    private long watermark = Long.MIN_VALUE, downranked;

    static final class Device {
        final long[] endpoint, firstSeen;
        int endpoints;
        boolean general, keepsTime;
        long first, last;

        Device(int max, long t) {
            endpoint = new long[max];
            firstSeen = new long[max];
            first = last = t;
        }
    }

    public DeviceBaseline(DetectorSettings.Baseline cfg) {
        this.cfg = cfg;
        this.minObservedNanos = cfg.minObserved.toNanos();
        this.startSlackNanos = cfg.startSlack.toNanos();
        this.states = new BoundedStates<>(cfg.maxKeys, cfg.idleExpiry.toNanos(), d -> d.last);
    }

    /** Learns a host's endpoints from a connection record. */
    public void observe(ConnEvent e) {
        if (!cfg.enabled || !ConnView.localIsOriginator(e)) return;
        int port = e.respPort;
        boolean clock = port == 123 || port == 67; // NTP or DHCP, to any server, internal ones included
        if (!clock && !ConnView.remoteIsExternal(e)) return;
        if (port == 53 || port == 68 || port == 5353) return;
        long t = ConnView.time(e);
        if (t > watermark) watermark = t;
        states.expire(watermark);
        probe.set(e.origIpHi, e.origIpLo, 0); // keyed by address: devices are not attributed
        Device d = states.get(probe);
        if (d == null) {
            d = new Device(cfg.maxEndpoints, t);
            states.put(probe.copy(), d);
        }
        d.last = Math.max(d.last, t);
        if (clock) {
            d.keepsTime = true;
            return;
        }
        if (d.general) return;
        long ep = endpoint(e.respIpHi, e.respIpLo, port, e.transport.ianaNumber);
        for (int i = 0; i < d.endpoints; i++) if (d.endpoint[i] == ep) return;
        if (d.endpoints == d.endpoint.length) {
            d.general = true; // too many endpoints for an appliance: never baselined
            return;
        }
        d.endpoint[d.endpoints] = ep;
        d.firstSeen[d.endpoints] = t;
        d.endpoints++;
    }

    /** The alert, downranked when it is a baselined device's beacon to one of its first endpoints. */
    public Alert adjust(Alert a) {
        if (!cfg.enabled || a.detector != DetectorKind.BEACON || a.remoteIp == null || a.remotePort == null
                || a.severity == Severity.LOW) return a;
        long[] host = Ip.parse(a.hostIp), remote = Ip.parse(a.remoteIp);
        if (host == null || remote == null) return a;
        probe.set(host[0], host[1], 0);
        Device d = states.get(probe);
        if (d == null || d.general || !d.keepsTime || a.lastSeenNanos - d.first < minObservedNanos) return a;
        int transport = "udp".equals(String.valueOf(a.evidence.get("transport"))) ? 17 : 6;
        long ep = endpoint(remote[0], remote[1], a.remotePort, transport);
        for (int i = 0; i < d.endpoints; i++) {
            if (d.endpoint[i] != ep || d.firstSeen[i] - d.first > startSlackNanos) continue;
            downranked++;
            Alert.Draft x = a.toDraft();
            x.evidence.put("baseline", String.format(java.util.Locale.ROOT,
                    "device talks to %d endpoint(s) since first seen %.1f h ago; this one from its start: ranked Low (was %s)",
                    d.endpoints, (a.lastSeenNanos - d.first) / 3.6e12, a.severity.label));
            x.severity = Severity.LOW;
            x.score = Math.min(a.score, 0.3);
            return x.build();
        }
        return a;
    }

    /** An endpoint's identity: the remote's /24 (IPv4) or /48 (IPv6), port and transport, mixed. */
    private static long endpoint(long hi, long lo, int port, int transport) {
        boolean v4 = Ip.isV4(hi, lo);
        long prefixHi = v4 ? 0 : hi & 0xFFFF_FFFF_FFFF_0000L, prefixLo = v4 ? lo & 0xFFFF_FFFF_FFFF_FF00L : 0;
        long h = prefixHi * 0x9E3779B97F4A7C15L ^ prefixLo;
        h = h * 0xbf58476d1ce4e5b9L ^ ((long) port << 8 | transport);
        return h ^ (h >>> 31);
    }

    public void register(Metrics m) {
        m.gauge("detector.baseline.hosts", states::size);
        m.count("detector.baseline.evictions", states::evictions);
        m.count("detector.baseline.downranked", () -> downranked);
    }
}
