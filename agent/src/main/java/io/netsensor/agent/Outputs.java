package io.netsensor.agent;

import io.netsensor.journal.Journal;
import io.netsensor.metrics.Metrics;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.SinkRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The running sinks, each with its own journal reader and thread. */
public final class Outputs implements AutoCloseable {
    /** How long a stopping agent keeps trying to deliver a batch its destination refuses (it is re-sent at the next start). */
    static final long STOP_GRACE_NANOS = 5_000_000_000L;
    private final List<SinkRunner> runners = new ArrayList<>();

    /** Positions a reader for every sink now (before capture starts), registers its metrics and starts their threads. */
    public static Outputs start(Journal journal, Metrics metrics, List<Sink> sinks, SinkRunner.Start start) throws IOException {
        Outputs o = new Outputs();
        try {
            for (Sink s : sinks) o.runners.add(new SinkRunner(journal, s, null, start).register(metrics));
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
        for (SinkRunner r : o.runners) r.start();
        return o;
    }

    /** Waits until every sink has delivered everything the producers wrote, once they are done. */
    public void drain(BooleanSupplier producersDone) throws InterruptedException {
        for (SinkRunner r : runners) r.stopWhen(producersDone, STOP_GRACE_NANOS);
        for (SinkRunner r : runners) r.join();
    }

    public List<SinkRunner> runners() {
        return runners;
    }

    @Override
    public void close() {
        for (SinkRunner r : runners) r.close();
    }
}
