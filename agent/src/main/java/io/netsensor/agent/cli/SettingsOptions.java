package io.netsensor.agent.cli;

import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by the commands that build a sensor (a picocli mixin): a config file, overridden by flags. */
public final class SettingsOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML settings file (see README).")
    Path config;

    @Option(names = "--home-net", split = ",", paramLabel = "CIDR",
            description = "Ranges treated as local (comma separated); default: RFC 1918, CGNAT, loopback, link-local, ULA.")
    List<String> homeNet;

    @Option(names = "--profile", paramLabel = "NAME", converter = ProfileConverter.class,
            description = "Detector profile: default, or short-window for captures of minutes.")
    Settings.DetectorProfile profile;

    /** Options naming a config file and no flags (config check). */
    static SettingsOptions of(Path config) {
        SettingsOptions o = new SettingsOptions();
        o.config = config;
        return o;
    }

    /** The config file (or the defaults) with this mixin's flags applied. */
    Settings load() {
        return load(s -> { });
    }

    /**
     * As {@link #load()}, with the command's own flags applied by {@code overrides}. The file is validated
     * as read (errors name its lines); the flags after, so an error names the command line.
     */
    Settings load(Consumer<Settings> overrides) {
        return load(overrides, new SettingsLoader.Check[0]);
    }

    /**
     * As {@link #load(Consumer)}, with the file also checked by {@code checks} (e.g. the sinks', which only
     * the commands that start sinks run: a reader such as {@code events} must not need the HEC token file).
     * Precedence: defaults, then the file, then NETSENSOR_* environment variables, then the flags.
     */
    Settings load(Consumer<Settings> overrides, SettingsLoader.Check... checks) {
        java.util.Map<String, String> env = System.getenv();
        Settings s = config == null ? SettingsLoader.defaults(env, checks) : SettingsLoader.load(config, env, checks);
        if (homeNet != null) s.homeNet = homeNet;
        if (profile != null) s.detectors.profile = profile;
        overrides.accept(s);
        return SettingsLoader.validated(s, "command line");
    }

    /**
     * The configured sinks of settings this mixin loaded (and checked with {@code SinkFactory::check}), each
     * built from its config.
     */
    List<io.netsensor.sinks.SinkFactory.Spec> sinks(Settings settings, String hostName) {
        String origin = config == null ? "config" : config.toString();
        return io.netsensor.sinks.SinkFactory.specs(settings,
                (key, reason) -> new io.netsensor.config.ConfigException(origin + ": " + key + ": " + reason), hostName);
    }

    /** The config file given, or null. */
    Path configFile() {
        return config;
    }

    /** The capture filter compiles (libpcap's own parser), at bpf's line: for config check and the commands that capture. */
    static void checkFilter(Settings s, SettingsLoader.Problems problems) {
        String why = io.netsensor.capture.source.PcapHandleSource.filterProblem(s.bpf);
        if (why != null) throw problems.at("bpf", "'" + s.bpf + "' is not a libpcap filter: " + why);
    }

    /** Profiles by their config names ("short-window"), which are not the enum's constant names. */
    static final class ProfileConverter implements CommandLine.ITypeConverter<Settings.DetectorProfile> {
        @Override
        public Settings.DetectorProfile convert(String value) {
            try {
                return Settings.DetectorProfile.parse(value.toLowerCase(java.util.Locale.ROOT)); // any case, as enum options
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
