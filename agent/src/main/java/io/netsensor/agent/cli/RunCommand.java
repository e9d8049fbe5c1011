package io.netsensor.agent.cli;

import io.netsensor.agent.AttributionStart;
import io.netsensor.agent.CaptureThread;
import io.netsensor.agent.DetectionLoop;
import io.netsensor.agent.Printing;
import io.netsensor.agent.HostName;
import io.netsensor.agent.Outputs;
import io.netsensor.agent.Sensor;
import io.netsensor.agent.ops.Operations;
import io.netsensor.capture.attrib.AttributingHandler;
import io.netsensor.capture.decode.DecodeStats;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.SinkFactory;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.sinks.StdoutSink;
import io.netsensor.sinks.file.StderrAlertSink;
import io.netsensor.capture.source.DefaultRoute;
import io.netsensor.capture.source.LiveSource;
import io.netsensor.capture.source.LiveSources;
import io.netsensor.config.Settings;
import io.netsensor.config.Units;
import io.netsensor.events.Attribution;
import io.netsensor.metrics.Metrics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Live capture: the agent's main job, as a service runs it. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Capture live on an interface, journal events, detect and print alerts.",
        description = {"Capture live from an interface (libpcap via pcap4j), journal connection and DNS events,",
                "run the detectors and print alerts (and events with --events) as JSON lines on stdout,",
                "one line per alert on stderr, and forward to the config's sinks (syslog, HEC, Kafka, file).",
                "SIGINT/SIGTERM flush open flows, give the sinks a grace period and close the journal cleanly."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Interface to capture on (default: the config's, else the interface of the default route; 'any' for all).")
    String iface;

    @Option(names = "--promiscuous", description = "Capture in promiscuous mode (gateways, SPAN ports).")
    boolean promiscuous;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", description = "Bytes captured per packet (default: the config's, 65535).")
    Integer snaplen;

    @Option(names = {"-y", "--linktype"}, paramLabel = "TYPE",
            description = "Link type to capture with, by name as tcpdump -y (EN10MB, LINUX_SLL, ...) or number (default: the interface's).")
    String linkType;

    @Option(names = {"-D", "--list-interfaces"}, description = "List the interfaces libpcap can capture on, and exit (as tcpdump -D).")
    boolean listInterfaces;

    @Option(names = "--capture-source", paramLabel = "SOURCE",
            description = "How to read the kernel: auto (the TPACKET_V3 ring on Linux Ethernet interfaces, else libpcap), tpacket_v3 or libpcap (default: the config's capture_source, auto).")
    String captureSource;

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
        if (io.netsensor.agent.Main.standalone()) ConfigReload.installEarly(settingsOptions); // first: a HUP at any moment is safe
        if (listInterfaces) return InterfacesCommand.print(System.out);
        int dlt = linkType == null ? -1 : io.netsensor.capture.decode.LinkTypes.byName(linkType);
        if (linkType != null && dlt < 0) {
            throw new UserError("--linktype: '" + linkType + "' is not a link type (" + io.netsensor.capture.decode.LinkTypes.names() + ")");
        }
        java.util.function.Consumer<Settings> flags = s -> { // over the file, at start and at each reload
            if (iface != null) s.captureInterface = iface;
            if (pipeline.filter != null) s.bpf = pipeline.filter;
            if (snaplen != null) s.snaplen = snaplen;
            if (promiscuous) s.promiscuous = true;
            if (captureSource != null) {
                try {
                    s.captureSource = Settings.CaptureSource.parse(captureSource);
                } catch (IllegalArgumentException e) {
                    throw new UserError("--capture-source: " + e.getMessage());
                }
            }
        };
        Settings settings = settingsOptions.load(flags, SettingsOptions::checkFilter, SinkFactory::check);
        List<SinkFactory.Spec> sinks = settingsOptions.sinks(settings, HostName.get());
        Path dir = journalOptions.dataDir(settings);
        // Before the capture opens: a journal that cannot be written is reported now, in one line, rather
        // than by Chronicle after capture has started.
        Sensor.checkWritableJournal(dir);
        // and before the capture opens too: a second writer on this data dir fails at once, naming the first
        try (io.netsensor.journal.WriterLock lock = io.netsensor.journal.WriterLock.acquire(dir)) {
            return capture(settings, flags, sinks, dir, dlt);
        }
    }

    private int capture(Settings settings, java.util.function.Consumer<Settings> flags, List<SinkFactory.Spec> sinks, Path dir, int dlt) throws Exception {
        String device = settings.captureInterface != null ? settings.captureInterface
                : DefaultRoute.interfaceName().orElseThrow(() -> new UserError(
                        "no default route to pick an interface from; pass --interface IF"));
        String bpf = settings.bpf;
        boolean detect = pipeline.detectNoting(settings, "run");
        PrintStream out = System.out;

        LiveSources.Opened opened = LiveSources.open(settings.captureSource, device, settings.snaplen, settings.promiscuous,
                bpf, dlt, settings.captureBuffer);
        LiveSource source = opened.source();
        CaptureThread[] capture = {null};
        CountDownLatch finished = new CountDownLatch(1);
        AttributionStart attribution = noAttribution ? null : AttributionStart.start();
        Operations ops = null; // metrics endpoint, status file, summary line; closed last (its status says stopped)
        try (Sensor sensor = Sensor.open(settings, dir, hostAddresses(), attribution == null ? null : attribution.source);
             DetectionLoop detection = new DetectionLoop(sensor.journal, settings, detect,
                     DetectionLoop.telemetry(settings), sensor.metrics)) {
            if (attribution != null) attribution.register(sensor.metrics);
            // read at the stop line only: pcap_stats from another thread while the capture loop runs is not a tested path
            sensor.metrics.count("capture.kernel_drops", source::droppedByKernel);
            source.register(sensor.metrics);
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
            try (Outputs outputs = Outputs.start(sensor.journal, sensor.metrics, local, SinkRunner.Start.END, sinks, dir, System.err)) {
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
                ops = Operations.start(new Operations.Agent(settings, device, dir, sensor, detection, outputs.runners(),
                        () -> capture[0] != null && !capture[0].done(), source), System.err);
                ops.onUserSignals();
                Runtime.getRuntime().addShutdownHook(shutdown);
                new ConfigReload(settingsOptions, flags, settings, detection, outputs, System.err).onHangup();
                capture[0] = CaptureThread.start(() -> {
                    source.run(sensor.pipeline);
                    sensor.pipeline.finish(Math.max(System.currentTimeMillis() * 1_000_000L, sensor.pipeline.lastTimestamp()));
                });
                System.err.println("netsensor: capturing on " + device + " through " + source.reader()
                        + (opened.fallbackReason() == null ? "" : " (not the TPACKET_V3 ring: " + opened.fallbackReason() + ")")
                        + (bpf.isBlank() ? "" : " with filter '" + bpf + "'")
                        + ", link type " + io.netsensor.capture.decode.LinkTypes.describe(source.linkType())
                        + ", journal " + sensor.journal.dir() + ", pid " + ProcessHandle.current().pid());
                CaptureThread c = capture[0];
                if (detection != null) detection.start(c::done);
                c.join();
                if (detection != null) detection.join();
                outputs.stop(() -> c.done() && (detection == null || detection.done()));
            }
            out.flush();
            Metrics m = sensor.metrics;
            for (String line : ops.stopReport(DecodeStats.summary(m), attributionSummary(m))) System.err.println(line);
            if (sensor.journal.space().unjournaled() > 0) {
                System.err.println("netsensor: journal: " + sensor.journal.space().unjournaled()
                        + " record(s) not journaled this run: the disk was full (" + sensor.journal.space().episodes() + " time(s))");
            }
            ops.finish(); // the status file: stopped, with the final counts
            System.err.flush();
        } finally {
            source.close();
            if (attribution != null) attribution.close();
            if (ops != null) ops.close();
            finished.countDown();
        }
        if (capture[0] != null) capture[0].rethrowFailure();
        return 0;
    }

    /**
     * "; attribution hit rate ... " for the stop line, from the registry: records of local sockets that named
     * their process, and the active mode's own counts; empty when attribution is off (nothing registered it).
     */
    public static String attributionSummary(Metrics m) {
        boolean kernel = m.contains("attribution.kernel.socket_records");
        if (!m.contains("attribution.requests") || !(kernel || m.contains("attribution.resolver.lookups"))) return "";
        long resolved = records(m, Attribution.RESOLVED);
        long local = 0;
        StringBuilder misses = new StringBuilder();
        for (Attribution a : Attribution.values()) {
            if (a == Attribution.NOT_LOCAL || a == Attribution.UNKNOWN) continue;
            long n = records(m, a);
            local += n;
            if (a != Attribution.RESOLVED && n > 0) misses.append(' ').append(a.ecsName).append('=').append(n);
        }
        if (kernel) {
            return String.format(java.util.Locale.ROOT,
                    "; attribution (kernel) %d/%d records (%.1f %%), misses:%s; socket records %d (at start %d), exec %d, fork %d, exit %d, drops: ring buffer %d queue %d, held %d, process records %d, loader cpu %d ms",
                    resolved, local, local == 0 ? 100.0 : 100.0 * resolved / local, misses.length() == 0 ? " none" : misses,
                    m.value("attribution.kernel.socket_records"), m.value("attribution.kernel.existing_sockets"),
                    m.value("attribution.kernel.exec_records"), m.value("attribution.kernel.fork_records"),
                    m.value("attribution.kernel.exit_records"), m.value("attribution.kernel.ringbuf_drops"),
                    m.value("attribution.kernel.queue_drops"), m.value("attribution.held"), m.value("attribution.process_records"),
                    m.value("attribution.kernel.loader_cpu_ns") / 1_000_000);
        }
        return String.format(java.util.Locale.ROOT,
                "; attribution %d/%d records (%.1f %%), misses:%s; lookups %d, full rescans %d, queue drops %d, held %d, process records %d, caches: inodes %d processes %d recent sockets %d",
                resolved, local, local == 0 ? 100.0 : 100.0 * resolved / local, misses.length() == 0 ? " none" : misses,
                m.value("attribution.resolver.lookups"), m.value("attribution.resolver.full_rescans"),
                m.value("attribution.resolver.queue_drops"), m.value("attribution.held"),
                m.value("attribution.process_records"), m.value("attribution.resolver.inode_cache"),
                m.value("attribution.resolver.process_cache"), m.value("attribution.resolver.recent_sockets"));
    }

    /** Connection and DNS records written with this attribution status. */
    private static long records(Metrics m, Attribution a) {
        return m.value(AttributingHandler.recordsMetric("conn", a)) + m.value(AttributingHandler.recordsMetric("dns", a));
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
