package io.netsensor.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger of cycle files retention deleted and how many records each held, kept beside the cycles
 * ({@code deleted-cycles.tsv}: cycle TAB records per line, appended), so a reader whose position fell
 * into a deleted cycle can say exactly how many records it lost, even after a restart. Bounded: only the
 * newest {@link #MAX_ENTRIES} cycles are kept (older gaps are reported as "at least").
 */
final class DeletedCycles {
    static final String FILE = "deleted-cycles.tsv";
    static final int MAX_ENTRIES = 10_000;
    private final Path file;
    private final TreeMap<Integer, Long> counts = new TreeMap<>();

    DeletedCycles(Path journalDir) {
        this(journalDir, FILE);
    }

    /** A ledger of the same shape in {@code dir/fileName} (the quarantine's, for one). */
    DeletedCycles(Path dir, String fileName) {
        this.file = dir.resolve(fileName);
        load();
    }

    private void load() {
        if (!Files.exists(file)) return;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int tab = line.indexOf('\t');
                if (tab <= 0) continue; // a line torn by a crash: skipped
                try {
                    counts.put(Integer.parseInt(line.substring(0, tab)), Long.parseLong(line.substring(tab + 1)));
                } catch (NumberFormatException ignored) {
                    // same: a torn line
                }
            }
        } catch (IOException ignored) {
            // unreadable ledger: gaps are then reported without exact counts
        }
        while (counts.size() > MAX_ENTRIES) counts.pollFirstEntry();
    }

    synchronized void record(int cycle, long records) {
        counts.put(cycle, records);
        while (counts.size() > MAX_ENTRIES) counts.pollFirstEntry();
        try {
            Files.writeString(file, cycle + "\t" + records + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the ledger is best effort; the deletion itself already happened
        }
    }

    /** Records of deleted cycles in [fromCycle, toCycle), minus the first {@code skipInFirst} of fromCycle. */
    synchronized long lostBetween(int fromCycle, long skipInFirst, int toCycle) {
        long n = 0;
        for (Map.Entry<Integer, Long> e : counts.subMap(fromCycle, true, toCycle, false).entrySet()) {
            n += e.getKey() == fromCycle ? Math.max(0, e.getValue() - skipInFirst) : e.getValue();
        }
        return n;
    }

    /** Records the ledger holds for the cycle, -1 when it is not in it. */
    synchronized long recordsOf(int cycle) {
        Long n = counts.get(cycle);
        return n == null ? -1 : n;
    }

    synchronized boolean wasDeleted(int cycle) {
        return counts.containsKey(cycle);
    }
}
