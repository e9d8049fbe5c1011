package io.netsensor.capture.dns;

/**
 * Bounds and timeouts of a {@link DnsTracker}.
 *
 * <p>The default timeout of 10 s is Zeek's {@code dns_session_timeout} and matches a stub resolver's
 * whole budget (glibc: 5 s per try, 2 tries): a response later than that is not waited for by anyone.
 */
public final class DnsTrackerSettings {
    public static final int DEFAULT_MAX_PENDING = 4096;
    public static final long DEFAULT_TIMEOUT_NANOS = 10_000_000_000L;
    public static final int DEFAULT_TCP_STREAMS = 64;
    public static final int DEFAULT_TCP_BUFFER = 16 * 1024;

    /** Queries awaiting a response; the oldest is reported unanswered (and counted) when full. */
    public final int maxPending;
    /** Event-time wait for a response, and idle time after which a DNS-over-TCP stream is dropped. */
    public final long timeoutNanos;
    /** DNS-over-TCP directions reassembled at once (preallocated). */
    public final int tcpStreams;
    /** Reassembly buffer per direction; longer messages are skipped and counted. */
    public final int tcpBufferSize;

    public DnsTrackerSettings(int maxPending, long timeoutNanos, int tcpStreams, int tcpBufferSize) {
        if (maxPending < 1 || timeoutNanos < 1 || tcpStreams < 1 || tcpBufferSize < 14) {
            throw new IllegalArgumentException("DNS tracker bounds must be positive (buffer at least 14 bytes)");
        }
        this.maxPending = maxPending;
        this.timeoutNanos = timeoutNanos;
        this.tcpStreams = tcpStreams;
        this.tcpBufferSize = tcpBufferSize;
    }

    public static DnsTrackerSettings defaults() {
        return new DnsTrackerSettings(DEFAULT_MAX_PENDING, DEFAULT_TIMEOUT_NANOS, DEFAULT_TCP_STREAMS, DEFAULT_TCP_BUFFER);
    }
}
