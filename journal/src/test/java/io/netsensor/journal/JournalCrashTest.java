package io.netsensor.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JournalCrashTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void journalSurvivesKillDashNineOfItsWriter() throws Exception {
        Process child = ChildJvm.command(List.of(), CrashWriterMain.class, dir.toString(), "10000")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastPrinted = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("appended ")) lastPrinted = Long.parseLong(line.substring(9));
                if (lastPrinted >= 200_000) break;
            }
            // SIGKILL while the child is still appending: no shutdown hook, no close, no unmap
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // lines printed between our last read and the kill are also appended: take the latest
            while ((line = out.readLine()) != null) {
                if (line.startsWith("appended ")) lastPrinted = Long.parseLong(line.substring(9));
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(lastPrinted).isGreaterThanOrEqualTo(200_000);

        try (Journal journal = Journal.open(dir)) {
            long recovered;
            try (JournalReader reader = journal.reader()) {
                TestEvents.Checker checker = new TestEvents.Checker().startingAt(0);
                recovered = TestEvents.drain(reader, checker);
                System.out.printf("crash test: last printed %d, recovered %d intact events%n", lastPrinted, recovered);
                assertThat(recovered).isGreaterThanOrEqualTo(lastPrinted);
                assertThat(checker.received).isEqualTo(recovered);
                assertThat(checker.gaps + checker.mismatches).isZero();
                assertThat(reader.damaged() + reader.unknownTypes()).isZero();

                try (JournalWriter writer = journal.writer()) {
                    new TestEvents().emit(recovered, writer);
                    new TestEvents().emit(recovered + 1, writer);
                }
                assertThat(reader.poll(checker, 10)).as("events appended after the crash").isEqualTo(2);
                assertThat(checker.gaps + checker.mismatches).isZero();
            }
        }
    }
}
