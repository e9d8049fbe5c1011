package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * SIGHUP on the real agent (systemd's reload): a fan-out threshold lowered in the file takes effect on live
 * traffic without a restart; of three file sinks, the unchanged one keeps running untouched, the changed one
 * is replaced, the removed one stops, and an added one starts; the one reload line names what needs a
 * restart; a bad file is reported in one line and the agent keeps running on its settings.
 */
class ConfigReloadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** TEST-NET-3, routed into the test namespace, where nothing listens: every connect is refused (RST). */
    private static final String SCANNED = "203.0.113.";

    @Test
    void hangupAppliesThresholdsAndSinksAndKeepsRunningOnABadFile() throws Exception {
        String why = TestNet.unavailableReason();
        assumeTrue(why == null, why);
        assumeTrue(Sh.available("nc"), "nc not installed (apt-get install netcat-openbsd); skipped");
        try (TestNet net = TestNet.create()) {
            net.routeToNamespace(SCANNED + "0/24");
            Path dir = net.workDir(), data = Files.createTempDirectory("reload-journal");
            Path keep = dir.resolve("keep.json"), before = dir.resolve("swap-before.json"), after = dir.resolve("swap-after.json");
            Path gone = dir.resolve("gone.json"), added = dir.resolve("added.json"), config = dir.resolve("netsensor.yml");
            String common = "conntrack:\n  tcp_close_delay: 250ms\n";
            Files.writeString(config, common + "detectors:\n  fanout:\n    min_unique: 1000\n"
                    + "sinks:\n" + fileSink("keep", keep) + fileSink("swap", before) + fileSink("gone", gone));
            try (AgentProcess agent = AgentProcess.start(dir, "run", "--events", "--no-attribution", "--interface", net.hostIf,
                    "--data-dir", data.toString(), "-c", config.toString())) {
                agent.awaitStderr("capturing on", 60);

                // 6 refused connections to distinct external addresses on one port: below the file's 1000
                scan(1, 6, 9999);
                awaitLines(agent, refusedTo(9999), 6);
                assertThat(alerts(agent)).isEmpty();

                Files.writeString(config, common + "snaplen: 1500\ndetectors:\n  fanout:\n    min_unique: 3\n"
                        + "sinks:\n" + fileSink("keep", keep) + fileSink("swap", after) + fileSink("added", added));
                Sh.run("kill", "-HUP", Long.toString(agent.pid()));
                agent.awaitStderr("netsensor: SIGHUP: reloaded", 30);
                String reload = agent.stderrText().lines().filter(l -> l.startsWith("netsensor: SIGHUP: reloaded")).findFirst().orElseThrow();
                assertThat(reload).contains("applied detectors.fanout.min_unique", "changed sink swap", "removed sink gone", "added sink added")
                        .endsWith("; needs a restart: snaplen").doesNotContain("keep");
                assertThat(count(agent.stderrText(), "netsensor: sink keep (")).as("the unchanged sink is not restarted").isEqualTo(1);

                // the same scan on another port (a new key) now alerts at 3
                scan(11, 16, 9998);
                List<JsonNode> fanout = awaitLines(agent, a -> a.at("/rule/id").asText().equals("fanout"), 1);
                String id = fanout.get(0).at("/event/id").asText();
                for (Path sink : List.of(keep, after, added)) awaitFileContains(sink, id);
                for (Path stopped : List.of(before, gone)) assertThat(Files.exists(stopped) ? Files.readString(stopped) : "").doesNotContain(id);

                Files.writeString(config, "snaplen: lots\n");
                Sh.run("kill", "-HUP", Long.toString(agent.pid()));
                agent.awaitStderr("netsensor: SIGHUP: config error, keeping the running settings: " + config + ":1:10: snaplen: 'lots' is not a whole number", 30);
                TimeUnit.MILLISECONDS.sleep(300);
                assertThat(ProcessHandle.of(agent.pid()).map(ProcessHandle::isAlive).orElse(false)).as("alive after a bad reload").isTrue();

                assertThat(agent.terminate(30)).as("clean exit on SIGTERM:\n" + agent.stderrText()).isZero();
                assertThat(agent.stderrText()).doesNotContain("Exception", "\tat ");
            }
        }
    }

    private static String fileSink(String name, Path path) {
        return "  - {name: " + name + ", type: file, path: " + path + "}\n";
    }

    /** nc -z to SCANNED+first .. SCANNED+last on port, each refused at once. */
    private static void scan(int first, int last, int port) {
        for (int i = first; i <= last; i++) Sh.exec(10, "nc", "-z", "-w", "1", SCANNED + i, Integer.toString(port));
    }

    private static Predicate<JsonNode> refusedTo(int port) {
        return e -> e.at("/event/kind").asText().equals("event") && e.at("/destination/port").asInt() == port
                && e.at("/destination/ip").asText().startsWith(SCANNED);
    }

    private static List<JsonNode> alerts(AgentProcess agent) throws Exception {
        return agent.jsonLines().stream().filter(e -> e.at("/event/kind").asText().equals("alert")).toList();
    }

    /** At least {@code n} stdout lines matching, within 30 s. */
    private static List<JsonNode> awaitLines(AgentProcess agent, Predicate<JsonNode> match, int n) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            found = agent.jsonLines().stream().filter(match).toList();
            if (found.size() >= n) return found;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("fewer than " + n + " matching lines (" + found.size() + ") in:\n"
                + String.join("\n", agent.jsonLines().stream().map(JsonNode::toString).toList()) + "\n" + agent.stderrText());
    }

    private static void awaitFileContains(Path file, String text) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(file) && Files.readString(file).contains(text)) return;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError(file + " never held " + text + (Files.exists(file) ? ":\n" + Files.readString(file) : " (no file)"));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
