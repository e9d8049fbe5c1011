package io.netsensor.capture.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.capture.source.SourceDamage.Kind;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile capture files: no length in a file decides an allocation, and damage is skipped, counted and placed. */
class PcapFileSourceDamageTest {
    @TempDir
    Path dir;

    private static final long T0 = Times.T0;

    private static byte[] frame(int i) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1000 + i, 53).payload(new byte[i % 100]).build();
    }

    /** Delivers every frame's port (frame(i) has source port 1000 + i) and checks no frame exceeds libpcap's maximum. */
    private static List<Integer> ports(PcapFileSource src) throws IOException {
        List<Integer> out = new ArrayList<>();
        src.run((ts, lt, buf, off, cap, wire) -> {
            assertThat(cap).isLessThanOrEqualTo(262_144);
            out.add(((buf[off + 34] & 0xFF) << 8) | (buf[off + 35] & 0xFF));
        });
        return out;
    }

    private static byte[] classicHeader(long seconds, long capLen, long wireLen) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) seconds).putInt(0)
                .putInt((int) capLen).putInt((int) wireLen).array();
    }

    private static void setSnapLen(Path file, int snapLen) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, snapLen), 16);
        }
    }

    @Test
    void headerSnapLenDoesNotLiftTheRecordLimit() throws IOException {
        Path file = dir.resolve("big-snaplen.pcap");
        byte[] jumbo = new byte[300_000]; // above libpcap's 262,144, below the header's (huge) snaplen
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            w.write(T0, frame(1));
            w.raw(classicHeader(T0 / 1_000_000_000L, jumbo.length, jumbo.length)).raw(jumbo);
            w.write(T0 + 1000, frame(2));
        }
        setSnapLen(file, -1); // 4 GiB - 1
        try (PcapFileSource src = PcapFileSource.open(file)) {
            assertThat(ports(src)).containsExactly(1001, 1002);
            assertThat(src.damage().count(Kind.OVERSIZED)).isEqualTo(1);
            assertThat(src.damage().described()).singleElement().asString()
                    .isEqualTo("byte " + (24 + 16 + frame(1).length) + ": record of 300000 bytes, larger than libpcap's maximum of 262144; "
                            + "resumed at byte " + (24 + 16 + frame(1).length + 16 + 300_000) + " (300016 bytes skipped)");
        }
    }

    @Test
    void sparseFileClaimingATwoGibibyteRecordReadsOnWithoutAllocatingIt() throws IOException {
        Path file = dir.resolve("sparse.pcap");
        long capLen = 0x7FFF_FFF0L;
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            w.write(T0, frame(1));
            w.raw(classicHeader(T0 / 1_000_000_000L, capLen, capLen));
        }
        setSnapLen(file, -1);
        long after = Files.size(file) + capLen;
        Path tail = dir.resolve("tail.pcap");
        try (PcapWriter w = PcapWriter.pcap(tail, LinkTypes.ETHERNET)) {
            w.write(T0 + 1000, frame(2));
        }
        byte[] record = java.util.Arrays.copyOfRange(Files.readAllBytes(tail), 24, (int) Files.size(tail));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(record), after); // a hole of 2 GiB, then a good record: 8 KB on disk
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            assertThat(ports(src)).containsExactly(1001, 1002);
            assertThat(src.damage().count(Kind.OVERSIZED)).isEqualTo(1);
        }
    }

    @Test
    void oneDamagedPcapngBlockCostsOnePacketNotTheRestOfTheFile() throws IOException {
        Path file = dir.resolve("damaged.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            w.addInterface(LinkTypes.ETHERNET);
            for (int i = 0; i < 779; i++) w.write(0, T0 + i * 1000L, frame(i));
        }
        byte[] bytes = Files.readAllBytes(file);
        // the 9th enhanced packet block's leading length: one bit off
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        for (int block = 0; block < 2 + 8; block++) pos += b.getInt(pos + 4); // section header, interface, 8 packets
        assertThat(b.getInt(pos)).isEqualTo(6);
        bytes[pos + 4] ^= 0x40;
        Files.write(file, bytes);
        try (PcapFileSource src = PcapFileSource.open(file)) {
            List<Integer> ports = ports(src);
            assertThat(ports).hasSize(778).doesNotContain(1008).contains(1007, 1009, 1778);
            assertThat(src.damage().count(Kind.DAMAGED)).isEqualTo(1);
            assertThat(src.damage().described()).singleElement().asString()
                    .startsWith("byte " + pos + ": enhanced packet block: block total length")
                    .contains("is not repeated at the block's end")
                    .endsWith("resumed at byte " + (pos + 32 + ((frame(8).length + 3) & ~3)) + " ("
                            + (32 + ((frame(8).length + 3) & ~3)) + " bytes skipped)");
        }
    }

    @Test
    void pcapngCutInsideItsLastBlockIsTruncated() throws IOException {
        Path file = dir.resolve("cut.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            w.addInterface(LinkTypes.ETHERNET);
            for (int i = 0; i < 5; i++) w.write(0, T0 + i, frame(i + 20));
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            assertThat(ports(src)).containsExactly(1020, 1021, 1022, 1023);
            assertThat(src.damage().count(Kind.TRUNCATED)).isEqualTo(1);
            assertThat(src.damage().described()).singleElement().asString()
                    .contains("enhanced packet block: block total length").contains("runs past the end of the file")
                    .contains("nothing readable after it");
        }
    }

    @Test
    void garbageClassicRecordHeaderIsSkippedToTheNextRecord() throws IOException {
        Path file = dir.resolve("garbage.pcap");
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            for (int i = 0; i < 50; i++) w.write(T0 + i * 1000L, frame(i));
        }
        byte[] bytes = Files.readAllBytes(file);
        int pos = 24;
        for (int i = 0; i < 20; i++) pos += 16 + frame(i).length;
        byte[] garbage = {(byte) 0x9e, 0x37, 0x79, (byte) 0xb9, 0x7f, 0x4a, 0x7c, 0x15, (byte) 0xf3, (byte) 0x9c, (byte) 0xc0, 0x60, 0x5c,
                (byte) 0xed, (byte) 0xc8, 0x34};
        System.arraycopy(garbage, 0, bytes, pos, 16); // record 20's header
        Files.write(file, bytes);
        try (PcapFileSource src = PcapFileSource.open(file)) {
            List<Integer> ports = ports(src);
            assertThat(ports).hasSize(49).doesNotContain(1020).contains(1019, 1021, 1049);
            assertThat(src.sourceErrors()).isEqualTo(1);
            assertThat(src.damage().described()).singleElement().asString().startsWith("byte " + pos + ": record of ")
                    .endsWith("resumed at byte " + (pos + 16 + frame(20).length) + " (" + (16 + frame(20).length) + " bytes skipped)");
        }
    }

    @Test
    void onlyTheFirstPlacesAreDescribedButAllAreCounted() throws IOException {
        Path file = dir.resolve("many.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            w.addInterface(LinkTypes.ETHERNET);
            for (int i = 0; i < 20; i++) {
                w.write(0, T0 + i, frame(i));
                w.raw(new byte[] {6, 0, 0, 0, 13, 0, 0, 0});
            }
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            assertThat(ports(src)).hasSize(20);
            assertThat(src.damage().count(Kind.DAMAGED)).isEqualTo(19);
            assertThat(src.damage().count(Kind.TRUNCATED)).isEqualTo(1); // the last one has nothing after it
            assertThat(src.damage().described()).hasSize(SourceDamage.DESCRIBED);
            assertThat(src.damage().counts()).isEqualTo("19 damaged, 1 truncated");
        }
    }
}
