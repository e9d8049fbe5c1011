package io.netsensor.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The package as an operator gets it, on this machine: installs the .deb that {@code mvn package} built with
 * {@code dpkg -i}, checks its files, owners, modes and user, verifies the systemd unit and reports its
 * {@code systemd-analyze security} exposure, runs the agent as the netsensor user with only the unit's
 * capabilities ({@code replay} of a capture, then live {@code run} with the packaged config and /proc
 * mounted as ProtectProc=invisible mounts it), upgrades to a rebuilt package with a higher version (the
 * edited config and the journal stay), and purges (nothing stays). The package is purged at the end
 * whatever failed. Needs root; skipped with a message otherwise, and fails instead under CI=true.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebPackageIT {
    private static final boolean CI = "true".equals(System.getenv("CI"));
    private static final String PACKAGE = "netsensor";
    private static final Path UNIT = Path.of("/lib/systemd/system/netsensor.service");
    private static final Path CONFIG = Path.of("/etc/netsensor/netsensor.yml");
    private static final Path DATA = Path.of("/var/lib/netsensor");
    private static final Path LIB = Path.of("/usr/lib/netsensor");
    private static final Path LAUNCHER = Path.of("/usr/bin/netsensor");
    /** Left in the data directory: a package found installed with it is this test's leftover, safe to purge. */
    private static final Path MARKER = DATA.resolve(".netsensor-package-test");
    private static final Duration DPKG = Duration.ofMinutes(3), AGENT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path deb, work, capture;
    /** The unit's AmbientCapabilities in setpriv's form: +net_raw,+net_admin,... */
    private String caps;
    private long capMask;
    private boolean ready;
    /** Set once the machine is known to hold no netsensor package but this test's: cleanup may purge. */
    private boolean ours;
    private Map<String, Long> journalFiles;
    private long journalRecords;
    private String editedConfig;
    private final long started = System.nanoTime();

    @BeforeAll
    void requirements() throws IOException {
        List<String> missing = new ArrayList<>();
        String uid = Cmd.run(Duration.ofSeconds(10), "id", "-u").out().trim();
        if (!uid.equals("0")) missing.add("root (dpkg -i, a system user, setpriv)");
        for (String tool : List.of("dpkg", "dpkg-deb", "dpkg-query", "systemd-analyze", "setpriv", "unshare", "getent")) {
            if (!Cmd.onPath(tool)) missing.add(tool);
        }
        if (!missing.isEmpty()) {
            String message = "the package test needs " + String.join(", ", missing);
            if (CI) fail(message + " (CI=true: not skipped)");
            Assumptions.abort(message + ": skipped");
        }
        Path dir = Path.of(System.getProperty("netsensor.deb.dir", "target"));
        try (Stream<Path> s = Files.list(dir)) {
            deb = s.filter(p -> p.getFileName().toString().matches("netsensor_.*_all\\.deb"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no netsensor_*_all.deb in " + dir + ": run mvn package first"));
        }
        String status = packageStatus();
        if (!status.isEmpty()) {
            // A package left by an interrupted run of this test is purged; an operator's install is not ours to
            // remove, except on CI's throw-away machine.
            if (!Files.exists(MARKER) && !CI) {
                Assumptions.abort("netsensor is installed on this machine (" + status + ") and not by this test, which"
                        + " would purge it: remove it first (dpkg --purge netsensor) to run the package test");
            }
            log("purging a netsensor package left installed (" + status + ")");
            dpkg("--purge", PACKAGE);
        }
        ours = true;
        // Readable by the netsensor user: setpriv runs the agent as that user on files made here.
        work = Files.createTempDirectory("netsensor-deb-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        capture = work.resolve("capture.pcap");
        TestCapture.write(capture);
        log("package " + deb + " (" + (Files.size(deb) >> 20) + " MiB)");
    }

    @AfterAll
    void purgeWhateverHappened() throws IOException {
        if (ours && !packageStatus().isEmpty()) {
            log("cleanup: purging the package");
            Cmd.Result r = dpkg("--purge", PACKAGE);
            if (!r.ok()) System.err.println("netsensor package test: cleanup failed: " + r.describe());
        }
        if (work != null) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        log(String.format("done in %.0f s", (System.nanoTime() - started) / 1e9));
    }

    @Test
    @Order(1)
    void installsWithDpkg() throws IOException {
        Cmd.Result r = dpkg("-i", deb.toString());
        if (!r.ok() && r.err().contains("dependency problems")) {
            if (CI) fail(".ci/run must install the package's dependencies: " + r.describe());
            // What an operator does after dpkg -i on a machine that lacks a dependency.
            log("installing the package's missing dependencies with apt-get -f install");
            r = Cmd.run(DPKG, "apt-get", "install", "-y", "-q", "-f", "-o", "DPkg::Lock::Timeout=120");
        }
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(packageStatus()).isEqualTo("install ok installed");
        Files.writeString(MARKER, "installed by the package test (DebPackageIT)\n");
        ready = true;
        log("installed " + version());
    }

    @Test
    @Order(2)
    void filesOwnersModesAndUser() throws IOException {
        requireInstalled();
        Map<Path, String> expected = new LinkedHashMap<>();
        expected.put(LAUNCHER, "root root rwxr-xr-x");
        expected.put(LIB, "root root rwxr-xr-x");
        expected.put(LIB.resolve("netsensor-agent.jar"), "root root rw-r--r--");
        expected.put(LIB.resolve("lib"), "root root rwxr-xr-x");
        expected.put(LIB.resolve("jvm.options"), "root root rw-r--r--");
        expected.put(CONFIG, "root netsensor rw-r-----");
        expected.put(UNIT, "root root rw-r--r--");
        expected.put(DATA, "netsensor netsensor rwxr-x---");
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            assertThat(ownerGroupMode(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
        }
        // Exactly the libraries the agent's manifest names, no more (a stale jar), no fewer (a missing class).
        Set<String> classPath;
        try (JarFile jar = new JarFile(LIB.resolve("netsensor-agent.jar").toFile())) {
            classPath = new TreeSet<>(Arrays.asList(jar.getManifest().getMainAttributes().getValue("Class-Path").trim().split("\\s+")));
        }
        Set<String> installed;
        try (Stream<Path> s = Files.list(LIB.resolve("lib"))) {
            installed = s.map(p -> "lib/" + p.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(installed).isEqualTo(classPath);
        assertThat(Files.readString(LIB.resolve("jvm.options"))).contains("-Xmx", "-XX:+UseSerialGC", "--add-opens");

        String conffiles = Cmd.run(Duration.ofSeconds(10), "dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).out();
        assertThat(conffiles).contains(CONFIG.toString());

        String[] user = Cmd.run(Duration.ofSeconds(10), "getent", "passwd", "netsensor").out().trim().split(":");
        assertThat(user).as("getent passwd netsensor").hasSize(7);
        assertThat(Integer.parseInt(user[2])).as("a system uid").isLessThan(1000);
        assertThat(user[5]).isEqualTo(DATA.toString());
        assertThat(user[6]).as("login shell").isIn("/usr/sbin/nologin", "/sbin/nologin", "/bin/false");
        assertThat(Files.exists(Path.of("/home/netsensor"))).as("no home created").isFalse();
        String[] group = Cmd.run(Duration.ofSeconds(10), "getent", "group", "netsensor").out().trim().split(":");
        assertThat(group[2]).as("the user's own group").isEqualTo(user[3]);
        // Installed, not enabled: the service starts once the operator has configured it.
        assertThat(Files.exists(Path.of("/etc/systemd/system/multi-user.target.wants/netsensor.service"))).isFalse();
        log("files, owners, modes, conffile and the netsensor user (uid " + user[2] + ") as expected");
    }

    @Test
    @Order(3)
    void unitVerifiesAndIsHardened() throws IOException {
        requireInstalled();
        Map<String, List<String>> unit = unitSettings();
        assertThat(unit.get("User")).containsExactly("netsensor");
        assertThat(unit.get("ExecStart")).containsExactly("/usr/bin/netsensor run -c /etc/netsensor/netsensor.yml");
        assertThat(unit.get("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
        assertThat(unit.get("Restart")).containsExactly("on-failure");
        for (String yes : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                "ProtectKernelModules", "ProtectControlGroups", "RestrictNamespaces", "LockPersonality")) {
            assertThat(unit.get(yes)).as(yes).containsExactly("yes");
        }
        assertThat(unit.get("ProtectSystem")).containsExactly("strict");
        assertThat(unit.get("ReadWritePaths")).containsExactly("/var/lib/netsensor");
        assertThat(unit.get("RestrictAddressFamilies")).containsExactly("AF_PACKET AF_NETLINK AF_INET AF_INET6 AF_UNIX");
        assertThat(unit.get("SystemCallArchitectures")).containsExactly("native");
        assertThat(unit.get("MemoryDenyWriteExecute")).as("the JIT needs W+X memory").isNull();
        Set<String> ambient = Set.of(unit.get("AmbientCapabilities").get(0).split("\\s+"));
        assertThat(ambient).containsExactlyInAnyOrder("CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_DAC_READ_SEARCH", "CAP_SYS_PTRACE", "CAP_BPF", "CAP_PERFMON");
        assertThat(Set.of(unit.get("CapabilityBoundingSet").get(0).split("\\s+"))).isEqualTo(ambient);

        Cmd.Result verify = Cmd.run(Duration.ofSeconds(60), "systemd-analyze", "verify", UNIT.toString());
        assertThat(verify.ok()).as(verify.describe()).isTrue();
        assertThat(verify.err() + verify.out()).as("systemd-analyze verify says nothing of the unit").doesNotContain("netsensor");

        Cmd.Result security = Cmd.run(Duration.ofSeconds(60), "systemd-analyze", "security", "--offline=true", "--no-pager", UNIT.toString());
        assertThat(security.ok()).as(security.describe()).isTrue();
        Matcher m = Pattern.compile("Overall exposure level for netsensor\\.service: ([0-9.]+) (\\S+)").matcher(security.out());
        assertThat(m.find()).as(security.describe()).isTrue();
        double exposure = Double.parseDouble(m.group(1));
        log("systemd-analyze security --offline=true: exposure " + m.group(1) + " " + m.group(2) + " (goal <= 3.0 OK)");
        assertThat(exposure).as("exposure score").isLessThanOrEqualTo(3.0);
        assertThat(m.group(2)).isEqualTo("OK");
    }

    @Test
    @Order(4)
    void replaysAsTheServiceUserWithTheUnitsCapabilities() throws IOException {
        requireInstalled();
        unitCapabilities();
        // The capabilities the agent really gets, read back the way the kernel reports them.
        Cmd.Result status = Cmd.run(AGENT, asServiceUser("grep", "^Cap", "/proc/self/status"));
        assertThat(status.ok()).as(status.describe()).isTrue();
        for (String set : List.of("CapEff", "CapBnd", "CapAmb")) {
            assertThat(capSet(status.out(), set)).as(set + " of " + caps).isEqualTo(capMask);
        }

        Cmd.Result replay = Cmd.run(AGENT, asServiceUser(LAUNCHER.toString(), "replay", "--events", "--data-dir", DATA.toString(), capture.toString()));
        assertThat(replay.ok()).as(replay.describe()).isTrue();
        assertThat(replay.err()).doesNotContain("internal error", "Exception", "WARN");
        Matcher m = Pattern.compile("\\((\\d+) flows\\), (\\d+) dns").matcher(replay.err());
        assertThat(m.find()).as(replay.describe()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("flows").isEqualTo(TestCapture.TCP_SESSIONS + TestCapture.DNS_EXCHANGES);
        assertThat(Integer.parseInt(m.group(2))).as("dns events").isEqualTo(TestCapture.DNS_EXCHANGES);
        List<JsonNode> events = jsonLines(replay.out());
        assertThat(events.stream().filter(e -> e.at("/event/dataset").asText().equals("netsensor.dns")).count())
                .isEqualTo(TestCapture.DNS_EXCHANGES);
        assertThat(Files.isDirectory(DATA.resolve("journal"))).as("journal in the data directory").isTrue();
        log("replay as netsensor with " + caps + ": " + events.size() + " events, journal in " + DATA);
    }

    @Test
    @Order(5)
    void everyKeyOfTheExampleConfigIsAccepted() throws IOException {
        requireInstalled();
        // The packaged file with every commented-out key switched on: all of them are real keys, valid values.
        // Up to its sinks section, the file's last: the example sinks name CA, certificate and token files that
        // exist only on a configured host (ConfigCheckTest checks those keys with real files).
        List<String> lines = Files.readAllLines(CONFIG);
        int sinks = lines.indexOf("#sinks:");
        String all = (sinks < 0 ? lines : lines.subList(0, sinks)).stream().map(l -> l.replaceFirst("^(\\s*)#([a-z0-9_]+:)", "$1$2"))
                .collect(Collectors.joining("\n", "", "\n"));
        Path file = work.resolve("netsensor-all-keys.yml");
        Files.writeString(file, all);
        assertThat(all).contains("\njournal:\n", "\n  max_pending: 4096", "\n  max_keys: 2048", "\n    remote_cidrs: []");
        Cmd.Result r = Cmd.run(AGENT, asServiceUser(LAUNCHER.toString(), "replay", "-c", file.toString(), capture.toString()));
        assertThat(r.ok()).as(r.describe()).isTrue();
        log("the example config with every key uncommented is accepted");
    }

    @Test
    @Order(6)
    void runsLiveWithThePackagedConfigAndAttributesUnderHiddenProc() throws Exception {
        requireInstalled();
        unitCapabilities();
        Path out = work.resolve("run.out"), err = work.resolve("run.err");
        // ProtectProc=invisible: /proc mounted with hidepid=invisible in a mount namespace of the agent's own.
        List<String> command = Cmd.concat(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount -t proc -o hidepid=invisible proc /proc && exec \"$@\"", "sh"),
                asServiceUser(LAUNCHER.toString(), "run", "-c", CONFIG.toString(), "-i", "lo", "--events").toArray(String[]::new));
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Process agent = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                long deadline = System.nanoTime() + AGENT.toNanos();
                while (!Files.readString(err).contains("capturing on lo")) {
                    if (!agent.isAlive()) fail("the agent stopped at start (exit " + agent.exitValue() + "): " + Files.readString(err));
                    if (System.nanoTime() > deadline) fail("the agent did not start capturing: " + Files.readString(err));
                    Thread.sleep(100);
                }
                String capsOfAgent = Files.readString(Path.of("/proc", Long.toString(agent.pid()), "status"));
                assertThat(capSet(capsOfAgent, "CapEff")).as("the running agent's capabilities").isEqualTo(capMask);
                // A connection from this (root's) process: attributing it means reading another user's /proc/PID/fd.
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()); Socket accepted = server.accept()) {
                    client.getOutputStream().write("hello".getBytes());
                    accepted.getInputStream().readNBytes(5);
                    Thread.sleep(300);
                }
                Thread.sleep(1000);
            } finally {
                agent.destroy(); // SIGTERM: flushes open flows, closes the journal, exits 0
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                    fail("the agent did not stop within 30 s of SIGTERM: " + Files.readString(err));
                }
            }
            assertThat(agent.exitValue()).as(Files.readString(err)).isZero();
            String stderr = Files.readString(err);
            assertThat(stderr).doesNotContain("internal error", "Exception", "no CAP_SYS_PTRACE");
            // With the unit's CAP_BPF and CAP_PERFMON the agent attributes from the kernel (CI has BTF and the
            // loader built; elsewhere the mode it chose is only reported).
            String mode = stderr.lines().filter(l -> l.startsWith("netsensor: attribution: ")).findFirst().orElse("(no attribution line)");
            log("attribution mode under the unit's capabilities: " + mode);
            if ("true".equals(System.getenv("CI"))) assertThat(mode).startsWith("netsensor: attribution: kernel");
            long self = ProcessHandle.current().pid();
            List<JsonNode> ours = jsonLines(Files.readString(out)).stream()
                    .filter(e -> e.at("/destination/port").asInt() == server.getLocalPort()).toList();
            assertThat(ours).as("events of the test's connection in " + Files.readString(out)).isNotEmpty();
            assertThat(ours).as("attributed to this process (pid " + self + ")").allMatch(e -> e.at("/process/pid").asLong() == self);
            log("run -c " + CONFIG + " on lo as netsensor, /proc hidepid=invisible: " + ours.size()
                    + " events of the test connection, attributed to pid " + self);
        }
    }

    @Test
    @Order(7)
    void upgradeKeepsTheEditedConfigAndTheJournal() throws IOException {
        requireInstalled();
        String before = version();
        editedConfig = Files.readString(CONFIG).replace("#snaplen: 65535", "snaplen: 9000") + "# edited by the package test\n";
        Files.writeString(CONFIG, editedConfig);
        journalFiles = journal();
        journalRecords = journalRecords();
        assertThat(journalRecords).as("records journaled by the earlier steps").isPositive();

        // The same package rebuilt with a higher version, as the next release would be.
        String next = before + "+upgrade1";
        assertThat(Cmd.run(Duration.ofSeconds(10), "dpkg", "--compare-versions", next, "gt", before).ok()).isTrue();
        Path tree = work.resolve("pkg");
        Cmd.Result r = Cmd.run(DPKG, "dpkg-deb", "-R", deb.toString(), tree.toString());
        assertThat(r.ok()).as(r.describe()).isTrue();
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + next));
        Path upgrade = work.resolve("netsensor_" + next + "_all.deb");
        r = Cmd.run(DPKG, "dpkg-deb", "-Znone", "-b", tree.toString(), upgrade.toString());
        assertThat(r.ok()).as(r.describe()).isTrue();

        r = dpkg("-i", upgrade.toString());
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(version()).isEqualTo(next);
        assertThat(Files.readString(CONFIG)).as("the edited config").isEqualTo(editedConfig);
        assertThat(ownerGroupMode(CONFIG)).isEqualTo("root netsensor rw-r-----");
        assertThat(ownerGroupMode(DATA)).isEqualTo("netsensor netsensor rwxr-x---");
        Map<String, Long> after = journal();
        assertThat(after.keySet()).as("journal files").containsAll(journalFiles.keySet());
        journalFiles.forEach((f, size) -> assertThat(after.get(f)).as(f).isGreaterThanOrEqualTo(size));
        assertThat(journalRecords()).as("records readable after the upgrade").isEqualTo(journalRecords);
        log("upgraded " + before + " -> " + next + ": edited config and " + journalRecords + " journal records ("
                + journalFiles.size() + " files) kept");
    }

    @Test
    @Order(8)
    void purgeRemovesEverything() throws IOException {
        requireInstalled();
        Cmd.Result r = dpkg("--purge", PACKAGE);
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(packageStatus()).isEmpty();
        for (Path p : List.of(LAUNCHER, LIB, CONFIG.getParent(), DATA, UNIT,
                Path.of("/etc/systemd/system/multi-user.target.wants/netsensor.service"))) {
            assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as(p + " after purge").isFalse();
        }
        assertThat(Cmd.run(Duration.ofSeconds(10), "getent", "passwd", "netsensor").exit()).as("user after purge").isEqualTo(2);
        assertThat(Cmd.run(Duration.ofSeconds(10), "getent", "group", "netsensor").exit()).as("group after purge").isEqualTo(2);
        ready = false;
        log("purged: files, config, journal, user and group gone");
    }

    // ---------------------------------------------------------------------------------------------------------

    private void requireInstalled() {
        if (!ready) fail("the package is not installed: an earlier step failed");
    }

    /** The agent's command run as the netsensor user with exactly the unit's capabilities, no new privileges. */
    private List<String> asServiceUser(String... command) {
        List<String> l = new ArrayList<>(List.of("setpriv", "--reuid", "netsensor", "--regid", "netsensor", "--init-groups",
                "--inh-caps=-all," + caps, "--ambient-caps=-all," + caps, "--bounding-set=-all," + caps, "--no-new-privs"));
        l.addAll(Arrays.asList(command));
        return l;
    }

    private void unitCapabilities() throws IOException {
        if (caps != null) return;
        List<String> names = Arrays.asList(unitSettings().get("AmbientCapabilities").get(0).split("\\s+"));
        caps = names.stream().map(n -> "+" + n.toLowerCase().replaceFirst("^cap_", "")).collect(Collectors.joining(","));
        Map<String, Integer> numbers = Map.of("CAP_DAC_READ_SEARCH", 2, "CAP_NET_ADMIN", 12, "CAP_NET_RAW", 13,
                "CAP_SYS_PTRACE", 19, "CAP_BPF", 39, "CAP_PERFMON", 38);
        capMask = 0;
        for (String n : names) {
            Integer bit = numbers.get(n);
            if (bit == null) fail("the test does not know capability " + n + ": add its number");
            capMask |= 1L << bit;
        }
    }

    private static long capSet(String procStatus, String set) {
        Matcher m = Pattern.compile("(?m)^" + set + ":\\s*([0-9a-f]+)$").matcher(procStatus);
        assertThat(m.find()).as(set + " in " + procStatus).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** The [Service] settings of the installed unit, each key's values in order. */
    private static Map<String, List<String>> unitSettings() throws IOException {
        Map<String, List<String>> m = new TreeMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || l.startsWith("[")) continue;
            int eq = l.indexOf('=');
            m.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
        }
        return m;
    }

    private static String ownerGroupMode(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.owner().getName() + " " + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions());
    }

    /** Files of the journal with their sizes (the marker and other non-journal files aside). */
    private static Map<String, Long> journal() throws IOException {
        try (Stream<Path> s = Files.walk(DATA.resolve("journal"))) {
            return s.filter(Files::isRegularFile).collect(Collectors.toMap(p -> DATA.relativize(p).toString(), p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, (a, b) -> a, TreeMap::new));
        }
    }

    /** Records in the journal, read by `netsensor events` as the service user (root would leave root's files). */
    private long journalRecords() {
        Cmd.Result r = Cmd.run(AGENT, asServiceUser(LAUNCHER.toString(), "events", "--data-dir", DATA.toString()));
        assertThat(r.ok()).as(r.describe()).isTrue();
        return r.out().lines().filter(l -> l.startsWith("{")).count();
    }

    private static List<JsonNode> jsonLines(String text) {
        return text.lines().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static String version() {
        return Cmd.run(Duration.ofSeconds(10), "dpkg-query", "-W", "-f=${Version}", PACKAGE).out().trim();
    }

    /** "install ok installed", "deinstall ok config-files", ...; empty when dpkg knows no such package. */
    private static String packageStatus() {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(10), "dpkg-query", "-W", "-f=${Status}", PACKAGE);
        return !r.ok() || r.out().contains("not-installed") ? "" : r.out().trim();
    }

    /** dpkg, waiting for its lock while another apt or dpkg on this machine holds it. */
    private static Cmd.Result dpkg(String... args) {
        List<String> command = Cmd.concat(List.of("dpkg"), args);
        long deadline = System.nanoTime() + DPKG.toNanos();
        while (true) {
            Cmd.Result r = Cmd.run(DPKG, command);
            if (r.ok() || !r.err().contains("lock") || System.nanoTime() > deadline) return r;
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    private static void log(String message) {
        System.out.println("netsensor package test: " + message);
    }
}
