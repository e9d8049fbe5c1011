package io.netsensor.journal;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Appends per second of a single writer: 2 M mixed events (2/3 conn, 1/3 DNS), after a 200 k warm-up,
 * then reads them back. Run: java $FLAGS -cp test-classes:classes:deps io.netsensor.journal.JournalThroughputMain [dir]
 */
public final class JournalThroughputMain {
    private JournalThroughputMain() {}

    public static void main(String[] args) throws Exception {
        int n = 2_000_000;
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("journal-bench");
        TestEvents gen = new TestEvents();
        // pre-generated records: measure the journal, not the test generator
        ConnEvent[] conns = new ConnEvent[64];
        DnsEvent[] dnses = new DnsEvent[32];
        for (int i = 0; i < conns.length; i++) { conns[i] = new ConnEvent(); conns[i].copyFrom(gen.conn(i)); }
        for (int i = 0; i < dnses.length; i++) { dnses[i] = new DnsEvent(); dnses[i].copyFrom(gen.dns(i * 3L + 2)); }
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            append(writer, conns, dnses, 200_000);
            long t0 = System.nanoTime();
            append(writer, conns, dnses, n);
            long t1 = System.nanoTime();
            System.out.printf("append: %d events in %.3f s = %.0f events/s (%.0f ns/event)%n",
                    n, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9), (double) (t1 - t0) / n);
            try (JournalReader reader = journal.reader()) {
                TestEvents.Checker sink = new TestEvents.Checker();
                long t2 = System.nanoTime();
                long read = TestEvents.drain(reader, sink);
                long t3 = System.nanoTime();
                System.out.printf("read:   %d events in %.3f s = %.0f events/s%n", read, (t3 - t2) / 1e9, read / ((t3 - t2) / 1e9));
            }
            System.out.printf("disk: %d real bytes (%.1f bytes/event)%n", journal.diskBytes(), journal.diskBytes() / (double) (n + 200_000));
        }
    }

    private static void append(JournalWriter w, ConnEvent[] conns, DnsEvent[] dnses, int n) {
        for (int i = 0; i < n; i++) {
            if (i % 3 == 2) w.onDns(dnses[i & 31]);
            else w.onConn(conns[i & 63]);
        }
    }
}
