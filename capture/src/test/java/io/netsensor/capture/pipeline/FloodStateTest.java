package io.netsensor.capture.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.capture.testing.TestMetrics;
import io.netsensor.capture.track.ConnTracker;
import io.netsensor.capture.track.ConnTrackerSettings;
import io.netsensor.capture.track.HomeNetLocality;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.IpRanges;
import io.netsensor.metrics.Metrics;
import io.netsensor.testkit.pcap.Floods;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Small versions of the floods of {@code benchmarks/floods.sh}, replayed from a capture file through the
 * pipeline with small tables: the connection and DNS trackers never hold more than their caps, and every
 * flow or query pushed out to make room is counted as an eviction and still reported as an event.
 */
class FloodStateTest {
    private static final int MAX_FLOWS = 1_024, MAX_PENDING = 512, PACKETS = 20_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Floods.Kind.class)
    void trackerStateStaysWithinItsCapAndEvictionsAreCounted(Floods.Kind kind) throws IOException {
        Path pcap = Floods.write(kind, dir.resolve(kind + ".pcap"), PACKETS);
        long[] connEnds = {0}, dnsEvents = {0};
        EventHandler out = new EventHandler() {
            @Override public void onConn(ConnEvent e) { if (e.phase == ConnEvent.Phase.END) connEnds[0]++; }
            @Override public void onDns(DnsEvent e) { dnsEvents[0]++; }
        };
        HomeNetLocality home = new HomeNetLocality(IpRanges.defaultHomeNet());
        ConnTracker conns = new ConnTracker(ConnTrackerSettings.builder().maxFlows(MAX_FLOWS).build(), home, out);
        DnsTracker dns = new DnsTracker(DnsTrackerSettings.builder().maxPending(MAX_PENDING).build(), home, out);
        PacketPipeline pipeline = new PacketPipeline(new FrameDecoder(), conns, dns);
        int[] peaks = new int[2];
        try (PcapFileSource src = PcapFileSource.open(pcap)) {
            // the trackers' sizes after every packet: the cap holds at every moment, not only at the end
            long frames = src.run((ts, lt, buf, off, cap, wire) -> {
                pipeline.onFrame(ts, lt, buf, off, cap, wire);
                peaks[0] = Math.max(peaks[0], conns.activeFlows());
                peaks[1] = Math.max(peaks[1], dns.pendingCount());
            });
            assertThat(frames).isEqualTo(PACKETS);
        }
        Metrics m = TestMetrics.of(pipeline::register);
        long created = m.value("conn.flows_created"), evicted = m.value("conn.flows_ended", "reason", "evicted");

        assertThat(peaks[0]).as("flows held").isEqualTo(MAX_FLOWS);
        assertThat(created).as("a flood of new flows").isGreaterThan(PACKETS / 3);
        // nothing ends by itself within the flood's 0.2 s: every flow that left the full table was evicted,
        // counted, and reported as an END event
        assertThat(evicted).isEqualTo(created - conns.activeFlows()).isEqualTo(connEnds[0]);
        if (kind != Floods.Kind.SYN) {
            long queries = m.value("dns.queries"), dnsEvicted = m.value("dns.evictions");
            assertThat(peaks[1]).as("queries held").isEqualTo(MAX_PENDING);
            assertThat(queries).as("a flood of queries").isGreaterThan(PACKETS / 3);
            assertThat(dnsEvicted).isEqualTo(queries - dns.pendingCount());
            assertThat(dnsEvents[0]).as("an evicted query is still reported (unanswered)").isEqualTo(dnsEvicted);
        }
        pipeline.finish(pipeline.lastTimestamp());
        assertThat(conns.activeFlows()).isZero();
        assertThat(dns.pendingCount()).isZero();
    }
}
