package io.netsensor.capture.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.capture.track.ConnTracker;
import io.netsensor.capture.track.ConnTrackerSettings;
import io.netsensor.capture.track.HomeNetLocality;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.IpRanges;
import io.netsensor.metrics.Metrics;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trackers' clock against timestamps far from the rest: outliers, real steps forward and back. */
class TimeGuardTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = Times.T0;
    private static final long FAR_FUTURE = T0 + 20L * 365 * 86_400 * SECOND;

    /** The production pipeline with default settings, keeping each connection record's start and end. */
    private static final class Run implements EventHandler {
        final List<long[]> ended = new ArrayList<>();
        final Metrics metrics = new Metrics();
        final PacketPipeline pipeline;

        Run() {
            HomeNetLocality locality = new HomeNetLocality(IpRanges.defaultHomeNet());
            pipeline = new PacketPipeline(new FrameDecoder(), new ConnTracker(ConnTrackerSettings.defaults(), locality, this),
                    new DnsTracker(DnsTrackerSettings.defaults(), locality, this));
            pipeline.register(metrics);
        }

        void frame(long ts, int flow) {
            byte[] f = Frames.ipv4("10.0.0.1", "198.51.100.7").udp(20_000 + flow, 4444).payload(new byte[40]).build();
            pipeline.onFrame(ts, LinkTypes.ETHERNET, f, 0, f.length, f.length);
        }

        /** {@code flows} UDP flows, one packet each per second for {@code seconds} from {@code start}. */
        void traffic(long start, int flows, int seconds, long outlierAt, long outlierTs) {
            traffic(start, 0, flows, seconds, outlierAt, outlierTs);
        }

        void traffic(long start, int firstFlow, int flows, int seconds, long outlierAt, long outlierTs) {
            for (int s = 0; s < seconds; s++) {
                for (int i = 0; i < flows; i++) {
                    long ts = start + s * SECOND + i * 1000L;
                    frame(s * flows + i == outlierAt ? outlierTs : ts, firstFlow + i);
                }
            }
        }

        long count(String metric) {
            return metrics.value(metric);
        }

        @Override
        public void onConn(ConnEvent e) {
            if (e.phase == ConnEvent.Phase.END) ended.add(new long[] {e.startNanos, e.endNanos});
        }

        @Override
        public void onDns(DnsEvent e) {}
    }

    @Test
    void oneFarFutureTimestampMidFileNeitherEndsFlowsNorSplitsTheRestOfTheFile() {
        Run r = new Run();
        r.traffic(T0, 50, 300, 50 * 150 + 7, FAR_FUTURE); // 15,000 packets; one of them dated 20 years ahead
        r.pipeline.finish(r.pipeline.lastTimestamp());
        assertThat(r.ended).hasSize(50); // one record per flow, as without the outlier (today: ~7,500)
        assertThat(r.ended).allSatisfy(c -> assertThat(c[1]).isLessThan(T0 + 301 * SECOND));
        assertThat(r.count("capture.time_jumps")).isEqualTo(1);
        assertThat(r.count("capture.time_restarts")).isZero();
    }

    @Test
    void oneFarPastTimestampIsAnOutlierToo() {
        Run r = new Run();
        r.traffic(T0, 20, 100, 20 * 50, 0L);
        r.pipeline.finish(r.pipeline.lastTimestamp());
        assertThat(r.ended).hasSize(20);
        assertThat(r.ended).allSatisfy(c -> assertThat(c[0]).isGreaterThanOrEqualTo(T0));
        assertThat(r.count("capture.time_jumps")).isEqualTo(1);
    }

    @Test
    void aRealStepForwardKeepsEveryTimestamp() {
        Run r = new Run();
        r.traffic(T0, 5, 30, -1, 0);
        long later = T0 + 7200 * SECOND; // the capture paused for two hours
        r.traffic(later, 5, 30, -1, 0);
        r.pipeline.finish(r.pipeline.lastTimestamp());
        assertThat(r.ended).hasSize(10);
        assertThat(r.ended.subList(5, 10)).allSatisfy(c -> assertThat(c[0]).isBetween(later, later + SECOND));
        assertThat(r.count("capture.time_jumps")).isZero();
    }

    @Test
    void aRealStepBackRestartsTheClockInsteadOfSplittingEveryFlow() {
        Run r = new Run();
        r.traffic(T0, 5, 30, -1, 0);
        long earlier = T0 - 86_400 * SECOND; // a device whose clock was set back a day
        r.traffic(earlier, 100, 5, 120, -1, 0); // other flows than before
        r.pipeline.finish(r.pipeline.lastTimestamp());
        assertThat(r.ended).hasSize(10); // today: the clock stays a day ahead and every packet is a flow
        assertThat(r.count("capture.time_restarts")).isEqualTo(1);
        assertThat(r.count("capture.time_jumps")).isZero();
    }

    @Test
    void liveCaptureDecidesAtTheIdleTickByTheWallClock() {
        Run r = new Run();
        r.traffic(T0, 3, 10, -1, 0);
        r.frame(FAR_FUTURE, 0);
        r.pipeline.onIdle(T0 + 11 * SECOND); // the wall clock says the frame's time is wrong
        r.frame(T0 + 12 * SECOND, 1);
        long resumed = T0 + 3600 * SECOND;
        r.frame(resumed, 2);
        r.pipeline.onIdle(resumed + SECOND / 2); // the wall clock agrees: the wire was quiet for an hour
        r.pipeline.finish(resumed + SECOND);
        assertThat(r.count("capture.time_jumps")).isEqualTo(1);
        assertThat(r.ended).allSatisfy(c -> assertThat(c[1]).isLessThanOrEqualTo(resumed));
        assertThat(r.ended).anySatisfy(c -> assertThat(c[0]).isEqualTo(resumed));
    }
}
