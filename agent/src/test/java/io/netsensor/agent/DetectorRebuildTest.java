package io.netsensor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.journal.JournalWriter;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A beacon that began before a restart is still caught after it, because detectors re-read the journal. */
class DetectorRebuildTest {
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;

    @TempDir Path dir;

    @Test
    void beaconStartedBeforeRestartAlertsAfterIt() throws Exception {
        assertThat(runAcrossRestart(true)).as("alerts after a restart with rebuild").isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.at("/rule/id").asText()).isEqualTo("beacon");
                    assertThat(a.at("/destination/ip").asText()).isEqualTo("198.51.100.10");
                    assertThat(a.at("/netsensor/count").asLong()).isGreaterThan(20); // counts the pre-restart connections
                });
    }

    @Test
    void withoutRebuildTheSameTrafficAfterRestartIsBelowThreshold() throws Exception {
        // Control: the post-restart half alone spans 20 minutes, under the seed's 30-minute minimum.
        assertThat(runAcrossRestart(false)).isEmpty();
    }

    @Test
    void alertsRaisedBeforeTheRestartAreNotRepeated() throws Exception {
        Settings settings = SettingsLoader.defaults();
        try (Journal journal = Sensor.openJournal(settings, dir)) {
            JournalWriter w = journal.writer();
            for (int i = 0; i < 60; i++) w.onConn(beacon(i)); // one hour: alerted in the first run
            w.flush();
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Journal journal = Sensor.openJournal(settings, dir); JournalReader reader = journal.reader();
             Consumers c = new Consumers(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false, settings)) {
            long n = DetectorRebuild.run(journal, reader, c, Duration.ofHours(2));
            assertThat(n).isEqualTo(60);
            assertThat(c.rebuiltAlerts()).isGreaterThan(0);
            c.finish();
        }
        assertThat(buf.toString(StandardCharsets.UTF_8).trim()).isEmpty();
    }

    private List<JsonNode> runAcrossRestart(boolean rebuild) throws Exception {
        Settings settings = SettingsLoader.defaults();
        try (Journal journal = Sensor.openJournal(settings, dir)) { // first run: 20 minutes of beaconing
            JournalWriter w = journal.writer();
            for (int i = 0; i < 20; i++) w.onConn(beacon(i));
            w.flush();
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Journal journal = Sensor.openJournal(settings, dir); JournalReader reader = journal.reader();
             Consumers c = new Consumers(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false, settings)) {
            if (rebuild) {
                DetectorRebuild.run(journal, reader, c, Duration.ofHours(2));
            } else {
                reader.toEnd();
            }
            JournalWriter w = journal.writer(); // second run: 20 more minutes
            for (int i = 20; i < 40; i++) w.onConn(beacon(i));
            while (reader.poll(c, 1000) > 0) {
                // drain
            }
            c.finish();
        }
        List<JsonNode> alerts = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) alerts.add(m.readTree(line));
        }
        return alerts;
    }

    private static ConnEvent beacon(int i) {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.flowId = 1000 + i;
        e.startNanos = T0 + i * MINUTE + (i % 3) * 1_000_000_000L;
        e.endNanos = e.startNanos + 80_000_000L;
        e.transport = Transport.TCP;
        long[] src = Ip.parse("10.0.0.5"), dst = Ip.parse("198.51.100.10");
        e.origIpHi = src[0]; e.origIpLo = src[1]; e.origPort = 40000 + i;
        e.respIpHi = dst[0]; e.respIpLo = dst[1]; e.respPort = 8443;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.SF;
        e.setHistory("ShADadFf");
        e.origPkts = 6; e.respPkts = 5; e.origBytes = 310; e.respBytes = 1200;
        e.origIpBytes = 630; e.respIpBytes = 1460;
        return e;
    }
}
