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

/** `netsensor config show`: the effective configuration, every default filled in. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Inspect the configuration.",
        subcommands = ConfigCommand.Show.class)
final class ConfigCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return NetsensorCommand.USAGE;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Check the config file and print the effective configuration as YAML, defaults filled in",
                    "(the sinks' too). Secrets are never printed: a HEC sink shows its token_file, not the token."})
    static final class Show implements Callable<Integer> {
        @Mixin
        SettingsOptions settingsOptions;

        @Override
        public Integer call() throws IOException {
            Settings settings = settingsOptions.load(s -> { }, SinkFactory::check);
            List<Map<String, Object>> sinks = new ArrayList<>();
            for (SinkFactory.Spec s : settingsOptions.sinks(settings, HostName.get())) sinks.add(s.effective());
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .registerModule(new SimpleModule("netsensor-units").addSerializer(Duration.class, new DurationAsText()));
            ObjectNode root = yaml.valueToTree(settings);
            root.set("sinks", yaml.valueToTree(sinks)); // the sinks' effective settings, not the file's null "defaults"
            System.out.print(yaml.writeValueAsString(root));
            System.out.flush();
            return 0;
        }
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
