package io.netsensor.journal;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.codec.EventCodec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the golden journal (see src/test/resources/golden/README.md). Run once, with the codec of the
 * layout it freezes; re-running after a layout change would freeze the new layout instead, which is not
 * the point: the committed files are the old journal.
 *
 * <pre>
 * mvn -o -q -pl journal -am test-compile
 * java $(netsensor.jvm.flags) -cp journal/target/test-classes:journal/target/classes:$(deps) \
 *     io.netsensor.journal.GoldenJournalMain journal/src/test/resources/golden
 * </pre>
 */
public final class GoldenJournalMain {
    static final String ZIP = "journal-v2.zip";
    static final String EXPECTED = "expected.txt";

    private GoldenJournalMain() {}

    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args.length > 0 ? args[0] : "journal/src/test/resources/golden");
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory("golden-journal");
        List<String> expected = new ArrayList<>();
        SetTimeProvider clock = new SetTimeProvider(GoldenRecords.T0);
        try (Journal journal = Journal.builder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock).open();
             JournalWriter w = journal.writer()) {
            // first cycle file
            w.onProcess(GoldenRecords.curl());
            expected.add(GoldenRecords.dump(GoldenRecords.curl()));
            w.onConn(GoldenRecords.connOpen());
            expected.add(GoldenRecords.dump(GoldenRecords.connOpen()));
            w.onDns(GoldenRecords.dnsA());
            expected.add(GoldenRecords.dump(GoldenRecords.dnsA()));
            w.onProcess(GoldenRecords.sshd());
            expected.add(GoldenRecords.dump(GoldenRecords.sshd()));
            w.onConn(GoldenRecords.connFinV6());
            expected.add(GoldenRecords.dump(GoldenRecords.connFinV6()));
            w.onDns(GoldenRecords.dnsCnameAaaaMx());
            expected.add(GoldenRecords.dump(GoldenRecords.dnsCnameAaaaMx()));

            clock.advanceMillis(1000); // second cycle file
            w.onProcess(GoldenRecords.daemon());
            expected.add(GoldenRecords.dump(GoldenRecords.daemon()));
            w.onConn(GoldenRecords.connUdpIdle());
            expected.add(GoldenRecords.dump(GoldenRecords.connUdpIdle()));
            w.onDns(GoldenRecords.dnsNxdomain());
            expected.add(GoldenRecords.dump(GoldenRecords.dnsNxdomain()));
            w.onConn(GoldenRecords.connRst());
            expected.add(GoldenRecords.dump(GoldenRecords.connRst()));
            w.onDns(GoldenRecords.dnsUnanswered());
            expected.add(GoldenRecords.dump(GoldenRecords.dnsUnanswered()));
            if (w.rejected() != 0) throw new IllegalStateException("a golden record did not encode");

            // Version-1 records, as journals written before process attribution hold them: the version-2
            // encoding without its attribution bytes (CONN 184..207; DNS 104..127, qname section moved to 104).
            ExcerptAppender raw = journal.queue().createAppender();
            raw.writeBytes(Bytes.wrapForRead(connV1(GoldenRecords.connEvictedV1())));
            expected.add(GoldenRecords.dump(GoldenRecords.asV1(GoldenRecords.connEvictedV1())));
            raw.writeBytes(Bytes.wrapForRead(dnsV1(GoldenRecords.dnsTruncatedV1())));
            expected.add(GoldenRecords.dump(GoldenRecords.asV1(GoldenRecords.dnsTruncatedV1())));
            raw.close();
        }
        zip(dir, out.resolve(ZIP));
        Files.write(out.resolve(EXPECTED), expected, StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
        System.out.println("wrote " + expected.size() + " records to " + out.resolve(ZIP));
    }

    static byte[] connV1(ConnEvent e) {
        ByteBuffer b = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        EventCodec.encode(e, b);
        byte[] v1 = Arrays.copyOf(b.array(), 184);
        ByteBuffer h = ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, (byte) 1).putInt(4, 184);
        return v1;
    }

    static byte[] dnsV1(DnsEvent e) {
        ByteBuffer b = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        int n = EventCodec.encode(e, b);
        byte[] v2 = b.array();
        byte[] v1 = new byte[n - 24];
        System.arraycopy(v2, 0, v1, 0, 104);
        System.arraycopy(v2, 128, v1, 104, n - 128);
        ByteBuffer h = ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, (byte) 1).putInt(4, n - 24);
        return v1;
    }

    /** Zips the queue directory (its cycle files are sparse and mostly zeros, which deflate well). */
    private static void zip(Path dir, Path zip) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            z.setLevel(9);
            for (Path f : files) {
                ZipEntry entry = new ZipEntry(f.getFileName().toString());
                entry.setTime(GoldenRecords.T0 / 1_000_000L);
                z.putNextEntry(entry);
                Files.copy(f, z);
                z.closeEntry();
            }
        }
    }
}
