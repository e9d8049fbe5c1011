package io.netsensor.agent;

import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import io.netsensor.capture.source.DefaultRoute;
import io.netsensor.capture.source.PcapHandleSource;
import io.netsensor.config.Settings;
import io.netsensor.events.Attribution;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Live capture: the agent's main job, as a service runs it. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Capture live from an interface (libpcap via pcap4j), journal connection and DNS events,",
                "run the detectors and print alerts (and events with --events) as JSON lines on stdout.",
                "SIGINT/SIGTERM flush open flows and close the journal cleanly."})
final class RunCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Interface to capture on (default: the config's, else the interface of the default route; 'any' for all).")
    String iface;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "BPF capture filter (libpcap syntax).")
    String filter;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Journal location (default: the config's data_dir, /var/lib/netsensor).")
    Path dataDir;

    @Option(names = "--events", description = "Print every connection and DNS event as a JSON line.")
    boolean events;

    @Option(names = "--promiscuous", description = "Capture in promiscuous mode (gateways, SPAN ports).")
    boolean promiscuous;

    @Option(names = "--snaplen", paramLabel = "BYTES", description = "Bytes captured per packet (default: the config's, 65535).")
    Integer snaplen;

    @Option(names = "--telemetry", description = "Print the summarized telemetry rows (one per key, remote and interval) as JSON lines.")
    boolean telemetry;

    @Option(names = "--no-detect", description = "Only capture and journal; run no detectors.")
    boolean noDetect;

    @Option(names = "--no-attribution", description = "Do not attribute connections and DNS queries to local processes.")
    boolean noAttribution;

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        String device = iface != null ? iface : settings.captureInterface != null ? settings.captureInterface
                : DefaultRoute.interfaceName().orElseThrow(() -> new Main.UserError(
                        "no default route to pick an interface from; pass --interface IF"));
        String bpf = filter != null ? filter : settings.bpf;
        Path dir = dataDir != null ? dataDir : Path.of(settings.dataDir);
        PrintStream out = System.out;

        PcapHandleSource source = PcapHandleSource.openLive(device, snaplen != null ? snaplen : settings.snaplen,
                promiscuous || settings.promiscuous, bpf);
        CaptureThread[] capture = {null};
        CountDownLatch finished = new CountDownLatch(1);
        AttributionStart attribution = noAttribution ? null : AttributionStart.start();
        try (Sensor sensor = Sensor.open(settings, dir, hostAddresses(), attribution == null ? null : attribution.source);
             DetectionLoop detection = new DetectionLoop(sensor.journal, settings, !noDetect, io.netsensor.telemetry.RollupSettings.defaults())) {
            if (detection.detecting()) {
                long rebuilt = detection.rebuild(io.netsensor.config.Units.duration(settings.detectors.rebuildWindow));
                if (rebuilt > 0) {
                    System.err.printf("netsensor: detector state rebuilt from the journal's last %s (%d records, %d earlier alerts)%n",
                            settings.detectors.rebuildWindow, rebuilt, detection.rebuiltAlerts());
                }
            } else {
                detection.fromEnd(); // telemetry only: from what this run captures
            }
            // stdout prints only what this run journals from now on: alerts from earlier runs were printed by them
            StdoutSink printer = new StdoutSink("stdout", out, Printing.kinds(events, telemetry), false, HostName.get());
            try (Outputs outputs = Outputs.start(sensor.journal, List.of(printer), SinkRunner.Start.END)) {
                Thread shutdown = new Thread(() -> {
                    source.stop();
                    try {
                        finished.await(); // let detection and the sinks drain and the journal close before the JVM exits
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    // Everything is flushed and closed: a requested stop is a success, not "killed by signal" (143).
                    System.err.flush();
                    System.out.flush();
                    Runtime.getRuntime().halt(capture[0] != null && capture[0].failed() ? 1 : 0);
                }, "netsensor-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdown);
                ConfigReload.onHangup(settingsOptions, detection);
                capture[0] = CaptureThread.start(() -> {
                    source.run(sensor.pipeline);
                    sensor.pipeline.finish(Math.max(System.currentTimeMillis() * 1_000_000L, sensor.pipeline.lastTimestamp()));
                });
                System.err.println("netsensor: capturing on " + device + (bpf.isBlank() ? "" : " with filter '" + bpf + "'")
                        + ", linktype " + source.linkType() + ", journal " + sensor.journal.dir());
                CaptureThread c = capture[0];
                if (detection != null) detection.start(c::done);
                c.join();
                if (detection != null) detection.join();
                outputs.drain(() -> c.done() && (detection == null || detection.done()));
            }
            out.flush();
            System.err.printf("netsensor: stopped; %d events journaled, %d alerts, %d dropped by the kernel, decode %s%s%n",
                    sensor.writer.appended(), detection == null ? 0 : detection.alerts(), source.droppedByKernel(),
                    sensor.pipeline.decoder().stats().summary(), attributionSummary(sensor, attribution));
            System.err.flush();
        } finally {
            source.close();
            if (attribution != null) attribution.close();
            finished.countDown();
        }
        if (capture[0] != null) capture[0].rethrowFailure();
        return 0;
    }

    /** "; attribution hit rate ... " for the stop line: records of local sockets that named their process. */
    static String attributionSummary(Sensor sensor, AttributionStart attribution) {
        if (sensor.attribution == null || attribution == null) return "";
        Map<String, Long> h = sensor.attribution.stats();
        long resolved = h.get("conn.resolved") + h.get("dns.resolved");
        long local = 0;
        StringBuilder misses = new StringBuilder();
        for (Attribution a : Attribution.values()) {
            if (a == Attribution.NOT_LOCAL || a == Attribution.UNKNOWN) continue;
            long n = h.get("conn." + a.ecsName) + h.get("dns." + a.ecsName);
            local += n;
            if (a != Attribution.RESOLVED && n > 0) misses.append(' ').append(a.ecsName).append('=').append(n);
        }
        if (attribution.kernel != null) {
            Map<String, Long> k = attribution.kernel.stats();
            return String.format(java.util.Locale.ROOT,
                    "; attribution (kernel) %d/%d records (%.1f %%), misses:%s; socket records %d (at start %d), exec %d, fork %d, exit %d, drops: ring buffer %d queue %d, held %d, process records %d, loader cpu %d ms",
                    resolved, local, local == 0 ? 100.0 : 100.0 * resolved / local, misses.length() == 0 ? " none" : misses,
                    k.get("socket_records"), k.get("existing_sockets"), k.get("exec_records"), k.get("fork_records"), k.get("exit_records"),
                    k.get("ringbuf_drops"), k.get("queue_drops"), h.get("held"), h.get("process_records"), k.get("loader_cpu_ns") / 1_000_000);
        }
        Map<String, Long> r = attribution.resolver.stats();
        return String.format(java.util.Locale.ROOT,
                "; attribution %d/%d records (%.1f %%), misses:%s; lookups %d, full rescans %d, queue drops %d, held %d, process records %d, caches: inodes %d processes %d recent sockets %d",
                resolved, local, local == 0 ? 100.0 : 100.0 * resolved / local, misses.length() == 0 ? " none" : misses,
                r.get("lookups"), r.get("full_rescans"), r.get("queue_drops"), h.get("held"), h.get("process_records"),
                r.get("inode_cache"), r.get("process_cache"), r.get("recent_sockets"));
    }

    /** This host's addresses, which are local whatever home_net says. */
    static List<String> hostAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String s = a.getHostAddress();
                    int pct = s.indexOf('%');
                    out.add(pct < 0 ? s : s.substring(0, pct));
                }
            }
        } catch (SocketException e) {
            System.err.println("netsensor: cannot list this host's addresses (" + e.getMessage() + "); using home_net only");
        }
        return out;
    }
}
