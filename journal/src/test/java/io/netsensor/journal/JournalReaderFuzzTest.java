package io.netsensor.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.TelemetryRow;
import io.netsensor.testkit.fuzz.FuzzRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target for {@link JournalReader}: arbitrary bytes appended as journal documents (a few per input,
 * as a newer, older or broken writer might leave them; layout: {@link FuzzRecords}), then read back. Contract: the reader never throws;
 * it consumes every document, and every one ends up in exactly one count (delivered by type, unknown type,
 * damaged, salvaged-skipped; BURST records, type 7, among the delivered); what it delivers prints (the event's fields are valid enum values and
 * lengths). Seeds: {@code FuzzSeeds} (records EventCodec, AlertCodec and TelemetryCodec wrote); the seeds run
 * in every build, fuzzing with {@code JAZZER_FUZZ=1} (README, Fuzzing).
 */
class JournalReaderFuzzTest {
    private static final int MAX_DOCS = 6;
    /** A fresh journal every so many inputs, so a long run does not fill the disk. */
    private static final int INPUTS_PER_JOURNAL = 20_000;

    private static Path dir;
    private static Journal journal;
    private static ExcerptAppender appender;
    private static JournalReader reader;
    private static int inputs;

    private final EventHandler printing = new EventHandler() {
        @Override public void onConn(ConnEvent e) { e.toString(); }
        @Override public void onBurst(io.netsensor.events.BurstEvent e) { e.toString(); }
        @Override public void onDns(DnsEvent e) { e.toString(); }
        @Override public void onProcess(ProcessEvent e) { e.toString(); }
        @Override public void onAlert(Alert a) { a.toString(); }
        @Override public void onTelemetry(TelemetryRow r) { r.toString(); }
    };

    @FuzzTest
    void read(byte[] input) {
        if (journal == null || ++inputs % INPUTS_PER_JOURNAL == 0) reopen();
        long before = counted(reader);
        java.util.List<byte[]> docs = FuzzRecords.split(input, 0, MAX_DOCS);
        for (byte[] doc : docs) appender.writeBytes(Bytes.wrapForRead(doc));
        long consumed = 0;
        for (int n; (n = reader.poll(printing, 64)) > 0; ) consumed += n;
        assertThat(consumed).as("documents consumed").isEqualTo(docs.size());
        assertThat(counted(reader) - before).as("every document counted once").isEqualTo(docs.size());
    }

    private static long counted(JournalReader r) {
        return r.conns() + r.bursts() + r.dnses() + r.processes() + r.alerts() + r.telemetry() + r.unknownTypes()
                + r.damaged() + r.salvagedSkipped();
    }

    private static void reopen() {
        close();
        try {
            dir = Files.createTempDirectory("netsensor-fuzz-journal-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        journal = Journal.open(dir);
        appender = journal.queue().createAppender();
        reader = journal.reader();
    }

    @AfterAll
    static void close() {
        if (journal == null) return;
        reader.close();
        appender.close();
        journal.close();
        journal = null;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
