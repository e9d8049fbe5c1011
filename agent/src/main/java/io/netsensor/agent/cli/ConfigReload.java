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
    private ConfigReload() {}

    static void onHangup(SettingsOptions options, DetectionLoop detection) {
        try {
            // sun.misc.Signal (jdk.unsupported) is the JDK's only way to handle SIGHUP; no library offers more.
            Signal.handle(new Signal("HUP"), sig -> reload(options, detection));
        } catch (IllegalArgumentException e) {
            System.err.println("netsensor: SIGHUP reload unavailable here: " + e.getMessage());
        }
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
