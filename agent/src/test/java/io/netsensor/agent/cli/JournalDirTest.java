package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal directory that cannot be created or written fails at start-up, in one line naming it, exit 1,
 * before Chronicle opens it (which would log stack traces and carry on read-only). A data dir below a
 * regular file fails for root too; a read-only mount and a non-root user are in JournalDirIT.
 */
class JournalDirTest {
    @TempDir Path dir;

    @Test
    void runWithADataDirBelowAFileFailsBeforeCapturing() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path data = file.resolve("data");
        // an interface that does not exist: had the check not come first, the error would be about it
        CliRunner.Result r = CliRunner.run("run", "-i", "nonexistent0", "--data-dir", data.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("netsensor: cannot write the journal in " + data.resolve("journal") + ": "
                + data + ": Not a directory\n");
    }

    @Test
    void replayIntoADataDirThatIsAFileFailsBeforeReading() throws Exception {
        Path data = Files.writeString(dir.resolve("data"), "x");
        CliRunner.Result r = CliRunner.run("replay", "--data-dir", data.toString(), "--no-detect", capture().toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("netsensor: cannot write the journal in " + data.resolve("journal") + ": Not a directory\n");
        assertThat(r.stdout()).isEmpty();
    }

    private Path capture() throws Exception {
        Path p = dir.resolve("one.pcap");
        try (io.netsensor.testkit.pcap.PcapWriter w = io.netsensor.testkit.pcap.PcapWriter.pcap(p,
                io.netsensor.capture.decode.LinkTypes.ETHERNET)) {
            w.write(0, 1_700_000_000_000_000_000L, io.netsensor.testkit.pcap.Frames.ipv4("10.0.0.1", "10.0.0.2")
                    .udp(1000, 2000).payload(new byte[8]).build());
        }
        return p;
    }
}
