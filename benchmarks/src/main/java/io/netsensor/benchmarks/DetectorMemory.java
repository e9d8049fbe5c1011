package io.netsensor.benchmarks;

import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.Detector;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.baseline.DeviceBaseline;
import io.netsensor.detectors.beacon.BeaconDetector;
import io.netsensor.detectors.c2port.C2PortDetector;
import io.netsensor.detectors.dga.DgaDetector;
import io.netsensor.detectors.dnstunnel.DnsTunnelDetector;
import io.netsensor.detectors.fanout.FanoutDetector;
import io.netsensor.detectors.fanout.PortScanDetector;
import io.netsensor.detectors.relay.RelayDetector;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.metrics.Metrics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Retained heap of each detector's state, per key, at its configured cap: the figures the README's detector
 * table and the memory section quote. For each detector, a fresh instance is fed {@code hosts} local hosts
 * (more than any cap) that each reach {@code peers} external peers over three ports (some refused, one
 * C2-port connection, one accepted inbound connection followed by an outbound one) and query {@code names}
 * distinct DNS names under a few zones, all within one minute of event time (nothing expires). The heap is
 * measured after repeated full GCs before and after; the difference over the keys the detector then holds
 * (its {@code detector.keys} gauge) is its memory per key.
 *
 * <pre>java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.netsensor.benchmarks.DetectorMemory [hosts] [peers] [names]</pre>
 */
public final class DetectorMemory {
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final AlertSink IGNORE = a -> {};

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int peers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int names = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        DetectorSettings s = DetectorSettings.defaults();
        Map<String, Supplier<Object>> detectors = new LinkedHashMap<>();
        detectors.put("beacon", () -> new BeaconDetector(s.beacon));
        detectors.put("relay", () -> new RelayDetector(s.relay));
        detectors.put("fanout", () -> new FanoutDetector(s.fanout));
        detectors.put("c2_port", () -> new C2PortDetector(s.c2Port));
        detectors.put("scan", () -> new PortScanDetector(s.scan));
        detectors.put("dns_tunnel", () -> new DnsTunnelDetector(s.dnsTunnel));
        detectors.put("dga", () -> new DgaDetector(s.dga, io.netsensor.detectors.dga.DgaModel.bundled()));
        detectors.put("baseline", () -> new DeviceBaseline(s.baseline));
        System.out.printf("%d hosts x %d peers and %d DNS names each (DetectorSettings.defaults(): max_keys %d)%n",
                hosts, peers, names, DetectorSettings.DEFAULT_MAX_KEYS);
        System.out.printf("%-11s %8s %12s %14s%n", "detector", "keys", "bytes/key", "total MiB");
        long all = 0;
        for (Map.Entry<String, Supplier<Object>> d : detectors.entrySet()) {
            // The DGA model is shared by every instance (bundled, loaded once): build one first so its tables
            // are not counted as the detector's state.
            if (d.getKey().equals("dga")) d.getValue().get();
            long before = usedAfterGc();
            Object detector = d.getValue().get();
            feed(detector, hosts, peers, names);
            long after = usedAfterGc();
            Metrics m = new Metrics();
            long keys;
            if (detector instanceof Detector det) {
                det.register(m);
                keys = m.sum("detector.keys");
            } else {
                ((DeviceBaseline) detector).register(m);
                keys = m.values("").entrySet().stream().filter(e -> e.getKey().contains("keys"))
                        .mapToLong(Map.Entry::getValue).sum();
            }
            long bytes = after - before;
            all += bytes;
            System.out.printf("%-11s %8d %12d %14.1f%n", d.getKey(), keys, keys == 0 ? 0 : bytes / keys, bytes / 1048576.0);
        }
        System.out.printf("%-11s %8s %12s %14.1f%n", "all", "", "", all / 1048576.0);
    }

    private static void feed(Object detector, int hosts, int peers, int names) {
        ConnEvent c = new ConnEvent();
        DnsEvent q = new DnsEvent();
        int[] ports = {443, 8443, 22};
        long t = T0;
        for (int h = 0; h < hosts; h++) {
            long local = Ip.v4Lo(0x0A000000 + h + 1);
            for (int p = 0; p < peers; p++) {
                t += 1_000;
                conn(c, t, local, Ip.v4Lo(0xC6336400 + (h * 7 + p) % 60_000), ports[p % 3],
                        p % 4 == 3 ? ConnState.S0 : ConnState.SF, Direction.OUTBOUND);
                deliver(detector, c);
            }
            conn(c, t, local, Ip.v4Lo(0xCB007100 + h % 250), 6667, ConnState.SF, Direction.OUTBOUND);
            deliver(detector, c);
            conn(c, t, Ip.v4Lo(0xCB007100 + h % 250), local, 19876, ConnState.SF, Direction.INBOUND);
            deliver(detector, c);
            conn(c, t + 1_000_000, local, Ip.v4Lo(0x08080808), 5000, ConnState.SF, Direction.OUTBOUND);
            deliver(detector, c);
            for (int n = 0; n < names; n++) {
                q.tsNanos = t + n;
                q.clientIpLo = local;
                q.serverIpLo = Ip.v4Lo(0x0A0000FE);
                q.serverPort = 53;
                q.qtype = 1;
                q.rcode = n % 2 == 0 ? 3 : 0;
                q.queried = q.responded = true;
                q.setQname("h" + h + "x" + n + "qz.zone" + (n % 4) + ".com");
                if (detector instanceof Detector det) det.onDns(q, IGNORE);
            }
        }
    }

    private static void conn(ConnEvent c, long t, long orig, long resp, int port, ConnState state, Direction dir) {
        c.phase = ConnEvent.Phase.END;
        c.startNanos = t;
        c.endNanos = t + 1_000_000;
        c.origIpLo = orig;
        c.respIpLo = resp;
        c.origPort = 40_000 + (int) (t % 20_000);
        c.respPort = port;
        c.state = state;
        c.direction = dir;
        c.origBytes = 320;
        c.respBytes = state == ConnState.SF ? 4_000 : 0;
    }

    private static void deliver(Object detector, ConnEvent c) {
        if (detector instanceof Detector det) det.onConn(c, IGNORE);
        else ((DeviceBaseline) detector).observe(c);
    }

    private static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
