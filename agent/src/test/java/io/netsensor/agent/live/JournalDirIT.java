package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` on a journal directory it cannot write stops at start-up with one line naming the directory and
 * the reason, exit 1, instead of Chronicle's stack traces and a read-only journal that ends in "0 events
 * journaled". As root, permissions do not stop the agent, so the two real cases are made here: a
 * read-only mount (in a private mount namespace) and a non-root user holding CAP_NET_RAW.
 */
class JournalDirIT {
    @TempDir Path dir;

    @Test
    void readOnlyFileSystem() throws Exception {
        assumeTrue(Sh.isRoot() && Sh.available("unshare"), "needs root and unshare (mount namespace); skipped");
        Path data = Files.createDirectory(dir.resolve("ro"));
        String launcher = AgentProcess.repoRoot().resolve("netsensor").toString();
        Sh.Result r = Sh.exec(120, "unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o ro tmpfs \"$1\" && exec \"$2\" run -i lo --data-dir \"$1\"", "sh", data.toString(), launcher);

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).isEqualTo("netsensor: cannot write the journal in " + data.resolve("journal")
                + ": Read-only file system\n");
    }

    @Test
    void nonRootUserWithCapNetRawOnARootOwnedDirectory() throws Exception {
        assumeTrue(Sh.isRoot() && Sh.available("setpriv"), "needs root and setpriv (util-linux); skipped");
        Path launcher = AgentProcess.repoRoot().resolve("netsensor");
        String[] asNobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=+net_raw",
                "--ambient-caps=+net_raw", "env", "HOME=" + dir};
        // the checkout must be readable by that user (it is not under a root-only home directory)
        assumeTrue(Sh.exec(10, concat(asNobody, "test", "-r", launcher.getParent().resolve("agent/target/netsensor-agent.jar").toString())).exit == 0,
                "the checkout is not readable by uid 65534; skipped");
        Path data = Files.createDirectory(dir.resolve("root-owned"));
        dir.toFile().setExecutable(true, false); // @TempDir is 700: let the user reach the data dir
        Sh.Result r = Sh.exec(120, concat(asNobody, launcher.toString(), "run", "-i", "lo", "--data-dir", data.toString()));

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).isEqualTo("netsensor: cannot write the journal in " + data.resolve("journal") + ": permission denied\n");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
