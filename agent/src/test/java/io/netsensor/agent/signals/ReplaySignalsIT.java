package io.netsensor.agent.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.agent.live.AgentProcess;
import io.netsensor.agent.live.Sh;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.LinkType;
import io.netsensor.testkit.pcap.PcapWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `replay` under real signals, as a user's Ctrl-C or a service manager's stop sends them: the real agent
 * (./netsensor) replays a capture long enough to be stopped half-way, and gets SIGTERM, SIGINT, or SIGHUP
 * and SIGUSR1 mid-run. It used to die at once (exit 143/130/129) with no summary and no flush, leaving its
 * temporary journal in /tmp; its java.io.tmpdir is a directory of the test's here, so what it leaves shows.
 */
class ReplaySignalsIT {
    /** UDP packets between many pairs (flows that end on idle timeout as event time moves on), 1 ms apart. */
    private static final int PACKETS = 1_200_000;
    /** TCP connections opened at the start and kept alive to the end: only a flush at the stop reports them. */
    private static final int LONG_LIVED = 5;
    private static final Pattern SUMMARY = Pattern.compile("1 file\\(s\\), (\\d+) packets in");

    @TempDir
    static Path shared;
    private static Path capture;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeCapture() throws Exception {
        capture = shared.resolve("long.pcap");
        try (PcapWriter w = PcapWriter.pcap(capture, LinkType.ETHERNET)) {
            for (int c = 0; c < LONG_LIVED; c++) {
                w.write(Times.at(0) + c, Frames.ipv4("10.0.0.9", "203.0.113.7").tcp(41000 + c, 443).flags(Frames.SYN).seq(100).build());
                w.write(Times.at(0.01) + c, Frames.ipv4("203.0.113.7", "10.0.0.9").tcp(443, 41000 + c).flags(Frames.SYN | Frames.ACK).seq(900).ack(101).build());
                w.write(Times.at(0.02) + c, Frames.ipv4("10.0.0.9", "203.0.113.7").tcp(41000 + c, 443).flags(Frames.ACK).seq(101).ack(901).build());
            }
            for (int i = 0; i < PACKETS; i++) {
                long ts = Times.at(1) + i * Times.MS;
                if (i % 10_000 == 0) { // keep-alives: never idle for long
                    for (int c = 0; c < LONG_LIVED; c++) {
                        w.write(ts, Frames.ipv4("10.0.0.9", "203.0.113.7").tcp(41000 + c, 443).flags(Frames.ACK).seq(101).ack(901).build());
                    }
                }
                int pair = i % 4096;
                w.write(ts, Frames.ipv4("10.0." + (pair >> 8) + "." + (pair & 255 | 1), "198.51.100." + (i / 4096 % 200 + 1))
                        .udp(30000 + (i / 819_200), 5000).payload("x").build());
            }
        }
    }

    private AgentProcess replay(Path tmp) throws Exception {
        Files.createDirectories(tmp);
        return AgentProcess.start(dir, Map.of("NETSENSOR_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp), "replay", "--events", "--no-detect",
                capture.toString());
    }

    /** Waits until the replay has printed events (it is running its pipeline, not starting the JVM). */
    private static void awaitEvents(Path stdout, AgentProcess agent) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            if (Files.exists(stdout) && Files.size(stdout) > 0) return;
            if (!agent.alive()) throw new AssertionError("replay ended before printing:\n" + agent.stderrText());
            TimeUnit.MILLISECONDS.sleep(5);
        }
        throw new AssertionError("replay printed no event:\n" + agent.stderrText());
    }

    private static long summaryPackets(String stderr) {
        Matcher m = SUMMARY.matcher(stderr);
        assertThat(m.find()).as("the summary on stderr:\n" + stderr).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static List<Path> leftIn(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("netsensor-")).toList();
        }
    }

    @Test
    @Timeout(300)
    void sigtermFlushesOpenFlowsPrintsTheSummaryExitsZeroAndRemovesTheTemporaryJournal() throws Exception {
        stopsCleanly("TERM");
    }

    @Test
    @Timeout(300)
    void sigintDoesTheSame() throws Exception {
        stopsCleanly("INT");
    }

    private void stopsCleanly(String signal) throws Exception {
        Path tmp = dir.resolve("tmp");
        try (AgentProcess agent = replay(tmp)) {
            awaitEvents(dir.resolve("agent.stdout"), agent);
            assertThat(leftIn(tmp)).as("the replay's temporary journal exists while it runs").isNotEmpty();
            Sh.run("kill", "-" + signal, Long.toString(agent.pid()));
            int code = agent.waitFor(120);
            String err = agent.stderrText();
            assertThat(code).as("exit code after SIG" + signal + ":\n" + err).isEqualTo(0);
            assertThat(err).contains("netsensor replay: stopped by SIG" + signal);
            assertThat(summaryPackets(err)).as("stopped half-way, not at the end").isLessThan(PACKETS);
            List<JsonNode> lines = agent.jsonLines();
            long flushed = lines.stream().filter(j -> "shutdown".equals(j.path("netsensor").path("end_reason").asText())
                    && j.path("destination").path("port").asInt() == 443).count();
            assertThat(flushed).as("the long-lived connections, flushed at the stop").isEqualTo(LONG_LIVED);
            assertThat(leftIn(tmp)).as("temporary files left in java.io.tmpdir").isEmpty();
            assertThat(err).doesNotContain("Exception").doesNotContain("internal error");
        }
    }

    @Test
    @Timeout(300)
    void sighupAndSigusr1MidReplayAreIgnoredAndItRunsToTheEnd() throws Exception {
        Path tmp = dir.resolve("tmp");
        try (AgentProcess agent = replay(tmp)) {
            awaitEvents(dir.resolve("agent.stdout"), agent);
            for (String s : new String[] {"HUP", "USR1", "USR2"}) Sh.run("kill", "-" + s, Long.toString(agent.pid()));
            int code = agent.waitFor(240);
            String err = agent.stderrText();
            assertThat(code).as("exit code:\n" + err).isEqualTo(0);
            assertThat(err).contains("netsensor replay: SIGHUP ignored").contains("netsensor replay: SIGUSR1 ignored");
            assertThat(summaryPackets(err)).isEqualTo(PACKETS + (long) LONG_LIVED * 3 + (long) LONG_LIVED * (PACKETS / 10_000));
            assertThat(leftIn(tmp)).isEmpty();
        }
    }
}
