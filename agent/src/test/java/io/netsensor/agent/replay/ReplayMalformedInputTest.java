package io.netsensor.agent.replay;

import static io.netsensor.testkit.pcap.TcpTalk.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.PcapWriter;
import io.netsensor.testkit.pcap.TcpTalk;
import io.netsensor.testkit.pcap.Trace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken input is counted by reason in the stderr summary and skipped: the replay still exits 0 and still
 * prints every event the good packets make.
 */
class ReplayMalformedInputTest {
    @TempDir
    Path dir;

    @Test
    void brokenFramesAreCountedByReasonAndTheRestStillDecodes() throws Exception {
        TcpTalk web = new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80);
        List<byte[]> conn = web.established();
        byte[] syn = new TcpTalk("10.0.0.1", 40001, "93.184.216.34", 443).client(SYN); // 54 bytes
        byte[] badIhl = syn.clone();
        badIhl[14] = 0x43; // IPv4 header length 12 bytes: less than the minimum 20
        Trace t = new Trace();
        for (int i = 0; i < conn.size(); i++) {
            // the client's 100 data bytes were cut by a 54-byte snap length: headers intact, payload not captured
            if (i == 3) t.cut(i, conn.get(i), 54);
            else t.at(i, conn.get(i));
        }
        t.cut(10, syn, 40)        // cut inside the TCP header
                .cut(11, syn, 20) // cut inside the IPv4 header
                .at(12, badIhl)
                .at(13, new byte[10]); // shorter than an Ethernet header
        Path pcap = t.pcap(dir.resolve("broken.pcap"), LinkTypes.ETHERNET);
        // a last record whose header promises 100 bytes the file does not have
        Files.write(pcap, ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN).putInt(1_700_000_100).putInt(0)
                .putInt(100).putInt(100).array(), java.nio.file.StandardOpenOption.APPEND);

        Replayed r = Replayed.events(pcap);

        ReplayEndToEndTest.assertSfConnection(r.connTo(80), "10.0.0.1", 40000, "93.184.216.34", 80, 300, 420);
        assertThat(r.conns()).hasSize(1);
        assertThat(r.packets()).isEqualTo(12);
        Map<String, Long> d = r.decode();
        assertThat(d).containsEntry("decoded", 8L).containsEntry("malformed", 4L).containsEntry("not_decoded", 0L)
                .containsEntry("TRUNCATED_TCP", 1L).containsEntry("TRUNCATED_IP", 1L)
                .containsEntry("BAD_IPV4_HEADER", 1L).containsEntry("TRUNCATED_LINK", 1L);
        assertThat(r.stderr()).contains("damaged input: " + pcap + ": 1 truncated record(s) or block(s) skipped")
                .contains(": record of 100 bytes, 10 left in the file; nothing readable after it")
                .doesNotContain("Exception");
    }

    @Test
    void randomGarbageOnEveryLinkTypeNeverStopsTheReplay() throws Exception {
        int[] linkTypes = {LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW,
                LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.NULL, LinkTypes.LOOP};
        Random random = new Random(20231114);
        Path file = dir.resolve("garbage.pcapng");
        int garbage = 0;
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            int eth = w.addInterface(LinkTypes.ETHERNET);
            for (int lt : linkTypes) w.addInterface(lt);
            List<byte[]> conn = new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80).established();
            for (int i = 0; i < conn.size(); i++) {
                w.write(eth, Times.T0 + i * 1_000_000L, conn.get(i));
                for (int k = 0; k < 100; k++, garbage++) {
                    byte[] junk = new byte[random.nextInt(120)];
                    random.nextBytes(junk);
                    if (junk.length > 0 && random.nextBoolean()) junk[0] = (byte) (0x40 | (junk[0] & 0x0F)); // IPv4-looking
                    w.write(1 + random.nextInt(linkTypes.length), Times.T0 + i * 1_000_000L + k + 1, junk);
                }
            }
        }

        Replayed r = Replayed.events(file);

        ReplayEndToEndTest.assertSfConnection(r.connTo(80), "10.0.0.1", 40000, "93.184.216.34", 80, 300, 420);
        assertThat(r.packets()).isEqualTo(8 + garbage);
        Map<String, Long> d = r.decode();
        // every frame is accounted for (tunnelled frames count once per layer)
        assertThat(d.get("decoded") + d.get("not_decoded") + d.get("malformed")).isGreaterThanOrEqualTo(r.packets());
        assertThat(d.get("malformed")).isPositive(); // most junk is malformed or non-IP, some even decodes
        assertThat(d.get("not_decoded")).isPositive();
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("damaged input");
    }

    @Test
    void pcapngCutInTheMiddleOfItsLastBlock() throws Exception {
        Path file = dir.resolve("cut.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            int raw = w.addInterface(LinkTypes.RAW);
            new Trace().at(0, new TcpTalk("10.0.0.1", 40000, "93.184.216.34", 80, f -> f.link(LinkTypes.RAW))
                    .established()).writeTo(w, raw);
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 30)); // the capture was killed mid-write

        Replayed r = Replayed.events(file);

        assertThat(r.packets()).isEqualTo(7);
        assertThat(r.stderr()).contains("damaged input: " + file + ": 1 truncated record(s) or block(s) skipped");
        // the last ACK was lost, the connection is still reported from the rest
        assertThat(r.connTo(80).at("/netsensor/conn_state").asText()).isEqualTo("SF");
        assertThat(r.connTo(80).at("/source/packets").asLong()).isEqualTo(4);
    }
}
