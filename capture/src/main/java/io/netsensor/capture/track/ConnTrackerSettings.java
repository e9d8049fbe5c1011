package io.netsensor.capture.track;

import java.util.concurrent.TimeUnit;

/**
 * Limits and timers of {@link ConnTracker}; defaults follow Zeek's (init-bare.zeek) so records line up
 * with conn.log. All durations are event time in nanoseconds.
 *
 * @param maxFlows                   flow slots preallocated; when all are used the least recently active
 *                                   flow is evicted
 * @param tcpInactivityNanos         idle timeout of TCP flows past the handshake (tcp_inactivity_timeout)
 * @param tcpHandshakeInactivityNanos idle timeout while neither side got past the handshake (Zeek applies
 *                                   udp_inactivity_timeout to TCP connections until then)
 * @param udpInactivityNanos         idle timeout of UDP flows (udp_inactivity_timeout)
 * @param dnsInactivityNanos         idle timeout of UDP flows on DNS ports (53, 137, 5353, 5355), which
 *                                   Zeek's DNS analyzer sets to dns_session_timeout
 * @param tcpAttemptDelayNanos       an unanswered SYN ends (S0) this long after the first SYN
 *                                   (tcp_attempt_delay)
 * @param tcpCloseDelayNanos         a closed or reset flow is kept this long for stray packets
 *                                   (tcp_close_delay, tcp_reset_delay)
 */
public record ConnTrackerSettings(int maxFlows, long tcpInactivityNanos, long tcpHandshakeInactivityNanos,
                                  long udpInactivityNanos, long dnsInactivityNanos, long tcpAttemptDelayNanos,
                                  long tcpCloseDelayNanos) {

    public ConnTrackerSettings {
        if (maxFlows < 1) throw new IllegalArgumentException("maxFlows must be >= 1: " + maxFlows);
        if (maxFlows > (1 << 26)) throw new IllegalArgumentException("maxFlows too large: " + maxFlows);
        if (tcpInactivityNanos <= 0 || tcpHandshakeInactivityNanos <= 0 || udpInactivityNanos <= 0 || dnsInactivityNanos <= 0
                || tcpAttemptDelayNanos <= 0 || tcpCloseDelayNanos <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static ConnTrackerSettings defaults() {
        return new ConnTrackerSettings(262_144, TimeUnit.MINUTES.toNanos(5), TimeUnit.MINUTES.toNanos(1),
                TimeUnit.MINUTES.toNanos(1), TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(5),
                TimeUnit.SECONDS.toNanos(5));
    }

    public ConnTrackerSettings withMaxFlows(int n) {
        return new ConnTrackerSettings(n, tcpInactivityNanos, tcpHandshakeInactivityNanos, udpInactivityNanos,
                dnsInactivityNanos, tcpAttemptDelayNanos, tcpCloseDelayNanos);
    }

    public ConnTrackerSettings withTcpInactivityNanos(long n) {
        return new ConnTrackerSettings(maxFlows, n, tcpHandshakeInactivityNanos, udpInactivityNanos,
                dnsInactivityNanos, tcpAttemptDelayNanos, tcpCloseDelayNanos);
    }

    public ConnTrackerSettings withUdpInactivityNanos(long n) {
        return new ConnTrackerSettings(maxFlows, tcpInactivityNanos, tcpHandshakeInactivityNanos, n,
                dnsInactivityNanos, tcpAttemptDelayNanos, tcpCloseDelayNanos);
    }
}
