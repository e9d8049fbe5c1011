package io.netsensor.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.DecodeStats;
import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.decode.PacketView;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/** Every corpus capture reads exactly as libpcap (via pcap4j) reads it, and decodes without throwing. */
class CorpusCrossCheckTest {
    static Path corpus() {
        return io.netsensor.testkit.Shared.require("corpus");
    }

    static List<Path> captures() throws Exception {
        Path root = corpus();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .sorted().collect(Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> framesMatchLibpcap() throws Exception {
        return captures().stream().map(p -> DynamicTest.dynamicTest(corpus().relativize(p).toString(), () -> compare(p)));
    }

    private static void compare(Path file) throws Exception {
        List<long[]> ours = new ArrayList<>(); // ts, caplen, wirelen, linktype, first bytes hash
        try (PcapFileSource src = PcapFileSource.open(file)) {
            src.run((ts, lt, buf, off, cap, wire) -> ours.add(new long[] {ts, cap, wire, lt, hash(buf, off, cap)}));
            assertThat(src.sourceErrors()).as("source errors").isZero();
        }
        List<long[]> theirs = new ArrayList<>();
        PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            int dlt = h.getDlt().value();
            while (true) {
                byte[] data;
                try {
                    data = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    break;
                }
                Timestamp t = h.getTimestamp();
                long ts = Math.floorDiv(t.getTime(), 1000L) * 1_000_000_000L + t.getNanos();
                theirs.add(new long[] {ts, data.length, h.getOriginalLength(), dlt, hash(data, 0, data.length)});
            }
        } finally {
            h.close();
        }
        assertThat(ours).as("frame count").hasSameSizeAs(theirs);
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("frame %d (ts, caplen, wirelen, linktype, hash)", i + 1).containsExactly(theirs.get(i));
        }
    }

    private static long hash(byte[] b, int off, int len) {
        long h = 1125899906842597L;
        for (int i = off; i < off + len; i++) h = 31 * h + b[i];
        return h;
    }

    @Test
    void everyCorpusFrameDecodesWithoutThrowing() throws Exception {
        FrameDecoder decoder = new FrameDecoder();
        io.netsensor.metrics.Metrics metrics = new io.netsensor.metrics.Metrics();
        decoder.stats().register(metrics);
        PacketView v = new PacketView();
        long frames = 0;
        for (Path p : captures()) {
            try (PcapFileSource src = PcapFileSource.open(p)) {
                frames += src.run((ts, lt, buf, off, cap, wire) -> {
                    if (decoder.decode(v, ts, lt, buf, off, cap, wire).hasIp()) {
                        while (decoder.nextLayer(v)) { /* every layer */ }
                    }
                });
            }
        }
        System.out.println("corpus: " + frames + " frames; " + DecodeStats.summary(metrics) + "; " + decoder.reassembler().summary());
        assertThat(frames).isGreaterThan(1000);
        assertThat(decoder.stats().get(DecodeResult.OK)).isGreaterThan(frames / 2);
        assertThat(decoder.stats().tunnelLayers()).isGreaterThan(0);
    }

    @Test
    void ipv6FragmentedDnsResponsesAreReassembled() throws Exception {
        Path p = io.netsensor.testkit.Shared.require("corpus/zeek-ipv6-frag-dns/ipv6-fragmented-dns.pcap");
        FrameDecoder decoder = new FrameDecoder();
        PacketView v = new PacketView();
        List<Integer> dnsResponses = new ArrayList<>();
        try (PcapFileSource src = PcapFileSource.open(p)) {
            src.run((ts, lt, buf, off, cap, wire) -> {
                if (decoder.decode(v, ts, lt, buf, off, cap, wire) == DecodeResult.OK && v.isUdp() && v.srcPort == 53) {
                    dnsResponses.add(v.payloadLen);
                }
            });
        }
        assertThat(decoder.reassembler().reassembled()).isEqualTo(1);
        assertThat(decoder.stats().malformed()).isZero();
        // tcpdump: a 323-byte answer, then a 3230-byte one in three fragments (1432 + 1432 + 374 incl. the
        // UDP header); the earlier copy of that answer lost all but its last fragment and never completes
        assertThat(dnsResponses).containsExactly(323, 3230);
        assertThat(decoder.reassembler().inProgress()).isEqualTo(1);
    }
}
