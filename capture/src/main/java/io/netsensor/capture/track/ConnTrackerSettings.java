package io.netsensor.capture.track;

import io.netsensor.config.Settings;
import java.time.Duration;

/**
 * Limits and timers of {@link ConnTracker}; defaults follow Zeek's (init-bare.zeek) so records line up
 * with conn.log. The four that the config file sets (max_flows and the three conntrack timers) default
 * to {@link Settings.Conntrack}'s values, the one place they are written; the others are Zeek's constants
 * below. All durations are event time, held in nanoseconds for the per-packet path.
 *
 * <p>Built with {@link #builder()} (named setters, so no call site passes seven numbers by position).
 */
public final class ConnTrackerSettings {
    /** Zeek applies udp_inactivity_timeout to TCP connections until a handshake completes. */
    private static final Duration HANDSHAKE_INACTIVITY = Duration.ofMinutes(1);
    /** Zeek's DNS analyzer sets dns_session_timeout on UDP flows of DNS ports. */
    private static final Duration DNS_INACTIVITY = Duration.ofSeconds(10);
    /** Zeek's tcp_attempt_delay. */
    private static final Duration TCP_ATTEMPT_DELAY = Duration.ofSeconds(5);
    /** The flow table's slot index must fit the tracker's packed references. */
    private static final int MAX_FLOWS = 1 << 26;

    private final int maxFlows;
    private final long tcpInactivityNanos, tcpHandshakeInactivityNanos, udpInactivityNanos, dnsInactivityNanos,
            tcpAttemptDelayNanos, tcpCloseDelayNanos;

    private ConnTrackerSettings(Builder b) {
        if (b.maxFlows < 1) throw new IllegalArgumentException("maxFlows must be >= 1: " + b.maxFlows);
        if (b.maxFlows > MAX_FLOWS) throw new IllegalArgumentException("maxFlows too large: " + b.maxFlows);
        this.maxFlows = b.maxFlows;
        this.tcpInactivityNanos = positive(b.tcpInactivity, "tcpInactivity");
        this.tcpHandshakeInactivityNanos = positive(b.tcpHandshakeInactivity, "tcpHandshakeInactivity");
        this.udpInactivityNanos = positive(b.udpInactivity, "udpInactivity");
        this.dnsInactivityNanos = positive(b.dnsInactivity, "dnsInactivity");
        this.tcpAttemptDelayNanos = positive(b.tcpAttemptDelay, "tcpAttemptDelay");
        this.tcpCloseDelayNanos = positive(b.tcpCloseDelay, "tcpCloseDelay");
    }

    private static long positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        return d.toNanos();
    }

    public static ConnTrackerSettings defaults() {
        return builder().build();
    }

    /** The config file's conntrack section, Zeek's constants for the rest. */
    public static ConnTrackerSettings of(Settings.Conntrack config) {
        return builder().from(config).build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder().from(new Settings.Conntrack());
    }

    /** flow slots preallocated; when all are used the least recently active flow is evicted */
    public int maxFlows() {
        return maxFlows;
    }

    /** idle timeout of TCP flows past the handshake (tcp_inactivity_timeout) */
    public long tcpInactivityNanos() {
        return tcpInactivityNanos;
    }

    /** idle timeout while neither side got past the handshake */
    public long tcpHandshakeInactivityNanos() {
        return tcpHandshakeInactivityNanos;
    }

    /** idle timeout of UDP flows (udp_inactivity_timeout) */
    public long udpInactivityNanos() {
        return udpInactivityNanos;
    }

    /** idle timeout of UDP flows on DNS ports (53, 137, 5353, 5355) */
    public long dnsInactivityNanos() {
        return dnsInactivityNanos;
    }

    /** an unanswered SYN ends (S0) this long after the first SYN (tcp_attempt_delay) */
    public long tcpAttemptDelayNanos() {
        return tcpAttemptDelayNanos;
    }

    /** a closed or reset flow is kept this long for stray packets (tcp_close_delay, tcp_reset_delay) */
    public long tcpCloseDelayNanos() {
        return tcpCloseDelayNanos;
    }

    @Override
    public String toString() {
        return "ConnTrackerSettings{maxFlows=" + maxFlows + ", tcpInactivity=" + Duration.ofNanos(tcpInactivityNanos)
                + ", tcpHandshakeInactivity=" + Duration.ofNanos(tcpHandshakeInactivityNanos)
                + ", udpInactivity=" + Duration.ofNanos(udpInactivityNanos) + ", dnsInactivity=" + Duration.ofNanos(dnsInactivityNanos)
                + ", tcpAttemptDelay=" + Duration.ofNanos(tcpAttemptDelayNanos) + ", tcpCloseDelay=" + Duration.ofNanos(tcpCloseDelayNanos) + "}";
    }

    public static final class Builder {
        private int maxFlows;
        private Duration tcpInactivity, udpInactivity, tcpCloseDelay;
        private Duration tcpHandshakeInactivity = HANDSHAKE_INACTIVITY;
        private Duration dnsInactivity = DNS_INACTIVITY;
        private Duration tcpAttemptDelay = TCP_ATTEMPT_DELAY;

        private Builder() {}

        /** Takes max_flows and the conntrack timers from the config. */
        public Builder from(Settings.Conntrack config) {
            maxFlows = config.maxFlows;
            tcpInactivity = config.tcpInactivity;
            udpInactivity = config.udpInactivity;
            tcpCloseDelay = config.tcpCloseDelay;
            return this;
        }

        public Builder maxFlows(int n) {
            maxFlows = n;
            return this;
        }

        public Builder tcpInactivity(Duration d) {
            tcpInactivity = d;
            return this;
        }

        public Builder tcpHandshakeInactivity(Duration d) {
            tcpHandshakeInactivity = d;
            return this;
        }

        public Builder udpInactivity(Duration d) {
            udpInactivity = d;
            return this;
        }

        public Builder dnsInactivity(Duration d) {
            dnsInactivity = d;
            return this;
        }

        public Builder tcpAttemptDelay(Duration d) {
            tcpAttemptDelay = d;
            return this;
        }

        public Builder tcpCloseDelay(Duration d) {
            tcpCloseDelay = d;
            return this;
        }

        public ConnTrackerSettings build() {
            return new ConnTrackerSettings(this);
        }
    }
}
