package io.netsensor.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netsensor.testkit.fuzz.FuzzRecords;

/**
 * Jazzer target for {@link FrameDecoder}: a few frames of one link type, decoded and peeled tunnel by tunnel
 * as the pipeline does. Input: one byte choosing the link type, then {@link FuzzRecords}, each a frame whose
 * first byte says by how much its wire length exceeds what was captured (signed). The decoder's contract: it never throws, every decode is one counted outcome, the
 * tunnel walk ends, and a decoded packet's fields lie inside its buffer. Seeds: {@link FuzzSeeds}; the seeds
 * run in every build, fuzzing with {@code JAZZER_FUZZ=1} (README, Fuzzing).
 */
class FrameDecoderFuzzTest {
    /** Every link type the decoder knows, and one it does not. */
    private static final int[] LINK_TYPES = {LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2,
        LinkTypes.RAW, LinkTypes.DLT_RAW_12, LinkTypes.DLT_RAW_14, LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.NULL,
        LinkTypes.LOOP, 147};
    private static final int MAX_FRAMES = 8, MAX_LAYERS = 32;

    private final FrameDecoder decoder = new FrameDecoder(new DecodeStats(), new FragmentReassembler(2, 1_000_000_000L),
            FrameDecoder.DEFAULT_MAX_TUNNEL_DEPTH);
    private final PacketView v = new PacketView();
    private long inputTime = 1_700_000_000_000_000_000L;

    @FuzzTest
    void decode(byte[] input) {
        if (input.length == 0) return;
        int linkType = LINK_TYPES[(input[0] & 0xFF) % LINK_TYPES.length];
        // an hour after the last input: what that left in the reassembler has timed out, so each input decodes as
        // on a fresh one (one decoder for all inputs: its 64 KiB reassembly buffers allocated per input would
        // dominate the run)
        inputTime += 3_600_000_000_000L;
        long ts = inputTime;
        for (byte[] rec : FuzzRecords.split(input, 1, MAX_FRAMES)) {
            if (rec.length == 0) continue;
            int wireLen = rec.length - 1 + rec[0]; // a signed byte: shorter or longer than captured
            ts += 1_000_000L;
            long before = counted(decoder);
            DecodeResult r = decoder.decode(v, ts, linkType, rec, 1, rec.length - 1, wireLen);
            assertThat(r).isNotNull().isSameAs(decoder.lastResult());
            assertThat(counted(decoder) - before).as("a frame is one counted outcome").isEqualTo(1);
            if (!r.hasIp()) continue;
            int layers = 0;
            boolean inner;
            do {
                assertDecodedInBounds(v);
                assertThat(++layers).as("the tunnel walk ends").isLessThanOrEqualTo(MAX_LAYERS);
                before = counted(decoder);
                inner = decoder.nextLayer(v);
                // not a tunnel: nothing counted; a tunnel: its inner packet's outcome, whatever it is
                assertThat(counted(decoder) - before).as("a layer is at most one counted outcome").isBetween(inner ? 1L : 0L, 1L);
            } while (inner);
        }
    }

    private static long counted(FrameDecoder d) {
        long n = 0;
        for (DecodeResult r : DecodeResult.values()) n += d.stats().get(r);
        return n;
    }

    private static void assertDecodedInBounds(PacketView v) {
        assertThat(v.ipVersion).isIn(4, 6);
        assertThat(v.ipOff).isBetween(0, v.buf.length);
        assertThat(v.srcPort).isBetween(0, 65_535);
        assertThat(v.dstPort).isBetween(0, 65_535);
        if (v.payloadLen > 0) {
            assertThat(v.payloadOff).isBetween(0, v.buf.length);
            assertThat((long) v.payloadOff + v.payloadLen).isLessThanOrEqualTo(v.buf.length);
        }
        assertThat(v.payloadLen).isGreaterThanOrEqualTo(0);
        assertThat(v.payloadWireLen).isGreaterThanOrEqualTo(v.payloadLen);
        assertThat(v.tunnelDepth).isBetween(0, MAX_LAYERS);
    }
}
