package io.netsensor.journal;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.codec.EventCodec;
import io.netsensor.events.codec.EventType;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Old journals stay readable: reads the committed golden journal (written by {@link GoldenJournalMain}
 * with the layout of its day, see golden/README.md) with today's reader and compares every field of
 * every record with the committed expected.txt.
 */
class GoldenJournalTest {
    @TempDir
    Path dir;

    @Test
    void committedJournalReadsBackEveryFieldOfEveryRecord() throws IOException {
        unpack(dir);
        List<String> expected = expected();
        List<String> got = new ArrayList<>();
        try (Journal journal = Journal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).open();
             JournalReader reader = journal.reader()) {
            EventHandler dumper = new EventHandler() {
                @Override
                public void onConn(ConnEvent e) {
                    got.add(GoldenRecords.dump(e));
                }

                @Override
                public void onDns(DnsEvent e) {
                    got.add(GoldenRecords.dump(e));
                }

                @Override
                public void onProcess(ProcessEvent e) {
                    got.add(GoldenRecords.dump(e));
                }

                @Override
                public void onAlert(Alert a) {
                    got.add("ALERT " + a);
                }
            };
            assertThat(TestEvents.drain(reader, dumper)).isEqualTo(13);
            assertThat(reader.damaged()).isZero();
            assertThat(reader.unknownTypes()).isZero();
            assertThat(reader.conns()).isEqualTo(5);
            assertThat(reader.dnses()).isEqualTo(5);
            assertThat(reader.processes()).isEqualTo(3);
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void journalHoldsBothLayoutVersionsAcrossTwoCycleFiles() throws IOException {
        unpack(dir);
        List<Integer> versions = new ArrayList<>();
        try (Journal journal = Journal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).open()) {
            ExcerptTailer t = journal.queue().createTailer();
            for (;;) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) break;
                    Bytes<?> b = dc.wire().bytes();
                    versions.add(b.readUnsignedByte(b.readPosition()));
                }
            }
            assertThat(journal.queue().firstCycle()).isNotEqualTo(journal.queue().lastCycle());
        }
        assertThat(versions).containsExactly(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1);
    }

    @Test
    void todaysWriterEncodesTheVersion2RecordsByteForByteAsTheyWereWritten() throws IOException {
        // The reading test proves old bytes still decode; this one proves the writer's layout did not move.
        unpack(dir);
        ConnEvent conn = new ConnEvent();
        DnsEvent dns = new DnsEvent();
        ProcessEvent process = new ProcessEvent();
        ByteBuffer again = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        int compared = 0;
        try (Journal journal = Journal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).open()) {
            ExcerptTailer t = journal.queue().createTailer();
            for (;;) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) break;
                    Bytes<?> b = dc.wire().bytes();
                    byte[] stored = new byte[(int) b.readRemaining()];
                    b.read(stored);
                    ByteBuffer in = ByteBuffer.wrap(stored);
                    if (stored[0] != EventCodec.LAYOUT_VERSION) continue; // v1: not written any more
                    again.clear();
                    EventType type = EventCodec.peekType(in);
                    if (type == EventType.CONN) {
                        assertThat(EventCodec.decode(in, conn)).isTrue();
                        EventCodec.encode(conn, again);
                    } else if (type == EventType.DNS) {
                        assertThat(EventCodec.decode(in, dns)).isTrue();
                        EventCodec.encode(dns, again);
                    } else {
                        assertThat(EventCodec.decode(in, process)).isTrue();
                        EventCodec.encode(process, again);
                    }
                    assertThat(Arrays.copyOf(again.array(), again.position())).as("record %d (%s)", compared, type)
                            .isEqualTo(stored);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(11);
    }

    @Test
    void dumpNamesEveryFieldOfTheRecords() throws IllegalAccessException {
        // Guards "every field": a field added to a record must be added to the dump (and expected.txt
        // shows what old records read it as).
        assertNamesEveryField(GoldenRecords.dump(GoldenRecords.connOpen()), ConnEvent.class);
        assertNamesEveryField(GoldenRecords.dump(GoldenRecords.dnsA()), DnsEvent.class);
        assertNamesEveryField(GoldenRecords.dump(GoldenRecords.curl()), ProcessEvent.class);
    }

    private static void assertNamesEveryField(String dump, Class<?> type) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            assertThat(dump).as("%s.%s", type.getSimpleName(), f.getName()).contains(" " + f.getName() + "=");
        }
    }

    private static List<String> expected() throws IOException {
        try (InputStream in = resource(GoldenJournalMain.EXPECTED)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * Unzips the journal, writing only the non-zero 4 KiB blocks: the cycle files are 80 MiB each and
     * almost all zeros (sparse on the disk that wrote them), so they stay sparse here too.
     */
    static void unpack(Path dir) throws IOException {
        try (ZipInputStream z = new ZipInputStream(resource(GoldenJournalMain.ZIP))) {
            byte[] block = new byte[4096];
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path f = dir.resolve(e.getName()).normalize();
                if (!f.startsWith(dir)) throw new IOException("entry outside the directory: " + e.getName());
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long pos = 0;
                    for (int n; (n = z.readNBytes(block, 0, block.length)) > 0; pos += n) {
                        if (!allZero(block, n)) ch.write(ByteBuffer.wrap(block, 0, n), pos);
                    }
                    if (ch.size() < pos) ch.write(ByteBuffer.allocate(1), pos - 1); // the full length
                }
            }
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) if (b[i] != 0) return false;
        return true;
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(GoldenJournalTest.class.getResourceAsStream("/golden/" + name), name);
    }
}
