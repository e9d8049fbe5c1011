package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP at any moment of `run`: it used to kill the agent (exit 129) when it came before "capturing on",
 * the JVM's default being still in place while the agent started (systemd's reload right after a start
 * does exactly that). Here HUPs (and USR1/USR2) rain on the real agent from the moment its command runs
 * (the JVM's own start-up, before any Java code, is the one window no program can cover).
 */
class RunSignalsIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void hangupsDuringStartUpAndAfterAreSafe() throws Exception {
        assumeTrue(Sh.isRoot(), "capture on lo needs root; skipped");
        Path work = Files.createDirectories(dir.resolve("run"));
        try (AgentProcess run = AgentProcess.start(work, "run", "-i", "lo", "--data-dir", dir.resolve("data").toString(), "--no-attribution")) {
            long until = System.currentTimeMillis() + 90_000;
            int sent = 0;
            while (!run.stderrText().contains("capturing on") && System.currentTimeMillis() < until) {
                assertThat(run.alive()).as("alive after " + sent + " SIGHUP(s):\n" + run.stderrText()).isTrue();
                // from the moment the command runs (it creates DATA_DIR/journal first of all); before that the JVM
                // itself is starting, and no program can have a handler yet
                if (Files.isDirectory(dir.resolve("data").resolve("journal"))) {
                    Sh.exec(10, "kill", "-HUP", Long.toString(run.pid()));
                    if (sent % 5 == 0) Sh.exec(10, "kill", "-USR1", Long.toString(run.pid()));
                    sent++;
                }
                Thread.sleep(20);
            }
            assertThat(run.stderrText()).contains("capturing on");
            assertThat(sent).as("HUPs sent during start-up").isGreaterThan(0);
            Sh.exec(10, "kill", "-HUP", Long.toString(run.pid()));
            Thread.sleep(500);
            assertThat(run.alive()).isTrue();
            int code = run.terminate(60);
            String err = run.stderrText();
            assertThat(code).as("exit on SIGTERM:\n" + err).isEqualTo(0);
            assertThat(err).contains("netsensor: SIGHUP").contains("netsensor: stopped after");
        }
    }
}
