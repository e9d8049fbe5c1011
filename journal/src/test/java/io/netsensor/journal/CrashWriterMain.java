package io.netsensor.journal;

import java.nio.file.Path;

/**
 * Child process of {@link JournalCrashTest}: appends test events forever and prints "appended N"
 * after every {@code printEvery} events, until it is killed.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long printEvery = Long.parseLong(args[1]);
        TestEvents gen = new TestEvents();
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.writer()) {
            for (long seq = 0; ; seq++) {
                gen.emit(seq, writer);
                if ((seq + 1) % printEvery == 0) {
                    System.out.println("appended " + (seq + 1));
                    System.out.flush();
                }
            }
        }
    }
}
