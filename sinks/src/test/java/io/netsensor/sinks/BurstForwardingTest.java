package io.netsensor.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.config.ConfigException;
import io.netsensor.config.Settings;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BURST records reach the sinks as the connection records do: a sink configured with {@code kinds: [events]}
 * forwards them encoded (ECS, dataset netsensor.burst, the connection's flow id), {@code bursts} forwards
 * only them, and an alerts-only sink none.
 */
@Timeout(60)
class BurstForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000_000_000L;
    @TempDir Path dir;

    @Test
    void aSinkForwardingEventsDeliversTheBurstsEncoded() throws Exception {
        Path config = dir.resolve("netsensor.yaml");
        Files.writeString(config, "sinks:\n"
                + "  - {name: raw, type: file, path: " + dir.resolve("raw.json") + ", kinds: [events]}\n"
                + "  - {name: beacons, type: file, path: " + dir.resolve("bursts.json") + ", kinds: [bursts]}\n"
                + "  - {name: alerts, type: file, path: " + dir.resolve("alerts.json") + "}\n");
        Settings s = SettingsLoader.load(config, SinkFactory::check);
        List<SinkFactory.Spec> specs = SinkFactory.specs(s, (k, r) -> new ConfigException(k + ": " + r), "sensor-1");
        try (Journal journal = Journal.open(dir.resolve("journal"))) {
            writeConnectionWithTwoBursts(journal);
            for (SinkFactory.Spec spec : specs) {
                SinkRunner r = new SinkRunner(journal, spec.open(), null, SinkRunner.Start.BEGINNING).start();
                r.stopWhen(() -> true, Long.MAX_VALUE);
                r.join();
                r.close();
            }
        }
        List<JsonNode> raw = lines(dir.resolve("raw.json"));
        assertThat(raw).extracting(d -> d.at("/event/dataset").asText())
                .containsExactly("netsensor.conn", "netsensor.burst", "netsensor.burst", "netsensor.conn");
        JsonNode burst = raw.get(2);
        assertThat(burst.at("/netsensor/flow_id").asText()).isEqualTo(raw.get(0).at("/netsensor/flow_id").asText()).isEqualTo("beef");
        assertThat(burst.at("/network/community_id").asText()).isEqualTo(raw.get(0).at("/network/community_id").asText());
        assertThat(burst.at("/netsensor/burst/index").asInt()).isEqualTo(2);
        assertThat(burst.at("/netsensor/burst/orig_bytes").asInt()).isEqualTo(80);
        assertThat(burst.at("/netsensor/burst/resp_bytes").asInt()).isEqualTo(1200);
        assertThat(burst.at("/netsensor/burst/idle_before").asLong()).isEqualTo(60_000_000_000L);
        assertThat(burst.at("/source/ip").asText()).isEqualTo("10.0.0.5");
        assertThat(burst.at("/host/name").asText()).isEqualTo("sensor-1");
        assertThat(lines(dir.resolve("bursts.json"))).extracting(d -> d.at("/netsensor/burst/index").asInt()).containsExactly(1, 2);
        assertThat(dir.resolve("alerts.json")).as("an alerts-only sink writes nothing").doesNotExist();
    }

    /** An OPEN record, two bursts 60 s apart, the END record: one long-lived TLS session. */
    private static void writeConnectionWithTwoBursts(Journal journal) {
        JournalWriter w = journal.writer();
        long[] orig = Ip.parse("10.0.0.5"), resp = Ip.parse("198.51.100.7");
        ConnEvent c = new ConnEvent();
        c.flowId = 0xbeefL;
        c.transport = Transport.TCP;
        c.direction = Direction.OUTBOUND;
        c.origIpHi = orig[0]; c.origIpLo = orig[1]; c.origPort = 50123;
        c.respIpHi = resp[0]; c.respIpLo = resp[1]; c.respPort = 443;
        c.startNanos = T0;
        c.phase = ConnEvent.Phase.OPEN;
        c.endReason = ConnEvent.EndReason.OPEN;
        c.state = ConnState.S1;
        w.onConn(c);
        BurstEvent b = new BurstEvent();
        for (int i = 1; i <= 2; i++) {
            b.clear();
            b.flowId = c.flowId;
            b.flowStartNanos = T0;
            b.transport = Transport.TCP;
            b.direction = Direction.OUTBOUND;
            b.origIpHi = orig[0]; b.origIpLo = orig[1]; b.origPort = 50123;
            b.respIpHi = resp[0]; b.respIpLo = resp[1]; b.respPort = 443;
            b.startNanos = T0 + i * 60_000_000_000L;
            b.endNanos = b.startNanos + 40_000_000L;
            b.gapNanos = 60_000_000_000L;
            b.origBytes = 80; b.respBytes = 1200; b.origPkts = 1; b.respPkts = 2;
            b.index = i;
            b.flags = BurstEvent.FLOW_START_SEEN | (i == 1 ? BurstEvent.FIRST_IN_FLOW : 0);
            w.onBurst(b);
        }
        c.phase = ConnEvent.Phase.END;
        c.endReason = ConnEvent.EndReason.FIN;
        c.state = ConnState.SF;
        c.endNanos = T0 + 200_000_000_000L;
        w.onConn(c);
        w.close();
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(JSON.readTree(line));
        return out;
    }
}
