package io.netsensor.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.agent.CliRunner;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One run of the real CLI: exit code, the JSON lines on stdout, and the summary on stderr, parsed. */
final class Replayed {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PACKETS = Pattern.compile("(\\d+) file\\(s\\), (\\d+) packets");
    private static final Pattern DECODE = Pattern.compile(
            "decode: decoded (\\d+), not decoded (\\d+) \\{([^}]*)\\}, malformed (\\d+) \\{([^}]*)\\}");

    final CliRunner.Result result;
    final List<JsonNode> events = new ArrayList<>();

    private Replayed(CliRunner.Result result) {
        this.result = result;
        for (String line : result.lines()) {
            try {
                events.add(JSON.readTree(line));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("stdout line is not JSON: " + line, e);
            }
        }
    }

    /** How many lines of this text are JSON objects (what a JSON-lines consumer would accept). */
    static long parses(String text) {
        return text.lines().filter(l -> {
            try {
                return JSON.readTree(l).isObject();
            } catch (java.io.IOException e) {
                return false;
            }
        }).count();
    }

    /** Runs the CLI with these arguments and parses stdout as JSON lines. */
    static Replayed run(String... args) {
        return new Replayed(CliRunner.run(args));
    }

    /** `replay --events --no-detect FILE...`, asserting it succeeded. */
    static Replayed events(java.nio.file.Path... files) {
        List<String> args = new ArrayList<>(List.of("replay", "--events", "--no-detect"));
        for (java.nio.file.Path f : files) args.add(f.toString());
        Replayed r = run(args.toArray(new String[0]));
        r.assertSucceeded();
        return r;
    }

    Replayed assertSucceeded() {
        assertThat(result.exitCode()).as("exit code; stderr:%n%s", result.stderr()).isZero();
        return this;
    }

    String stderr() {
        return result.stderr();
    }

    /** Connection END records (one per connection), in output order. */
    List<JsonNode> conns() {
        return conns("end");
    }

    List<JsonNode> conns(String phase) {
        return events.stream().filter(e -> dataset(e).equals("netsensor.conn"))
                .filter(e -> e.at("/netsensor/phase").asText().equals(phase)).collect(Collectors.toList());
    }

    List<JsonNode> dns() {
        return events.stream().filter(e -> dataset(e).equals("netsensor.dns")).collect(Collectors.toList());
    }

    /** The one connection END record to this destination port. */
    JsonNode connTo(int port) {
        List<JsonNode> l = conns().stream().filter(e -> e.at("/destination/port").asInt() == port)
                .collect(Collectors.toList());
        assertThat(l).as("conn records to port %d in%n%s", port, result.stdout()).hasSize(1);
        return l.get(0);
    }

    /** The one DNS record for this query name. */
    JsonNode dnsFor(String qname) {
        List<JsonNode> l = dns().stream().filter(e -> e.at("/dns/question/name").asText().equals(qname))
                .collect(Collectors.toList());
        assertThat(l).as("dns records for %s in%n%s", qname, result.stdout()).hasSize(1);
        return l.get(0);
    }

    private static String dataset(JsonNode e) {
        return e.at("/event/dataset").asText();
    }

    long packets() {
        Matcher m = PACKETS.matcher(stderr());
        assertThat(m.find()).as("packet count in stderr:%n%s", stderr()).isTrue();
        return Long.parseLong(m.group(2));
    }

    /** The decode line of the summary: decoded, not_decoded, malformed totals and the per-reason counts. */
    Map<String, Long> decode() {
        Matcher m = DECODE.matcher(stderr());
        assertThat(m.find()).as("decode line in stderr:%n%s", stderr()).isTrue();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("decoded", Long.parseLong(m.group(1)));
        counts.put("not_decoded", Long.parseLong(m.group(2)));
        counts.put("malformed", Long.parseLong(m.group(4)));
        counts.putAll(reasons(m.group(3)));
        counts.putAll(reasons(m.group(5)));
        return counts;
    }

    private static Map<String, Long> reasons(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (text.isBlank()) return m;
        for (String kv : text.split(",\\s*")) {
            String[] p = kv.split("=");
            m.put(p[0].trim(), Long.parseLong(p[1].trim()));
        }
        return m;
    }
}
