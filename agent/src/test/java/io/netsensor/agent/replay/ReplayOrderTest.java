package io.netsensor.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Captures given out of order (a shell glob of rotated files: trace-10 before trace-9) are read in the
 * order of their first packets, with a note on stderr, so flows spanning two files stay whole.
 */
class ReplayOrderTest {
    @TempDir Path dir;
    Trace whole;

    /** Three connections and a DNS lookup, interleaved, every one of them spanning the middle of the capture. */
    @BeforeEach
    void interleavedTraffic() {
        whole = new Trace()
                .at(0, new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80).established())
                .at(0.25, new TcpTalk("10.0.0.1", 40001, "93.184.216.34", 443).established())
                .at(0.5, new TcpTalk("10.0.0.2", 40002, "198.51.100.7", 8080).established())
                .at(3, Frames.ipv4("10.0.0.1", "10.0.0.53").udp(50001, 53)
                        .payload(DnsMessages.query(1, "example.com", DnsMessages.A).toWire()).build())
                .at(7, Frames.ipv4("10.0.0.53", "10.0.0.1").udp(53, 50001).payload(DnsMessages.response(1,
                        "example.com", DnsMessages.A, DnsMessages.a("example.com", "93.184.216.34")).toWire()).build())
                .sorted();
    }

    @Test
    void halvesGivenInReverseGiveTheWholeCapturesRecords() throws Exception {
        int half = whole.size() / 2;
        Path all = whole.pcap(dir.resolve("all.pcap"), LinkTypes.ETHERNET);
        Path first = whole.slice(0, half).pcap(dir.resolve("trace-9.pcap"), LinkTypes.ETHERNET);
        Path second = whole.slice(half, whole.size()).pcap(dir.resolve("trace-10.pcap"), LinkTypes.ETHERNET);

        Replayed expected = Replayed.events(all);
        Replayed reversed = Replayed.events(second, first);

        assertThat(expected.conns()).hasSize(4); // three TCP connections and the DNS lookup's UDP flow
        assertThat(expected.dns()).hasSize(1);
        assertThat(reversed.result.lines()).containsExactlyElementsOf(expected.result.lines());
        assertThat(reversed.conns()).allSatisfy(c -> assertThat(c.at("/netsensor/conn_state").asText()).isEqualTo("SF"));
        assertThat(reversed.stderr()).startsWith("netsensor replay: reading files in time order: " + first + ", " + second + "\n");
    }

    @Test
    void filesAlreadyInOrderAreReadAsGivenWithoutANote() throws Exception {
        int half = whole.size() / 2;
        Path first = whole.slice(0, half).pcap(dir.resolve("a.pcap"), LinkTypes.ETHERNET);
        Path second = whole.slice(half, whole.size()).pcap(dir.resolve("b.pcap"), LinkTypes.ETHERNET);

        Replayed r = Replayed.events(first, second);

        assertThat(r.stderr()).doesNotContain("time order");
        assertThat(r.conns()).hasSize(4);
    }

    /** A capture without packets has no time to be ordered by: it keeps its place and changes nothing. */
    @Test
    void aCaptureWithoutPacketsKeepsItsPlace() throws Exception {
        int half = whole.size() / 2;
        Path first = whole.slice(0, half).pcap(dir.resolve("a.pcap"), LinkTypes.ETHERNET);
        Path empty = new Trace().pcap(dir.resolve("empty.pcap"), LinkTypes.ETHERNET);
        Path second = whole.slice(half, whole.size()).pcap(dir.resolve("b.pcap"), LinkTypes.ETHERNET);

        Replayed inOrder = Replayed.events(empty, first, second);
        Replayed reversed = Replayed.events(second, empty, first);

        assertThat(inOrder.stderr()).doesNotContain("time order");
        assertThat(reversed.stderr()).contains("reading files in time order: " + first + ", " + empty + ", " + second);
        assertThat(reversed.result.lines()).containsExactlyElementsOf(inOrder.result.lines());
    }

    /** Missing, unreadable, a directory, empty or not a capture: exit 2 and one line, before anything is read. */
    @Test
    void inputsThatAreNotCapturesAreOneLineUserErrors() throws Exception {
        Path good = whole.pcap(dir.resolve("good.pcap"), LinkTypes.ETHERNET);
        Path empty = Files.createFile(dir.resolve("empty.pcap"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture\n");
        Path folder = Files.createDirectory(dir.resolve("captures"));
        List<List<String>> cases = List.of(
                List.of(dir.resolve("missing.pcap").toString(), dir.resolve("missing.pcap") + ": no such file"),
                List.of(empty.toString(), empty + ": empty file, not a capture"),
                List.of(text.toString(), text + ": not a pcap or pcapng file (magic 0x6e6f7420)"),
                List.of(folder.toString(), folder + ": is a directory, not a capture file"));
        for (List<String> c : cases) {
            Replayed r = Replayed.run("replay", "--events", "--no-detect", good.toString(), c.get(0));
            assertThat(r.result.exitCode()).as(c.get(0)).isEqualTo(2);
            assertThat(r.stderr()).isEqualTo("netsensor: " + c.get(1) + "\n");
            assertThat(r.result.stdout()).isEmpty(); // checked before the good file was replayed
        }
    }
}
