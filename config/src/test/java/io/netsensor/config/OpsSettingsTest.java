package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.listen and log_summary_interval: bound, defaulted, and their errors at file:line:column. */
class OpsSettingsTest {
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("netsensor.yml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void offByDefaultWithAFiveMinuteSummary() {
        Settings s = SettingsLoader.defaults();
        assertThat(s.metrics.listen).isNull();
        assertThat(s.logSummaryInterval).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void bindsTheListenAddressAndTheInterval() throws Exception {
        Settings s = SettingsLoader.load(write("metrics:\n  listen: 127.0.0.1:9464\nlog_summary_interval: 30s\n"));
        assertThat(s.metrics.listen).isEqualTo("127.0.0.1:9464");
        assertThat(s.logSummaryInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.listenAddress("[::1]:0").getPort()).isZero();
        assertThat(Units.listenAddress("localhost:9464").getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aBadListenAddressIsReportedAtItsValue() throws Exception {
        Path p = write("interface: eth0\nmetrics:\n  listen: 127.0.0.1:99999\n");
        assertThatThrownBy(() -> SettingsLoader.load(p)).isInstanceOf(ConfigException.class)
                .hasMessage(p + ":3:11: metrics.listen: '127.0.0.1:99999': port 99999 is not between 0 and 65535");
        Path q = write("metrics:\n  listen: prometheus.example:9464\n");
        assertThatThrownBy(() -> SettingsLoader.load(q)).hasMessageStartingWith(q + ":2:11: metrics.listen: ")
                .hasMessageContaining("is not an IP address or localhost");
        Path r = write("metrics:\n  listen: 9464\n");
        assertThatThrownBy(() -> SettingsLoader.load(r)).hasMessageContaining("is not host:port (e.g. 127.0.0.1:9464");
        Path v6 = write("metrics:\n  listen: ::1:9464\n");
        assertThatThrownBy(() -> SettingsLoader.load(v6)).hasMessageContaining("an IPv6 address goes in brackets");
    }

    @Test
    void aBadIntervalNamesItsLine() throws Exception {
        Path p = write("\nlog_summary_interval: often\n");
        assertThatThrownBy(() -> SettingsLoader.load(p)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(p + ":2:").hasMessageContaining("log_summary_interval");
    }
}
