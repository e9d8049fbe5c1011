package io.netsensor.agent.cli;

import io.netsensor.agent.DetectionLoop;
import io.netsensor.agent.HostName;
import io.netsensor.agent.Outputs;
import io.netsensor.config.ConfigException;
import io.netsensor.config.Settings;
import io.netsensor.sinks.SinkFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGHUP re-reads the config file (and the environment and flags over it, as at start) and applies what
 * can change without a restart to the running agent, as daemons conventionally do (systemd's ExecReload
 * sends HUP): the detectors' allowlist and thresholds, and the sinks. What else changed is named as
 * needing a restart. A bad file is reported in one line and the running settings stay.
 */
final class ConfigReload {
    /** Keys a reload applies; any other changed key needs a restart. */
    private static final List<String> LIVE = List.of("detectors.allowlist", "detectors.beacon", "detectors.fanout",
            "detectors.relay", "sinks");
    private final SettingsOptions options;
    private final Consumer<Settings> flags;
    /** As the agent started: what a restart-only key is compared with. */
    private final Settings started;
    private final DetectionLoop detection;
    private final Outputs outputs;
    private final PrintStream log;
    /** As last applied: what a live key is compared with. */
    private Settings applied;

    ConfigReload(SettingsOptions options, Consumer<Settings> flags, Settings started, DetectionLoop detection, Outputs outputs,
                 PrintStream log) {
        this.options = options;
        this.flags = flags;
        this.started = started;
        this.applied = started;
        this.detection = detection;
        this.outputs = outputs;
        this.log = log;
    }

    /** The reload SIGHUP runs once the agent is up; null during start-up. */
    private static volatile ConfigReload current;
    private static volatile boolean installed;

    /**
     * Installs the SIGHUP handler first thing in `run` (the JVM's default for HUP is to die without a flush):
     * a HUP before the agent is up says so and changes nothing, since the settings are being read anyway.
     * SIGUSR1/SIGUSR2 likewise until the agent's own handlers replace these.
     */
    static void installEarly(SettingsOptions options) {
        installed = true;
        try {
            // sun.misc.Signal (jdk.unsupported) is the JDK's only way to handle SIGHUP; no library offers more.
            Signal.handle(new Signal("HUP"), sig -> {
                ConfigReload r = current;
                if (r != null) {
                    r.reload();
                } else {
                    System.err.println("netsensor: SIGHUP during start-up: nothing to reload yet (the config is being read now)");
                }
            });
        } catch (IllegalArgumentException e) {
            System.err.println("netsensor: SIGHUP reload unavailable here: " + e.getMessage());
        }
        for (String name : new String[] {"USR1", "USR2"}) {
            try {
                Signal.handle(new Signal(name), sig -> System.err.println("netsensor: SIG" + sig.getName() + " during start-up: ignored"));
            } catch (IllegalArgumentException e) {
                // kept by the VM here: its default stays
            }
        }
    }

    /** From now on SIGHUP runs this reload (installing the handler if `run` did not, as in tests). */
    void onHangup() {
        if (!installed) installEarly(options);
        current = this;
    }

    /** One reload; one line on the log saying what was applied and what needs a restart. */
    synchronized void reload() {
        if (options.configFile() == null) {
            log.println("netsensor: SIGHUP: no --config file to reload");
            return;
        }
        Settings next;
        try {
            next = options.load(flags, SettingsOptions::checkFilter, SinkFactory::check);
        } catch (ConfigException e) {
            log.println("netsensor: SIGHUP: config error, keeping the running settings: " + NetsensorCommand.oneLine(e.getMessage()));
            return;
        }
        List<String> live = new ArrayList<>(), restart = new ArrayList<>();
        for (String key : SettingsDiff.changed(applied, next)) {
            if (LIVE.stream().anyMatch(l -> key.equals(l) || key.startsWith(l + "."))) live.add(key);
        }
        for (String key : SettingsDiff.changed(started, next)) {
            if (LIVE.stream().noneMatch(l -> key.equals(l) || key.startsWith(l + "."))) restart.add(key);
        }
        List<String> done = new ArrayList<>();
        if (detection != null && detection.detecting()) detection.reload(next);
        for (String key : live) {
            if (!key.equals("sinks")) done.add(detection != null && detection.detecting() ? key : key + " (detection is off)");
        }
        if (live.contains("sinks")) {
            try {
                done.addAll(outputs.reconfigure(options.sinks(next, HostName.get()), log));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.add("sinks not reloaded (interrupted)");
            }
        }
        applied = next;
        log.println("netsensor: SIGHUP: reloaded " + options.configFile() + ": "
                + (done.isEmpty() ? "nothing to apply" : "applied " + String.join(", ", done))
                + (restart.isEmpty() ? "" : "; needs a restart: " + String.join(", ", restart)));
    }
}
