package io.netsensor.capture.track;

import static io.netsensor.capture.track.Packets.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.testing.TestMetrics;
import io.netsensor.capture.track.Packets.Recorder;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnEvent.EndReason;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnTrackerCapacityTest {

    @Test
    void whenFullTheLeastRecentlyActiveFlowIsEvicted() {
        Recorder rec = new Recorder();
        ConnTracker t = new ConnTracker(ConnTrackerSettings.builder().maxFlows(3).build(),
                new HomeNetLocality(IpRanges.defaultHomeNet()), rec);
        t.onPacket(Packets.udp("10.0.0.1", 1001, "10.9.9.9", 9000, ms(0), 1));
        t.onPacket(Packets.udp("10.0.0.1", 1002, "10.9.9.9", 9000, ms(10), 1));
        t.onPacket(Packets.tcp("10.0.0.1", 1003, "10.9.9.9", 9000, ms(20), "S", 1, 0, 0));
        t.onPacket(Packets.udp("10.0.0.1", 1001, "10.9.9.9", 9000, ms(30), 1)); // 1001 active again
        assertThat(rec.events).isEmpty();

        t.onPacket(Packets.udp("10.0.0.1", 1004, "10.9.9.9", 9000, ms(40), 1));
        ConnEvent evicted = rec.onlyEnd();
        assertThat(evicted.origPort).isEqualTo(1002);
        assertThat(evicted.endReason).isEqualTo(EndReason.EVICTED);

        t.onPacket(Packets.udp("10.0.0.1", 1005, "10.9.9.9", 9000, ms(50), 1));
        assertThat(rec.ends()).extracting(e -> e.origPort).containsExactly(1002, 1003);
        assertThat(TestMetrics.of(t::register).values("conn.")).containsEntry("conn.flows_ended{reason=evicted}", 2L)
                .containsEntry("conn.flows_active", 3L).containsEntry("conn.flows_created", 5L);

        t.flush(ms(60));
        assertThat(rec.ends()).extracting(e -> e.origPort).containsExactlyInAnyOrder(1002, 1003, 1001, 1004, 1005);
        assertThat(TestMetrics.of(t::register).values("conn."))
                .containsEntry("conn.flows_ended{reason=shutdown}", 3L).containsEntry("conn.flows_active", 0L);
    }

    @Test
    void flowIdsAreUniqueAcrossManyFlows() {
        Set<Long> ids = new HashSet<>();
        EventHandler h = new EventHandler() {
            @Override public void onConn(ConnEvent e) { ids.add(e.flowId); }
            @Override public void onDns(DnsEvent e) {}
        };
        ConnTracker t = new ConnTracker(ConnTrackerSettings.builder().maxFlows(1_000).build(),
                new HomeNetLocality(IpRanges.defaultHomeNet()), h);
        PacketView v = new PacketView();
        for (int i = 0; i < 50_000; i++) {
            Packets.fill(v, 17, "10.0.0.1", 1024 + (i % 60_000), "10.0.0.2", 53, ms(i), 10);
            v.srcLo = Ip.v4Lo(0x0A000000 | (i >>> 8));
            t.onPacket(v);
        }
        t.flush(ms(50_000));
        assertThat(ids).hasSize(50_000);
    }

    /**
     * Steady state with 100k distinct flows cycling through a smaller table, so every packet looks up,
     * creates, evicts and emits: the packet thread must not allocate at all.
     */
    @Test
    void steadyStateAllocatesNothingPerPacket() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(bean.isThreadAllocatedMemorySupported(), "thread allocation accounting unsupported");
        bean.setThreadAllocatedMemoryEnabled(true);

        long[] sink = new long[1];
        EventHandler h = new EventHandler() {
            @Override public void onConn(ConnEvent e) { sink[0] += e.origPkts; }
            @Override public void onDns(DnsEvent e) {}
        };
        ConnTracker t = new ConnTracker(ConnTrackerSettings.builder().maxFlows(65_536).build(),
                new HomeNetLocality(IpRanges.defaultHomeNet()), h);
        PacketView v = new PacketView();
        int flows = 100_000;
        long[] clock = {ms(0)};

        Runnable round = () -> {
            for (int i = 0; i < flows; i++) {
                clock[0] += 1_000;
                fillFlow(v, i, clock[0]);
                t.onPacket(v);
                v.tsNanos = clock[0] += 1_000; // the answer
                long sHi = v.srcHi, sLo = v.srcLo; int sp = v.srcPort;
                v.srcHi = v.dstHi; v.srcLo = v.dstLo; v.srcPort = v.dstPort;
                v.dstHi = sHi; v.dstLo = sLo; v.dstPort = sp;
                if (v.protocol == 6) { v.tcpFlags = PacketView.SYN | PacketView.ACK; v.tcpAck = v.tcpSeq + 1; v.tcpSeq = 77; }
                t.onPacket(v);
            }
        };
        for (int w = 0; w < 5; w++) round.run(); // warm up JIT and fill the table

        long thread = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(thread);
        for (int r = 0; r < 5; r++) round.run();
        long allocated = bean.getThreadAllocatedBytes(thread) - before;
        long packets = 5L * flows * 2;

        assertThat(sink[0]).isPositive();
        assertThat(TestMetrics.of(t::register).value("conn.flows_ended", "reason", "evicted")).isPositive();
        // Any per-packet allocation would be at least 16 bytes x 1M packets; allow a little noise.
        assertThat(allocated).as("bytes allocated for %d packets", packets).isLessThan(64 * 1024);
    }

    private static void fillFlow(PacketView v, int i, long ts) {
        v.reset();
        v.tsNanos = ts;
        v.ipVersion = 4;
        v.srcHi = 0; v.srcLo = Ip.v4Lo(0x0A000000 | (i >>> 8));
        v.dstHi = 0; v.dstLo = Ip.v4Lo(0x5DB8D800 | (i & 0xFF));
        v.srcPort = 20_000 + (i % 40_000);
        v.dstPort = (i & 1) == 0 ? 53 : 443;
        v.protocol = (i & 1) == 0 ? 17 : 6;
        v.payloadLen = v.payloadWireLen = v.protocol == 17 ? 40 : 0;
        v.ipLen = 20 + (v.protocol == 17 ? 8 : 20) + v.payloadWireLen;
        v.tcpFlags = PacketView.SYN;
        v.tcpSeq = i;
        v.tcpWindow = 1000;
    }
}
