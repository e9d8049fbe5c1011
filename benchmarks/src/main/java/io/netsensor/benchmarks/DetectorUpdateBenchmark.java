package io.netsensor.benchmarks;

import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.beacon.BeaconDetector;
import io.netsensor.detectors.dga.DgaDetector;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detector updates per second, one thread: connection END records in event-time order over many
 * (host, remote) keys, half of them jittered beacons that alert, half irregular. One operation = one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DetectorUpdateBenchmark {
    private static final int EVENTS = 1 << 20;
    private static final long MINUTE = 60_000_000_000L;

    @Param({"10000"})
    public int keys;

    private final long[] start = new long[EVENTS];
    private final long[] remote = new long[EVENTS];
    private final ConnEvent event = new ConnEvent();
    private long alerts;
    private final AlertSink sink = a -> alerts++;
    private BeaconDetector beacon;
    private DetectorEngine engine;
    private static final int DNS_NAMES = 1 << 16;
    private final io.netsensor.events.DnsEvent[] dns = new io.netsensor.events.DnsEvent[DNS_NAMES];
    private io.netsensor.detectors.dnstunnel.DnsTunnelDetector dnsTunnel;
    private int i;
    private long epochShift;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        long t0 = 1_767_225_600_000_000_000L;
        for (int j = 0; j < EVENTS; j++) {
            int k = j % keys;
            long round = j / keys;
            double jitter = (k & 1) == 0 ? (r.nextDouble() - 0.5) * 0.6 : r.nextDouble() * 0.9;
            start[j] = t0 + round * MINUTE + (long) (jitter * MINUTE);
            remote[j] = Ip.v4Lo(0xC6336400 + k);
        }
        beacon = new BeaconDetector(DetectorSettings.defaults().beacon);
        engine = DetectorEngine.standard(DetectorSettings.defaults(), sink, new DgaDetector());
        dnsTunnel = new io.netsensor.detectors.dnstunnel.DnsTunnelDetector(DetectorSettings.defaults().dnsTunnel);
        for (int n = 0; n < DNS_NAMES; n++) {
            dns[n] = new io.netsensor.events.DnsEvent();
            dns[n].clientIpLo = Ip.v4Lo(0x0A000005);
            dns[n].qtype = n % 10 == 0 ? 16 : 1;
            StringBuilder label = new StringBuilder();
            int len = n % 10 == 0 ? 40 : 3 + n % 9;
            for (int c = 0; c < len; c++) label.append((char) (n % 10 == 0 ? "0123456789abcdef".charAt(r.nextInt(16)) : 'a' + r.nextInt(26)));
            dns[n].setQname(label + ".zone" + (n % keys) + ".com");
        }
        event.phase = ConnEvent.Phase.END;
        event.direction = Direction.OUTBOUND;
        event.state = ConnState.SF;
        event.origIpLo = Ip.v4Lo(0x0A000005);
        event.respPort = 8443;
        event.origBytes = 320;
    }

    private ConnEvent next() {
        int j = i++ & (EVENTS - 1);
        if (j == EVENTS - 1) epochShift += (long) (EVENTS / keys + 1) * MINUTE; // keep event time moving forward
        event.startNanos = start[j] + epochShift;
        event.endNanos = event.startNanos + 1_000_000;
        event.respIpLo = remote[j];
        event.origPort = 32768 + (j & 0x3FFF);
        return event;
    }

    @Benchmark
    public long beaconUpdate() {
        beacon.onConn(next(), sink);
        return alerts;
    }

    /** DNS events into the DNS tunnel detector: names under 10,000 zones, a tenth of them encoded labels. */
    @Benchmark
    public long dnsTunnelUpdate() {
        int j = i++ & (EVENTS - 1);
        if (j == EVENTS - 1) epochShift += MINUTE;
        io.netsensor.events.DnsEvent d = dns[j & (DNS_NAMES - 1)];
        d.tsNanos = start[j] + epochShift;
        dnsTunnel.onDns(d, sink);
        return alerts;
    }

    @Benchmark
    public long allDetectorsUpdate() {
        engine.onConn(next());
        return alerts;
    }
}
