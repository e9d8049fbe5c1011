package io.netsensor.events.codec;

import io.netsensor.events.ProcessEvent;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** PROCESS records, like CONN and DNS (EventCodecTest), encode and decode without allocating. */
class ProcessCodecAllocationTest {
    @Test
    void processEncodeAndDecodeDoNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ProcessEvent in = EventFixtures.fullProcess(), out = new ProcessEvent();
        ByteBuffer direct = ByteBuffer.allocateDirect(EventCodec.MAX_RECORD_SIZE);
        roundTrips(in, out, direct, 20_000); // warm up
        long before = mx.getCurrentThreadAllocatedBytes();
        roundTrips(in, out, direct, 100_000);
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).as("bytes allocated by 100k encode/decode pairs")
                .isLessThan(10_000);
    }

    private static void roundTrips(ProcessEvent in, ProcessEvent out, ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.clear();
            in.pid = i;
            EventCodec.encode(in, b);
            b.flip();
            if (!EventCodec.decode(b, out) || out.pid != i) throw new AssertionError();
        }
    }
}
