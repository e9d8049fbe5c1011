package io.netsensor.journal;

import java.nio.file.Path;

/** Child process of {@link JournalPrivacyTest}: opens a journal, writes and reads, closes. */
public final class OpenQueueMain {
    private OpenQueueMain() {}

    public static void main(String[] args) {
        long read;
        try (Journal journal = Journal.open(Path.of(args[0]))) {
            try (JournalWriter writer = journal.writer()) {
                TestEvents gen = new TestEvents();
                for (int i = 0; i < 100; i++) gen.emit(i, writer);
            }
            try (JournalReader reader = journal.reader()) {
                read = TestEvents.drain(reader, new TestEvents.Checker());
            }
        }
        System.out.println("journal-ok " + read);
    }
}
