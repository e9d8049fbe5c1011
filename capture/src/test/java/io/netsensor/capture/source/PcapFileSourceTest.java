package io.netsensor.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapFileSourceTest {
    @TempDir
    Path dir;

    private static final long T0 = Times.T0 + 123_456_789L; // a sub-second part, to see every timestamp resolution

    /** What a source delivered: ts, link type, caplen, wirelen and a copy of the bytes. */
    record Rec(long ts, int linkType, int capLen, int wireLen, byte[] data) {}

    static List<Rec> readAll(PacketSource src) throws IOException {
        List<Rec> out = new ArrayList<>();
        long n = src.run((ts, lt, buf, off, cap, wire) ->
                out.add(new Rec(ts, lt, cap, wire, Arrays.copyOfRange(buf, off, off + cap))));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    private static byte[] frame(int i) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1000 + i, 53).payload(new byte[i * 13 % 200]).build();
    }

    @ParameterizedTest
    @CsvSource({"false,LITTLE_ENDIAN", "false,BIG_ENDIAN", "true,LITTLE_ENDIAN", "true,BIG_ENDIAN"})
    void classicPcapRoundTrip(boolean nanos, String order) throws IOException {
        Path file = dir.resolve("t.pcap");
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET, nanos, order.equals("BIG_ENDIAN")
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)) {
            for (int i = 0; i < 50; i++) w.write(T0 + i * 1_000_001L, frame(i));
            w.write(0, T0 + 99, frame(7), 20); // cut by a snaplen
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            List<Rec> recs = readAll(src);
            assertThat(recs).hasSize(51);
            for (int i = 0; i < 50; i++) {
                long expectedTs = T0 + i * 1_000_001L;
                if (!nanos) expectedTs -= expectedTs % 1000;
                assertThat(recs.get(i).ts()).isEqualTo(expectedTs);
                assertThat(recs.get(i).linkType()).isEqualTo(LinkTypes.ETHERNET);
                assertThat(recs.get(i).data()).isEqualTo(frame(i));
                assertThat(recs.get(i).wireLen()).isEqualTo(frame(i).length);
            }
            assertThat(recs.get(50).capLen()).isEqualTo(20);
            assertThat(recs.get(50).wireLen()).isEqualTo(frame(7).length);
            assertThat(src.sourceErrors()).isZero();
            assertThat(src.describe()).contains(nanos ? "ns" : "us").contains(file.toString());
        }
    }

    @Test
    void pcapngWithInterfacesOfDifferentLinkTypesAndResolutions() throws IOException {
        Path file = dir.resolve("t.pcapng");
        byte[] eth = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
        byte[] raw = Frames.ipv6("::1", "::2").udp(3, 4).link(LinkTypes.RAW).build();
        byte[] sll2 = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(5, 6).link(LinkTypes.LINUX_SLL2).build();
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            int e = w.addInterface(LinkTypes.ETHERNET);             // microseconds
            int r = w.addInterface(LinkTypes.RAW, 9, 0);            // nanoseconds
            int s = w.addInterface(LinkTypes.LINUX_SLL2, 0x80 | 20, 100); // 2^-20 s, +100 s offset
            w.otherBlock(4, 20); // name resolution block: skipped
            w.write(e, T0, eth).write(r, T0 + 1, raw).write(s, T0 + 2, sll2);
            w.otherBlock(5, 36); // interface statistics: skipped
            w.obsoletePacket(r, T0 + 3, raw);
            w.simplePacket(eth);
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            List<Rec> recs = readAll(src);
            assertThat(recs).extracting(Rec::linkType).containsExactly(LinkTypes.ETHERNET, LinkTypes.RAW,
                    LinkTypes.LINUX_SLL2, LinkTypes.RAW, LinkTypes.ETHERNET);
            assertThat(recs.get(0).ts()).isEqualTo(T0 - T0 % 1000);
            assertThat(recs.get(1).ts()).isEqualTo(T0 + 1);
            assertThat(recs.get(2).ts()).isBetween(T0 + 2 - 954, T0 + 2); // 2^-20 s is ~954 ns
            assertThat(recs.get(3).ts()).isEqualTo(T0 + 3);
            assertThat(recs.get(4).ts()).isZero(); // simple packet blocks have no timestamp
            assertThat(recs.get(0).data()).isEqualTo(eth);
            assertThat(recs.get(1).data()).isEqualTo(raw);
            assertThat(recs.get(2).data()).isEqualTo(sll2);
            assertThat(recs.get(4).data()).isEqualTo(eth);
            assertThat(src.sourceErrors()).isZero();
        }
    }

    @Test
    void pcapngSectionsOfBothByteOrdersResetInterfaces() throws IOException {
        Path file = dir.resolve("multi.pcapng");
        byte[] a = frame(1), b = Frames.ipv6("::1", "::2").udp(3, 4).link(LinkTypes.RAW).build();
        try (PcapWriter w = PcapWriter.pcapng(file, ByteOrder.LITTLE_ENDIAN)) {
            w.addInterface(LinkTypes.ETHERNET);
            w.write(0, T0, a);
            w.newSection(ByteOrder.BIG_ENDIAN);
            w.addInterface(LinkTypes.RAW, 9, 0);
            w.write(0, T0 + 5, b);
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            List<Rec> recs = readAll(src);
            assertThat(recs).extracting(Rec::linkType).containsExactly(LinkTypes.ETHERNET, LinkTypes.RAW);
            assertThat(recs.get(1).ts()).isEqualTo(T0 + 5);
            assertThat(recs.get(1).data()).isEqualTo(b);
        }
    }

    @Test
    void truncatedLastRecordIsCountedAndEndsTheFile() throws IOException {
        Path file = dir.resolve("cut.pcap");
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            for (int i = 0; i < 3; i++) w.write(T0, frame(i));
        }
        long full = Files.size(file);
        for (long cut = full - 1; cut > full - frame(2).length - 16; cut--) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            try (PcapFileSource src = PcapFileSource.open(file)) {
                assertThat(readAll(src)).as("cut at %d", cut).hasSize(2);
                assertThat(src.sourceErrors()).isEqualTo(1);
                assertThat(src.damage().count(SourceDamage.Kind.TRUNCATED)).as("cut at %d", cut).isEqualTo(1);
            }
        }
    }

    @Test
    void badPcapngBlockIsSkippedAndReadingResumesAtTheNextBlock() throws IOException {
        Path file = dir.resolve("bad.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            w.addInterface(LinkTypes.ETHERNET);
            w.write(0, T0, frame(1));
            w.raw(new byte[] {6, 0, 0, 0, 13, 0, 0, 0}); // EPB with a length that is not a multiple of 4
            w.write(0, T0, frame(2));
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            assertThat(readAll(src)).extracting(Rec::data).containsExactly(frame(1), frame(2));
            assertThat(src.damage().count(SourceDamage.Kind.DAMAGED)).isEqualTo(1);
            assertThat(src.damage().described()).singleElement().asString()
                    .contains("enhanced packet block: block total length 13").contains("8 bytes skipped");
        }
        Path unknownIf = dir.resolve("noif.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(unknownIf)) {
            w.addInterface(LinkTypes.ETHERNET);
            w.write(0, T0, frame(1));
            w.write(0, T0, frame(1));
            w.write(0, T0, frame(3));
        }
        byte[] bytes = Files.readAllBytes(unknownIf);
        int thirdEpb = bytes.length - (32 + ((frame(3).length + 3) & ~3));
        int secondEpb = thirdEpb - (32 + ((frame(1).length + 3) & ~3));
        bytes[secondEpb + 8] = 3; // interface 3 was never described
        Files.write(unknownIf, bytes);
        try (PcapFileSource src = PcapFileSource.open(unknownIf)) {
            assertThat(readAll(src)).extracting(Rec::data).containsExactly(frame(1), frame(3));
            assertThat(src.sourceErrors()).isEqualTo(1);
            assertThat(src.damage().described()).singleElement().asString()
                    .startsWith("byte " + secondEpb + ": enhanced packet block: interface 3 was never described");
        }
    }

    @Test
    void fileThatIsNotACaptureFailsWithPathAndReason() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a pcap");
        assertThatThrownBy(() -> PcapFileSource.open(text)).isInstanceOf(NotACaptureException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("magic");
        Path empty = dir.resolve("empty.pcap");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> PcapFileSource.open(empty)).isInstanceOf(NotACaptureException.class)
                .hasMessage(empty + ": empty file, not a capture");
        Path tiny = Files.write(dir.resolve("tiny.pcap"), new byte[] {1, 2});
        assertThatThrownBy(() -> PcapFileSource.open(tiny)).isInstanceOf(NotACaptureException.class)
                .hasMessageContaining(tiny.toString()).hasMessageContaining("too short");
        Path header = dir.resolve("header.pcap");
        Files.write(header, new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 2, 0});
        assertThatThrownBy(() -> PcapFileSource.open(header)).isInstanceOf(NotACaptureException.class)
                .hasMessageContaining("truncated pcap file header");
        // a directory opens for reading on Linux; mapping it would fail with "No such device"
        assertThatThrownBy(() -> PcapFileSource.open(dir)).isInstanceOf(NotACaptureException.class)
                .hasMessage(dir + ": is a directory, not a capture file");
    }

    @Test
    void readsAcrossMappingWindows() throws IOException {
        Path file = dir.resolve("windows.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            w.addInterface(LinkTypes.ETHERNET, 9, 0);
            for (int i = 0; i < 500; i++) w.write(0, T0 + i, frame(i));
            w.otherBlock(0x0BAD, 10_000); // a skipped block larger than the window
            w.write(0, T0 + 500, frame(500));
        }
        try (PcapFileSource small = PcapFileSource.open(file, 1024);
             PcapFileSource big = PcapFileSource.open(file)) {
            List<Rec> a = readAll(small), b = readAll(big);
            assertThat(a).hasSize(501);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).ts()).isEqualTo(T0 + i);
                assertThat(a.get(i).data()).isEqualTo(b.get(i).data()).isEqualTo(frame(i));
            }
            assertThat(small.sourceErrors()).isZero();
        }
    }

    @Test
    void tinyMappingWindowsReadEveryBlockKindAlike() throws IOException {
        Path file = dir.resolve("kinds.pcapng");
        try (PcapWriter w = PcapWriter.pcapng(file)) {
            int e = w.addInterface(LinkTypes.ETHERNET);
            for (int i = 0; i < 20; i++) w.write(e, T0 + i, frame(i));
            int r = w.addInterface(LinkTypes.RAW, 9, 0); // an interface block with options, after the window moved
            w.otherBlock(4, 300);
            w.write(r, T0 + 50, Frames.ipv6("::1", "::2").udp(3, 4).link(LinkTypes.RAW).build());
            w.raw(new byte[] {6, 0, 0, 0, 13, 0, 0, 0}); // damage, then more packets
            w.obsoletePacket(e, T0 + 60, frame(3));
            w.simplePacket(frame(4));
        }
        try (PcapFileSource tiny = PcapFileSource.open(file, 16); PcapFileSource big = PcapFileSource.open(file)) {
            List<Rec> a = readAll(tiny), b = readAll(big);
            assertThat(a).hasSize(23).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).ts()).isEqualTo(b.get(i).ts());
                assertThat(a.get(i).linkType()).isEqualTo(b.get(i).linkType());
                assertThat(a.get(i).data()).isEqualTo(b.get(i).data());
            }
            assertThat(tiny.damage().described()).isEqualTo(big.damage().described()).hasSize(1);
        }
    }

    @Test
    void stopFromAnotherThreadEndsRun() throws Exception {
        Path file = dir.resolve("many.pcap");
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            for (int i = 0; i < 20_000; i++) w.write(T0 + i * 1000L, frame(i % 50));
        }
        try (PcapFileSource src = PcapFileSource.open(file)) {
            CountDownLatch started = new CountDownLatch(1), stopped = new CountDownLatch(1);
            AtomicLong seen = new AtomicLong();
            Thread stopper = new Thread(() -> {
                try {
                    started.await();
                    src.stop();
                    stopped.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            long n = src.run((ts, lt, buf, off, cap, wire) -> {
                if (seen.incrementAndGet() == 100) {
                    started.countDown();
                    try {
                        stopped.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            stopper.join();
            assertThat(n).isEqualTo(100);
            assertThat(src.sourceErrors()).isZero();
        }
    }
}
