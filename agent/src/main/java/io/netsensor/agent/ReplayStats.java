package io.netsensor.agent;

import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.DecodeStats;
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

    record File(Path path, long frames, long sourceErrors, long elapsedNanos) {}

    synchronized void print(PrintStream err, Metrics m, long elapsedNanos) {
        long frames = files.stream().mapToLong(File::frames).sum();
        long sourceErrors = files.stream().mapToLong(File::sourceErrors).sum();
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
        // state held at its cap: what was pushed out to make room (a flood, or tables too small for the network)
        err.printf("  evictions: connections %d, dns queries %d, dns tcp streams %d, fragments %d, detector state %d%n",
                m.value("conn.flows_ended", "reason", "evicted"), m.value("dns.evictions"),
                m.value("dns.tcp.stream_evictions"), m.value("capture.fragments.evicted"),
                m.sum("detector.evictions") + m.sum("detector.dga.domain_evictions") + m.sum("detector.gate.evictions"));
        err.printf("  decode: decoded %d, not decoded %d %s, malformed %d %s%n",
                DecodeStats.total(m, DecodeResult.Kind.DECODED), DecodeStats.total(m, DecodeResult.Kind.NOT_DECODED),
                DecodeStats.byReason(m, DecodeResult.Kind.NOT_DECODED), DecodeStats.total(m, DecodeResult.Kind.MALFORMED),
                DecodeStats.byReason(m, DecodeResult.Kind.MALFORMED));
        if (sourceErrors > 0) err.printf("  unreadable records (truncated or damaged file): %d%n", sourceErrors);
        for (File f : files) {
            if (f.sourceErrors() > 0) err.printf("    %s: %d unreadable record(s)%n", f.path(), f.sourceErrors());
        }
        err.printf("  alerts: %d%n", m.sum("detect.alerts_journaled"));
    }
}
