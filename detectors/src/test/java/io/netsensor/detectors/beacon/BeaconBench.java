package io.netsensor.detectors.beacon;

import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;

/**
 * Throughput of the beacon detector (not a unit test; run by hand):
 * {@code java -cp detectors/target/classes:detectors/target/test-classes:events/target/classes:<guava>
 * io.netsensor.detectors.beacon.BeaconBench [events] [keys]}. Feeds one reused ConnEvent, like the
 * capture pipeline does: each key connects about once a minute, half of them with ±30 % jitter (they
 * become beacons and alert), half connecting in a random half of the minutes at a random second
 * (geometric gaps: irregular, re-evaluated with back-off). Event time stays globally ordered, as in capture.
 */
public final class BeaconBench {
    public static void main(String[] args) {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        run(2_000_000L, keys, false);
        run(events, keys, true);
    }

    static void run(long events, int keys, boolean print) {
        BeaconDetector d = new BeaconDetector(DetectorSettings.defaults().beacon);
        long[] alerts = new long[1];
        AlertSink sink = a -> alerts[0]++;
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.SF;
        long local = Ip.v4Lo(0x0A000005);
        long t0 = 1_704_067_200_000_000_000L;
        long minute = 60_000_000_000L;
        long x = 0x9E3779B97F4A7C15L;
        long start = System.nanoTime();
        for (long i = 0, j = 0; i < events; j++) {
            int k = (int) (j % keys);
            long round = j / keys;
            x ^= x << 13; x ^= x >>> 7; x ^= x << 17; // xorshift: cheap, deterministic noise
            double u = (x >>> 11) * 0x1.0p-53;
            if ((k & 1) == 1 && u < 0.5) continue; // irregular key idle this minute
            e.startNanos = t0 + round * minute + ((k & 1) == 0 ? (long) ((u - 0.5) * 0.3 * minute) : (long) (u * 0.9 * minute));
            i++;
            e.endNanos = e.startNanos + 1_000_000;
            e.origIpHi = 0; e.origIpLo = local;
            e.respIpHi = 0; e.respIpLo = Ip.v4Lo(0xC6336400 + k); // 198.51.100.0 + k
            e.respPort = 8443;
            e.origBytes = 300 + (x & 7);
            d.onConn(e, sink);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (print) {
            System.out.printf("%,d events over %,d keys in %.2f s: %,.0f events/s; alerts %d; metrics %s%n",
                    events, keys, secs, events / secs, alerts[0], io.netsensor.detectors.Registered.of(d).values("detector."));
        }
    }
}
