package io.netsensor.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile capture files through the real `replay`: damage is skipped and placed, every readable packet is
 * replayed, no length in the file decides an allocation, a far-off timestamp does not move the trackers'
 * clock, and the summary shows each of these counts (only when non-zero).
 */
class ReplayHostileInputTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] udp(int flow, int dstPort, int payload) {
        return Frames.ipv4("10.0.0.1", "198.51.100.7").udp(20_000 + flow, dstPort).payload(new byte[payload]).build();
    }

    @Test
    void aDamagedPcapngBlockIsNamedWithItsOffsetAndTheRestOfTheFileIsReplayed() throws Exception {
        Path file = dir.resolve("damaged.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            w.addInterface(LinkTypes.ETHERNET);
            for (int i = 0; i < 779; i++) w.write(0, Times.T0 + i * 1_000_000L, udp(i % 7, 4444, 30));
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        for (int block = 0; block < 2 + 8; block++) pos += b.getInt(pos + 4);
        bytes[pos + 4] ^= 0x40; // the 9th packet block's length
        Files.write(file, bytes);

        Replayed r = Replayed.events(file);

        assertThat(r.packets()).isEqualTo(778); // was 8: the damage ended the file
        assertThat(r.conns()).hasSize(7);
        assertThat(r.stderr()).contains("damaged input: " + file + ": 1 damaged record(s) or block(s) skipped")
                .contains("    byte " + pos + ": enhanced packet block: block total length")
                .contains("resumed at byte").doesNotContain("Exception");
    }

    @Test
    void aHugeSnapLenAndAnOversizedRecordAllocateNothingAndAreReported() throws Exception {
        Path file = dir.resolve("oversized.pcap");
        long capLen = 0x7FFF_FFF0L; // "2 GiB"
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            w.write(Times.T0, udp(1, 4444, 10));
            w.raw(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (Times.T0 / SECOND)).putInt(0)
                    .putInt((int) capLen).putInt((int) capLen).array());
        }
        Path tail = dir.resolve("tail.pcap");
        try (PcapWriter w = PcapWriter.pcap(tail, LinkTypes.ETHERNET)) {
            w.write(Times.T0 + SECOND, udp(2, 4444, 10));
        }
        byte[] record = java.util.Arrays.copyOfRange(Files.readAllBytes(tail), 24, (int) Files.size(tail));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -1), 16); // snaplen 4 GiB - 1
            ch.write(ByteBuffer.wrap(record), ch.size() + capLen); // a 2 GiB hole, then a good record: sparse, 8 KB on disk
        }

        CliRunner.Result r = CliRunner.run("replay", "--events", "--no-detect", file.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stderr()).contains("1 file(s), 2 packets")
                .contains("damaged input: " + file + ": 1 oversized record(s) or block(s) skipped")
                .contains("record of " + capLen + " bytes, larger than libpcap's maximum of 262144")
                .doesNotContain("OutOfMemoryError").doesNotContain("Exception");
    }

    @Test
    void oneFarFutureTimestampDoesNotMultiplyConnectionRecords() throws Exception {
        Path clean = dir.resolve("clean.pcap"), hostile = dir.resolve("future.pcap");
        try (PcapWriter c = PcapWriter.pcap(clean, LinkTypes.ETHERNET); PcapWriter h = PcapWriter.pcap(hostile, LinkTypes.ETHERNET)) {
            for (int s = 0; s < 200; s++) {
                for (int flow = 0; flow < 10; flow++) {
                    long ts = Times.T0 + s * SECOND + flow * 1000L;
                    c.write(ts, udp(flow, 4444, 20));
                    h.write(s == 100 && flow == 3 ? ts + 30L * 365 * 86_400 * SECOND : ts, udp(flow, 4444, 20));
                }
            }
        }

        Replayed ok = Replayed.events(clean), r = Replayed.events(hostile);

        assertThat(ok.conns()).hasSize(10);
        assertThat(r.conns()).hasSize(10); // was 1,000: every packet after the outlier a connection of its own
        assertThat(r.stderr()).contains("  packet time: 1 far-off timestamps handled at the running clock");
        assertThat(ok.stderr()).doesNotContain("packet time:");
    }

    @Test
    void malformedDnsByReasonAndEvictionsAreInTheSummary() throws Exception {
        Path file = dir.resolve("flood.pcap");
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            for (int flow = 0; flow < 40; flow++) w.write(Times.T0 + flow * 1000L, udp(flow, 4444, 10)); // 40 flows, 16 slots
            w.write(Times.T0 + SECOND, udp(99, 53, 5)); // 5 bytes to port 53: not even a DNS header
        }
        Path config = Files.writeString(dir.resolve("small.yml"), "conntrack:\n  max_flows: 16\n");

        CliRunner.Result r = CliRunner.run("replay", "--events", "--no-detect", "-c", config.toString(), file.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stderr()).containsPattern("  dns malformed: 1 \\([a-z_]+ 1\\)")
                .containsPattern("  evicted \\(tables full\\): \\d+ connections");
    }
}
