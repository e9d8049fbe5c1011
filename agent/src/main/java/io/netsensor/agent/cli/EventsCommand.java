package io.netsensor.agent.cli;

import io.netsensor.agent.EventPump;
import io.netsensor.agent.Sensor;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.format.AlertJson;
import io.netsensor.format.EventJson;
import io.netsensor.events.Alert;

import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.config.Settings;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the journal of a running or past agent as JSON lines. */
@Command(name = "events", mixinStandardHelpOptions = true,
        header = "Print the journal's records (connections, DNS, bursts, alerts).",
        description = {"Print the records (connections, DNS, request/response bursts inside connections, alerts)",
                "journaled by a running or past agent,",
                "as JSON lines (ECS) or, with --format table, one row each for a person."})
final class EventsCommand implements Callable<Integer> {
    /**
     * Records are journaled as they end, not in event-time order: a connection that went idle is written a
     * tcp_inactivity (5 min) after its last packet. The search for --since starts this much earlier, and
     * records are then filtered by their own time.
     */
    private static final long SINCE_SLACK_NANOS = 10 * 60 * 1_000_000_000L;

    @Option(names = "--follow", description = "Keep printing new events as the agent writes them (until Ctrl-C).")
    boolean follow;

    @Option(names = "--since", paramLabel = "WHEN", converter = Since.class,
            description = "Only records from WHEN on, in event time: a duration back from now (e.g. 15m, 2h, 1d) "
                    + "or an RFC 3339 time (e.g. 2026-01-31T08:00:00Z).")
    Instant since;

    @Option(names = "--type", paramLabel = "conn|dns|burst|alert", description = "Only this kind of record (any case).")
    String type;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            description = "json (one ECS object per line) or table (columns for a person, times in this machine's zone). Default: ${DEFAULT-VALUE}.")
    ReplayCommand.OutputFormat format;

    @Mixin
    JournalOptions journalOptions;

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public Integer call() throws java.io.IOException {
        Settings settings = settingsOptions.load();
        Path dir = journalOptions.dataDir(settings);
        if (!Files.isDirectory(dir.resolve("journal"))) {
            throw new UserError(dir + ": no journal here (expected " + dir.resolve("journal") + ")");
        }
        if (type != null) type = type.toLowerCase(java.util.Locale.ROOT);
        if (type != null && !type.equals("conn") && !type.equals("dns") && !type.equals("burst") && !type.equals("alert")) {
            throw new UserError("--type must be conn, dns, burst or alert");
        }
        long from = since == null ? Long.MIN_VALUE : epochNanos(since);
        PrintStream stdout = System.out; // not FileDescriptor.out: tests and embedders redirect System.out
        PrintStream out = format == ReplayCommand.OutputFormat.table
                ? new PrintStream(new RecordTable(stdout, java.time.ZoneId.systemDefault()), true, java.nio.charset.StandardCharsets.UTF_8) : stdout;
        ProcessDirectory processes = new ProcessDirectory(65_536);
        // No host.name: the journal may come from another host (a copied data dir), and it does not record its writer.
        EventJson json = new EventJson(out, null, processes);
        AlertJson alertJson = new AlertJson(json.generator(), null);
        EventHandler printer = new EventHandler() {
            @Override
            public void onProcess(io.netsensor.events.ProcessEvent e) {
                processes.put(e);
            }

            @Override
            public void onConn(ConnEvent e) {
                if ((type == null || type.equals("conn")) && e.endNanos >= from) json.conn(e);
            }

            @Override
            public void onDns(DnsEvent e) {
                if ((type == null || type.equals("dns")) && e.tsNanos >= from) json.dns(e);
            }

            @Override
            public void onBurst(io.netsensor.events.BurstEvent e) {
                if ((type == null || type.equals("burst")) && e.startNanos >= from) json.burst(e);
            }

            @Override
            public void onAlert(Alert a) {
                if ((type == null || type.equals("alert")) && a.lastSeenNanos >= from) alertJson.write(a);
            }
        };
        AtomicBoolean stop = new AtomicBoolean(!follow);
        if (follow) Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        try (Journal journal = Sensor.openJournal(settings, dir, false); JournalReader reader = journal.reader()) {
            if (since != null && from > Long.MIN_VALUE + SINCE_SLACK_NANOS) reader.seekToTime(from - SINCE_SLACK_NANOS);
            EventPump.drain(reader, printer, stop::get);
        }
        json.close();
        out.flush();
        stdout.flush();
        return 0;
    }

    /** Epoch nanoseconds, saturated: a time outside 1677-2262 is before or after every record. */
    static long epochNanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
