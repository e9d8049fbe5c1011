package io.netsensor.agent.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import io.netsensor.agent.Main;
import io.netsensor.agent.Progress;
import io.netsensor.testkit.pcap.Traffic;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a new user met at the command line: help, status of no agent, replay's inputs, tables, progress in a pipe. */
class CliOpsTest {
    private static final String HOST = "192.168.1.10";
    @TempDir
    Path dir;

    @Test
    void everyHelpPrintsCleanlyWithWholeSentenceSummaries() {
        List<String> commands = new ArrayList<>();
        commands.add("");
        commands.addAll(Main.commandLine().getSubcommands().keySet());
        for (String c : commands) {
            CliRunner.Result r = c.isEmpty() ? CliRunner.run("--help") : CliRunner.run(c, "--help");
            assertThat(r.exitCode()).as(c).isZero();
            assertThat(r.stderr()).as(c + " --help stderr").doesNotContain("picocli WARN", "Could not format");
            assertThat(r.stdout()).as(c).contains("Usage: netsensor");
        }
        CliRunner.Result top = CliRunner.run("--help");
        // the command list shows each command's header: a whole sentence, not a description cut at its first line
        for (String c : Main.commandLine().getSubcommands().keySet()) {
            CommandLine.Model.CommandSpec spec = Main.commandLine().getSubcommands().get(c).getCommandSpec();
            String[] summary = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
            assertThat(summary).as(c).isNotEmpty();
            assertThat(summary[0].strip()).as(c).matches(".*[.!?]$");
        }
        assertThat(top.stdout()).contains("status", "interfaces");
        assertThat(CliRunner.run().exitCode()).as("no arguments is a usage error").isEqualTo(2);
    }

    @Test
    void statusOfADataDirWithoutAnAgentExits3() throws Exception {
        CliRunner.Result r = CliRunner.run("status", "--data-dir", dir.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).contains("not running").contains(dir.toString());
        // an agent that died without a clean stop: its pid is gone, its status still says running
        Files.writeString(dir.resolve(StatusFile.NAME), "{\"state\":\"running\",\"pid\":999999999,\"updated\":\"2026-01-01T00:00:00Z\","
                + "\"interface\":\"eth0\",\"sinks\":[],\"problems\":[]}");
        CliRunner.Result crashed = CliRunner.run("status", "--data-dir", dir.toString());
        assertThat(crashed.exitCode()).as(crashed.toString()).isEqualTo(3);
        assertThat(crashed.stdout()).contains("pid 999999999 is gone without a clean stop");
        assertThat(crashed.stderr()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void replayReadsDashRFilesAndStandardInputAndPrintsEventTables() throws Exception {
        Traffic t = new Traffic();
        for (int i = 0; i < 5; i++) t.tcpSession(i * 60.0, HOST, "198.51.100.7", 8443, 300, 500, 0.5);
        t.dnsResolved(10, HOST, "192.168.1.1", "www.example.org", List.of(), "93.184.216.34");
        Path pcap = t.write(dir.resolve("t.pcap"));
        Path data = dir.resolve("data");
        CliRunner.Result r = CliRunner.run("replay", "-r", pcap.toString(), "--data-dir", data.toString(), "--no-detect");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("(6 flows)", "1 dns");

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(pcap)));
            CliRunner.Result fromStdin = CliRunner.run("replay", "-", "--no-detect");
            assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
            assertThat(fromStdin.stderr()).contains("1 file(s)", "1 dns");
            System.setIn(new ByteArrayInputStream(new byte[0]));
            CliRunner.Result empty = CliRunner.run("replay", "-");
            assertThat(empty.exitCode()).isEqualTo(2);
            assertThat(empty.stderr()).contains("standard input is empty");
        } finally {
            System.setIn(stdin);
        }
        assertThat(CliRunner.run("replay").stderr()).contains("no capture file given");

        CliRunner.Result table = CliRunner.run("events", "--data-dir", data.toString(), "--format", "TABLE", "--type", "DNS");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        List<String> lines = table.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME (UTC").contains("KIND", "HOST / PROCESS", "REMOTE", "WHAT");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains(" dns ", HOST, "192.168.1.1:53", "www.example.org A NOERROR 93.184.216.34");
        CliRunner.Result conns = CliRunner.run("events", "--data-dir", data.toString(), "--format", "table", "--type", "conn");
        assertThat(conns.stdout().lines().skip(1).filter(l -> l.contains("tcp ")).toList()).hasSize(10)
                .allSatisfy(l -> assertThat(l).contains(" conn ", HOST, "198.51.100.7:8443"))
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
        assertThat(conns.stdout()).contains("tcp open, established").contains("tcp established, 500/620 B, 0.5 s");
    }

    @Test
    void progressLinesInAPipeCarryNoControlCharacters() throws Exception {
        Traffic t = new Traffic();
        for (int i = 0; i < 400; i++) t.tcpSession(i * 2.0, HOST, "198.51.100." + (1 + i % 200), 443, 3000, 50_000, 1);
        Path pcap = t.write(dir.resolve("big.pcap"));
        List<String> args = new ArrayList<>(List.of("replay", "--no-detect"));
        for (int i = 0; i < 40; i++) args.add(pcap.toString());
        String before = System.getProperty(Progress.INTERVAL_PROPERTY);
        System.setProperty(Progress.INTERVAL_PROPERTY, "0.01");
        try {
            CliRunner.Result r = CliRunner.run(args.toArray(new String[0]));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stderr()).containsPattern("netsensor replay: \\d+ % \\(\\d+ of \\d+ MiB\\) at [0-9.]+ MiB/s");
            for (char c : r.stderr().toCharArray()) {
                assertThat(c == '\n' || c >= 0x20 && c != 0x7f).as("control character %d in stderr", (int) c).isTrue();
            }
            assertThat(r.stdout()).isEmpty();
        } finally {
            if (before == null) System.clearProperty(Progress.INTERVAL_PROPERTY);
            else System.setProperty(Progress.INTERVAL_PROPERTY, before);
        }
    }
}
