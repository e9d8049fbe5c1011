package io.netsensor.sinks.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local alert log rotates within its bounds and keeps the newest alerts, one JSON document per line. */
class FileSinkTest {
    @TempDir Path dir;

    static Alert alert(int i) {
        Alert.Draft d = new Alert.Draft();
        d.id = "beacon-" + i;
        d.detector = DetectorKind.BEACON;
        d.severity = Severity.HIGH;
        d.score = 0.8;
        d.hostIp = "10.0.0.5";
        d.remoteIp = "198.51.100.7";
        d.remotePort = 8443;
        d.firstSeenNanos = 1_767_225_600_000_000_000L;
        d.lastSeenNanos = d.firstSeenNanos + i * 1_000_000_000L;
        d.count = 30 + i;
        d.summary = "periodic connections every ~60 s to 198.51.100.7:8443 #" + i;
        d.evidence.put("period_s", 60);
        return d.build();
    }

    @Test
    void rotatesBySizeAndKeepsAtMostTheConfiguredFiles() throws Exception {
        Path log = dir.resolve("alerts.jsonl");
        FileSink sink = new FileSink("local", log, 8192, 2, null, "sensor-1");
        for (int i = 0; i < 200; i++) {
            sink.onAlert(alert(i));
            if (i % 10 == 9) sink.flush();
        }
        sink.flush();
        sink.close();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("alerts.jsonl", "alerts.jsonl.1", "alerts.jsonl.2");
        List<String> newestFirst = new ArrayList<>();
        for (Path p : List.of(log, dir.resolve("alerts.jsonl.1"), dir.resolve("alerts.jsonl.2"))) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(8192);
            List<String> lines = Files.readAllLines(p);
            java.util.Collections.reverse(lines);
            newestFirst.addAll(lines);
        }
        ObjectMapper m = new ObjectMapper();
        assertThat(newestFirst.get(0)).contains("beacon-199");
        for (String line : newestFirst) assertThat(m.readTree(line).isObject()).isTrue();
        assertThat(sink.rotations()).isGreaterThan(2);
    }

    @Test
    void theStderrLineSaysWhatAndWhereInOneLine() {
        Alert.Draft d = alert(1).toDraft();
        d.process = new ProcessInfo(7, 4242, 1, 1000, 5, "curl", "/usr/bin/curl", "curl x", "alice");
        String line = StderrAlertSink.line(d.build());
        assertThat(line).isEqualTo("netsensor: ALERT High beacon 10.0.0.5 -> 198.51.100.7:8443 [curl 4242]: "
                + "periodic connections every ~60 s to 198.51.100.7:8443 #1 (id beacon-1)");
    }
}
