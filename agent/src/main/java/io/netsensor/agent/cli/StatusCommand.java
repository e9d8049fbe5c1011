package io.netsensor.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.Sensor;
import io.netsensor.agent.ops.StatusFile;
import io.netsensor.agent.ops.Text;
import io.netsensor.config.Settings;
import io.netsensor.events.Alert;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Severity;
import io.netsensor.events.codec.EventType;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.sinks.SinkCursor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `netsensor status`: one screen about the agent that writes a data dir, from its /health endpoint when it
 * serves one, else from DATA_DIR/status.json (which it rewrites every 10 s) and the data dir itself.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show whether the agent is running and healthy, on one screen.",
        description = {"Show the agent of a data dir on one screen: interface, uptime, packet and event rates, drops,",
                "journal use, each sink's lag, alerts in the last hour. Reads the agent's /health endpoint",
                "when metrics.listen is set, else DATA_DIR/status.json, the journal and DATA_DIR/sinks/*.pos.",
                "Exit code: 0 running and healthy, 1 running but unhealthy, 3 not running."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:running and healthy", "1:running, unhealthy (the problems are listed)", "2:usage or config error",
                "3:not running (stopped, crashed, or never started with this data dir)"})
final class StatusCommand implements Callable<Integer> {
    static final int HEALTHY = 0, UNHEALTHY = 1, NOT_RUNNING = 3;
    /** Samples are 10 s apart: a document older than this is from an agent that hangs or died. */
    private static final long STALE_SECONDS = 35;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

    @Option(names = "--json", description = "Print the health document itself (JSON) instead of the screen.")
    boolean json;

    @Mixin
    JournalOptions journalOptions;

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public Integer call() throws IOException {
        Settings settings = settingsOptions.load();
        Path dir = journalOptions.dataDir(settings);
        PrintStream out = System.out;
        JsonNode file = new StatusFile(dir).read();
        if (file == null) {
            out.println("netsensor: not running: no agent has run with data dir " + dir + " (no " + dir.resolve(StatusFile.NAME) + ")");
            return NOT_RUNNING;
        }
        long pid = file.path("pid").asLong(-1);
        boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        String state = file.path("state").asText();
        JsonNode doc = file;
        String source = dir.resolve(StatusFile.NAME) + " (written " + ago(file.path("updated").asText()) + ")";
        String fetchProblem = null;
        if (alive && state.equals("running") && file.hasNonNull("metrics_url")) {
            String health = file.path("metrics_url").asText().replaceFirst("/metrics$", "/health");
            try {
                doc = fetch(health);
                source = health + " (live)";
            } catch (IOException e) {
                fetchProblem = "the agent's endpoint " + health + " does not answer (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return NOT_RUNNING;
            }
        }
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        }
        Set<String> problems = new LinkedHashSet<>();
        if (alive && state.equals("running")) doc.path("problems").forEach(p -> problems.add(p.asText()));
        if (fetchProblem != null) problems.add(fetchProblem);
        int code;
        String headline;
        if (!state.equals("running")) {
            headline = "not running (stopped " + ago(file.path("updated").asText()) + ")";
            code = NOT_RUNNING;
        } else if (!alive) {
            headline = "not running: pid " + pid + " is gone without a clean stop (crashed or killed), last seen " + ago(file.path("updated").asText());
            code = NOT_RUNNING;
        } else {
            long age = ageSeconds(doc.path("updated").asText());
            if (age > STALE_SECONDS) problems.add("status not updated for " + Text.duration(age) + " (the agent may hang)");
            code = problems.isEmpty() ? HEALTHY : UNHEALTHY;
            headline = "running, " + (code == HEALTHY ? "healthy" : "UNHEALTHY");
        }
        if (json) return code;

        out.printf("netsensor %s: %s%n", doc.path("version").asText("?"), headline);
        out.printf("  %-11s %s (pid %d)%n", "data dir", dir, pid);
        String started = doc.path("started").asText();
        out.printf("  %-11s %s, %s %s (since %s)%n", "interface", doc.path("interface").asText("?"),
                code == NOT_RUNNING ? "ran" : "up", Text.duration(doc.path("uptime_seconds").asLong()), local(started));
        JsonNode c = doc.path("capture");
        long packets = c.path("packets").asLong(), dropped = c.path("dropped").asLong();
        out.printf("  %-11s %s packets/s now, %d packets, %d dropped by the kernel (%s)%s%n", "capture",
                Text.rate(c.path("packets_per_second").asDouble()), packets, dropped,
                packets + dropped == 0 ? "0 %" : String.format(Locale.ROOT, "%.2f %%", 100.0 * dropped / (packets + dropped)),
                c.path("running").asBoolean() || code == NOT_RUNNING ? "" : ", NOT CAPTURING");
        JsonNode j = doc.path("journal");
        String oldest = j.hasNonNull("oldest") ? ", oldest data " + ago(j.path("oldest").asText()) : "";
        out.printf("  %-11s %s events/s now, %d events; %s of %s on disk%s%s%n", "journal",
                Text.rate(j.path("events_per_second").asDouble()), j.path("events").asLong(), Text.bytes(j.path("bytes").asLong()),
                j.path("max_bytes").asLong() > 0 ? Text.bytes(j.path("max_bytes").asLong()) : "no cap", oldest,
                (j.path("writable").asBoolean(true) ? "" : ", NOT WRITABLE")
                        + (j.path("disk_full").asBoolean(false) ? ", DISK FULL (" + j.path("unjournaled_records").asLong() + " records not journaled)" : ""));
        out.printf("  %-11s %s%n", "alerts", alerts(doc, code == NOT_RUNNING, settings, dir));
        sinks(out, doc, code == NOT_RUNNING, settings, dir);
        JsonNode mem = doc.path("memory");
        out.printf("  %-11s rss %s, heap %s of %s%n", "memory", Text.bytes(mem.path("rss_bytes").asLong()),
                Text.bytes(mem.path("heap_used_bytes").asLong()), Text.bytes(mem.path("heap_max_bytes").asLong()));
        out.printf("  %-11s %s%n", "from", source);
        if (problems.isEmpty()) {
            out.printf("  %-11s none%n", "problems");
        } else {
            String label = "problems";
            for (String p : problems) {
                out.printf("  %-11s %s%n", label, p);
                label = "";
            }
        }
        out.flush();
        return code;
    }

    private static JsonNode fetch(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            // 503 carries the document too: it says what is unhealthy
            HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            return JSON.readTree(r.body());
        } catch (java.net.ConnectException e) {
            throw new IOException("connection refused", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("timed out", e);
        }
    }

    /** Alerts of the last hour: the running agent counts them; for a stopped one, the journal is read. */
    private static String alerts(JsonNode doc, boolean notRunning, Settings settings, Path dir) {
        JsonNode d = doc.path("detection");
        if (!notRunning) {
            if (!d.path("enabled").asBoolean(true)) return "detection off";
            StringBuilder b = new StringBuilder().append(d.path("alerts_last_hour").asLong()).append(" in the last hour");
            bySeverity(b, d.path("alerts_last_hour_by_severity"));
            return b.append(", ").append(d.path("alerts").asLong()).append(" since the start").toString();
        }
        long[] counts = new long[Severity.values().length];
        long since = (System.currentTimeMillis() - 3_600_000L) * 1_000_000L;
        try (Journal journal = Sensor.openJournal(settings, dir, false); JournalReader reader = journal.reader()) {
            reader.seekToTime(since - 600_000_000_000L); // records are journaled as they end: 10 min of slack
            EventHandler h = new EventHandler() {
                @Override
                public void onConn(io.netsensor.events.ConnEvent e) {}

                @Override
                public void onDns(io.netsensor.events.DnsEvent e) {}

                @Override
                public void onAlert(Alert a) {
                    if (a.lastSeenNanos >= since) counts[a.severity.ordinal()]++;
                }
            };
            while (reader.poll(h, 4096, 1 << EventType.ALERT.code) > 0) {
                // drain: alerts only, the rest skipped undecoded
            }
        } catch (IOException | RuntimeException e) {
            return "? (cannot read the journal: " + e.getMessage() + ")";
        }
        long total = 0;
        com.fasterxml.jackson.databind.node.ObjectNode sev = JSON.createObjectNode();
        for (Severity s : Severity.values()) {
            total += counts[s.ordinal()];
            sev.put(s.name().toLowerCase(Locale.ROOT), counts[s.ordinal()]);
        }
        StringBuilder b = new StringBuilder().append(total).append(" in the last hour (from the journal)");
        bySeverity(b, sev);
        return b.toString();
    }

    private static void bySeverity(StringBuilder b, JsonNode sev) {
        StringBuilder s = new StringBuilder();
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            String name = Severity.values()[i].name().toLowerCase(Locale.ROOT);
            long n = sev.path(name).asLong();
            if (n > 0) s.append(s.length() == 0 ? "" : ", ").append(n).append(' ').append(name);
        }
        if (s.length() > 0) b.append(" (").append(s).append(')');
    }

    /** The sinks of the document, and those with a position file under DATA_DIR/sinks that it lacks. */
    private static void sinks(PrintStream out, JsonNode doc, boolean notRunning, Settings settings, Path dir) throws IOException {
        String label = "sinks";
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode s : doc.path("sinks")) {
            seen.add(s.path("name").asText());
            String err = s.hasNonNull("last_error") && !s.path("state").asText().equals("ok") ? " (" + s.path("last_error").asText() + ")" : "";
            out.printf("  %-11s %-10s %-9s lag %d records, %s; %d delivered, %d failures, %d lost%s%n", label,
                    s.path("name").asText(), notRunning ? "(was " + s.path("state").asText() + ")" : s.path("state").asText(),
                    s.path("lag_records").asLong(), Text.duration(s.path("lag_seconds").asLong()),
                    s.path("delivered").asLong(), s.path("failures").asLong(), s.path("gap").asLong(), err);
            label = "";
        }
        Path positions = dir.resolve("sinks");
        if (Files.isDirectory(positions)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(positions, "*.pos");
                 Journal journal = Sensor.openJournal(settings, dir, false)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString().replaceFirst("\\.pos$", "");
                    if (seen.contains(name)) continue;
                    long index = new SinkCursor(positions, name).load();
                    String lag = index == SinkCursor.NONE ? "position file damaged" : "lag " + journal.countFrom(index) + " records";
                    out.printf("  %-11s %-10s %-9s %s (from %s)%n", label, name, "idle", lag, p);
                    label = "";
                }
            }
        }
        if (label.equals("sinks")) out.printf("  %-11s none%n", label);
    }

    private static long ageSeconds(String instant) {
        try {
            return Math.max(0, (System.currentTimeMillis() - Instant.parse(instant).toEpochMilli()) / 1000);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String ago(String instant) {
        long s = ageSeconds(instant);
        return s < 0 ? "at an unknown time" : Text.duration(s) + " ago";
    }

    /** An instant in this machine's zone, with the offset: "2026-01-31 09:00:00 +01:00". */
    static String local(String instant) {
        try {
            return LOCAL.format(Instant.parse(instant).atZone(ZoneId.systemDefault()));
        } catch (RuntimeException e) {
            return instant;
        }
    }
}
