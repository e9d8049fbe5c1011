package io.netsensor.sinks;

import com.codahale.metrics.Histogram;
import io.netsensor.events.codec.EventType;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.metrics.Metrics;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Feeds one {@link Sink} from its own journal reader on its own thread: reads up to a batch of the kinds
 * the sink wants (other records are skipped without decoding), flushes, and only then stores the sink's
 * position ({@link SinkCursor}), so a crash or an outage re-sends at most the unacknowledged batch. A
 * failed flush is retried with {@link Backoff} (1 s to 60 s, full jitter) for as long as it takes; the
 * agent meanwhile keeps capturing and journaling. A slow or dead sink never stalls the others or capture.
 */
public final class SinkRunner implements AutoCloseable {
    /** Where a sink without a stored position starts. */
    public enum Start {
        /** After the journal's last record at the time the runner is created (stdout, replays). */
        END,
        /** At the oldest record still in the journal. */
        BEGINNING
    }

    private final Sink sink;
    private final JournalReader reader;
    private final SinkCursor cursor;
    private final int typeMask;
    private final Backoff backoff;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile BooleanSupplier producersDone = () -> false;
    /** Once set, a batch that cannot be delivered is given up (left unstored, so it is re-sent at the next start). */
    private volatile long abandonAtNanos = Long.MAX_VALUE;
    /** Once set, the runner also stops reading at abandonAtNanos, however much is left (a stopping agent). */
    private volatile boolean hardDeadline;
    /** Records lost to retention while running that were reported (the runner's thread only). */
    private long reportedLost;
    /** The last position stored, and when (the runner's thread only). */
    private long storedIndex = SinkCursor.NONE, storedAtNanos;
    /** The position stored by an earlier run, or {@link SinkCursor#NONE}. */
    private final long resumedFrom;
    private volatile boolean finished;
    private volatile long delivered, flushes, retries;
    private volatile String lastError;
    /** Records this sink lost to retention (its position fell behind what the journal keeps). */
    private volatile long gap;
    /** Records per acknowledged flush, once registered (set before the thread starts). */
    private Histogram batchRecords;
    /** For the lag metrics: the journal, and a position before which everything was delivered or passed over. */
    private final Journal journal;
    private volatile long handledIndex;
    /** When the runner last had nothing left to read or deliver (System.nanoTime). */
    private volatile long caughtUpAtNanos = System.nanoTime();
    /** Failed flushes (each then retried, or given up at shutdown); whether the last flush failed. */
    private volatile long failures;
    private volatile boolean failing;

    /**
     * @param cursor the durable position, or null for a sink that needs none (stdout): it then starts at {@code start}
     */
    public SinkRunner(Journal journal, Sink sink, SinkCursor cursor, Start start) throws IOException {
        this(journal, sink, cursor, start, 1_000, 60_000);
    }

    SinkRunner(Journal journal, Sink sink, SinkCursor cursor, Start start, long backoffBaseMillis, long backoffCapMillis)
            throws IOException {
        this.sink = sink;
        this.cursor = cursor;
        this.backoff = new Backoff(backoffBaseMillis, backoffCapMillis);
        this.reader = journal.reader();
        this.journal = journal;
        long stored = cursor == null ? SinkCursor.NONE : cursor.load();
        this.resumedFrom = stored;
        if (stored != SinkCursor.NONE) {
            if (!reader.moveToIndex(stored)) {
                if (stored < journal.firstIndex()) {
                    // retention deleted records this sink had not delivered: say exactly how many, never silently
                    gap = journal.lostBefore(stored);
                    System.err.printf("netsensor: sink %s: %d record(s) lost: the journal's retention deleted them "
                            + "before they were forwarded (alerts among them are still sent)%n", sink.name(), gap);
                    reader.toStartAfterGap(stored);
                } else {
                    reader.toEnd(); // a position past the end: the journal was replaced; start from what comes
                }
            }
        } else if (start == Start.END) {
            reader.toEnd();
        } else {
            reader.toStart();
        }
        this.typeMask = maskOf(sink);
        this.handledIndex = reader.index();
        this.thread = new Thread(this::loop, "netsensor-sink-" + sink.name());
        this.thread.setDaemon(true);
    }

    private static int maskOf(Sink sink) {
        int m = 1 << EventType.PROCESS.code;
        // SALVAGED: the alerts retention copied forward from deleted cycles (the reader hands over those this sink missed)
        if (sink.kinds().contains(RecordKind.ALERT)) m |= (1 << EventType.ALERT.code) | (1 << EventType.SALVAGED.code);
        if (sink.kinds().contains(RecordKind.TELEMETRY)) m |= 1 << EventType.TELEMETRY.code;
        if (sink.kinds().contains(RecordKind.EVENT)) m |= (1 << EventType.CONN.code) | (1 << EventType.DNS.code);
        if (sink.kinds().contains(RecordKind.BURST)) m |= 1 << EventType.BURST.code;
        return m;
    }

    /**
     * Registers the sink's metrics, tagged {@code sink=<name>}: {@code sink.delivered}, {@code sink.flushes},
     * {@code sink.retries} (counts over the runner's own volatile fields, which its one thread writes), the
     * histogram {@code sink.batch_records} (records per acknowledged flush: one update per flush, never per
     * record), and its reader's {@code journal.read*} under {@code reader=sink.<name>}. Call before {@link #start}.
     */
    public SinkRunner register(Metrics m) {
        String name = sink.name();
        m.count(Metrics.name("sink.delivered", "sink", name), () -> delivered);
        m.count(Metrics.name("sink.flushes", "sink", name), () -> flushes);
        m.count(Metrics.name("sink.retries", "sink", name), () -> retries);
        batchRecords = m.histogram(Metrics.name("sink.batch_records", "sink", name));
        m.count(Metrics.name("sink.failures", "sink", name), () -> failures);
        m.count(Metrics.name("sink.gap", "sink", name), this::gap);
        m.gauge(Metrics.name("sink.up", "sink", name), () -> failing || (finished && failure.get() != null) ? 0 : 1);
        m.gauge(Metrics.name("sink.lag_records", "sink", name), this::lagRecords);
        m.gauge(Metrics.name("sink.lag_seconds", "sink", name), () -> lagNanos() / 1_000_000_000L);
        reader.register(m, "sink." + name);
        return this;
    }

    public SinkRunner start() {
        reader.handOver();
        thread.start();
        return this;
    }

    /**
     * Asks the runner to stop once {@code producersDone} is true and every record is delivered; a batch
     * that still cannot be delivered {@code graceNanos} after this call is given up.
     */
    public void stopWhen(BooleanSupplier producersDone, long graceNanos) {
        this.producersDone = producersDone;
        this.abandonAtNanos = graceNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + graceNanos;
        LockSupport.unpark(thread); // a runner waiting out a retry backoff (up to a minute) sees the deadline now
    }

    /**
     * As {@link #stopWhen}, and stops reading once {@code graceNanos} have passed even when the sink is
     * keeping up: a stopping agent delivers what it can within its grace period, and what is left (never
     * acknowledged, so never stored) is sent at the next start.
     */
    public void stopWithin(BooleanSupplier producersDone, long graceNanos) {
        hardDeadline = true;
        stopWhen(producersDone, graceNanos);
    }

    /** Waits for the runner to end (after {@link #stopWhen}); rethrows what stopped the sink, if anything did. */
    public void join() throws InterruptedException {
        thread.join();
        Throwable t = failure.get();
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
    }

    private void loop() {
        try {
            io.netsensor.journal.IdleBackoff idle = reader.idleStrategy();
            committed = reader.index();
            flushedTo = committed;
            while (true) {
                boolean doneBefore = producersDone.getAsBoolean();
                if (hardDeadline && doneBefore && System.nanoTime() >= abandonAtNanos) {
                    if (sink.pending() > 0) deliver(); // one last try for what is encoded; stored only if taken
                    break;
                }
                int room = sink.maxBatch() - sink.pending();
                int n = room > 0 ? reader.poll(sink, room, typeMask) : 0;
                if (reader.lostToRetention() != reportedLost) reportLost();
                if (sink.pending() >= sink.maxBatch() || (n == 0 && sink.pending() > 0)) {
                    if (!deliver()) break;
                }
                if (n > 0) {
                    idle.reset();
                    continue;
                }
                if (!unconfirmed.isEmpty() && sink.pending() == 0) { // batches written but not yet known read
                    long age = System.nanoTime() - flushedAtNanos;
                    if (age >= sink.confirmAfterNanos()) {
                        if (!confirmOrRewind()) break;
                        continue;
                    }
                    if (doneBefore) {
                        LockSupport.parkNanos(sink.confirmAfterNanos() - age);
                        continue;
                    }
                }
                if (sink.pending() == 0 && unconfirmed.isEmpty()) skippedForward(doneBefore);
                if (doneBefore && sink.pending() == 0 && unconfirmed.isEmpty()) break;
                // nothing left to read or deliver: what lies before the reader is handled, and the sink is not lagging
                handledIndex = reader.index();
                caughtUpAtNanos = System.nanoTime();
                idle.idle();
            }
            idle.close();
            sink.finish();
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            finished = true;
        }
    }

    /**
     * A sink without acknowledgements: the unconfirmed batches are taken when the connection is still open
     * (stores the position after them); otherwise rewinds to send them again. False when given up at shutdown.
     */
    private boolean confirmOrRewind() throws IOException {
        try {
            sink.confirm();
            confirmOlderThan(System.nanoTime() - sink.confirmAfterNanos());
            return true;
        } catch (IOException e) {
            return rewindAfter(e);
        }
    }

    /** Re-reads everything after the last confirmed position (at least once: the destination may have part of it). */
    private boolean rewindAfter(IOException e) {
        retries++;
        lastError = e.getMessage();
        sink.discardPending();
        if (!reader.moveToIndex(committed)) reader.toStart(); // nothing was confirmed yet in an empty journal
        flushedTo = committed;
        unconfirmed.clear();
        if (System.nanoTime() >= abandonAtNanos) return false;
        waitBackoff();
        return true;
    }

    private void waitBackoff() {
        long waitMillis = backoff.nextDelayMillis();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (System.nanoTime() < Math.min(until, abandonAtNanos)) {
            LockSupport.parkNanos(Math.min(until, abandonAtNanos) - System.nanoTime());
        }
    }

    private void store(long next) throws IOException {
        committed = next;
        if (cursor != null && next != storedIndex) {
            cursor.store(next);
            storedIndex = next;
            storedAtNanos = System.nanoTime();
        }
    }

    /**
     * Caught up with nothing pending: every record before the reader's position was delivered or is of a
     * kind this sink does not take, so the position may be stored without a flush (at most once a second,
     * and once at the end). Otherwise an alerts-only sink would read again, at every start, all that came
     * after its last alert.
     */
    private void skippedForward(boolean last) throws IOException {
        if (cursor == null) return;
        long now = System.nanoTime();
        if (!last && now - storedAtNanos < 1_000_000_000L) return;
        long index = reader.index();
        if (index == storedIndex) return;
        store(index);
    }

    /** Retention deleted cycles this running sink had not read yet: say how many records, as at start. */
    private void reportLost() {
        long lost = reader.lostToRetention() - reportedLost;
        reportedLost = reader.lostToRetention();
        System.err.printf("netsensor: sink %s: %d record(s) lost: the journal's retention deleted them before they were "
                + "forwarded (alerts among them are still sent)%n", sink.name(), lost);
    }

    /** Flushes until acknowledged; false when the batch was given up at shutdown. */
    private boolean deliver() throws IOException {
        int batch = sink.pending();
        if (sink.confirmAfterNanos() > 0) return deliverUnacknowledged(batch);
        while (true) {
            try {
                sink.flush();
                break;
            } catch (IOException e) {
                failures++;
                failing = true;
                lastError = e.getMessage();
                if (System.nanoTime() >= abandonAtNanos) return false;
                retries++; // a failure at shutdown is given up, not retried
                long waitMillis = backoff.nextDelayMillis();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                while (System.nanoTime() < Math.min(until, abandonAtNanos)) {
                    LockSupport.parkNanos(Math.min(until, abandonAtNanos) - System.nanoTime());
                }
            }
        }
        failing = false;
        handledIndex = reader.index();
        backoff.reset();
        flushes++;
        delivered += batch;
        if (batchRecords != null) batchRecords.update(batch);
        store(reader.index());
        return true;
    }

    /**
     * For a sink whose flush is not an acknowledgement: a successful flush confirms the batches written at
     * least {@code confirmAfterNanos} before it (the connection was found open after that long); the batch
     * just written waits for the next exchange. A failed flush rewinds to the last confirmed position.
     */
    private boolean deliverUnacknowledged(int batch) throws IOException {
        try {
            sink.flush();
        } catch (IOException e) {
            return rewindAfter(e);
        }
        backoff.reset();
        flushes++;
        delivered += batch;
        if (batchRecords != null) batchRecords.update(batch);
        long now = System.nanoTime();
        confirmOlderThan(now - sink.confirmAfterNanos()); // the connection was open at this write
        flushedTo = reader.index();
        unconfirmed.addLast(new long[] {now, flushedTo});
        flushedAtNanos = unconfirmed.peekFirst()[0];
        return true;
    }

    /** Stores the position after every unconfirmed batch written at or before {@code writtenBy}. */
    private void confirmOlderThan(long writtenBy) throws IOException {
        long through = -1;
        while (!unconfirmed.isEmpty() && unconfirmed.peekFirst()[0] <= writtenBy) through = unconfirmed.pollFirst()[1];
        if (through >= 0) store(through);
        if (!unconfirmed.isEmpty()) flushedAtNanos = unconfirmed.peekFirst()[0];
    }

    /** The position an earlier run stored (the journal index this runner resumed at), or {@link SinkCursor#NONE}. */
    public long resumedFrom() {
        return resumedFrom;
    }

    /** The journal index of the next record this runner reads. */
    public long position() {
        return reader.index();
    }

    public Sink sink() {
        return sink;
    }

    public boolean finished() {
        return finished;
    }

    /** Records acknowledged by the destination. */
    public long delivered() {
        return delivered;
    }

    public long flushes() {
        return flushes;
    }

    /** Failed flushes, each retried. */
    public long retries() {
        return retries;
    }

    /** Reader position after the last batch known delivered (stored), and after the last batch flushed. */
    private long committed, flushedTo;
    /** When the oldest unconfirmed batch was written. */
    private long flushedAtNanos;
    /** Unconfirmed batches, oldest first: {write time, reader position after it}. */
    private final java.util.ArrayDeque<long[]> unconfirmed = new java.util.ArrayDeque<>();

    /** Records lost to retention before this sink forwarded them. */
    public long gap() {
        return gap + reader.lostToRetention();
    }

    /**
     * Journal records after the last position this sink had handled (delivered, or passed over as a kind
     * it does not take): an estimate from above while it reads, exact when it has caught up (0). -1 when
     * the journal cannot tell. Any thread.
     */
    public long lagRecords() {
        long n = journal.countFrom(handledIndex);
        return n < 0 ? -1 : n;
    }

    /** How long since the sink last had nothing to read or deliver; about 0 when it keeps up. Any thread. */
    public long lagNanos() {
        if (finished) return 0;
        return Math.max(0, System.nanoTime() - caughtUpAtNanos);
    }

    /** Failed flushes so far. */
    public long failures() {
        return failures;
    }

    /** True while the destination refuses or cannot be reached (the last flush failed). */
    public boolean failing() {
        return failing;
    }

    /** What stopped the runner's thread, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public String lastError() {
        return lastError;
    }

    /** The reader's counters (records read by type, damaged, skipped). */
    public JournalReader reader() {
        return reader;
    }

    @Override
    public void close() {
        reader.close();
        sink.close();
    }
}
