package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsensor.journal.WriterLock;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per data dir. Two agents on one data dir used to both write to it (every record journaled
 * twice, each printing the other's events). Now a second `run` or `replay` fails at once with one line
 * naming the running writer's pid (exit 1), readers are not blocked, and a writer killed with -9 leaves no
 * stale lock (the OS lock goes with its process).
 */
class WriterLockIT {
    @TempDir
    Path dir;

    private Path capture() throws Exception {
        return new Traffic().tcpSession(0, "10.0.0.5", "203.0.113.9", 443, 500, 2000, 1)
                .dnsNxdomain(2, "10.0.0.5", "10.0.0.1", "nothing.example").write(dir.resolve("small.pcap"));
    }

    private AgentProcess agent(String name, String... args) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        return AgentProcess.start(work, args);
    }

    @Test
    @Timeout(300)
    void aSecondWriterFailsAtOnceNamingTheFirstAndReadersAreNotBlocked() throws Exception {
        Path data = dir.resolve("data"), pcap = capture();
        try (AgentProcess first = agent("first", "replay", "--data-dir", data.toString(), pcap.toString())) {
            assertThat(first.waitFor(120)).as(first.stderrText()).isEqualTo(0);
        }
        try (WriterLock held = WriterLock.acquire(data)) { // a real fcntl lock, held by this JVM as a writer would
            long pid = ProcessHandle.current().pid();
            try (AgentProcess second = agent("second", "replay", "--data-dir", data.toString(), pcap.toString())) {
                assertThat(second.waitFor(120)).as(second.stderrText()).isEqualTo(1);
                String err = second.stderrText().strip();
                assertThat(err).contains("another netsensor (pid " + pid + ") is writing to " + data.toRealPath()).doesNotContain("\n");
            }
            try (AgentProcess events = agent("events", "events", "--data-dir", data.toString())) {
                assertThat(events.waitFor(120)).as("events reads a data dir being written:\n" + events.stderrText()).isEqualTo(0);
                assertThat(events.jsonLines()).isNotEmpty();
            }
            try (AgentProcess alerts = agent("alerts", "alerts", "--data-dir", data.toString(), "--format", "json")) {
                assertThat(alerts.waitFor(120)).as(alerts.stderrText()).isEqualTo(0);
            }
        }
        try (AgentProcess third = agent("third", "replay", "--data-dir", data.toString(), pcap.toString())) {
            assertThat(third.waitFor(120)).as("the lock is gone with its holder:\n" + third.stderrText()).isEqualTo(0);
        }
    }

    @Test
    @Timeout(300)
    void aRunningAgentKeepsASecondRunOutAndAKill9LeavesNoStaleLock() throws Exception {
        assumeTrue(Sh.isRoot(), "capture on lo needs root; skipped");
        Path data = dir.resolve("data"), pcap = capture();
        try (AgentProcess run = agent("run", "run", "-i", "lo", "--data-dir", data.toString(), "--no-attribution")) {
            run.awaitStderr("capturing on", 90);
            try (AgentProcess second = agent("second", "run", "-i", "lo", "--data-dir", data.toString(), "--no-attribution")) {
                assertThat(second.waitFor(120)).as(second.stderrText()).isEqualTo(1);
                assertThat(second.stderrText()).contains("another netsensor (pid " + run.pid() + ")").doesNotContain("capturing on");
            }
            try (AgentProcess replay = agent("replay", "replay", "--data-dir", data.toString(), pcap.toString())) {
                assertThat(replay.waitFor(120)).isEqualTo(1);
                assertThat(replay.stderrText()).contains("another netsensor (pid " + run.pid() + ")");
            }
            try (AgentProcess status = agent("status", "status", "--data-dir", data.toString())) {
                assertThat(status.waitFor(60)).as("status of a running agent:\n" + status.stderrText()).isIn(0, 1);
            }
            run.kill(); // kill -9: no shutdown hook; the lock file stays, the OS lock does not
        }
        assertThat(data.resolve(WriterLock.FILE)).exists();
        try (AgentProcess after = agent("after", "replay", "--data-dir", data.toString(), pcap.toString())) {
            assertThat(after.waitFor(120)).as("no stale lock after kill -9:\n" + after.stderrText()).isEqualTo(0);
        }
    }
}
