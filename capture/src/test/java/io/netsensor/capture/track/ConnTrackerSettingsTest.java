package io.netsensor.capture.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsensor.capture.dns.DnsTrackerSettings;
import io.netsensor.config.Settings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The trackers' defaults are the config's (one place), and the config's values reach them. */
class ConnTrackerSettingsTest {
    @Test
    void defaultsAreTheConfigDefaults() {
        Settings config = new Settings();
        ConnTrackerSettings c = ConnTrackerSettings.defaults();
        assertThat(c.maxFlows()).isEqualTo(config.conntrack.maxFlows).isEqualTo(16_384);
        assertThat(c.tcpInactivityNanos()).isEqualTo(config.conntrack.tcpInactivity.toNanos());
        assertThat(c.udpInactivityNanos()).isEqualTo(config.conntrack.udpInactivity.toNanos());
        assertThat(c.tcpCloseDelayNanos()).isEqualTo(config.conntrack.tcpCloseDelay.toNanos());
        DnsTrackerSettings d = DnsTrackerSettings.defaults();
        assertThat(d.maxPending).isEqualTo(config.dns.maxPending).isEqualTo(4_096);
        assertThat(d.timeoutNanos).isEqualTo(config.dns.timeout.toNanos());
    }

    @Test
    void configuredValuesReachTheTrackers() {
        Settings config = new Settings();
        config.conntrack.maxFlows = 1024;
        config.conntrack.udpInactivity = Duration.ofSeconds(30);
        config.dns.timeout = Duration.ofSeconds(2);
        assertThat(ConnTrackerSettings.of(config.conntrack).maxFlows()).isEqualTo(1024);
        assertThat(ConnTrackerSettings.of(config.conntrack).udpInactivityNanos()).isEqualTo(30_000_000_000L);
        assertThat(DnsTrackerSettings.of(config.dns).timeoutNanos).isEqualTo(2_000_000_000L);
    }

    @Test
    void builderNamesEveryValueAndChecksThem() {
        ConnTrackerSettings s = ConnTrackerSettings.builder().maxFlows(16).tcpAttemptDelay(Duration.ofSeconds(3)).build();
        assertThat(s.tcpAttemptDelayNanos()).isEqualTo(3_000_000_000L);
        assertThat(s.dnsInactivityNanos()).isEqualTo(10_000_000_000L); // Zeek's dns_session_timeout
        assertThatThrownBy(() -> ConnTrackerSettings.builder().tcpCloseDelay(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsTrackerSettings.builder().tcpBufferSize(4).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
