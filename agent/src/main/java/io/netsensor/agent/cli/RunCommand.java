package io.netsensor.agent.cli;

import io.netsensor.agent.CaptureThread;
import io.netsensor.agent.DetectionLoop;
import io.netsensor.agent.Printing;
import io.netsensor.agent.HostName;
import io.netsensor.agent.Outputs;
import io.netsensor.agent.Sensor;
import io.netsensor.capture.attrib.SocketOwnerResolver;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.SinkFactory;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import io.netsensor.sinks.file.StderrAlertSink;
import io.netsensor.capture.source.DefaultRoute;
import io.netsensor.capture.source.PcapHandleSource;
import io.netsensor.config.Settings;
import io.netsensor.config.Units;
import io.netsensor.events.Attribution;
import java.io.IOException;
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
                "run the detectors and print alerts (and events with --events) as JSON lines on stdout,",
                "one line per alert on stderr, and forward to the config's sinks (syslog, HEC, Kafka, file).",
                "SIGINT/SIGTERM flush open flows, give the sinks a grace period and close the journal cleanly."})
final class RunCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Interface to capture on (default: the config's, else the interface of the default route; 'any' for all).")
    String iface;

    @Option(names = "--promiscuous", description = "Capture in promiscuous mode (gateways, SPAN ports).")
    boolean promiscuous;

    @Option(names = "--snaplen", paramLabel = "BYTES", description = "Bytes captured per packet (default: the config's, 65535).")
    Integer snaplen;

    @Option(names = "--no-attribution", description = "Do not attribute connections and DNS queries to local processes.")
    boolean noAttribution;

    @Mixin
    PipelineOptions pipeline;

    @Mixin
    JournalOptions journalOptions;

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load(s -> {
            if (iface != null) s.captureInterface = iface;
            if (pipeline.filter != null) s.bpf = pipeline.filter;
            if (snaplen != null) s.snaplen = snaplen;
            if (promiscuous) s.promiscuous = true;
        }, SinkFactory::check);
        List<SinkFactory.Spec> sinks = settingsOptions.sinks(settings, HostName.get());
        Path dir = journalOptions.dataDir(settings);
        // Before the capture opens: a journal that cannot be written is reported now, in one line, rather
        // than by Chronicle after capture has started.
        Sensor.checkWritableJournal(dir);
        String device = settings.captureInterface != null ? settings.captureInterface
                : DefaultRoute.interfaceName().orElseThrow(() -> new UserError(
                        "no default route to pick an interface from; pass --interface IF"));
        String bpf = settings.bpf;
        boolean detect = pipeline.detectNoting(settings, "run");
        PrintStream out = System.out;

        PcapHandleSource source = PcapHandleSource.openLive(device, settings.snaplen, settings.promiscuous, bpf);
        CaptureThread[] capture = {null};
        CountDownLatch finished = new CountDownLatch(1);
        SocketOwnerResolver resolver = noAttribution ? null : startResolver();
        try (Sensor sensor = Sensor.open(settings, dir, hostAddresses(), resolver);
             DetectionLoop detection = new DetectionLoop(sensor.journal, settings, detect, DetectionLoop.telemetry(settings))) {
            if (detection.detecting()) {
                long rebuilt = detection.rebuild(settings.detectors.rebuildWindow);
                if (rebuilt > 0) {
                    System.err.printf("netsensor: detector state rebuilt from the journal's last %s (%d records, %d earlier alerts)%n",
                            Units.format(settings.detectors.rebuildWindow), rebuilt, detection.rebuiltAlerts());
                }
            } else {
                detection.fromEnd(); // telemetry only: from what this run captures
            }
            // stdout prints only what this run journals from now on: alerts from earlier runs were printed by them
            StdoutSink printer = new StdoutSink("stdout", out, Printing.kinds(pipeline.events, pipeline.telemetry), false,
                    HostName.get(), sensor.locality::isHostAddress);
            List<Sink> local = new ArrayList<>(List.of(printer));
            if (settings.alertsOnStderr) local.add(new StderrAlertSink(System.err));
            // The configured sinks resume at their stored positions (the journal's beginning the first time);
            // the printers show what this run journals from now on.
            String sinkSummary;
            try (Outputs outputs = Outputs.start(sensor.journal, local, SinkRunner.Start.END, sinks, dir, System.err)) {
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
                outputs.stop(() -> c.done() && (detection == null || detection.done()));
                sinkSummary = outputs.summary();
            }
            out.flush();
            System.err.printf("netsensor: stopped; %d events journaled, %d alerts, %d dropped by the kernel, decode %s%s%s%n",
                    sensor.writer.appended(), detection.alerts(), source.droppedByKernel(),
                    sensor.pipeline.decoder().stats().summary(), attributionSummary(sensor, resolver), sinkSummary);
            System.err.flush();
        } finally {
            source.close();
            if (resolver != null) resolver.close();
            finished.countDown();
        }
        if (capture[0] != null) capture[0].rethrowFailure();
        return 0;
    }

    /** Starts the resolver; attribution is best effort, so a failure is said once and capture goes on. */
    private static SocketOwnerResolver startResolver() {
        try {
            SocketOwnerResolver r = SocketOwnerResolver.start(new SocketOwnerResolver.Options());
            if (r.privilegeWarning() != null) System.err.println(r.privilegeWarning());
            return r;
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("netsensor: attribution: off, cannot query sockets (" + e.getMessage() + ")");
            return null;
        }
    }

    /** "; attribution hit rate ... " for the stop line: records of local sockets that named their process. */
    static String attributionSummary(Sensor sensor, SocketOwnerResolver resolver) {
        if (sensor.attribution == null || resolver == null) return "";
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
        Map<String, Long> r = resolver.stats();
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
