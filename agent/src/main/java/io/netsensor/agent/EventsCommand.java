package io.netsensor.agent;
import io.netsensor.events.ProcessDirectory;
import io.netsensor.format.AlertJson;
import io.netsensor.format.EventJson;
import io.netsensor.events.Alert;

import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.config.Settings;
import io.netsensor.config.Units;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the journal of a running or past agent as JSON lines. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print the records (connections, DNS, alerts) journaled by a running or past agent as JSON lines.")
final class EventsCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (default: the config's data_dir).")
    Path dataDir;

    @Option(names = "--follow", description = "Keep printing new events as the agent writes them (until Ctrl-C).")
    boolean follow;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only events from the last DURATION of event time (e.g. 15m, 2h).")
    String since;

    @Option(names = "--type", paramLabel = "conn|dns|alert", description = "Only this kind of record.")
    String type;

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public Integer call() {
        Settings settings = settingsOptions.load();
        Path dir = dataDir != null ? dataDir : Path.of(settings.dataDir);
        if (!Files.isDirectory(dir.resolve("journal"))) {
            throw new Main.UserError(dir + ": no journal here (expected " + dir.resolve("journal") + ")");
        }
        if (type != null && !type.equals("conn") && !type.equals("dns") && !type.equals("alert")) {
            throw new Main.UserError("--type must be conn, dns or alert");
        }
        PrintStream out = System.out; // not FileDescriptor.out: tests and embedders redirect System.out
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
                if (type == null || type.equals("conn")) json.conn(e);
            }

            @Override
            public void onDns(DnsEvent e) {
                if (type == null || type.equals("dns")) json.dns(e);
            }

            @Override
            public void onAlert(Alert a) {
                if (type == null || type.equals("alert")) alertJson.write(a);
            }
        };
        AtomicBoolean stop = new AtomicBoolean(!follow);
        if (follow) Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        try (Journal journal = Sensor.openJournal(settings, dir, false); JournalReader reader = journal.reader()) {
            if (since != null) {
                long last = lastEventTime(journal);
                reader.seekToTime(last - Units.duration(since).toNanos());
            }
            EventPump.drain(reader, printer, stop::get);
        }
        json.close();
        out.flush();
        return 0;
    }

    private static long lastEventTime(Journal journal) {
        return DetectorRebuild.lastEventTime(journal);
    }
}
