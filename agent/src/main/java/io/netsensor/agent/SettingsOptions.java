package io.netsensor.agent;

import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that build a sensor: a config file, overridden by flags. */
final class SettingsOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML settings file (see README).")
    Path config;

    @Option(names = "--home-net", split = ",", paramLabel = "CIDR",
            description = "Ranges treated as local (comma separated); default: RFC 1918, CGNAT, loopback, link-local, ULA.")
    List<String> homeNet;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Detector profile: default, or short-window for captures of minutes.")
    String profile;

    Settings load() {
        Settings s = config == null ? SettingsLoader.defaults() : SettingsLoader.load(config);
        if (homeNet != null) s.homeNet = homeNet;
        if (profile != null) s.detectors.profile = profile;
        SettingsLoader.validated(s, config == null ? "<command line>" : config + " + command line");
        return s;
    }
}
