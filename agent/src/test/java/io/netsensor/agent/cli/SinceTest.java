package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsensor.agent.CliRunner;
import io.netsensor.agent.Sensor;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `events --since`: durations back from now (wall clock), RFC 3339 times, and one-line errors. */
class SinceTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
    private final Since since = new Since(Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir Path dir;

    @Test
    void durationsCountBackFromNow() {
        assertThat(since.convert("15m")).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
        assertThat(since.convert("2h")).isEqualTo(NOW.minus(Duration.ofHours(2)));
        assertThat(since.convert("1d")).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(since.convert("90s")).isEqualTo(NOW.minus(Duration.ofSeconds(90)));
        assertThat(since.convert("250ms")).isEqualTo(NOW.minusMillis(250));
    }

    @Test
    void rfc3339TimesAreAbsolute() {
        assertThat(since.convert("2026-01-31T08:00:00Z")).isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(since.convert("2026-01-31T09:00:00+01:00")).isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(since.convert("2026-01-31 08:00:00.123456789z")).isEqualTo(Instant.parse("2026-01-31T08:00:00.123456789Z"));
        assertThat(since.convert("2026-01-31t08:00:00-05:30")).isEqualTo(Instant.parse("2026-01-31T13:30:00Z"));
    }

    @Test
    void badValuesAreRejectedWithTheReason() {
        for (String bad : List.of("5x", "abc", "1y", "", "-5m")) {
            assertThatThrownBy(() -> since.convert(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("'" + bad + "' is neither a duration (e.g. 90s, 15m, 2h, 1d) nor an RFC 3339 time (e.g. 2026-01-31T08:00:00Z)");
        }
        for (String bad : List.of("2026-01-31T08:00:00", "2026-13-01T00:00:00Z", "2026-01-31")) {
            assertThatThrownBy(() -> since.convert(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageStartingWith("'" + bad + "' is not an RFC 3339 time");
        }
        assertThatThrownBy(() -> since.convert("2026-01-31 08:00:00"))
                .hasMessage("'2026-01-31 08:00:00' is not an RFC 3339 time: it has no UTC offset (add Z, or e.g. +01:00)");
    }

    /** What a user sees: exit 2 and one line, for every kind of bad value (they printed a stack trace, exit 1). */
    @Test
    void aBadSinceIsAOneLineUsageError() {
        for (String bad : List.of("5x", "abc", "1y", "2026-01-31T08:00:00")) {
            CliRunner.Result r = CliRunner.run("events", "--data-dir", dir.toString(), "--since", bad);
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
            assertThat(r.stderr()).startsWith("netsensor events: Invalid value for option '--since': '" + bad + "'")
                    .endsWith("; see 'netsensor events --help'\n").hasLineCount(1);
        }
    }

    /** Records from 3 h and 2 h 55 min ago: "1h" means the last hour of the wall clock, not of the journal. */
    @Test
    void sinceCountsBackFromTheWallClockNotTheJournalsLastRecord() throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        try (Journal journal = Sensor.openJournal(SettingsLoader.defaults(), dir)) {
            JournalWriter w = journal.writer();
            w.onConn(conn(1, now - Duration.ofHours(3).toNanos()));
            w.onConn(conn(2, now - Duration.ofMinutes(175).toNanos()));
            w.close();
        }
        assertThat(flowIds("--since", "1h")).isEmpty();
        assertThat(flowIds("--since", "4h")).containsExactly(1L, 2L);
        assertThat(flowIds("--since", Instant.ofEpochSecond(0, now).minus(Duration.ofMinutes(178)).toString())).containsExactly(2L);
        assertThat(flowIds()).containsExactly(1L, 2L);
    }

    private List<Long> flowIds(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "events";
        args[1] = "--data-dir";
        args[2] = dir.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.lines().stream().map(l -> {
            try {
                return Long.parseLong(JSON.readTree(l).at("/netsensor/flow_id").asText(), 16);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    private static ConnEvent conn(long flowId, long endNanos) {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.flowId = flowId;
        e.startNanos = endNanos - 1_000_000_000L;
        e.endNanos = endNanos;
        e.transport = Transport.TCP;
        long[] src = Ip.parse("10.0.0.5"), dst = Ip.parse("198.51.100.10");
        e.origIpHi = src[0]; e.origIpLo = src[1]; e.origPort = 40000;
        e.respIpHi = dst[0]; e.respIpLo = dst[1]; e.respPort = 443;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.SF;
        e.setHistory("ShADadFf");
        e.origPkts = 6; e.respPkts = 5; e.origBytes = 310; e.respBytes = 1200;
        e.origIpBytes = 630; e.respIpBytes = 1460;
        return e;
    }
}
