package io.netsensor.agent.replay;

import static io.netsensor.testkit.pcap.TcpTalk.ACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.dns.DnsMessages;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.TcpTalk;
import io.netsensor.testkit.pcap.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command's options and its errors, as a user meets them. */
class ReplayCliTest {
    @TempDir
    Path dir;
    Path mixed;

    /** An HTTP connection, an HTTPS connection and a DNS lookup. */
    @BeforeEach
    void mixedTraffic() throws Exception {
        Trace t = new Trace()
                .at(0, Frames.ipv4("10.0.0.1", "10.0.0.53").udp(50001, 53)
                        .payload(DnsMessages.query(1, "example.com", DnsMessages.A).toWire()).build())
                .at(5, Frames.ipv4("10.0.0.53", "10.0.0.1").udp(53, 50001).payload(DnsMessages.response(1,
                        "example.com", DnsMessages.A, DnsMessages.a("example.com", "93.184.216.34")).toWire()).build())
                .at(10, new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80).established())
                .at(30, new TcpTalk("10.0.0.1", 40001, "93.184.216.34", 443).established());
        mixed = t.pcap(dir.resolve("mixed.pcap"), LinkTypes.ETHERNET);
    }

    @Test
    void bpfFilterKeepsOnlyMatchingFlows() {
        Replayed all = Replayed.events(mixed);
        assertThat(all.conns()).hasSize(3);

        Replayed r = Replayed.run("replay", "--events", "--no-detect", "--filter", "tcp port 80", mixed.toString())
                .assertSucceeded();

        assertThat(r.packets()).isEqualTo(8);
        assertThat(r.dns()).isEmpty();
        assertThat(r.conns()).hasSize(1);
        ReplayEndToEndTest.assertSfConnection(r.connTo(80), "10.0.0.1", 40000, "93.184.216.34", 80, 300, 420);
    }

    /** The config file's bpf: applies to replay as to run (issue 10 found it ignored); --filter wins over it. */
    @Test
    void theConfigsBpfFiltersAReplayToo() throws Exception {
        Path config = Files.writeString(dir.resolve("netsensor.yml"), "bpf: \"tcp port 443\"\n");
        Replayed r = Replayed.run("replay", "--events", "--no-detect", "-c", config.toString(), mixed.toString()).assertSucceeded();
        assertThat(r.dns()).isEmpty();
        assertThat(r.conns()).hasSize(1);
        assertThat(r.connTo(443)).isNotNull();
        Replayed flag = Replayed.run("replay", "--events", "--no-detect", "-c", config.toString(), "--filter", "tcp port 80", mixed.toString())
                .assertSucceeded();
        assertThat(flag.conns()).hasSize(1);
        assertThat(flag.connTo(80)).isNotNull();
    }

    @Test
    void filesAreReplayedInOrderAsOneStream() throws Exception {
        List<byte[]> conn = new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80).established();
        Path first = new Trace().at(0, conn.subList(0, 4)).pcap(dir.resolve("part1.pcap"), LinkTypes.ETHERNET);
        Path second = new Trace().at(4, conn.subList(4, conn.size())).pcap(dir.resolve("part2.pcap"), LinkTypes.ETHERNET);

        Replayed r = Replayed.events(first, second);

        assertThat(r.stderr()).contains("2 file(s), 8 packets");
        assertThat(r.conns()).hasSize(1);
        assertThat(r.connTo(80).at("/netsensor/history").asText()).isEqualTo("ShADdFf");
    }

    /** libpcap (used for --filter) cannot read a pcapng whose interfaces differ in link type: a clear error. */
    @Test
    void filterOnAPcapngMixingLinkTypesFailsCleanly() throws Exception {
        Path file = dir.resolve("mixed.pcapng");
        try (io.netsensor.testkit.pcap.PcapWriter w = io.netsensor.testkit.pcap.PcapWriter.pcapng(file)) {
            int eth = w.addInterface(LinkTypes.ETHERNET);
            int raw = w.addInterface(LinkTypes.RAW);
            new Trace().at(0, new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80).established()).writeTo(w, eth);
            new Trace().at(20, new TcpTalk("10.0.0.2", 40000, "93.184.216.34", 80, f -> f.link(LinkTypes.RAW))
                    .established()).writeTo(w, raw);
        }
        Replayed r = Replayed.run("replay", "--events", "--no-detect", "--filter", "tcp port 80", file.toString());
        assertThat(r.result.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(file.toString()).contains("different from the type of the first interface")
                .doesNotContain("\tat ");
        // without --filter the same file is read by netsensor's own reader, which handles it
        assertThat(Replayed.events(file).conns()).hasSize(2);
    }

    @Test
    void badBpfFilterIsAnErrorNamingTheFilter() {
        Replayed r = Replayed.run("replay", "--no-detect", "--filter", "tcp port eighty", mixed.toString());

        assertThat(r.result.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("tcp port eighty").doesNotContain("\tat ");
    }

    @Test
    void dataDirKeepsTheJournalForTheEventsCommand() throws Exception {
        Path data = dir.resolve("data");
        Replayed replayed = Replayed.run("replay", "--events", "--no-detect", "--data-dir", data.toString(),
                mixed.toString()).assertSucceeded();
        assertThat(Files.isDirectory(data.resolve("journal"))).isTrue();

        Replayed events = Replayed.run("events", "--data-dir", data.toString()).assertSucceeded();
        Replayed dnsOnly = Replayed.run("events", "--data-dir", data.toString(), "--type", "dns").assertSucceeded();

        assertThat(replayed.events).hasSize(1 + 3 + 2); // 1 dns, 3 conn END, 2 conn OPEN
        assertThat(events.result.lines()).containsExactlyElementsOf(replayed.result.lines());
        assertThat(dnsOnly.events).hasSize(1).allMatch(e -> e.at("/event/dataset").asText().equals("netsensor.dns"));
    }

    @Test
    void everyJsonLineIsTerminated() throws Exception {
        Path data = dir.resolve("data");
        CliRunner.Result replayed = CliRunner.run("replay", "--events", "--no-detect", "--data-dir", data.toString(),
                mixed.toString());
        CliRunner.Result events = CliRunner.run("events", "--data-dir", data.toString());

        assertThat(replayed.stdout()).endsWith("}\n");
        assertThat(events.stdout()).endsWith("}\n");
        // `replay a >> all.jsonl; replay b >> all.jsonl` must stay one event per line
        assertThat(Replayed.parses(replayed.stdout() + events.stdout())).isEqualTo(2 * replayed.lines().size());
    }

    @Test
    void withoutDataDirNoJournalIsLeftBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countReplayDirs(tmp);
        Replayed.run("replay", "--no-detect", mixed.toString()).assertSucceeded();
        assertThat(countReplayDirs(tmp)).isEqualTo(before);
    }

    private static long countReplayDirs(Path tmp) throws Exception {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("netsensor-replay-")).count();
        }
    }

    @Test
    void benignTrafficHasNoAlerts() {
        CliRunner.Result table = CliRunner.run("replay", "--format", "table", mixed.toString());
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout().trim()).isEqualTo("no alerts");
        assertThat(table.stderr()).contains("alerts: 0");

        Replayed json = Replayed.run("replay", mixed.toString()).assertSucceeded();
        assertThat(json.result.lines()).isEmpty();
    }

    @Test
    void homeNetDecidesTheDirection() {
        Replayed r = Replayed.run("replay", "--events", "--no-detect", "--home-net", "93.184.216.0/24",
                mixed.toString()).assertSucceeded();
        assertThat(r.connTo(80).at("/network/direction").asText()).isEqualTo("inbound");
    }

    @Test
    void unknownConfigKeyIsAnErrorNamingFileLineAndKey() throws Exception {
        Path config = dir.resolve("netsensor.yaml");
        Files.writeString(config, "conntrack:\n  max_flows: 1024\n  max_flowz: 100\n");

        Replayed r = Replayed.run("replay", "--config", config.toString(), mixed.toString());

        assertThat(r.result.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("config error").contains(config + ":3").contains("max_flowz")
                .doesNotContain("\tat ");
        assertThat(r.result.stdout()).isEmpty();
    }

    @Test
    void missingCaptureFileIsAUserError() {
        Path missing = dir.resolve("nope.pcap");
        Replayed r = Replayed.run("replay", missing.toString());
        assertThat(r.result.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("netsensor: " + missing + ": no such file\n");
    }

    @Test
    void noCaptureFileIsAUsageError() {
        Replayed r = Replayed.run("replay");
        assertThat(r.result.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("FILE");
    }

    @Test
    void aFileThatIsNotACaptureIsNamed() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "this is not a capture\n");
        Replayed r = Replayed.run("replay", "--no-detect", text.toString());
        assertThat(r.result.exitCode()).isEqualTo(2); // the user's mistake, like a missing file
        assertThat(r.stderr()).startsWith("netsensor: " + text + ": not a pcap or pcapng file").doesNotContain("\tat ");
    }

    @Test
    void dnsTimeoutFromTheConfigIsUsed() throws Exception {
        Path config = Files.writeString(dir.resolve("dns.yaml"), "dns:\n  timeout: 2s\n");
        Trace t = new Trace()
                .at(0, Frames.ipv4("10.0.0.1", "10.0.0.53").udp(50001, 53)
                        .payload(DnsMessages.query(1, "slow.example", DnsMessages.A).toWire()).build())
                .at(3000, Frames.ipv4("10.0.0.53", "10.0.0.1").udp(53, 50001).payload(DnsMessages.response(1,
                        "slow.example", DnsMessages.A, DnsMessages.a("slow.example", "192.0.2.1")).toWire()).build());
        Path pcap = t.pcap(dir.resolve("slow.pcap"), LinkTypes.ETHERNET);

        List<String> answered = Replayed.events(pcap).dns().stream()
                .map(d -> d.at("/netsensor/dns/responded").asText()).toList();
        List<String> timedOut = Replayed.run("replay", "--events", "--no-detect", "--config", config.toString(),
                pcap.toString()).assertSucceeded().dns().stream().map(d -> d.at("/netsensor/dns/responded").asText()).toList();

        assertThat(answered).containsExactly("true"); // 3 s is within the default 10 s
        assertThat(timedOut).containsExactly("false", "true"); // unanswered, then a response without a query
    }

    /** Stray ACK 3 s after a connection closed: inside the default 5 s linger it still belongs to the connection. */
    @Test
    void strayAckWithinTheCloseDelayJoinsTheClosedConnection() throws Exception {
        assertThat(Replayed.events(strayAckAfterClose()).conns()).hasSize(1);
    }

    @Test
    void configuredCloseDelayIsUsed() throws Exception {
        Path config = Files.writeString(dir.resolve("linger.yaml"), "conntrack:\n  tcp_close_delay: 1s\n");
        Replayed r = Replayed.run("replay", "--events", "--no-detect", "--config", config.toString(),
                strayAckAfterClose().toString()).assertSucceeded();
        // with a 1 s linger the closed connection is gone when the stray ACK arrives: it starts a new flow
        assertThat(r.conns()).hasSize(2);
    }

    private Path strayAckAfterClose() throws Exception {
        TcpTalk t = new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80);
        List<byte[]> conn = t.established();
        return new Trace().at(0, conn).at(3000, conn.get(conn.size() - 1))
                .at(3001, t.server(ACK)).pcap(dir.resolve("stray.pcap"), LinkTypes.ETHERNET);
    }
}
