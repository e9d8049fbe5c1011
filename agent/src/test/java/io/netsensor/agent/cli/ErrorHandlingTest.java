package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.CliRunner;
import io.netsensor.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages: 2 for the user's mistakes, 1 for I/O failures and bugs, one line each, no trace. */
class ErrorHandlingTest {
    @TempDir Path dir;

    private static String failure(Exception e, int expectedCode) {
        StringWriter out = new StringWriter();
        assertThat(NetsensorCommand.failure(e, new PrintWriter(out))).isEqualTo(expectedCode);
        return out.toString();
    }

    @Test
    void anUnexpectedExceptionIsOneLineNamingItAsAnInternalError() {
        String line = failure(new IllegalStateException("flow table\ncorrupt"), 1);
        assertThat(line).startsWith("netsensor: internal error: java.lang.IllegalStateException: flow table corrupt at ")
                .endsWith(" (NETSENSOR_DEBUG=1 prints the stack trace)\n").hasLineCount(1);
    }

    @Test
    void errorsThatEscapedPicocliAreReportedToo() {
        // an Error (no libpcap: UnsatisfiedLinkError) reaches the handler as the cause of picocli's ExecutionException
        picocli.CommandLine cl = NetsensorCommand.commandLine();
        String line = failure(new picocli.CommandLine.ExecutionException(cl, "x", new UnsatisfiedLinkError("libpcap.so")), 1);
        assertThat(line).startsWith("netsensor: internal error: java.lang.UnsatisfiedLinkError: libpcap.so").hasLineCount(1);
    }

    @Test
    void userAndConfigErrorsExit2AndIoFailures1() {
        assertThat(failure(new UserError("x.pcap: no such file"), 2)).isEqualTo("netsensor: x.pcap: no such file\n");
        assertThat(failure(new ConfigException("a.yaml:3:5: snaplen: too small"), 2))
                .isEqualTo("netsensor: config error: a.yaml:3:5: snaplen: too small\n");
        assertThat(failure(new AccessDeniedException("/var/lib/netsensor"), 1))
                .isEqualTo("netsensor: /var/lib/netsensor: permission denied\n");
        assertThat(failure(new IOException("eth9: No such device exists"), 1)).isEqualTo("netsensor: eth9: No such device exists\n");
        assertThat(failure(new java.io.UncheckedIOException(new IOException("disk full")), 1)).isEqualTo("netsensor: disk full\n");
    }

    @Test
    void usageErrorsAreOneLineWithTheCommandAndAPointerToHelp() {
        CliRunner.Result r = CliRunner.run("replay", "--evnts", "x.pcap");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("netsensor replay: Unknown option: '--evnts' (did you mean --events?); see 'netsensor replay --help'\n");

        CliRunner.Result profile = CliRunner.run("replay", "--profile", "fast", "x.pcap");
        assertThat(profile.exitCode()).isEqualTo(2);
        assertThat(profile.stderr()).contains("'fast' is not one of default or short-window").hasLineCount(1);
    }

    @Test
    void aConfigErrorNamesFileLineColumnAndKeyOnTheCommandLine() throws Exception {
        Path config = Files.writeString(dir.resolve("netsensor.yaml"), "journal:\n  max_age: 1y\n");
        CliRunner.Result r = CliRunner.run("replay", "--config", config.toString(), "x.pcap");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("netsensor: config error: " + config
                + ":2:12: journal.max_age: not a duration: '1y' (use e.g. 250ms, 90s, 5m, 24h, 7d)\n");

        CliRunner.Result snaplen = CliRunner.run("run", "--snaplen", "10", "-i", "nonexistent0");
        assertThat(snaplen.exitCode()).isEqualTo(2);
        assertThat(snaplen.stderr()).isEqualTo("netsensor: config error: command line: snaplen: must be between 64 and 262144, not 10\n");
    }
}
