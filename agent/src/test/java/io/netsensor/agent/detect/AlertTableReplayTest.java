package io.netsensor.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `replay --format table`: one ranked row per alert id, the beacon with its interval sparkline. */
class AlertTableReplayTest {
    @TempDir
    Path dir;

    @Test
    void longBeaconIsTheTopRowOfTheRankedTableWithItsSparkline() throws Exception {
        Traffic t = LongBeacon.traffic();
        t.tcpSession(600, LongBeacon.HOST, "198.51.100.66", 6667, 100, 300, 20); // c2_port High
        for (int i = 1; i <= 30; i++) t.tcpUnanswered(1200 + i * 0.5, LongBeacon.HOST, "203.0.113." + i, 22); // fanout Medium
        Path pcap = t.write(dir.resolve("table.pcap"));

        CliRunner.Result r = Replays.run(pcap, "--format", "table");
        List<String> lines = Arrays.stream(r.stdout().split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertThat(lines).as(r.toString()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
        List<String> rows = lines.stream().filter(l -> l.matches("^(Critical|High|Medium|Low) .*")).collect(Collectors.toList());
        assertThat(rows).as(r.toString()).hasSize(3); // beacon (one row for Medium..Critical) + c2_port + fanout
        String header = lines.get(0);
        assertThat(header).startsWith("SEVERITY").contains("DETECTOR", "HOST / PROCESS", "REMOTE", "COUNT", "LAST SEEN", "PATTERN");

        String beacon = rows.get(0);
        assertThat(beacon).startsWith("Critical").contains(" beacon ", LongBeacon.HOST, LongBeacon.C2 + ":443");
        String summary = lines.get(lines.indexOf(beacon) + 1);
        assertThat(summary).startsWith("         periodic tcp connections every ~");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("LAST SEEN is "))
                .anySatisfy(l -> assertThat(l).startsWith("PATTERN: how regular a beacon is"));
        assertThat(column(header, beacon, "DETECTOR")).isEqualTo("beacon");
        long count = Long.parseLong(rightColumn(header, beacon, "COUNT", 6));
        assertThat(column(header, beacon, "REMOTE")).isEqualTo(LongBeacon.C2 + ":443");
        // the host, and its MAC where the capture has Ethernet addresses (the kit's captures do)
        assertThat(column(header, beacon, "HOST / PROCESS")).startsWith(LongBeacon.HOST);
        assertThat(count).isGreaterThan(100);
        // ±30 % jitter: every interval within 0.7..1.3 x median, i.e. histogram buckets 3..6 of 0..2 x median
        int p = header.indexOf("PATTERN");
        String spark = beacon.substring(p, p + 10);
        assertThat(spark.substring(0, 3)).isBlank();
        assertThat(spark.substring(7)).isBlank();
        assertThat(spark.substring(3, 7)).matches("[▁▂▃▄▅▆▇█]{4}");
        assertThat(spark).contains("█"); // scaled to the fullest bucket

        assertThat(rows.get(1)).startsWith("High").contains(" c2_port ", "198.51.100.66:6667");
        assertThat(rows.get(2)).startsWith("Medium").contains(" fanout ");
        assertThat(column(header, rows.get(2), "REMOTE")).isEqualTo("30 hosts port 22"); // no one peer: what was scanned
    }

    /** The trimmed text of a left-aligned column: from its header to the next header (rows align with it). */
    private static String column(String header, String row, String name) {
        int from = header.indexOf(name);
        int to = from + name.length();
        while (to < header.length() && header.charAt(to) == ' ') to++;
        return row.substring(from, to).trim();
    }

    /** The trimmed text of a right-aligned column {@code width} wide, whose header ends where its values end. */
    private static String rightColumn(String header, String row, String name, int width) {
        int end = header.indexOf(name) + name.length();
        return row.substring(end - width, end).trim();
    }
}
