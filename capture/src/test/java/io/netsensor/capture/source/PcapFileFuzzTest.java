package io.netsensor.capture.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.FragmentReassembler;
import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.decode.DecodeStats;
import io.netsensor.capture.decode.PacketView;
import io.netsensor.testkit.fuzz.ScratchFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Jazzer target for the capture file reader replay uses ({@link PcapFileSource}, our own pcap/pcapng reader
 * on a memory-mapped file): the input is written to a file and read as replay reads it, each frame decoded.
 * Contract: {@link PcapFileSource#open} either opens or fails with {@link NotACaptureException} (a one-line
 * reason naming the file); {@code run} never throws, every frame it delivers lies within its buffer and
 * within the file, and it stops at damage with the damage counted. Seeds: {@code FuzzSeeds}; the seeds run
 * in every build, fuzzing with {@code JAZZER_FUZZ=1} (README, Fuzzing).
 */
class PcapFileFuzzTest {
    /** Frames larger than this are libpcap's limit (the reader must never hand out more per record). */
    private static final int MAX_SNAPLEN = 262_144;
    private static final ScratchFile SCRATCH = ScratchFile.create(".pcap");
    private static final Path FILE = SCRATCH.path();

    private final PacketView view = new PacketView();

    @FuzzTest
    void read(byte[] input) throws IOException {
        SCRATCH.write(input);
        PcapFileSource src;
        try {
            src = PcapFileSource.open(FILE);
        } catch (NotACaptureException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": ").doesNotContain("\n");
            return;
        }
        FrameDecoder decoder = new FrameDecoder(new DecodeStats(), new FragmentReassembler(2, 1_000_000_000L), 2);
        long[] delivered = {0};
        try (src) {
            long frames = src.run((ts, linkType, buf, off, capLen, wireLen) -> {
                assertThat(off).isGreaterThanOrEqualTo(0);
                assertThat(capLen).isBetween(0, Math.min(MAX_SNAPLEN, input.length));
                assertThat((long) off + capLen).isLessThanOrEqualTo(buf.length);
                DecodeResult r = decoder.decode(view, ts, linkType, buf, off, capLen, wireLen);
                if (r.hasIp()) while (decoder.nextLayer(view)) { /* peel tunnels as the pipeline does */ }
                delivered[0]++;
            });
            assertThat(frames).as("frames returned = frames delivered").isEqualTo(delivered[0]);
            // damage ends the file or is skipped (resynchronising), counted either way; each takes bytes of the file
            assertThat(src.sourceErrors()).isBetween(0L, input.length / 4L + 1);
        }
    }
}
