package io.netsensor.fleet;

import io.netsensor.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsensor fleet}: the fleet view, a Kafka Streams application over the topics the agents' Kafka sinks
 * write. Its own jar ({@code ./netsensor fleet} runs it), so the agent never carries Kafka Streams.
 */
@Command(name = "netsensor fleet", mixinStandardHelpOptions = true,
        header = "Fleet-wide prevalence and cross-host detections over the agents' Kafka topics.",
        description = {"Reads the telemetry and alerts the agents' kafka sinks write, counts the",
                "distinct hosts per destination (1 h, 24 h, 7 d; first seen) onto a compacted",
                "topic, and raises fleet alerts (rare beacons, botnets, shared DGA names,",
                "spreaders) in the agents' alert shape. Instances with the same application_id",
                "share the partitions. Stops on SIGINT/SIGTERM."})
public final class FleetCommand implements Callable<Integer> {
    static {
        // Before any logger exists: warnings and errors on stderr, as the agent logs; Kafka's clients are chatty at INFO.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Kafka brokers.")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE", description = "Fleet settings (YAML; see README, Fleet view). Default: built-in defaults.")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Overrides state_dir (RocksDB stores; one per instance on a machine).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if (!bootstrap.matches("([^\\s,:]+|\\[[0-9a-fA-F:.]+]):[0-9]{1,5}(,([^\\s,:]+|\\[[0-9a-fA-F:.]+]):[0-9]{1,5})*")) {
            System.err.println("netsensor fleet: --bootstrap must be HOST:PORT[,HOST:PORT...], got '" + bootstrap + "'");
            return 2;
        }
        FleetSettings cfg;
        try {
            cfg = config != null ? FleetSettingsLoader.load(config) : FleetSettingsLoader.validated(new FleetSettings(), "<defaults>");
            if (stateDir != null) cfg.stateDir = stateDir.toString();
        } catch (ConfigException e) {
            System.err.println("netsensor fleet: " + e.getMessage());
            return 2;
        }
        FleetApp app = new FleetApp(cfg, bootstrap);
        // SIGTERM/SIGINT (systemd stop, Ctrl-C) close the streams (their offsets and stores committed) and end
        // the command normally, exit 0, as the agent does; sun.misc.Signal (jdk.unsupported) is the JDK's only way
        // to handle a signal without the exit status of a shutdown hook (143/130). The hook stays for other exits.
        for (String sig : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> new Thread(app::close, "fleet-stop").start());
        }
        Thread hook = new Thread(app::close, "fleet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService summary = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-summary");
            t.setDaemon(true);
            return t;
        });
        try {
            app.start();
            System.err.println("netsensor fleet: " + cfg.applicationId + " reading " + cfg.topics.telemetry + " and " + cfg.topics.alerts
                    + " on " + bootstrap + "; prevalence to " + cfg.topics.prevalence + ", alerts to " + cfg.topics.fleetAlerts
                    + "; state in " + cfg.stateDir);
            long every = cfg.logSummaryInterval.toMillis();
            if (every > 0) summary.scheduleAtFixedRate(() -> System.err.println(app.summary()), every, every, TimeUnit.MILLISECONDS);
            Throwable fatal = app.awaitStop();
            if (fatal != null) {
                System.err.println("netsensor fleet: stopped: " + oneLine(fatal));
                return 1;
            }
            return 0;
        } catch (FleetApp.FleetException e) {
            System.err.println("netsensor fleet: " + e.getMessage());
            return 1;
        } finally {
            summary.shutdownNow();
            System.err.println(app.summary());
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
        return m.replaceAll("[\\r\\n\\t]+", " ");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetCommand()).execute(args));
    }
}
