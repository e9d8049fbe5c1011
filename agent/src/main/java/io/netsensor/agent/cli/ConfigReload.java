package io.netsensor.agent.cli;

import io.netsensor.agent.DetectionLoop;
import io.netsensor.config.ConfigException;
import io.netsensor.config.Settings;
import sun.misc.Signal;

/**
 * SIGHUP re-reads the config file and applies what can change without a restart (the detectors'
 * allowlist) to the running agent, as daemons conventionally do (systemd's ExecReload sends HUP).
 * A bad file is reported and the previous settings stay in force.
 */
final class ConfigReload {
    private static volatile DetectionLoop target;
    private static volatile boolean started, installed;

    private ConfigReload() {}

    /**
     * Installs the SIGHUP handler first thing in `run` (the JVM's default for HUP is to die without a flush):
     * a HUP before the detectors exist says so and changes nothing, since the settings are being read anyway.
     * SIGUSR1/SIGUSR2 likewise until the agent's own handlers replace these.
     */
    static void installEarly(SettingsOptions options) {
        installed = true;
        try {
            // sun.misc.Signal (jdk.unsupported) is the JDK's only way to handle SIGHUP; no library offers more.
            Signal.handle(new Signal("HUP"), sig -> {
                if (started) {
                    reload(options, target);
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

    /** From now on SIGHUP reloads the allowlist into these detectors. */
    static void onHangup(SettingsOptions options, DetectionLoop detection) {
        if (!installed) installEarly(options);
        target = detection;
        started = true;
    }

    private static void reload(SettingsOptions options, DetectionLoop detection) {
        if (options.config == null) {
            System.err.println("netsensor: SIGHUP: no --config file to reload");
            return;
        }
        try {
            Settings s = options.load();
            if (detection != null) detection.reloadAllowlist(s);
            System.err.println("netsensor: SIGHUP: reloaded the allowlist from " + options.config);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("netsensor: SIGHUP: config error, keeping the previous settings: " + e.getMessage());
        }
    }
}
