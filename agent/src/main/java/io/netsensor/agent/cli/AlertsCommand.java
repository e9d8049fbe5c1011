package io.netsensor.agent.cli;

import io.netsensor.agent.Sensor;
import io.netsensor.config.Settings;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Severity;
import io.netsensor.events.codec.EventType;
import io.netsensor.format.AlertJson;
import io.netsensor.format.AlertTable;
import io.netsensor.format.EventJson;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.sinks.file.StderrAlertSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The alerts of the journal, for an operator on a box that is cut off from its SIEM: a ranked table (one
 * row per alert at its highest severity) or ECS JSON lines (every severity step), optionally followed.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"Print the alerts journaled by a running or past agent: a ranked table (default) or ECS JSON lines.",
                "Reads the journal only, so it works on a box that is cut off from its SIEM."})
final class AlertsCommand implements Callable<Integer> {
    @Option(names = "--follow", description = "Keep printing new alerts as the agent raises them (until Ctrl-C); "
            + "in table format, each new alert is one line after the table.")
    boolean follow;

    @Option(names = "--since", paramLabel = "WHEN", converter = Since.class,
            description = "Only alerts last seen from WHEN on (event time): a duration back from now (e.g. 15m, 1h, 1d) "
                    + "or an RFC 3339 time (e.g. 2026-01-31T08:00:00Z).")
    Instant since;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "table (ranked, for a person) or json (one ECS document per alert and severity step). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--severity", paramLabel = "LEVEL", converter = SeverityConverter.class,
            description = "Only alerts at this severity or above: Low, Medium, High or Critical.")
    Severity minSeverity;

    @Mixin
    JournalOptions journalOptions;

    @Mixin
    SettingsOptions settingsOptions;

    enum Format { table, json }

    /** ALERT records, the alerts retention salvaged from deleted cycles, and nothing else is decoded. */
    private static final int ALERTS = (1 << EventType.ALERT.code) | (1 << EventType.SALVAGED.code);

    @Override
    public Integer call() throws IOException {
        Settings settings = settingsOptions.load();
        Path dir = journalOptions.dataDir(settings);
        if (!Files.isDirectory(dir.resolve("journal"))) {
            throw new UserError(dir + ": no journal here (expected " + dir.resolve("journal") + ")");
        }
        long from = since == null ? Long.MIN_VALUE : EventsCommand.epochNanos(since);
        PrintStream out = System.out;
        // No host.name: the journal may come from another host (a copied data dir), and it does not record its writer.
        EventJson json = new EventJson(out);
        AlertJson alertJson = new AlertJson(json.generator(), null);
        List<Alert> collected = new ArrayList<>();
        boolean[] tablePrinted = {false};
        EventHandler handler = new EventHandler() {
            @Override
            public void onConn(ConnEvent e) {}

            @Override
            public void onDns(DnsEvent e) {}

            @Override
            public void onAlert(Alert a) {
                if (a.lastSeenNanos < from || (minSeverity != null && a.severity.compareTo(minSeverity) < 0)) return;
                if (format == Format.json) alertJson.write(a);
                else if (!tablePrinted[0]) collected.add(a);
                else out.println(EventJson.time(a.lastSeenNanos) + " " + StderrAlertSink.line(a).replaceFirst("^netsensor: ALERT ", ""));
            }
        };
        AtomicBoolean stop = new AtomicBoolean(false);
        if (follow) Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        try (Journal journal = Sensor.openJournal(settings, dir, false); JournalReader reader = journal.reader()) {
            // From the start, not a time seek as `events --since` does: alerts are few and skipped records are
            // not decoded, and only a reader from the start is handed the alerts salvaged from deleted cycles.
            reader.toStart();
            int idle = 0;
            while (true) {
                int n = reader.poll(handler, 4096, ALERTS);
                if (n > 0) {
                    idle = 0;
                    continue;
                }
                if (format == Format.table && !tablePrinted[0]) {
                    AlertTable.print(out, collected);
                    tablePrinted[0] = true;
                }
                json.generator().flush();
                out.flush();
                if (!follow || stop.get()) break;
                // an operator's tail: a few milliseconds late is fine, a busy core is not
                LockSupport.parkNanos(++idle < 10 ? 1_000_000L : 100_000_000L);
            }
        }
        json.close();
        out.flush();
        return 0;
    }

    /** Severity by its label, any case ("high", "High"). */
    static final class SeverityConverter implements CommandLine.ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            for (Severity s : Severity.values()) {
                if (s.label.equalsIgnoreCase(value.strip())) return s;
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of Low, Medium, High or Critical");
        }
    }
}
