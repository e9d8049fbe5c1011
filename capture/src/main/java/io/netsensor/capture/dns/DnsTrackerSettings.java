package io.netsensor.capture.dns;

import io.netsensor.config.Settings;
import java.time.Duration;

/**
 * Bounds and timeouts of a {@link DnsTracker}. The timeout and max_pending default to
 * {@link Settings.Dns}'s values, the one place they are written (the timeout of 10 s is Zeek's
 * {@code dns_session_timeout}); the DNS-over-TCP reassembly bounds, which the config does not set, are here.
 *
 * <p>Built with {@link #builder()} (named setters, no positional constructor).
 */
public final class DnsTrackerSettings {
    private static final int TCP_STREAMS = 64;
    private static final int TCP_BUFFER = 16 * 1024;

    /** Queries awaiting a response; the oldest is reported unanswered (and counted) when full. */
    public final int maxPending;
    /** Event-time wait for a response, and idle time after which a DNS-over-TCP stream is dropped. */
    public final long timeoutNanos;
    /** DNS-over-TCP directions reassembled at once (preallocated). */
    public final int tcpStreams;
    /** Reassembly buffer per direction; longer messages are skipped and counted. */
    public final int tcpBufferSize;

    private DnsTrackerSettings(Builder b) {
        if (b.maxPending < 1 || b.timeout.isNegative() || b.timeout.isZero() || b.tcpStreams < 1 || b.tcpBufferSize < 14) {
            throw new IllegalArgumentException("DNS tracker bounds must be positive (buffer at least 14 bytes)");
        }
        this.maxPending = b.maxPending;
        this.timeoutNanos = b.timeout.toNanos();
        this.tcpStreams = b.tcpStreams;
        this.tcpBufferSize = b.tcpBufferSize;
    }

    public static DnsTrackerSettings defaults() {
        return builder().build();
    }

    /** The config file's dns section, the built-in reassembly bounds. */
    public static DnsTrackerSettings of(Settings.Dns config) {
        return builder().from(config).build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder().from(new Settings.Dns());
    }

    public static final class Builder {
        private int maxPending;
        private Duration timeout;
        private int tcpStreams = TCP_STREAMS;
        private int tcpBufferSize = TCP_BUFFER;

        private Builder() {}

        /** Takes the timeout and max_pending from the config. */
        public Builder from(Settings.Dns config) {
            maxPending = config.maxPending;
            timeout = config.timeout;
            return this;
        }

        public Builder maxPending(int n) {
            maxPending = n;
            return this;
        }

        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        public Builder tcpStreams(int n) {
            tcpStreams = n;
            return this;
        }

        public Builder tcpBufferSize(int bytes) {
            tcpBufferSize = bytes;
            return this;
        }

        public DnsTrackerSettings build() {
            return new DnsTrackerSettings(this);
        }
    }
}
