package io.netsensor.agent.cli;

import io.netsensor.agent.FileTrees;
import io.netsensor.agent.Sensor;
import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.source.FrameHandler;
import io.netsensor.capture.source.PacketSource;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.capture.source.PcapHandleSource;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import io.netsensor.capture.attrib.SocketOwnerResolver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput figures on a generated mixed capture: file read alone (our memory-mapped reader, and libpcap
 * through pcap4j for comparison), decode, and the full path decode + track + DNS + journal append.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Measure packets per second per pipeline stage.",
        description = "Replay a generated capture of mixed traffic and print packets per second per stage.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--packets", defaultValue = "2000000", description = "Packets in the generated capture (default ${DEFAULT-VALUE}).")
    long packets;

    @Option(names = "--iterations", defaultValue = "5", description = "Runs per stage; the median and best are printed (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--file", paramLabel = "PCAP", description = "Benchmark this capture instead of a generated one.")
    Path file;

    @Option(names = "--session-packets", defaultValue = "0", paramLabel = "N",
            description = "Data packets per generated TCP session (default: 2-11 at random, i.e. ~10 %% of packets start a flow).")
    int sessionPackets;

    @Option(names = "--attribution", description = {"Also run the full path with process attribution on: every generated",
            "client address counts as this host's, so each new flow is posted to the (real) resolver thread,",
            "which looks it up with sock_diag; compares throughput with and without."})
    boolean attribution;

    @Option(names = "--write", paramLabel = "PCAP",
            description = "Only write the generated capture to PCAP and exit (the input of benchmarks/live-bench.sh).")
    Path write;

    private long flowsInCapture;

    @Override
    public Integer call() throws Exception {
        if (write != null) {
            SyntheticCapture gen = new SyntheticCapture(42, sessionPackets);
            long n = gen.write(write, packets);
            System.out.printf("wrote %d packets in %d flows (%d MiB) of mixed TCP/UDP/DNS, IPv4/IPv6, VLAN to %s%n",
                    n, gen.flows(), Files.size(write) >> 20, write);
            return 0;
        }
        Path dir = Files.createTempDirectory("netsensor-bench-");
        try {
            Path pcap = file;
            if (pcap == null) {
                pcap = dir.resolve("mixed.pcap");
                long t0 = System.nanoTime();
                SyntheticCapture gen = new SyntheticCapture(42, sessionPackets);
                long n = gen.write(pcap, packets);
                flowsInCapture = gen.flows();
                System.out.printf("generated %d packets in %d flows (%d MiB) of mixed TCP/UDP/DNS, IPv4/IPv6, VLAN in %.1f s%n",
                        n, gen.flows(), Files.size(pcap) >> 20, (System.nanoTime() - t0) / 1e9);
            }
            Path capture = pcap;
            stage("read (mmap reader)", () -> count(PcapFileSource.open(capture)));
            stage("read (libpcap via pcap4j)", () -> count(PcapHandleSource.openOffline(capture.toString(), null)));
            stage("decode", () -> decodeOnly(capture));
            Settings settings = SettingsLoader.defaults();
            stage("decode+track+dns+journal", () -> {
                Path data = Files.createTempDirectory(dir, "journal");
                try (Sensor sensor = Sensor.open(settings, data, List.of()); PacketSource src = PcapFileSource.open(capture)) {
                    long n = src.run(sensor.pipeline);
                    sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
                    return n;
                } finally {
                    FileTrees.deleteQuietly(data);
                }
            });
            if (attribution) {
                stage("libpcap+decode+track+dns+journal", () -> {
                    Path data = Files.createTempDirectory(dir, "journal");
                    try (Sensor sensor = Sensor.open(settings, data, List.of());
                         PacketSource src = PcapHandleSource.openOffline(capture.toString(), null)) {
                        long n = src.run(sensor.pipeline);
                        sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
                        return n;
                    } finally {
                        FileTrees.deleteQuietly(data);
                    }
                });
                attributionStage(settings, capture, dir);
            }
        } finally {
            FileTrees.deleteQuietly(dir);
        }
        return 0;
    }

    /** The full path with attribution: the capture thread posts each new flow and reads results when writing. */
    private void attributionStage(Settings settings, Path capture, Path dir) throws Exception {
        // The generated clients: 10.0.0.0/16 and fd00::/112 (see SyntheticCapture)
        io.netsensor.capture.track.Locality clients = (hi, lo) -> (hi == 0 && (lo >>> 16) == 0x0000_FFFF_0A00L)
                || (hi == 0xFD00_0000_0000_0000L && (lo >>> 16) == 0);
        java.util.SortedMap<String, Long>[] last = new java.util.SortedMap[1];
        for (boolean viaLibpcap : new boolean[] {false, true}) {
            // Through libpcap (pcap4j's raw listener) is the live capture path: same thread, same copies.
            String name = (viaLibpcap ? "libpcap+" : "") + "decode+track+dns+journal+attribution";
            stage(name, () -> {
                Path data = Files.createTempDirectory(dir, "journal");
                try (SocketOwnerResolver resolver = SocketOwnerResolver.start(new SocketOwnerResolver.Options());
                     Sensor sensor = Sensor.open(settings, data, resolver, clients);
                     PacketSource src = viaLibpcap ? PcapHandleSource.openOffline(capture.toString(), null)
                             : PcapFileSource.open(capture)) {
                    long n = src.run(sensor.pipeline);
                    sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
                    last[0] = sensor.metrics.values("attribution."); // values now: the sensor is closed below
                    return n;
                } finally {
                    FileTrees.deleteQuietly(data);
                }
            });
        }
        java.util.SortedMap<String, Long> a = last[0];
        System.out.printf("  last run: %d new flows posted (%d dropped: queue full), resolver: %d sock_diag lookups, %d wake-ups, %d full rescans, %d records held%n",
                a.get("attribution.requests"), a.get("attribution.request_drops"), a.get("attribution.resolver.lookups"),
                a.get("attribution.resolver.wakeups"), a.get("attribution.resolver.full_rescans"), a.get("attribution.held"));
    }

    private static long count(PacketSource src) throws Exception {
        long[] n = {0};
        try (src) {
            src.run((ts, lt, b, off, cap, wire) -> n[0]++);
        }
        return n[0];
    }

    private static long decodeOnly(Path pcap) throws Exception {
        FrameDecoder decoder = new FrameDecoder();
        PacketView view = new PacketView();
        long[] ok = {0};
        FrameHandler h = (ts, lt, b, off, cap, wire) -> {
            if (decoder.decode(view, ts, lt, b, off, cap, wire).hasIp()) {
                ok[0]++;
                while (decoder.nextLayer(view)) ok[0]++;
            }
        };
        try (PacketSource src = PcapFileSource.open(pcap)) {
            return src.run(h);
        }
    }

    private interface Stage {
        long run() throws Exception;
    }

    private void stage(String name, Stage s) throws Exception {
        double[] rates = new double[iterations];
        long n = 0;
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            n = s.run();
            rates[i] = n / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        double median = rates[iterations / 2];
        String flowRate = flowsInCapture > 0 && n > 0
                ? String.format("  (%.0f k new flows/s at the median)", median * flowsInCapture / n / 1e3) : "";
        System.out.printf("%-38s %10d packets  median %6.2f M packets/s  best %6.2f M packets/s%s%n", name, n,
                median / 1e6, rates[iterations - 1] / 1e6, flowRate);
    }

}
