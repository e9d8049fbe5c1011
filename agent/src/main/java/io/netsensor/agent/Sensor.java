package io.netsensor.agent;

import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.capture.journal.Journal;
import io.netsensor.capture.journal.JournalWriter;
import io.netsensor.capture.pipeline.PacketPipeline;
import io.netsensor.capture.track.ConnTracker;
import io.netsensor.capture.track.ConnTrackerSettings;
import io.netsensor.capture.track.HomeNetLocality;
import io.netsensor.config.Settings;
import io.netsensor.config.Units;
import io.netsensor.events.IpRanges;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

/** Wires the capture side from settings: decoder, trackers, and the journal they write to. */
final class Sensor implements AutoCloseable {
    final Settings settings;
    final Journal journal;
    final JournalWriter writer;
    final HomeNetLocality locality;
    final PacketPipeline pipeline;

    private Sensor(Settings settings, Journal journal, List<String> hostAddresses) {
        this.settings = settings;
        this.journal = journal;
        this.writer = journal.writer();
        this.locality = new HomeNetLocality(IpRanges.of(settings.homeNet));
        if (!hostAddresses.isEmpty()) locality.setHostAddresses(hostAddresses);
        ConnTrackerSettings d = ConnTrackerSettings.defaults();
        ConnTrackerSettings ct = new ConnTrackerSettings(settings.conntrack.maxFlows,
                Units.duration(settings.conntrack.tcpInactivity).toNanos(), d.tcpHandshakeInactivityNanos(),
                Units.duration(settings.conntrack.udpInactivity).toNanos(), d.dnsInactivityNanos(), d.tcpAttemptDelayNanos(),
                Units.duration(settings.conntrack.tcpCloseDelay).toNanos());
        DnsTrackerSettings dt = new DnsTrackerSettings(settings.dns.maxPending,
                Units.duration(settings.dns.timeout).toNanos(), DnsTrackerSettings.DEFAULT_TCP_STREAMS,
                DnsTrackerSettings.DEFAULT_TCP_BUFFER);
        this.pipeline = new PacketPipeline(new FrameDecoder(), new ConnTracker(ct, locality, writer),
                new DnsTracker(dt, locality, writer));
    }

    static Sensor open(Settings settings, Path dataDir, List<String> hostAddresses) {
        return new Sensor(settings, openJournal(settings, dataDir), hostAddresses);
    }

    /** The journal as its writer opens it: with the configured retention. */
    static Journal openJournal(Settings settings, Path dataDir) {
        return openJournal(settings, dataDir, true);
    }

    /**
     * @param enforceRetention false for readers (`events`): only the agent that writes the journal deletes
     *                         cycles, so a reader started with other settings never removes data
     */
    static Journal openJournal(Settings settings, Path dataDir, boolean enforceRetention) {
        Journal.Builder b = Journal.builder(dataDir.resolve("journal"));
        if (enforceRetention) {
            b.maxBytes(Units.bytes(settings.journal.maxBytes)).maxAge(Units.duration(settings.journal.maxAge));
        }
        switch (settings.journal.rollCycle) {
            case "daily": b.rollCycle(LargeRollCycles.LARGE_DAILY); break;
            case "five-minutely": b.rollCycle(RollCycles.FIVE_MINUTELY); break;
            default: b.rollCycle(LargeRollCycles.LARGE_HOURLY);
        }
        return b.open();
    }

    @Override
    public void close() {
        writer.close();
        journal.close();
    }
}
