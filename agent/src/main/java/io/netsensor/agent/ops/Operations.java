package io.netsensor.agent.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsensor.agent.DetectionLoop;
import io.netsensor.agent.Sensor;
import io.netsensor.capture.source.LiveSource;
import io.netsensor.config.Settings;
import io.netsensor.config.Units;
import io.netsensor.events.Severity;
import io.netsensor.metrics.JvmMetrics;
import io.netsensor.metrics.Metrics;
import io.netsensor.sinks.SinkRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What an operator watches of a running agent: the metrics the components do not register themselves
 * (pcap stats, journal size and age, capture state, JVM and process), a sampler every
 * {@value #SAMPLE_SECONDS} s that turns counters into rates and checks that the journal is writable, the
 * health document ({@code /health}, {@code DATA_DIR/status.json} for {@code netsensor status}), the
 * endpoint when {@code metrics.listen} is set, the summary line every {@code log_summary_interval} (and on
 * SIGUSR1), and the stop report.
 */
public final class Operations implements AutoCloseable {
    static final int SAMPLE_SECONDS = 10;
    /** Samples kept: an hour, for "alerts in the last hour". */
    private static final int HISTORY = 3600 / SAMPLE_SECONDS + 1;
    /** A sink refusing deliveries for this long makes the agent unhealthy; a short blip does not. */
    static final long SINK_UNHEALTHY_NANOS = 30_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the agent is made of, as `run` wired it. */
    public record Agent(Settings settings, String device, Path dataDir, Sensor sensor, DetectionLoop detection,
                        List<SinkRunner> sinks, BooleanSupplier captureRunning, LiveSource source) {}

    private final Agent a;
    private final Metrics m;
    /** The process's start (the JVM's), so uptime counts the start-up too. */
    private final long startedMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    private final long startedNanos = System.nanoTime() - Math.max(0, System.currentTimeMillis() - startedMillis) * 1_000_000L;
    private volatile boolean finished;
    private final ScheduledExecutorService timer;
    private final StatusFile statusFile;
    private final PrintStream log;
    private OpsServer server;
    /** Sampled by the timer thread; read by the HTTP thread and signal handlers. */
    private volatile Sample last, previous;
    private final Sample[] history = new Sample[HISTORY];
    private int historyNext;
    private volatile boolean journalWritable = true;
    private volatile String journalProblem;
    private volatile long journalBytes = -1, journalOldestMillis = -1;
    private long journalMeasuredAtNanos = Long.MIN_VALUE;

    /** Counters at one moment. */
    record Sample(long nanos, long frames, long kernelDrops, long events, long alerts, long[] alertsBySeverity) {}

    private Operations(Agent a, PrintStream log) {
        this.a = a;
        this.m = a.sensor().metrics;
        this.log = log;
        this.statusFile = new StatusFile(a.dataDir());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netsensor-ops");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers the metrics, takes a first sample, starts the endpoint (when configured: a port in use fails
     * here, before capture starts), the sampler and the summary line.
     */
    public static Operations start(Agent a, PrintStream log) throws IOException {
        Operations ops = new Operations(a, log);
        try {
            ops.register();
            ops.sample();
            if (a.settings().metrics.listen != null) {
                ops.server = OpsServer.start(Units.listenAddress(a.settings().metrics.listen), ops.m, ops::healthAnswer);
                log.println("netsensor: metrics on " + ops.server.baseUrl() + "/metrics, health on " + ops.server.baseUrl() + "/health");
            }
            ops.statusFile.write(ops.health());
            ops.timer.scheduleWithFixedDelay(ops::tick, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
            Duration every = a.settings().logSummaryInterval;
            if (!every.isZero()) {
                long ms = every.toMillis();
                ops.timer.scheduleAtFixedRate(() -> log.println(ops.summaryLine()), ms, ms, TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            ops.close();
            throw e;
        }
        return ops;
    }

    private void register() {
        LiveSource src = a.source();
        if (src != null) {
            m.count("capture.pcap.received", src::receivedByKernel);
            m.count("capture.pcap.dropped", src::droppedForBuffer);
            m.count("capture.pcap.if_dropped", src::droppedByInterface);
        }
        m.gauge("capture.running", () -> a.captureRunning().getAsBoolean() ? 1 : 0);
        m.gauge("journal.disk_bytes", () -> journalBytes);
        m.gauge("journal.max_bytes", () -> a.settings().journal.maxBytes);
        m.gauge("journal.age_seconds", () -> journalOldestMillis < 0 ? 0 : (System.currentTimeMillis() - journalOldestMillis) / 1000);
        m.gauge("journal.writable", () -> journalWritable ? 1 : 0);
        m.gauge("detect.running", () -> a.detection() != null && a.detection().running() ? 1 : 0);
        m.gauge(Metrics.name("agent.info", "version", AgentVersion.get(), "interface", a.device()), () -> 1);
        m.gauge("agent.uptime_seconds", () -> (System.nanoTime() - startedNanos) / 1_000_000_000L);
        JvmMetrics.register(m);
    }

    /** The timer's work: a sample, the journal checks, the status file. Never throws (it would stop the timer). */
    private void tick() {
        try {
            sample();
            statusFile.write(health());
        } catch (RuntimeException | IOException e) {
            log.println("netsensor: status update failed: " + e);
        }
    }

    private synchronized void sample() {
        if (finished) return;
        long now = System.nanoTime();
        long[] bySeverity = new long[Severity.values().length];
        for (Severity s : Severity.values()) {
            for (io.netsensor.events.DetectorKind k : io.netsensor.events.DetectorKind.values()) {
                String key = Metrics.name("detect.alerts_by_severity", "detector", k.label, "severity", s.name().toLowerCase(Locale.ROOT));
                if (m.contains(key)) bySeverity[s.ordinal()] += m.value(key);
            }
        }
        Sample s = new Sample(now, m.value("capture.frames"), kernelDrops(),
                m.value("journal.appended", "writer", Sensor.WRITER), m.sum("detect.alerts_journaled"), bySeverity);
        previous = last == null ? new Sample(startedNanos, 0, 0, 0, 0, new long[bySeverity.length]) : last;
        last = s;
        history[historyNext] = s;
        historyNext = (historyNext + 1) % HISTORY;
        try {
            Sensor.checkWritableJournal(a.dataDir());
            journalWritable = true;
            journalProblem = null;
        } catch (IOException e) {
            journalWritable = false;
            journalProblem = e.getMessage();
        }
        // the size on disk opens every cycle file (a week of hourly cycles: 168): once a sample, not once a scrape
        if (!finished) {
            journalMeasuredAtNanos = now;
            journalBytes = a.sensor().journal.diskBytes();
            journalOldestMillis = a.sensor().journal.oldestCycleStartMillis();
        }
    }

    private long kernelDrops() {
        return m.contains("capture.kernel_drops") ? m.value("capture.kernel_drops") : 0;
    }

    /** Alerts journaled in the last hour (since the start when younger), in total and by severity. */
    private synchronized long[] alertsLastHour() {
        Sample now = last;
        Sample oldest = null;
        long hourAgo = now.nanos() - 3_600_000_000_000L;
        for (Sample s : history) {
            if (s != null && s.nanos() >= hourAgo && (oldest == null || s.nanos() < oldest.nanos())) oldest = s;
        }
        // younger than an hour: from the start, when every count was 0
        boolean fromStart = now.nanos() - startedNanos <= 3_600_000_000_000L;
        long[] out = new long[1 + Severity.values().length];
        out[0] = now.alerts() - (fromStart || oldest == null ? 0 : oldest.alerts());
        for (int i = 0; i < Severity.values().length; i++) {
            out[1 + i] = now.alertsBySeverity()[i] - (fromStart || oldest == null ? 0 : oldest.alertsBySeverity()[i]);
        }
        return out;
    }

    private static double perSecond(long delta, long nanos) {
        return nanos <= 0 ? 0 : delta * 1e9 / nanos;
    }

    private OpsServer.HealthAnswer healthAnswer() {
        ObjectNode h = health();
        try {
            return new OpsServer.HealthAnswer(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(h),
                    h.path("status").asText().equals("ok"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The health document: what /health serves and status.json holds. */
    public ObjectNode health() {
        Sample s = last, p = previous;
        List<String> problems = new ArrayList<>();
        ObjectNode h = JSON.createObjectNode();
        h.put("status", "ok");
        h.put("state", "running");
        h.put("pid", ProcessHandle.current().pid());
        h.put("version", AgentVersion.get());
        h.put("interface", a.device());
        h.put("started", Instant.ofEpochMilli(startedMillis).toString());
        h.put("updated", Instant.now().toString());
        h.put("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        if (server != null) h.put("metrics_url", server.baseUrl() + "/metrics");
        h.put("sample_seconds", SAMPLE_SECONDS);

        boolean capturing = a.captureRunning().getAsBoolean();
        ObjectNode c = h.putObject("capture");
        c.put("running", capturing);
        c.put("packets", s.frames());
        c.put("dropped", s.kernelDrops());
        c.put("packets_per_second", round(perSecond(s.frames() - p.frames(), s.nanos() - p.nanos())));
        c.put("dropped_per_second", round(perSecond(s.kernelDrops() - p.kernelDrops(), s.nanos() - p.nanos())));
        if (!capturing) problems.add("capture is not running");

        ObjectNode j = h.putObject("journal");
        j.put("dir", a.sensor().journal.dir().toString());
        j.put("writable", journalWritable);
        if (journalProblem != null) j.put("problem", journalProblem);
        j.put("bytes", journalBytes);
        j.put("max_bytes", a.settings().journal.maxBytes);
        if (journalOldestMillis >= 0) j.put("oldest", Instant.ofEpochMilli(journalOldestMillis).toString());
        j.put("events", s.events());
        j.put("events_per_second", round(perSecond(s.events() - p.events(), s.nanos() - p.nanos())));
        if (!journalWritable) problems.add("journal not writable: " + journalProblem);
        io.netsensor.journal.SpaceGuard space = a.sensor().journal.space();
        j.put("disk_full", space.full());
        j.put("unjournaled_records", space.unjournaled());
        if (space.full()) {
            problems.add("journal disk full since " + Instant.ofEpochMilli(space.fullSinceMillis()) + ": events and telemetry not journaled ("
                    + space.unjournaled() + " record(s) so far; capture, detection and alerts go on)");
        }

        ObjectNode d = h.putObject("detection");
        DetectionLoop det = a.detection();
        boolean detecting = det != null && det.detecting();
        d.put("enabled", detecting);
        d.put("running", det != null && det.running());
        d.put("alerts", s.alerts());
        long[] hour = alertsLastHour();
        d.put("alerts_last_hour", hour[0]);
        ObjectNode sev = d.putObject("alerts_last_hour_by_severity");
        for (Severity v : Severity.values()) sev.put(v.name().toLowerCase(Locale.ROOT), hour[1 + v.ordinal()]);
        if (det != null && det.failure() != null) problems.add("detection stopped: " + det.failure());

        ArrayNode sinks = h.putArray("sinks");
        for (SinkRunner r : a.sinks()) {
            ObjectNode o = sinks.addObject();
            String state = sinkState(r);
            o.put("name", r.sink().name());
            o.put("state", state);
            o.put("lag_records", r.lagRecords());
            o.put("lag_seconds", r.lagNanos() / 1_000_000_000L);
            o.put("delivered", r.delivered());
            o.put("failures", r.failures());
            o.put("retries", r.retries());
            o.put("gap", r.gap());
            if (r.lastError() != null) o.put("last_error", r.lastError());
            if (state.equals("failed")) problems.add("sink " + r.sink().name() + " stopped: " + r.failure());
            if (state.equals("retrying") && r.lagNanos() >= SINK_UNHEALTHY_NANOS) {
                problems.add("sink " + r.sink().name() + " undelivered for " + r.lagNanos() / 1_000_000_000L + " s: " + r.lastError());
            }
        }

        ObjectNode mem = h.putObject("memory");
        mem.put("rss_bytes", JvmMetrics.residentBytes());
        Runtime rt = Runtime.getRuntime();
        mem.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
        mem.put("heap_max_bytes", rt.maxMemory());

        if (!problems.isEmpty()) h.put("status", "unhealthy");
        ArrayNode pr = h.putArray("problems");
        problems.forEach(pr::add);
        return h;
    }

    static String sinkState(SinkRunner r) {
        if (r.failure() != null) return "failed";
        if (r.finished()) return "stopped";
        return r.failing() ? "retrying" : "ok";
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * One line for the log: uptime, capture and drop rates, journal size and age, alerts in the last hour,
     * each sink's lag, memory. Rates are over the last sample interval.
     */
    public String summaryLine() {
        ObjectNode h = health();
        StringBuilder b = new StringBuilder("netsensor: summary: ").append(h.path("status").asText());
        b.append("; up ").append(Text.duration(h.path("uptime_seconds").asLong()));
        JsonView.capture(b, h);
        JsonView.journal(b, h);
        JsonView.alerts(b, h);
        JsonView.sinks(b, h);
        b.append("; rss ").append(Text.bytes(h.path("memory").path("rss_bytes").asLong()));
        for (var p : h.path("problems")) b.append("; PROBLEM: ").append(p.asText());
        return b.toString();
    }

    /** The stop report: a few readable lines. */
    public List<String> stopReport(String decodeSummary, String attributionSummary) {
        Sample s = last;
        List<String> lines = new ArrayList<>();
        long up = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        lines.add("netsensor: stopped after " + Text.duration(up) + " on " + a.device());
        lines.add("  capture: " + m.value("capture.frames") + " packets, " + kernelDrops() + " dropped by the kernel");
        lines.add("  journal: " + m.value("journal.appended", "writer", Sensor.WRITER) + " events journaled, "
                + m.sum("detect.alerts_journaled") + " alerts, in " + a.sensor().journal.dir());
        lines.add("  decode: " + decodeSummary);
        lines.addAll(io.netsensor.agent.RobustnessCounts.lines(m));
        for (String part : attributionSummary.split("; ")) {
            if (!part.isBlank()) lines.add("  " + part.replaceFirst("^attribution ", "attribution: "));
        }
        for (SinkRunner r : a.sinks()) {
            StringBuilder b = new StringBuilder("  sink ").append(r.sink().name()).append(": ").append(r.delivered())
                    .append(" delivered, ").append(r.retries()).append(" retries, ").append(r.gap()).append(" lost to retention");
            if (r.sink().pending() > 0) b.append(", ").append(r.sink().pending()).append(" undelivered (sent at the next start)");
            lines.add(b.toString());
        }
        if (s == null) lines.add("  (no sample)");
        return lines;
    }

    /** Prints the summary line when the agent gets SIGUSR1 (kill -USR1 PID); SIGUSR2 is ignored. */
    public void onUserSignals() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> log.println(summaryLine()));
        } catch (IllegalArgumentException e) {
            log.println("netsensor: SIGUSR1 summary unavailable here: " + e.getMessage());
        }
        try {
            // the JVM's default for USR2 is to die without the shutdown hook: ignored, the journal is safe
            sun.misc.Signal.handle(new sun.misc.Signal("USR2"), sig -> log.println("netsensor: SIGUSR2 ignored (SIGUSR1 prints a summary)"));
        } catch (IllegalArgumentException e) {
            // HotSpot keeps USR2 for itself on some builds: it then never reaches (or kills) the agent
        }
    }

    /**
     * At a clean stop, while the journal is still open: stops the timer, takes a last sample and marks the
     * status file stopped (with the final counts). The endpoint answers until {@link #close}.
     */
    public void finish() {
        timer.shutdownNow();
        try {
            sample();
            finished = true;
            ObjectNode h = health();
            h.put("state", "stopped");
            h.put("status", "stopped");
            h.putArray("problems");
            statusFile.write(h);
        } catch (IOException | RuntimeException e) {
            log.println("netsensor: cannot write " + statusFile.path() + ": " + e.getMessage());
        }
    }

    /** Stops the timer and the endpoint. Without {@link #finish} (a failed start or run) the status file keeps "running" with a pid that is gone: `status` reports a crash. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (server != null) server.close();
    }
}
