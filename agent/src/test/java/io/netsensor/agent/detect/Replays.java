package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.agent.CliRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** `netsensor replay` on a capture through the real command line, and what it alerted. */
final class Replays {
    private Replays() {}

    /** Alerts (one JSON object per stdout line) of a successful replay of {@code pcap}. */
    static List<JsonNode> alerts(Path pcap, String... options) {
        return run(pcap, options).jsonLines();
    }

    static CliRunner.Result run(Path pcap, String... options) {
        List<String> args = new ArrayList<>();
        args.add("replay");
        args.addAll(List.of(options));
        args.add(pcap.toString());
        CliRunner.Result r = CliRunner.run(args.toArray(new String[0]));
        assertThat(r.exitCode()).as("replay %s exit code\n%s", pcap, r.stderr()).isZero();
        return r;
    }

    static List<JsonNode> of(List<JsonNode> alerts, String detector) {
        return alerts.stream().filter(a -> a.at("/rule/id").asText().equals(detector)).collect(Collectors.toList());
    }

    /** "beacon/Medium 10.0.0.5->198.51.100.10:8080" per alert, for failure messages and reports. */
    static String describe(List<JsonNode> alerts) {
        if (alerts.isEmpty()) return "none";
        return alerts.stream().map(a -> a.at("/rule/id").asText() + "/" + a.at("/netsensor/severity").asText() + " "
                + a.path("host").path("ip").asText() + "->" + a.at("/destination/ip").asText() + ":"
                + a.at("/destination/port").asText() + " (" + a.path("message").asText() + ")")
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
