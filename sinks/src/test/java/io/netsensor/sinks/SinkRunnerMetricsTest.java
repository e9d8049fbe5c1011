package io.netsensor.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.ConnEvent;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
import io.netsensor.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runner's delivery counts, its batch sizes and its reader's counts are in the registry. */
class SinkRunnerMetricsTest {
    @TempDir
    Path dir;

    /** Takes every event; its first flush fails once, so the runner retries it. */
    static final class Collecting implements Sink {
        int pending, received;
        boolean failedOnce;

        @Override public String name() { return "test"; }
        @Override public Set<RecordKind> kinds() { return EnumSet.of(RecordKind.EVENT); }
        @Override public int pending() { return pending; }
        @Override public int maxBatch() { return 4; }
        @Override public void onConn(ConnEvent e) { pending++; received++; }
        @Override public void onDns(io.netsensor.events.DnsEvent e) {}

        @Override
        public void flush() throws IOException {
            if (!failedOnce) {
                failedOnce = true;
                throw new IOException("refused");
            }
            pending = 0;
        }
    }

    @Test
    void deliveriesRetriesAndBatchesAreCounted() throws Exception {
        Metrics m = new Metrics();
        try (Journal journal = Journal.open(dir.resolve("journal"))) {
            try (JournalWriter w = journal.writer()) {
                ConnEvent e = new ConnEvent();
                for (int i = 0; i < 10; i++) {
                    e.flowId = i;
                    w.onConn(e);
                }
            }
            Collecting sink = new Collecting();
            SinkRunner runner = new SinkRunner(journal, sink, null, SinkRunner.Start.BEGINNING, 1, 1).register(m);
            runner.start();
            runner.stopWhen(() -> true, Long.MAX_VALUE);
            runner.join();
            runner.close();
            assertThat(sink.received).isEqualTo(10);
        }
        assertThat(m.value("sink.delivered", "sink", "test")).isEqualTo(10);
        assertThat(m.value("sink.flushes", "sink", "test")).isEqualTo(3); // 4 + 4 + 2
        assertThat(m.value("sink.retries", "sink", "test")).isEqualTo(1);
        assertThat(m.value("sink.batch_records", "sink", "test")).isEqualTo(3); // a histogram's value: its samples
        assertThat(m.registry().histogram("sink.batch_records{sink=test}").getSnapshot().getMax()).isEqualTo(4);
        assertThat(m.value("journal.read", "reader", "sink.test", "type", "conn")).isEqualTo(10);
    }
}
