package io.netsensor.agent.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.netsensor.agent.HostName;
import io.netsensor.config.Settings;
import io.netsensor.config.Units;
import io.netsensor.sinks.SinkFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `netsensor config check` and `config show`: the configuration checked, and the effective one, every default filled in. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check or show the configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return NetsensorCommand.USAGE;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            header = "Check a config file as the agent would at start, and exit.",
            description = {"Loads FILE with every check run and start make (unknown keys, types, ranges, CIDRs, the sinks'",
                    "CA and token files and their permissions), with the NETSENSOR_* environment over it.",
                    "Prints 'FILE: ok' and exits 0, or each problem as file:line:column: key: reason and exits 2."})
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "The config file, e.g. /etc/netsensor/netsensor.yml.")
        java.nio.file.Path file;

        @Override
        public Integer call() {
            SettingsOptions options = SettingsOptions.of(file);
            Settings s;
            try {
                s = options.load(x -> { }, SettingsOptions::checkFilter, SinkFactory::check);
            } catch (io.netsensor.config.ConfigException e) {
                // as compilers print them, one per line, so an editor can jump to each
                for (String problem : e.problems()) System.err.println(NetsensorCommand.oneLine(problem));
                System.err.flush();
                return NetsensorCommand.USAGE;
            }
            List<String> sinks = new ArrayList<>();
            for (SinkFactory.Spec spec : options.sinks(s, HostName.get())) sinks.add(spec.name() + " (" + spec.describe() + ")");
            System.out.println(file + ": ok (interface " + (s.captureInterface == null ? "of the default route" : s.captureInterface)
                    + ", data dir " + s.dataDir + ", " + (sinks.isEmpty() ? "no sinks" : "sinks: " + String.join(", ", sinks))
                    + (s.environment().isEmpty() ? "" : ", " + s.environment().size() + " key(s) from the environment") + ")");
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Check the config file and print the effective configuration as YAML: defaults, then the file,",
                    "then NETSENSOR_* environment variables (each named in a comment), defaults filled in (the sinks' too).",
                    "Secrets are never printed: a HEC sink shows its token_file, not the token."})
    static final class Show implements Callable<Integer> {
        @Mixin
        SettingsOptions settingsOptions;

        @Override
        public Integer call() throws IOException {
            Settings settings = settingsOptions.load(s -> { }, SinkFactory::check);
            List<Map<String, Object>> sinks = new ArrayList<>();
            for (SinkFactory.Spec s : settingsOptions.sinks(settings, HostName.get())) sinks.add(s.effective());
            ObjectMapper yaml = mapper();
            ObjectNode root = yaml.valueToTree(settings);
            root.set("sinks", yaml.valueToTree(sinks)); // the sinks' effective settings, not the file's null "defaults"
            StringBuilder out = new StringBuilder();
            settings.environment().forEach((key, var) -> {
                // the values only: "sinks[0]" (an entry the environment added) is named by its keys' lines
                boolean section = settings.environment().keySet().stream().anyMatch(k -> k.startsWith(key + ".") || k.startsWith(key + "["));
                if (!section) out.append("# ").append(key).append(": from ").append(var).append('\n');
            });
            System.out.print(out.append(yaml.writeValueAsString(root)));
            System.out.flush();
            return 0;
        }
    }

    /** Settings as YAML, keys and durations as the config spells them. */
    static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(new SimpleModule("netsensor-units").addSerializer(Duration.class, new DurationAsText()));
    }

    /** Durations as the config spells them ("90s", "7d"). */
    private static final class DurationAsText extends StdSerializer<Duration> {
        DurationAsText() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration d, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Units.format(d));
        }
    }
}
