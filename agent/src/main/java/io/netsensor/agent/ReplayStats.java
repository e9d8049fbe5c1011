package io.netsensor.agent;

import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.DecodeStats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Counts of a replay, printed on stderr for the person who ran it (stdout carries JSON). */
final class ReplayStats {
    private final List<File> files = new ArrayList<>();

    synchronized void add(File f) {
        files.add(f);
    }

    record File(Path path, long frames, long sourceErrors, long elapsedNanos) {}

    synchronized void print(PrintStream err, Sensor sensor, long alerts, long elapsedNanos) {
        long frames = files.stream().mapToLong(File::frames).sum();
        long sourceErrors = files.stream().mapToLong(File::sourceErrors).sum();
        double secs = elapsedNanos / 1e9;
        err.printf("netsensor replay: %d file(s), %d packets in %.2f s (%.0f packets/s)%n", files.size(), frames, secs,
                secs > 0 ? frames / secs : 0);
        Map<String, Long> p = sensor.pipeline.stats();
        err.printf("  events: %d connection records (%d flows), %d dns; journal appended %d, rejected %d%n",
                sensor.writer.conns(), p.getOrDefault("conn.flows_created", 0L), sensor.writer.dnses(), sensor.writer.appended(),
                sensor.writer.rejected());
        err.printf("  dns: %d queries, %d responses, %d unanswered, %d responses without query%n",
                p.getOrDefault("dns.queries", 0L), p.getOrDefault("dns.responses", 0L), p.getOrDefault("dns.unanswered", 0L),
                p.getOrDefault("dns.responses_without_query", 0L));
        DecodeStats d = sensor.pipeline.decoder().stats();
        err.printf("  decode: decoded %d, not decoded %d %s, malformed %d %s%n", d.total(DecodeResult.Kind.DECODED),
                d.total(DecodeResult.Kind.NOT_DECODED), d.byReason(DecodeResult.Kind.NOT_DECODED), d.malformed(),
                d.malformedByReason());
        if (sourceErrors > 0) err.printf("  unreadable records (truncated or damaged file): %d%n", sourceErrors);
        for (File f : files) {
            if (f.sourceErrors() > 0) err.printf("    %s: %d unreadable record(s)%n", f.path(), f.sourceErrors());
        }
        err.printf("  alerts: %d%n", alerts);
    }

}
