package io.netsensor.agent.replay;

import static io.netsensor.testkit.pcap.TcpTalk.ACK;
import static io.netsensor.testkit.pcap.TcpTalk.FIN;
import static io.netsensor.testkit.pcap.TcpTalk.PSH;
import static io.netsensor.testkit.pcap.TcpTalk.RST;
import static io.netsensor.testkit.pcap.TcpTalk.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.testkit.pcap.TcpTalk;
import io.netsensor.testkit.pcap.Trace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user reads about each kind of TCP attempt (Zeek conn_state, and the outcome derived from it), from
 * one replay holding one connection of each kind, one per destination port.
 */
class ReplayTcpOutcomesTest {
    private static final String CLIENT = "10.0.0.1", SERVER = "198.51.100.10";
    private static final int SF = 8080, REJ = 81, S0 = 82, RSTO = 83, RSTR = 84, S2 = 85, OTH = 443;

    @TempDir
    static Path dir;
    static Replayed replay;

    @BeforeAll
    static void replayOneOfEach() throws Exception {
        Trace t = new Trace();
        t.at(0, talk(SF).established());

        TcpTalk rej = talk(REJ);
        t.at(100, rej.client(SYN)).at(101, rej.server(RST | ACK));

        byte[] syn = talk(S0).client(SYN);
        t.at(200, syn).at(1200, syn).at(3200, syn); // the client retries with the same sequence number

        TcpTalk rsto = talk(RSTO);
        t.at(4000, rsto.handshake()).at(4010, rsto.client(ACK | PSH, 50)).at(4011, rsto.server(ACK | PSH, 80))
                .at(4012, rsto.client(RST | ACK));

        TcpTalk rstr = talk(RSTR);
        t.at(5000, rstr.handshake()).at(5010, rstr.client(ACK | PSH, 50)).at(5011, rstr.server(RST));

        TcpTalk half = talk(S2);
        t.at(5500, half.handshake()).at(5510, half.client(FIN | ACK));

        // picked up mid-stream, and the server's segment is seen first
        TcpTalk mid = talk(OTH);
        t.at(6000, mid.server(ACK | PSH, 500)).at(6001, mid.client(ACK | PSH, 40)).at(6002, mid.server(ACK, 0));

        replay = Replayed.events(t.pcap(dir.resolve("outcomes.pcap"), LinkTypes.ETHERNET));
    }

    private static TcpTalk talk(int serverPort) {
        return new TcpTalk(CLIENT, 40000 + serverPort, SERVER, serverPort);
    }

    @Test
    void oneRecordPerConnectionAllOrientedFromTheClient() {
        assertThat(replay.conns()).hasSize(7);
        for (JsonNode c : replay.conns()) {
            assertThat(c.at("/source/ip").asText()).isEqualTo(CLIENT);
            assertThat(c.at("/destination/ip").asText()).isEqualTo(SERVER);
            assertThat(c.at("/network/direction").asText()).isEqualTo("outbound");
        }
        // an OPEN record only for connections whose handshake completed
        assertThat(replay.conns("open")).extracting(c -> c.at("/destination/port").asInt())
                .containsExactlyInAnyOrder(SF, RSTO, RSTR, S2);
    }

    @Test
    void establishedAndClosed() {
        JsonNode c = replay.connTo(SF);
        assertOutcome(c, "SF", "established", "success");
        assertThat(c.at("/netsensor/history").asText()).isEqualTo("ShADdFf");
    }

    @Test
    void refused() {
        JsonNode c = replay.connTo(REJ);
        assertOutcome(c, "REJ", "rejected", "failure");
        assertThat(c.at("/netsensor/history").asText()).isEqualTo("Sr");
        assertThat(c.at("/netsensor/end_reason").asText()).isEqualTo("rst");
    }

    @Test
    void unansweredSynsAreOneAttempt() {
        JsonNode c = replay.connTo(S0);
        assertOutcome(c, "S0", "no_answer", "failure");
        assertThat(c.at("/netsensor/history").asText()).isEqualTo("S");
        assertThat(c.at("/source/packets").asLong()).isEqualTo(3);
        assertThat(c.at("/destination/packets").asLong()).isZero();
        assertThat(c.at("/event/duration").asLong()).isEqualTo(3_000_000_000L);
    }

    @Test
    void resetByTheClientAfterData() {
        JsonNode c = replay.connTo(RSTO);
        assertOutcome(c, "RSTO", "established", "success");
        assertThat(c.at("/netsensor/history").asText()).startsWith("ShAD").endsWith("R");
        assertThat(c.at("/netsensor/orig_bytes").asLong()).isEqualTo(50);
        assertThat(c.at("/netsensor/resp_bytes").asLong()).isEqualTo(80);
        assertThat(c.at("/netsensor/end_reason").asText()).isEqualTo("rst");
    }

    @Test
    void resetByTheServerAfterData() {
        JsonNode c = replay.connTo(RSTR);
        assertOutcome(c, "RSTR", "established", "success");
        assertThat(c.at("/netsensor/history").asText()).startsWith("ShAD").endsWith("r");
        assertThat(c.at("/netsensor/orig_bytes").asLong()).isEqualTo(50);
        assertThat(c.at("/netsensor/end_reason").asText()).isEqualTo("rst");
    }

    @Test
    void midStreamIsOtherAndFlippedToTheClient() {
        JsonNode c = replay.connTo(OTH);
        assertOutcome(c, "OTH", "other", "unknown");
        assertThat(c.at("/source/port").asInt()).isEqualTo(40000 + OTH);
        assertThat(c.at("/netsensor/history").asText()).startsWith("^");
        assertThat(c.at("/source/packets").asLong()).isEqualTo(1);
        assertThat(c.at("/destination/packets").asLong()).isEqualTo(2);
    }

    @Test
    void closedByTheClientOnlyIsNotAReset() {
        JsonNode c = replay.connTo(S2);
        assertOutcome(c, "S2", "established", "success");
        assertThat(c.at("/netsensor/history").asText()).isEqualTo("ShAF");
    }

    private static void assertOutcome(JsonNode c, String state, String outcome, String ecsOutcome) {
        assertThat(List.of(c.at("/netsensor/conn_state").asText(), c.at("/netsensor/outcome").asText(),
                c.at("/event/outcome").asText())).as("conn_state, outcome, event.outcome of%n%s", c)
                .containsExactly(state, outcome, ecsOutcome);
    }

    @Test
    void summaryCountsEveryPacketAsDecoded() {
        assertThat(replay.packets()).isEqualTo(8 + 2 + 3 + 6 + 5 + 4 + 3);
        assertThat(replay.decode()).containsEntry("decoded", replay.packets()).containsEntry("malformed", 0L);
        assertThat(replay.stderr()).contains("(7 flows)");
    }
}
