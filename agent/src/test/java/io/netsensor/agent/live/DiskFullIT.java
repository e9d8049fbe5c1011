package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.LinkType;
import io.netsensor.testkit.pcap.PcapWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the journal, for real: a 16 MiB tmpfs as the data dir. It used to kill replay, run and
 * events with {@code java.lang.InternalError: a fault occurred in a recent unsafe memory access operation}
 * (Chronicle's mapped files on a file system that cannot back a page), with no stop line. Now the agent goes
 * on capturing and detecting, its alerts still come out (through the journal's reserve), the condition is
 * logged when it starts and when it ends, and journaling resumes once space returns.
 */
class DiskFullIT {
    private static final String C2_NET = "198.18.0.0/15";

    @TempDir
    Path dir;
    private Path fs;

    @BeforeEach
    void mount() throws Exception {
        assumeTrue(Sh.isRoot(), "mounting a tmpfs needs root; skipped");
        fs = Files.createDirectories(dir.resolve("fs"));
        Sh.Result r = Sh.exec(30, "mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", fs.toString());
        assumeTrue(r.exit == 0, "cannot mount a tmpfs here: " + r.output);
    }

    @AfterEach
    void unmount() {
        if (fs != null) Sh.exec(30, "umount", "-l", fs.toString());
    }

    /**
     * 90,000 one-packet UDP flows (each a 208-byte connection record: ~19 MB, more than the tmpfs holds),
     * then 20 established connections to IRC port 6667 at 20 external addresses: c2_port alerts.
     */
    private Path capture() throws IOException {
        Path f = dir.resolve("fill-then-c2.pcap");
        try (PcapWriter w = PcapWriter.pcap(f, LinkType.ETHERNET)) {
            long ts = Times.at(0);
            for (int i = 0; i < 90_000; i++, ts += Times.MS) {
                w.write(ts, Frames.ipv4("10.0." + (i >> 14) + "." + (i & 255 | 1), "198.51.100." + (i % 200 + 1))
                        .udp(20_000 + (i >> 8 & 63) * 700 + (i & 255), 5000).payload("x").build());
            }
            for (int c = 1; c <= 20; c++, ts += 10 * Times.MS) {
                String remote = "45.77.10." + c;
                w.write(ts, Frames.ipv4("10.0.9.5", remote).tcp(50_000 + c, 6667).flags(Frames.SYN).seq(100).build());
                w.write(ts + Times.MS, Frames.ipv4(remote, "10.0.9.5").tcp(6667, 50_000 + c).flags(Frames.SYN | Frames.ACK).seq(900).ack(101).build());
                w.write(ts + 2 * Times.MS, Frames.ipv4("10.0.9.5", remote).tcp(50_000 + c, 6667).flags(Frames.ACK).seq(101).ack(901).build());
            }
        }
        return f;
    }

    private static long alerts(List<JsonNode> lines, String rule) {
        return lines.stream().filter(j -> "alert".equals(j.path("event").path("kind").asText())
                && rule.equals(j.path("rule").path("id").asText())).count();
    }

    @Test
    @Timeout(300)
    void aReplayOntoAFullDiskFinishesAndItsAlertsStillComeOut() throws Exception {
        Path pcap = capture();
        Path work = Files.createDirectories(dir.resolve("replay"));
        try (AgentProcess replay = AgentProcess.start(work, "replay", "--data-dir", fs.resolve("data").toString(), pcap.toString())) {
            int code = replay.waitFor(240);
            String err = replay.stderrText();
            assertThat(code).as("replay onto a full disk:\n" + err).isEqualTo(0);
            assertThat(err).contains("netsensor: journal: disk full in " + fs.resolve("data/journal"))
                    .contains("packets in").containsPattern("journal: \\d+ record\\(s\\) not journaled")
                    .doesNotContain("InternalError").doesNotContain("internal error");
            assertThat(alerts(replay.jsonLines(), "c2_port")).as("c2_port alerts raised after the disk filled:\n" + err).isEqualTo(20);
        }
        // a reader of the full journal does not crash either
        Path ev = Files.createDirectories(dir.resolve("events"));
        try (AgentProcess events = AgentProcess.start(ev, "events", "--data-dir", fs.resolve("data").toString(), "--type", "alert")) {
            assertThat(events.waitFor(120)).as(events.stderrText()).isEqualTo(0);
            assertThat(alerts(events.jsonLines(), "c2_port")).isEqualTo(20); // and the filler's fanout alerts
        }
    }

    /** Connects to 198.18.x.y:6667 (refused by the namespace), a new address each time, until closed. */
    private static final class C2Traffic implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger next = new AtomicInteger(1);
        private final Thread thread;

        C2Traffic() {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    int n = next.getAndIncrement();
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("198.18." + (n / 250 % 250) + "." + (n % 250 + 1), 6667), 1000);
                    } catch (ConnectException refused) {
                        // expected
                    } catch (IOException e) {
                        // a timeout: an attempt all the same
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "c2-traffic");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5000);
        }
    }

    @Test
    @Timeout(300)
    void aRunningAgentOutlivesAFullDiskKeepsAlertingAndResumesJournalingWhenSpaceReturns() throws Exception {
        String why = TestNet.unavailableReason();
        assumeTrue(why == null, why);
        Path data = fs.resolve("data"), filler = fs.resolve("filler");
        Path work = Files.createDirectories(dir.resolve("run"));
        try (TestNet net = TestNet.create()) {
            net.routeToNamespace(C2_NET);
            try (AgentProcess run = AgentProcess.start(work, "run", "--interface", net.hostIf, "--data-dir", data.toString(), "--no-attribution")) {
                run.awaitStderr("capturing on", 90);
                // another program fills the disk: 2.5 MiB left, below the events' reserve, above the alerts'
                long usable = Files.getFileStore(fs).getUsableSpace();
                try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
                    byte[] block = new byte[1 << 16];
                    for (long left = usable - (5L << 19); left > 0; left -= block.length) f.write(block, 0, (int) Math.min(block.length, left));
                }
                try (C2Traffic traffic = new C2Traffic()) {
                    run.awaitStderr("netsensor: journal: disk full in " + data.resolve("journal"), 60);
                    int alertsAtFull = (int) alerts(run.jsonLines(), "c2_port");
                    long until = System.currentTimeMillis() + 60_000;
                    while (alerts(run.jsonLines(), "c2_port") < alertsAtFull + 3 && System.currentTimeMillis() < until) Thread.sleep(200);
                    assertThat(alerts(run.jsonLines(), "c2_port")).as("alerts while the disk is full:\n" + run.stderrText())
                            .isGreaterThanOrEqualTo(alertsAtFull + 3);

                    // status says so (from DATA_DIR/status.json, rewritten every 10 s)
                    long statusUntil = System.currentTimeMillis() + 30_000;
                    String status = "";
                    while (System.currentTimeMillis() < statusUntil) {
                        Sh.Result st = Sh.exec(60, AgentProcess.repoRoot().resolve("netsensor").toString(), "status", "--data-dir", data.toString());
                        status = st.output;
                        if (status.contains("journal disk full since")) break;
                        Thread.sleep(1000);
                    }
                    assertThat(status).as("status while the disk is full").contains("journal disk full since").contains("DISK FULL");

                    Files.delete(filler); // space returns
                    run.awaitStderr("netsensor: journal: space available again in " + data.resolve("journal"), 60);
                    long resumedAt = System.currentTimeMillis();
                    Thread.sleep(3000);
                    traffic.close();
                    Thread.sleep(1000);
                    int code = run.terminate(60);
                    String err = run.stderrText();
                    assertThat(code).as("exit on SIGTERM:\n" + err).isEqualTo(0);
                    assertThat(err).contains("netsensor: stopped after").containsPattern("journal: \\d+ record\\(s\\) not journaled this run")
                            .doesNotContain("InternalError").doesNotContain("internal error");

                    Path ev = Files.createDirectories(dir.resolve("events"));
                    try (AgentProcess events = AgentProcess.start(ev, "events", "--data-dir", data.toString(), "--type", "conn")) {
                        assertThat(events.waitFor(120)).as(events.stderrText()).isEqualTo(0);
                        long after = events.jsonLines().stream()
                                .filter(j -> j.path("destination").path("port").asInt() == 6667)
                                .filter(j -> java.time.Instant.parse(j.path("@timestamp").asText()).toEpochMilli() >= resumedAt - 1000)
                                .count();
                        assertThat(after).as("connections journaled after space returned").isGreaterThan(0);
                    }
                }
            }
        }
    }
}
