package io.netsensor.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Damaged cycle files, shared by a journal's readers: reports each damaged cycle once (one line on stderr,
 * file and index, no stack trace), moves a damaged cycle that is not being written aside to
 * {@code <journal dir>/quarantine/} (same file name) and keeps a ledger of how many records each
 * quarantined cycle held ({@code quarantine/quarantined.tsv}), so a reader that jumps over a quarantined
 * cycle counts them as skipped-damaged instead of losing them silently. Retention never sees the
 * quarantine directory (Chronicle lists only the journal directory's own {@code .cq4} files).
 *
 * <p>Also checks cycle files before Chronicle opens them ({@link #screen(Path)}): a file whose first
 * header is zero, incomplete or not metadata (zeroed, truncated to nothing) makes Chronicle wait for a
 * writer to finish it, forever, on every reader that reaches it; such files are quarantined at open.
 */
final class JournalDamage {
    static final String DIR = "quarantine", LEDGER = "quarantined.tsv";
    private static final String SUFFIX = ".cq4";
    /** A newest cycle file younger than this may be one a writer is creating now: never screened out. */
    private static final long NEW_FILE_MILLIS = 10_000;

    private final Path journalDir, quarantineDir;
    private final DeletedCycles ledger;
    private final Set<Integer> reported = new HashSet<>();
    private final PrintStream err;
    private SingleChronicleQueue queue;
    private volatile long quarantinedCycles;

    JournalDamage(Path journalDir, PrintStream err) {
        this.journalDir = journalDir;
        this.quarantineDir = journalDir.resolve(DIR);
        this.ledger = new DeletedCycles(quarantineDir, LEDGER);
        this.err = err;
    }

    void attach(SingleChronicleQueue queue) {
        this.queue = queue;
    }

    Path quarantineDir() {
        return quarantineDir;
    }

    /**
     * Before the queue opens: quarantines cycle files Chronicle would block on (first header zero,
     * incomplete, not metadata, or a file shorter than a header). Returns the files moved.
     */
    int screen(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) files.add(p);
        } catch (IOException e) {
            return 0; // no directory yet
        }
        files.sort(null);
        int moved = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            if (firstHeaderReadable(f)) continue;
            if (i == files.size() - 1 && recentlyModified(f)) continue;
            if (moveAside(f)) {
                moved++;
                quarantinedCycles++;
                err.println("netsensor: journal: damaged cycle file " + f.getFileName()
                        + " (no readable header at offset 0), moved to " + DIR + "/" + f.getFileName());
            }
        }
        return moved;
    }

    /** Whether a cycle file's first document header is a complete metadata header (the store's). */
    static boolean firstHeaderReadable(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) if (ch.read(b) < 0) return false;
            int h = b.getInt(0);
            int len = h & 0x3FFF_FFFF;
            return (h & 0x8000_0000) == 0 && (h & 0x4000_0000) != 0 && len > 0 && len + 4L <= ch.size();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean recentlyModified(Path f) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis() < NEW_FILE_MILLIS;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * A reader found damage in {@code cycle} at {@code index} and skipped {@code skipped} records
     * (-1: an unknown number) to {@code resumedAt} (-1: the end). Reports the cycle once; quarantines it when it is
     * not being written. Returns whether this call quarantined it.
     */
    synchronized boolean damaged(int cycle, long index, long skipped, long resumedAt, long recordsInCycle) {
        boolean quarantine = canQuarantine(cycle);
        Path file = fileOf(cycle);
        boolean moved = false;
        if (quarantine && file != null && Files.exists(file)) {
            moved = moveAside(file);
            if (moved) {
                ledger.record(cycle, Math.max(0, recordsInCycle));
                quarantinedCycles++;
                queue.refreshDirectoryListing();
            }
        }
        if (reported.add(cycle)) {
            RollCycle rc = queue.rollCycle();
            err.println("netsensor: journal: damaged record in cycle file "
                    + (file == null ? "cycle " + cycle : file.getFileName().toString())
                    + " at index 0x" + Long.toHexString(index) + " (sequence " + rc.toSequenceNumber(index) + "): skipped "
                    + (skipped < 0 ? "an unknown number of" : Long.toString(skipped)) + " record(s), resuming at "
                    + (resumedAt < 0 ? "the end" : "index 0x" + Long.toHexString(resumedAt))
                    + (moved ? "; cycle moved to " + DIR + "/" + file.getFileName()
                            : quarantine ? "" : "; cycle kept (being written)"));
        }
        return moved;
    }

    /** A cycle may be moved aside when it is neither the clock's current cycle nor the newest file. */
    private boolean canQuarantine(int cycle) {
        return queue != null && cycle < queue.cycle() && cycle < queue.lastCycle();
    }

    /** Records of quarantined cycles in [fromCycle, toCycle). */
    long quarantinedBetween(int fromCycle, int toCycle) {
        return fromCycle >= toCycle ? 0 : ledger.lostBetween(fromCycle, 0, toCycle);
    }

    /** Records the quarantined cycle held, -1 when it was not quarantined. */
    long quarantinedRecords(int cycle) {
        return ledger.recordsOf(cycle);
    }

    long quarantinedCycles() {
        return quarantinedCycles;
    }

    /** Bytes the quarantined files hold (apparent size: they are left as they were found). */
    long quarantinedBytes() {
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(quarantineDir, "*" + SUFFIX)) {
            for (Path p : ds) n += Files.size(p);
        } catch (IOException e) {
            // nothing quarantined
        }
        return n;
    }

    /** The cycle's file name, computed as Chronicle names it (opening the store could block on a damaged file). */
    private Path fileOf(int cycle) {
        RollCycle rc = queue.rollCycle();
        long startMillis = queue.epoch() + (long) cycle * rc.lengthInMillis();
        return journalDir.resolve(java.time.format.DateTimeFormatter.ofPattern(rc.format()).withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochMilli(startMillis)) + SUFFIX);
    }

    private boolean moveAside(Path file) {
        try {
            Files.createDirectories(quarantineDir);
            Path to = quarantineDir.resolve(file.getFileName());
            if (Files.exists(to)) to = quarantineDir.resolve(file.getFileName() + "." + System.currentTimeMillis());
            try {
                Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, to);
            }
            return true;
        } catch (IOException e) {
            err.println("netsensor: journal: could not move damaged cycle file " + file.getFileName() + " aside: " + e);
            return false;
        }
    }
}
