package io.netsensor.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.testkit.pcap.Frames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FragmentReassemblyTest {
    private static final long SEC = 1_000_000_000L;
    private final FragmentReassembler reassembler = new FragmentReassembler(4, 30 * SEC);
    private final FrameDecoder decoder = new FrameDecoder(new DecodeStats(), reassembler, 2);
    private final PacketView v = new PacketView();

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + i / 256);
        return b;
    }

    private DecodeResult feed(long ts, byte[] frame) {
        return decoder.decode(v, ts, LinkTypes.ETHERNET, frame, 0, frame.length, frame.length);
    }

    private byte[] payload() {
        byte[] out = new byte[v.payloadLen];
        System.arraycopy(v.buf, v.payloadOff, out, 0, v.payloadLen);
        return out;
    }

    private static List<byte[]> v4Fragments(int id, byte[] data) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").id(id).udp(5000, 53).payload(data).fragments(1480);
    }

    private static List<byte[]> v6Fragments(int id, byte[] data) {
        return Frames.ipv6("2001:db8::1", "2001:db8::2").id(id).extensionHeader(Frames.HOP_BY_HOP)
                .udp(53, 5000).payload(data).fragments(1232);
    }

    @Test
    void ipv4InOrder() {
        byte[] data = pattern(4000);
        List<byte[]> frags = v4Fragments(7, data);
        assertThat(frags).hasSize(3);
        assertThat(feed(1, frags.get(0))).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(feed(2, frags.get(1))).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(feed(3, frags.get(2))).isEqualTo(DecodeResult.OK);
        assertThat(v.srcPort).isEqualTo(5000);
        assertThat(v.dstPort).isEqualTo(53);
        assertThat(v.ipLen).isEqualTo(20 + 8 + 4000);
        assertThat(payload()).isEqualTo(data);
        assertThat(reassembler.reassembled()).isEqualTo(1);
        assertThat(reassembler.inProgress()).isZero();
        assertThat(decoder.stats().get(DecodeResult.FRAGMENT_HELD)).isEqualTo(2);
        assertThat(decoder.stats().malformed()).isZero();
    }

    @Test
    void ipv6OutOfOrderWithExtensionHeaders() {
        byte[] data = pattern(5000);
        List<byte[]> frags = new ArrayList<>(v6Fragments(99, data));
        Collections.reverse(frags);
        DecodeResult last = null;
        for (byte[] f : frags) last = feed(1, f);
        assertThat(last).isEqualTo(DecodeResult.OK);
        assertThat(v.ipVersion).isEqualTo(6);
        assertThat(v.protocol).isEqualTo(17);
        assertThat(v.srcPort).isEqualTo(53);
        assertThat(payload()).isEqualTo(data);
        // the rebuilt packet is a valid IPv6 packet without the fragment header
        assertThat(v.buf[v.ipOff + 6]).isEqualTo((byte) Frames.HOP_BY_HOP);
        assertThat(v.buf[v.ipOff + 40]).isEqualTo((byte) 17);
        assertThat(((v.buf[v.ipOff + 4] & 0xFF) << 8) | (v.buf[v.ipOff + 5] & 0xFF)).isEqualTo(8 + 8 + 5000);
    }

    @Test
    void shuffledInterleavedDatagramsAllComplete() {
        Random random = new Random(7);
        List<byte[]> all = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            byte[] data = pattern(2000 + id * 1500);
            datas.add(data);
            all.addAll(id % 2 == 0 ? v6Fragments(id, data) : v4Fragments(id, data));
        }
        Collections.shuffle(all, random);
        List<Integer> completedSizes = new ArrayList<>();
        for (byte[] f : all) {
            if (feed(1, f) == DecodeResult.OK) completedSizes.add(v.payloadLen);
        }
        assertThat(completedSizes).containsExactlyInAnyOrder(3500, 5000, 6500);
        assertThat(reassembler.reassembled()).isEqualTo(3);
    }

    @Test
    void overlappingDuplicateFragmentsAreCountedAndFirstDataWins() {
        byte[] data = pattern(3000);
        List<byte[]> frags = v4Fragments(5, data);
        feed(1, frags.get(0));
        feed(1, frags.get(0)); // retransmitted duplicate
        byte[] conflicting = frags.get(1).clone();
        conflicting[conflicting.length - 1] ^= 0x55; // same range, different data
        feed(1, frags.get(1));
        assertThat(feed(1, conflicting)).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(feed(1, frags.get(2))).isEqualTo(DecodeResult.OK);
        assertThat(reassembler.overlaps()).isEqualTo(2);
        assertThat(payload()).isEqualTo(data);
    }

    @Test
    void partialOverlapFillsOnlyTheHoles() {
        byte[] data = pattern(2400);
        // 8-byte UDP header + data = 2408 bytes: big [0,1600) [1600,2408); small in 800-byte steps
        List<byte[]> big = Frames.ipv4("10.0.0.1", "10.0.0.2").id(3).udp(1, 2).payload(data).fragments(1600);
        List<byte[]> small = Frames.ipv4("10.0.0.1", "10.0.0.2").id(3).udp(1, 2).payload(data).fragments(800);
        assertThat(feed(1, big.get(0))).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(feed(1, small.get(1))).isEqualTo(DecodeResult.FRAGMENT_HELD); // [800,1600) fully overlaps
        assertThat(feed(1, small.get(2))).isEqualTo(DecodeResult.FRAGMENT_HELD); // [1600,2400) new
        assertThat(feed(1, small.get(3))).isEqualTo(DecodeResult.OK);            // [2400,2408) completes
        assertThat(reassembler.overlaps()).isEqualTo(1);
        assertThat(payload()).isEqualTo(data);
    }

    @Test
    void datagramsTimeOutInPacketTime() {
        List<byte[]> frags = v4Fragments(11, pattern(3000));
        assertThat(feed(0, frags.get(0))).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(feed(31 * SEC, frags.get(1))).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(reassembler.timedOut()).isEqualTo(1);
        // the late pieces alone never complete: the first fragment was discarded
        assertThat(feed(31 * SEC, frags.get(2))).isEqualTo(DecodeResult.FRAGMENT_HELD);
        assertThat(reassembler.reassembled()).isZero();
    }

    @Test
    void boundedDatagramsEvictTheOldest() {
        for (int id = 0; id < 6; id++) feed(id, v4Fragments(id, pattern(3000)).get(0));
        assertThat(reassembler.inProgress()).isEqualTo(4);
        assertThat(reassembler.evicted()).isEqualTo(2);
        // id 5 (newest) is still there and completes; id 0 was evicted
        List<byte[]> newest = v4Fragments(5, pattern(3000));
        feed(10, newest.get(1));
        assertThat(feed(10, newest.get(2))).isEqualTo(DecodeResult.OK);
        List<byte[]> oldest = v4Fragments(0, pattern(3000));
        feed(10, oldest.get(1));
        assertThat(feed(10, oldest.get(2))).isEqualTo(DecodeResult.FRAGMENT_HELD);
    }

    @Test
    void oversizedAndMisalignedFragmentsAreMalformed() {
        byte[] last = v4Fragments(1, pattern(3000)).get(2).clone();
        last[14 + 6] = 0x1F; // fragment offset 8191 * 8: beyond 65535
        last[14 + 7] = (byte) 0xFF;
        assertThat(feed(1, last)).isEqualTo(DecodeResult.BAD_FRAGMENT);

        byte[] middle = Frames.ipv4("10.0.0.1", "10.0.0.2").id(2).udp(1, 2).payload(pattern(30)).build();
        middle[14 + 6] = 0x20; // MF set on a 38-byte payload: not a multiple of 8
        assertThat(feed(1, middle)).isEqualTo(DecodeResult.BAD_FRAGMENT);
        assertThat(decoder.stats().get(DecodeResult.BAD_FRAGMENT)).isEqualTo(2);
        assertThat(reassembler.inProgress()).isZero();
    }

    @Test
    void atomicIpv6FragmentDecodesDirectly() {
        List<byte[]> one = Frames.ipv6("::1", "::2").udp(1, 2).payload("hi").fragments(1000);
        assertThat(one).hasSize(1);
        assertThat(feed(1, one.get(0))).isEqualTo(DecodeResult.OK);
        assertThat(v.dstPort).isEqualTo(2);
        assertThat(reassembler.fragments()).isZero();
    }
}
