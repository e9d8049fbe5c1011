package io.netsensor.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import io.netsensor.events.TelemetryRow;
import io.netsensor.events.codec.AlertCodec;
import io.netsensor.events.codec.EventCodec;
import io.netsensor.events.codec.SalvagedCodec;
import io.netsensor.events.codec.TelemetryCodec;
import io.netsensor.testkit.fuzz.FuzzRecords;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed corpus of {@link JournalReaderFuzzTest}: journal documents of every record type as the codecs
 * write them (the golden records, an alert, telemetry rows, a salvaged alert), alone and mixed, and the
 * usual damage (cut short, shorter than a header, a type from a newer writer). The committed files must
 * equal what this builds; rebuild with {@code mvn -pl journal test -Dtest=FuzzSeedsTest -Dfuzz.seeds.write=true}.
 */
class FuzzSeedsTest {
    private static final Path DIR = Path.of("src/test/resources/io/netsensor/journal/JournalReaderFuzzTestInputs/read");

    @Test
    void journalReaderSeeds() {
        byte[] conn = encode(b -> EventCodec.encode(GoldenRecords.connFinV6(), b));
        byte[] dns = encode(b -> EventCodec.encode(GoldenRecords.dnsCnameAaaaMx(), b));
        byte[] process = encode(b -> EventCodec.encode(GoldenRecords.curl(), b));
        byte[] alert = encode(b -> AlertCodec.encode(alert(), b));
        byte[] telemetry = encode(b -> TelemetryCodec.encode(conn(), b));
        byte[] salvaged = SalvagedCodec.wrap(alert, 42);
        byte[] newer = conn.clone();
        newer[EventCodec.HEADER_TYPE_OFFSET] = 30; // a type code this build does not know
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("conn", FuzzRecords.join(new byte[0], List.of(conn)));
        seeds.put("dns", FuzzRecords.join(new byte[0], List.of(dns)));
        seeds.put("process", FuzzRecords.join(new byte[0], List.of(process)));
        seeds.put("alert", FuzzRecords.join(new byte[0], List.of(alert)));
        seeds.put("telemetry", FuzzRecords.join(new byte[0], List.of(telemetry)));
        seeds.put("salvaged", FuzzRecords.join(new byte[0], List.of(salvaged)));
        seeds.put("mixed-and-damaged", FuzzRecords.join(new byte[0], List.of(conn, Arrays.copyOf(dns, dns.length / 2),
                new byte[] {1, 2, 3}, newer, process)));
        List<String> differing = FuzzRecords.writeOrCheck(DIR, Boolean.getBoolean("fuzz.seeds.write"), seeds);
        assertThat(differing).as("committed seeds differ from the generators; rebuild with -Dfuzz.seeds.write=true").isEmpty();
    }

    private interface Encoder {
        int encode(ByteBuffer b);
    }

    private static byte[] encode(Encoder e) {
        ByteBuffer b = ByteBuffer.allocate(AlertCodec.MAX_SIZE);
        int n = e.encode(b);
        return Arrays.copyOf(b.array(), n);
    }

    /** An alert with a process and nested evidence, in a fixed order (the seed must be the same every build). */
    private static Alert alert() {
        Alert.Draft d = new Alert.Draft();
        d.detector = DetectorKind.values()[1];
        d.severity = Severity.values()[2];
        d.id = d.detector.label + "-1007";
        d.score = 0.071;
        d.hostIp = "10.0.0.7";
        d.hostMac = "02-00-0A-00-00-05";
        d.process = new ProcessInfo(217L, 4007, 1, 1000, TestEvents.timeOf(7) - 5, "proc7", "/usr/bin/proc7",
                "proc --flag 7", "alice");
        d.remoteIp = "198.51.100.7";
        d.remotePort = 1031;
        d.firstSeenNanos = TestEvents.timeOf(7) - 1_000_000;
        d.lastSeenNanos = TestEvents.timeOf(7);
        d.count = 7;
        d.summary = "alert 7 \u00e9";
        d.evidence.put("n", 7);
        d.evidence.put("big", 7L << 40);
        d.evidence.put("ratio", 1.0);
        d.evidence.put("flag", true);
        d.evidence.put("histogram", List.of(1, 5, 9, 2));
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("domain", "x7.example");
        sample.put("nxdomain", true);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("samples", List.of(sample));
        sub.put("none", null);
        d.evidence.put("sub", sub);
        return d.build();
    }

    private static TelemetryRow conn() {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.CONN);
        b.intervalStartNanos = 1_767_225_600_000_000_000L;
        b.intervalEndNanos = b.intervalStartNanos + 60_000_000_000L;
        b.localIp = "10.0.0.5";
        b.remoteIp = "2001:db8::7";
        b.remotePort = 443;
        b.connections = 12;
        b.bytesOut = 1200;
        b.names = List.of("api.example.com");
        return b.build();
    }
}
