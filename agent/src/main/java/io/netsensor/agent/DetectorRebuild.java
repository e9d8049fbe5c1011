package io.netsensor.agent;

import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import java.time.Duration;

/**
 * After a restart, replays the last window of the journal into the detectors before live events, so a
 * beacon that began before the restart is still caught after it. The caller journals nothing while
 * rebuilding: those alerts were journaled by the previous run (the alert gate relearns them from the
 * window's ALERT records and from re-raising them, so they are not raised twice).
 */
final class DetectorRebuild {
    private DetectorRebuild() {}

    /**
     * Positions {@code reader} at the start of the window ending at the journal's last event, feeds every
     * record up to the current end to {@code detection}, and leaves the reader at the end.
     *
     * @return events replayed
     */
    static long run(Journal journal, JournalReader reader, EventHandler detection, Duration window) {
        long end = journal.lastIndex();
        if (end < 0) {
            reader.toEnd();
            return 0;
        }
        long last = lastEventTime(journal);
        // seekToTime lands on a boundary of a nearly time-ordered journal: start a minute earlier.
        reader.seekToTime(last - window.toNanos() - 60_000_000_000L);
        long n = 0;
        int got;
        while (reader.index() <= end && (got = reader.poll(detection, 4096)) > 0) n += got;
        return n;
    }

    static long lastEventTime(Journal journal) {
        long[] max = {Long.MIN_VALUE};
        try (JournalReader r = journal.reader()) {
            if (!r.moveToIndex(journal.lastIndex())) return System.currentTimeMillis() * 1_000_000L;
            r.poll(new EventHandler() {
                @Override
                public void onConn(ConnEvent e) {
                    max[0] = Math.max(max[0], e.endNanos);
                }

                @Override
                public void onDns(DnsEvent e) {
                    max[0] = Math.max(max[0], e.tsNanos);
                }

                // the journal often ends with what the detectors and rollups appended: their times count as well
                // (without them a replayed journal's window was placed at the wall clock, before nothing)
                @Override
                public void onAlert(io.netsensor.events.Alert a) {
                    max[0] = Math.max(max[0], a.lastSeenNanos);
                }

                @Override
                public void onTelemetry(io.netsensor.events.TelemetryRow row) {
                    max[0] = Math.max(max[0], row.intervalEndNanos);
                }
            }, 1);
        }
        return max[0] == Long.MIN_VALUE ? System.currentTimeMillis() * 1_000_000L : max[0];
    }
}
