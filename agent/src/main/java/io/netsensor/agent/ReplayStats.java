package io.netsensor.agent;

import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.DecodeStats;
import io.netsensor.capture.source.SourceDamage;
import io.netsensor.journal.JournalWriter;
import io.netsensor.metrics.Metrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Counts of a replay, printed on stderr for the person who ran it (stdout carries JSON); read from the registry. */
final class ReplayStats {
    private final List<File> files = new ArrayList<>();

    synchronized void add(File f) {
        files.add(f);
    }

    record File(Path path, long frames, SourceDamage damage, long elapsedNanos) {}

    synchronized void print(PrintStream err, Metrics m, long elapsedNanos) {
        long frames = files.stream().mapToLong(File::frames).sum();
        double secs = elapsedNanos / 1e9;
        err.printf("netsensor replay: %d file(s), %d packets in %.2f s (%.0f packets/s)%n", files.size(), frames, secs,
                secs > 0 ? frames / secs : 0);
        err.printf("  events: %d connection records (%d flows), %d dns; journal appended %d, rejected %d%n",
                m.value(JournalWriter.recordsMetric(Sensor.WRITER, "conn")), m.value("conn.flows_created"),
                m.value(JournalWriter.recordsMetric(Sensor.WRITER, "dns")),
                m.value("journal.appended", "writer", Sensor.WRITER), m.value("journal.rejected", "writer", Sensor.WRITER));
        err.printf("  dns: %d queries, %d responses, %d unanswered, %d responses without query%n",
                m.value("dns.queries"), m.value("dns.responses"), m.value("dns.unanswered"),
                m.value("dns.responses_without_query"));
        err.printf("  decode: decoded %d, not decoded %d %s, malformed %d %s%n",
                DecodeStats.total(m, DecodeResult.Kind.DECODED), DecodeStats.total(m, DecodeResult.Kind.NOT_DECODED),
                DecodeStats.byReason(m, DecodeResult.Kind.NOT_DECODED), DecodeStats.total(m, DecodeResult.Kind.MALFORMED),
                DecodeStats.byReason(m, DecodeResult.Kind.MALFORMED));
        for (String line : RobustnessCounts.lines(m)) err.println(line);
        printDamage(err);
        err.printf("  alerts: %d%n", m.sum("detect.alerts_journaled"));
    }

    /**
     * Per damaged file: its counts by kind, then where (byte offset), what and where reading resumed, for
     * the first few places; every readable record before and after them was replayed.
     */
    private void printDamage(PrintStream err) {
        for (File f : files) {
            SourceDamage d = f.damage();
            if (d.total() == 0) continue;
            err.printf("  damaged input: %s: %s record(s) or block(s) skipped%n", f.path(), d.counts());
            for (String place : d.described()) err.printf("    %s%n", place);
            if (d.total() > d.described().size()) err.printf("    (%d more)%n", d.total() - d.described().size());
        }
    }
}
