package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netsensor.agent.CliRunner;
import io.netsensor.agent.live.AgentProcess;
import io.netsensor.config.SettingsLoader;
import io.netsensor.config.SinkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `netsensor config check FILE`, the packaged example, and run/replay failing the same way at start. */
class ConfigCheckTest {
    static final Path EXAMPLE = AgentProcess.repoRoot().resolve("installer/src/deb/netsensor.yml");
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("netsensor.yml"), yaml);
    }

    @Test
    void aGoodFileIsOkWithASummary() throws Exception {
        Path p = write("interface: eth1\nsinks:\n  - {name: local, type: file, path: " + dir.resolve("a.json") + "}\n");
        CliRunner.Result r = CliRunner.run("config", "check", p.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(p + ": ok (interface eth1, data dir /var/lib/netsensor, sinks: local (file "
                + dir.resolve("a.json") + "))\n");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void eachProblemIsALineAtItsPlaceAndTheExitCodeIs2() throws Exception {
        Path p = write("snaplen: 10\ndetectors:\n  c2_ports: [70000, 0, -1]\n  allowlist:\n    port: [1]\n");
        CliRunner.Result r = CliRunner.run("config", "check", p.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        // binding stops at the first binding error (an unknown key): the value checks need a bound file
        assertThat(r.stderr()).isEqualTo(p + ":5:5: detectors.allowlist.port: unknown key (did you mean ports?)\n");
        Path q = write("snaplen: 10\ndetectors:\n  c2_ports: [70000, 0, -1]\n");
        assertThat(CliRunner.run("config", "check", q.toString()).stderr()).isEqualTo(
                q + ":1:10: snaplen: must be between 64 and 262144, not 10\n"
                        + q + ":3:14: detectors.c2_ports[0]: not a port: 70000 (1-65535)\n"
                        + q + ":3:21: detectors.c2_ports[1]: not a port: 0 (1-65535)\n"
                        + q + ":3:24: detectors.c2_ports[2]: not a port: -1 (1-65535)\n");
    }

    @Test
    void theSinksFilesAreCheckedToo() throws Exception {
        Path token = Files.writeString(dir.resolve("hec.token"), "secret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Path p = write("sinks:\n  - name: splunk\n    type: hec\n    flavor: splunk\n    url: https://splunk.example:8088\n"
                + "    token_file: " + token + "\n    ca_file: " + dir.resolve("missing-ca.pem") + "\n  - name: x\n    type: sislog\n");
        CliRunner.Result r = CliRunner.run("config", "check", p.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo(p + ":9:11: sinks[1].type: 'sislog' is not one of syslog, hec, kafka or file\n");
        Path q = write("sinks:\n  - name: splunk\n    type: hec\n    flavor: splunk\n    url: https://splunk.example:8088\n"
                + "    token_file: " + token + "\n");
        assertThat(CliRunner.run("config", "check", q.toString()).stderr())
                .isEqualTo(q + ":6:17: sinks[0].token_file: " + token + " is readable by group or others; restrict it (chmod 600) and restart\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(q, Files.readString(q) + "    ca_file: " + dir.resolve("missing-ca.pem") + "\n");
        assertThat(CliRunner.run("config", "check", q.toString()).stderr())
                .isEqualTo(q + ":7:14: sinks[0].ca_file: " + dir.resolve("missing-ca.pem") + ": no such file\n");
    }

    @Test
    void runAndReplayFailAtStartWithTheSameMessage() throws Exception {
        Path p = write("conntrack:\n  max_flows: 99999999999999\n");
        String expected = p + ":2:14: conntrack.max_flows: '99999999999999' is too large (at most 2147483647)";
        assertThat(CliRunner.run("config", "check", p.toString()).stderr()).isEqualTo(expected + "\n");
        for (String[] command : new String[][] {{"run"}, {"replay", "x.pcap"}}) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("-c", p.toString(), "--data-dir", dir.resolve("data").toString()));
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.stderr()).isEqualTo("netsensor: config error: " + expected + "\n");
        }
        assertThat(CliRunner.run("config", "check", dir.resolve("nope.yml").toString()).stderr()).isEqualTo(dir.resolve("nope.yml") + ": no such file\n");
    }

    @Test
    void aCaptureFilterLibpcapRefusesFailsAtItsLine() throws Exception {
        Path p = write("interface: eth0\nbpf: \"tcp prot 80\"\n");
        CliRunner.Result r = CliRunner.run("config", "check", p.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        // (libraries' INFO lines, which the real command silences in Main, show here when another test class loaded
        // the logger first in this JVM: only the command's own lines count)
        String own = r.stderr().lines().filter(l -> !l.startsWith("[")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(own).startsWith(p + ":2:6: bpf: 'tcp prot 80' is not a libpcap filter: ").hasLineCount(1);
        assertThat(CliRunner.run("config", "check", write("bpf: \"not port 22\"\n").toString()).exitCode()).isZero();
    }

    /** In a child JVM (the environment is the process's), as a container runs it: the environment over the file, named. */
    @Test
    void theEnvironmentOverridesTheFileAndIsNamed() throws Exception {
        Path p = write("conntrack:\n  max_flows: 1024\nsinks:\n  - {name: local, type: file, path: /tmp/a.json}\n");
        CliRunner.Result show = child(Map.of("NETSENSOR_CONNTRACK_MAX_FLOWS", "8192", "NETSENSOR_SINKS_0_PATH", dir.resolve("b.json").toString()),
                "config", "show", "-c", p.toString());
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.stdout()).startsWith("# conntrack.max_flows: from NETSENSOR_CONNTRACK_MAX_FLOWS\n# sinks[0].path: from NETSENSOR_SINKS_0_PATH\n")
                .contains("  max_flows: 8192\n", "path: " + dir.resolve("b.json"));
        CliRunner.Result check = child(Map.of("NETSENSOR_CONNTRACK_MAX_FLOWS", "8"), "config", "check", p.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.stderr()).isEqualTo("NETSENSOR_CONNTRACK_MAX_FLOWS: conntrack.max_flows: must be between 16 and 67108864, not 8\n");
    }

    /** The agent's main in a JVM of its own, on this test's class path, with {@code env} added. */
    private CliRunner.Result child(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.netsensor.agent.Main"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("child.out"), err = dir.resolve("child.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process proc = pb.start();
        if (!proc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 60 s");
        }
        return new CliRunner.Result(proc.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void thePackagedExampleIsAcceptedAsIs() {
        CliRunner.Result r = CliRunner.run("config", "check", EXAMPLE.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith(EXAMPLE + ": ok");
    }

    /**
     * The example documents every key: with every commented-out key uncommented it still binds (each is a
     * real key, at its right level), and it holds every key the agent has, each sink type's included.
     */
    @Test
    void thePackagedExampleDocumentsEveryRealKey() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String line : Files.readAllLines(EXAMPLE)) all.append(line.replaceFirst("^(\\s*)#((?:- )?[a-z][a-z0-9_.]*:.*)$", "$1$2")).append('\n');
        Path uncommented = Files.writeString(dir.resolve("every-key.yml"), all);
        SettingsLoader.load(uncommented); // binds: no unknown key, no value of the wrong kind (the sinks' files are not there: not checked)

        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode example = yaml.readTree(uncommented.toFile());
        TreeSet<String> missing = new TreeSet<>();
        JsonNode defaults = ConfigCommand.mapper().valueToTree(SettingsLoader.defaults());
        ((com.fasterxml.jackson.databind.node.ObjectNode) defaults).remove("sinks");
        for (String key : leaves("", defaults)) if (example.at("/" + key.replace('.', '/')).isMissingNode()) missing.add(key);
        Map<String, Class<? extends SinkSettings>> types = Map.of("syslog", SinkSettings.Syslog.class, "hec", SinkSettings.Hec.class,
                "kafka", SinkSettings.Kafka.class, "file", SinkSettings.File.class);
        for (Map.Entry<String, Class<? extends SinkSettings>> t : types.entrySet()) {
            JsonNode entry = null;
            for (JsonNode s : example.path("sinks")) if (s.path("type").asText().equals(t.getKey())) entry = s;
            assertThat(entry).as("an example %s sink", t.getKey()).isNotNull();
            JsonNode keys = ConfigCommand.mapper().valueToTree(t.getValue().getConstructor().newInstance());
            for (Iterator<String> i = keys.fieldNames(); i.hasNext(); ) {
                String k = i.next();
                if (!entry.has(k)) missing.add("sinks[" + t.getKey() + "]." + k);
            }
        }
        assertThat(missing).as("keys the example does not document").isEmpty();
    }

    /** "journal.max_age", ...: every key holding a value (a list is one value). */
    private static List<String> leaves(String path, JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> i = n.fields(); i.hasNext(); ) {
                Map.Entry<String, JsonNode> e = i.next();
                out.addAll(leaves(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue()));
            }
        } else {
            out.add(path);
        }
        return out;
    }
}
