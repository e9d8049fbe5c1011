package io.netsensor.capture.conformance;

import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.capture.pipeline.PacketPipeline;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.capture.track.ConnTracker;
import io.netsensor.capture.track.ConnTrackerSettings;
import io.netsensor.capture.track.HomeNetLocality;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.IpRanges;
import io.netsensor.metrics.Metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Replays a capture through the production pipeline with default settings and keeps copies of the events. */
final class Replay implements EventHandler {
    final List<ConnEvent> conns = new ArrayList<>(); // END records only: one per Zeek conn.log row
    final List<DnsEvent> dns = new ArrayList<>();
    long frames, sourceErrors;
    /** The pipeline's metrics at the end, as values: the registry itself would keep the trackers' tables alive. */
    java.util.SortedMap<String, Long> metrics;

    static Replay of(Path pcap) throws IOException {
        Replay r = new Replay();
        HomeNetLocality locality = new HomeNetLocality(IpRanges.defaultHomeNet());
        PacketPipeline pipeline = new PacketPipeline(new FrameDecoder(),
                new ConnTracker(ConnTrackerSettings.defaults(), locality, r),
                new DnsTracker(DnsTrackerSettings.defaults(), locality, r));
        Metrics metrics = new Metrics();
        pipeline.register(metrics);
        try (PcapFileSource src = PcapFileSource.open(pcap)) {
            r.frames = src.run(pipeline);
            r.sourceErrors = src.sourceErrors();
        }
        pipeline.finish(pipeline.lastTimestamp());
        r.metrics = metrics.values("");
        return r;
    }

    @Override
    public void onConn(ConnEvent event) {
        if (event.phase != ConnEvent.Phase.END) return;
        ConnEvent c = new ConnEvent();
        c.copyFrom(event);
        conns.add(c);
    }

    @Override
    public void onDns(DnsEvent event) {
        DnsEvent d = new DnsEvent();
        d.copyFrom(event);
        dns.add(d);
    }
}
