package io.netsensor.agent;

import io.netsensor.capture.attrib.AttributingHandler;
import io.netsensor.capture.attrib.OwnerSource;
import io.netsensor.capture.attrib.SocketOwnerResolver;
import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
import io.netsensor.journal.WriterLock;
import io.netsensor.capture.pipeline.PacketPipeline;
import io.netsensor.capture.track.ConnTracker;
import io.netsensor.capture.track.ConnTrackerSettings;
import io.netsensor.capture.track.HomeNetLocality;
import io.netsensor.config.Settings;
import io.netsensor.events.IpRanges;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import io.netsensor.metrics.Metrics;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

/** Wires the capture side from settings: decoder, trackers, and the journal they write to. */
public final class Sensor implements AutoCloseable {
    public final Settings settings;
    public final Journal journal;
    public final JournalWriter writer;
    public final HomeNetLocality locality;
    public final PacketPipeline pipeline;
    /** Every component's metrics: the stop line and the replay summary read them here. */
    public final Metrics metrics = new Metrics();
    /** The writer tag of the capture thread's journal writer ({@code journal.appended{writer=capture}}). */
    public static final String WRITER = "capture";
    /** Process attribution (live capture only), or null. */
    public final AttributingHandler attribution;
    /** How long a record may wait for its socket lookup before it is written unattributed. */
    static final long ATTRIBUTION_HOLD_NANOS = 500_000_000L;
    /** The data dir's single-writer guard, held while the sensor is open. */
    private final WriterLock lock;

    private Sensor(WriterLock lock, Settings settings, Journal journal, List<String> hostAddresses, OwnerSource owners,
                   io.netsensor.capture.track.Locality hostOnly) {
        this.lock = lock;
        this.settings = settings;
        this.journal = journal;
        this.writer = journal.writer().overflowTo(journal.overflow()); // detection reads what a full disk keeps out
        this.locality = new HomeNetLocality(IpRanges.of(settings.homeNet));
        if (!hostAddresses.isEmpty()) locality.setHostAddresses(hostAddresses);
        ConnTrackerSettings ct = ConnTrackerSettings.of(settings.conntrack);
        DnsTrackerSettings dt = DnsTrackerSettings.of(settings.dns);
        this.attribution = owners == null ? null
                : new AttributingHandler(writer, hostOnly != null ? hostOnly : locality::isHostAddress, owners, ATTRIBUTION_HOLD_NANOS, 4096, 64);
        io.netsensor.events.EventHandler sink = attribution != null ? attribution : writer;
        ConnTracker conns = new ConnTracker(ct, locality, sink);
        this.pipeline = new PacketPipeline(new FrameDecoder(), conns, new DnsTracker(dt, locality, sink));
        if (attribution != null) {
            conns.setFlowStartListener(attribution);
            pipeline.setTicker(attribution::tick);
        }
        journal.register(metrics);
        writer.register(metrics, WRITER);
        pipeline.register(metrics);
        if (attribution != null) attribution.register(metrics); // the owner source registers its own (see AttributionStart)
    }

    public static Sensor open(Settings settings, Path dataDir, List<String> hostAddresses) throws IOException {
        return open(settings, dataDir, hostAddresses, (OwnerSource) null);
    }

    /** With an owner source (the kernel's records or the resolver): records of local sockets are attributed. */
    public static Sensor open(Settings settings, Path dataDir, List<String> hostAddresses, OwnerSource owners)
            throws IOException {
        checkWritableJournal(dataDir); // its one-line reasons (a data dir that is a file) before the lock's
        WriterLock lock = WriterLock.acquire(dataDir);
        try {
            return new Sensor(lock, settings, openJournal(settings, dataDir), hostAddresses, owners, null);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** With the user-space resolver, and the test of "a local process may own this address" given (the bench's synthetic hosts). */
    public static Sensor open(Settings settings, Path dataDir, SocketOwnerResolver resolver,
                              io.netsensor.capture.track.Locality hostOnly) throws IOException {
        checkWritableJournal(dataDir); // its one-line reasons (a data dir that is a file) before the lock's
        WriterLock lock = WriterLock.acquire(dataDir);
        Sensor s;
        try {
            s = new Sensor(lock, settings, openJournal(settings, dataDir), List.of(), resolver == null ? null : resolver.source(), hostOnly);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        if (resolver != null) resolver.register(s.metrics);
        return s;
    }

    /** The journal as its writer opens it: with the configured retention. */
    public static Journal openJournal(Settings settings, Path dataDir) throws IOException {
        return openJournal(settings, dataDir, true);
    }

    /**
     * Checks that the journal directory (DATA_DIR/journal) exists or can be created and that files can be
     * created in it, by creating one. Chronicle, given a directory it cannot write, logs stack traces and
     * opens the queue read-only, and the agent would capture into a journal that keeps nothing.
     * {@link Files#isWritable} is no test: it says yes to root on an immutable directory.
     *
     * @throws IOException one line naming the directory and the reason
     */
    public static void checkWritableJournal(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("journal");
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".write-check-", ""));
        } catch (FileSystemException e) {
            throw new IOException("cannot write the journal in " + dir + ": " + reason(e, dir), e);
        }
    }

    /** The reason, with the file it concerns when that is not the journal directory itself (a parent, a probe). */
    private static String reason(FileSystemException e, Path dir) {
        String file = e.getFile() == null || Path.of(e.getFile()).equals(dir) ? "" : e.getFile() + ": ";
        if (e instanceof AccessDeniedException) return file + "permission denied";
        if (e instanceof FileAlreadyExistsException) return file + "exists and is not a directory";
        if (e instanceof NoSuchFileException) return file + "no such file or directory";
        return file + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
    }

    /**
     * @param enforceRetention false for readers (`events`): only the agent that writes the journal deletes
     *                         cycles, so a reader started with other settings never removes data; true
     *                         (a writer) also checks that the journal can be written
     */
    public static Journal openJournal(Settings settings, Path dataDir, boolean enforceRetention) throws IOException {
        if (enforceRetention) checkWritableJournal(dataDir);
        Journal.Builder b = Journal.builder(dataDir.resolve("journal"));
        if (enforceRetention) {
            b.maxBytes(settings.journal.maxBytes).maxAge(settings.journal.maxAge);
        }
        b.rollCycle(switch (settings.journal.rollCycle) {
            case HOURLY -> LargeRollCycles.LARGE_HOURLY;
            case DAILY -> LargeRollCycles.LARGE_DAILY;
            case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
        });
        return b.open();
    }

    @Override
    public void close() {
        try {
            writer.close();
            journal.close();
        } finally {
            lock.close();
        }
    }
}
