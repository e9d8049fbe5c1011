package io.netsensor.capture.attrib;
import io.netsensor.events.ProcessInfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** procfs parsing on fixture trees shaped like the kernel's (a process named to break naive parsers). */
class ProcFsTest {
    @TempDir
    Path proc;

    @Test
    void statCountsFieldsFromTheLastParenthesisSoCommMayHoldSpacesAndParens() {
        String line = "4242 (evil) (x y) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        ProcFs.Stat s = ProcFs.parseStat(line);
        assertThat(s.pid).isEqualTo(4242);
        assertThat(s.comm).isEqualTo("evil) (x y");
        assertThat(s.ppid).isEqualTo(17);
        assertThat(s.startTicks).isEqualTo(987654);
        assertThat(ProcFs.parseStat("12 (short) S 1 2")).isNull();
        assertThat(ProcFs.parseStat("garbage")).isNull();
    }

    @Test
    void statusUidCmdlineAndFdLinks() throws Exception {
        assertThat(ProcFs.parseUid("Name:\tcurl\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n")).isEqualTo(1000);
        assertThat(ProcFs.parseUid("Name:\tx\n")).isEqualTo(-1);
        assertThat(ProcFs.parseCmdline("curl\0-s\0http://x/\0".getBytes(StandardCharsets.UTF_8))).isEqualTo("curl -s http://x/");
        assertThat(ProcFs.parseCmdline(new byte[0])).isEmpty();
        assertThat(ProcFs.socketInode("socket:[123456]")).isEqualTo(123456);
        assertThat(ProcFs.socketInode("pipe:[5]")).isEqualTo(-1);
        assertThat(ProcFs.socketInode("socket:[]")).isEqualTo(-1);
        assertThat(ProcFs.socketInode("/dev/null")).isEqualTo(-1);
        assertThat(ProcFs.parsePid("1234")).isEqualTo(1234);
        assertThat(ProcFs.parsePid("self")).isEqualTo(-1);
    }

    @Test
    void processCacheReadsAFixtureProcessAndRereadsAReusedPid() throws Exception {
        process(300, "curl", 1, 5000, 1000, "/usr/bin/curl", "curl\0-s\0http://x/\0", 11, 12);
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");
        Files.createDirectories(proc.resolve("sys/kernel/random"));
        Files.writeString(proc.resolve("sys/kernel/random/boot_id"), "6f1c2a6e-0000-4000-8000-000000000001\n");
        Path passwd = proc.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nbroken line\n");
        ProcFs fs = new ProcFs(proc);
        ProcessCache cache = new ProcessCache(fs, new Users(passwd), 100, 10);

        ProcessInfo p = cache.get(300, 0);
        assertThat(p.pid).isEqualTo(300);
        assertThat(p.ppid).isEqualTo(1);
        assertThat(p.name).isEqualTo("curl");
        assertThat(p.executable).isEqualTo("/usr/bin/curl");
        assertThat(p.commandLine).isEqualTo("curl -s http://x/");
        assertThat(p.uid).isEqualTo(1000);
        assertThat(p.user).isEqualTo("alice");
        assertThat(p.startNanos).isEqualTo(1_700_000_000_000_000_000L + 5000 * 10_000_000L); // 50 s after boot
        assertThat(p.entityId).isEqualTo(EntityIds.of("6f1c2a6e-0000-4000-8000-000000000001", 300, 5000));
        assertThat(cache.get(300, 0)).as("same process: cached").isSameAs(p);

        // the pid is reused by another process (another start time): re-read, another entity id
        process(300, "nc", 1, 7000, 0, "/usr/bin/nc.openbsd", "nc\0-z\0", 13);
        ProcessInfo q = cache.get(300, 0);
        assertThat(q.name).isEqualTo("nc");
        assertThat(q.user).isEqualTo("root");
        assertThat(q.entityId).isNotEqualTo(p.entityId);

        // it exits: the last process seen with the pid still answers (records of an exited process)
        deleteTree(proc.resolve("300"));
        assertThat(cache.get(300, 0)).isSameAs(q);
        assertThat(cache.get(301, 0)).isNull();
    }

    @Test
    void inodeOwnersFindYoungPidsFirstAndRescanFully() throws Exception {
        process(10, "old", 1, 100, 0, "/usr/sbin/old", "old\0", 21);
        ProcFs fs = new ProcFs(proc);
        InodeOwners owners = new InodeOwners(fs, 1_000_000_000L);
        owners.fullScan(0);
        assertThat(owners.cached(21)).isEqualTo(10);

        process(11, "young", 10, 200, 0, "/usr/bin/young", "young\0", 31, 32);
        assertThat(owners.findQuick(32, 10)).as("a new pid is scanned at once").isEqualTo(11);

        // a pid listed before it opened its socket (fork, then connect) is still young, so it is rescanned
        process(12, "forked", 10, 300, 0, "/usr/bin/forked", "forked\0");
        assertThat(owners.findQuick(41, 20)).isZero();
        addSocket(12, 41);
        assertThat(owners.findQuick(41, 30)).isEqualTo(12);

        // an old process opens a new socket: not young any more; only a full rescan finds it
        addSocket(10, 22);
        assertThat(owners.findQuick(22, InodeOwners.YOUNG_NANOS + 100)).isZero();
        assertThat(owners.fullScanAllowed(500_000_000L)).isFalse();
        assertThat(owners.fullScanAllowed(1_000_000_000L)).isTrue();
        owners.fullScan(1_000_000_000L);
        assertThat(owners.cached(22)).isEqualTo(10);

        // a socket inherited by a child (fork before exec) stays with the parent that created it
        process(13, "parent", 1, 400, 0, "/usr/bin/bash", "bash\0", 51);
        process(14, "child", 13, 401, 0, "/usr/bin/bash", "bash\0", 51);
        assertThat(owners.findQuick(51, InodeOwners.YOUNG_NANOS + 200)).isEqualTo(13);

        // an owner seen once is searched early later on
        owners.noteOwner(10);
        addSocket(10, 23);
        assertThat(owners.findQuick(23, InodeOwners.YOUNG_NANOS * 3)).isEqualTo(10);
    }

    @Test
    void entityIdsAreStableAndSeparatePidReuseAndReboots() {
        long a = EntityIds.of("boot-1", 4242, 987654);
        assertThat(EntityIds.of("boot-1", 4242, 987654)).isEqualTo(a);
        assertThat(EntityIds.of("boot-1", 4242, 987655)).isNotEqualTo(a);
        assertThat(EntityIds.of("boot-2", 4242, 987654)).isNotEqualTo(a);
        assertThat(EntityIds.of("boot-1", 4243, 987654)).isNotEqualTo(a);
        List<Long> ids = new ArrayList<>();
        for (int pid = 1; pid < 20_000; pid++) ids.add(EntityIds.of("b", pid, 100));
        assertThat(ids).doesNotHaveDuplicates().doesNotContain(0L);
    }

    @Test
    void privilegesAreReadFromCapEff() {
        assertThat(Privileges.capEff("Name:\tx\nCapEff:\t000001ffffffffff\n")).isEqualTo(0x1ffffffffffL);
        assertThat(Privileges.capEff("CapEff:\t0000000000000000\n")).isZero();
    }

    private void process(int pid, String comm, int ppid, long startTicks, int uid, String exe, String cmdline, long... sockets)
            throws Exception {
        Path d = proc.resolve(Integer.toString(pid));
        if (Files.exists(d)) deleteTree(d);
        Files.createDirectories(d.resolve("fd"));
        Files.writeString(d.resolve("stat"), pid + " (" + comm + ") S " + ppid + " 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
                + startTicks + " 1000 200 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0");
        Files.writeString(d.resolve("status"), "Name:\t" + comm + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
        Files.write(d.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(d.resolve("exe"), Path.of(exe));
        Files.createSymbolicLink(d.resolve("fd").resolve("0"), Path.of("/dev/null"));
        for (long s : sockets) addSocket(pid, s);
    }

    private void addSocket(int pid, long inode) throws Exception {
        Path fd = proc.resolve(Integer.toString(pid)).resolve("fd");
        int n;
        try (var l = Files.list(fd)) {
            n = (int) l.count() + 3;
        }
        Files.createSymbolicLink(fd.resolve(Integer.toString(n)), Path.of("socket:[" + inode + "]"));
    }

    private static void deleteTree(Path p) throws Exception {
        try (var w = Files.walk(p)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
