package io.netsensor.agent;

import io.netsensor.capture.attrib.AttributingHandler;
import io.netsensor.capture.attrib.OwnerSource;
import io.netsensor.capture.attrib.SocketOwnerResolver;
import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
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
    /** Process attribution (live capture only), or null. */
    final AttributingHandler attribution;
    /** How long a record may wait for its socket lookup before it is written unattributed. */
    static final long ATTRIBUTION_HOLD_NANOS = 500_000_000L;

    private Sensor(Settings settings, Journal journal, List<String> hostAddresses, OwnerSource owners,
                   io.netsensor.capture.track.Locality hostOnly) {
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
        this.attribution = owners == null ? null
                : new AttributingHandler(writer, hostOnly != null ? hostOnly : locality::isHostAddress, owners, ATTRIBUTION_HOLD_NANOS, 4096, 64);
        io.netsensor.events.EventHandler sink = attribution != null ? attribution : writer;
        ConnTracker conns = new ConnTracker(ct, locality, sink);
        this.pipeline = new PacketPipeline(new FrameDecoder(), conns, new DnsTracker(dt, locality, sink));
        if (attribution != null) {
            conns.setFlowStartListener(attribution);
            pipeline.setTicker(attribution::tick);
        }
    }

    static Sensor open(Settings settings, Path dataDir, List<String> hostAddresses) {
        return open(settings, dataDir, hostAddresses, (OwnerSource) null);
    }

    /** With a resolver: records of this host's sockets are attributed to their processes (live capture). */
    static Sensor open(Settings settings, Path dataDir, List<String> hostAddresses, SocketOwnerResolver resolver) {
        return open(settings, dataDir, hostAddresses, resolver == null ? null : resolver.source());
    }

    /** With an owner source (the kernel's records or the resolver): records of local sockets are attributed. */
    static Sensor open(Settings settings, Path dataDir, List<String> hostAddresses, OwnerSource owners) {
        return new Sensor(settings, openJournal(settings, dataDir), hostAddresses, owners, null);
    }

    /** As above, with the test of "a local process may own this address" given (the bench's synthetic hosts). */
    static Sensor open(Settings settings, Path dataDir, SocketOwnerResolver resolver, io.netsensor.capture.track.Locality hostOnly) {
        return new Sensor(settings, openJournal(settings, dataDir), List.of(), resolver == null ? null : resolver.source(), hostOnly);
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
