package io.netsensor.sinks.syslog;

import io.netsensor.sinks.RecordKind;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * How a syslog sink connects and what it sends. RFC 5424 messages; over TCP with octet-counting framing
 * (RFC 6587 section 3.4.1), over TLS (RFC 5425, certificate and host name verified), or over UDP (RFC 5426,
 * which loses messages silently whenever the receiver or the network drops them: only when asked for).
 */
public record SyslogOptions(String name, String host, int port, Transport transport, Path caFile, Path clientCert,
                            Path clientKey, String serverName, Facility facility, String hostName, Body body,
                            Set<RecordKind> kinds, int maxBatch) {
    public enum Transport { TCP, TLS, UDP }

    /** The message body: an ECS JSON document, or CEF (ArcSight, QRadar). */
    public enum Body { ECS, CEF }

    /** RFC 5424 facilities an agent may log as (section 6.2.1). */
    public enum Facility {
        USER(1), DAEMON(3), AUTH(4), AUTHPRIV(10), LOCAL0(16), LOCAL1(17), LOCAL2(18), LOCAL3(19), LOCAL4(20),
        LOCAL5(21), LOCAL6(22), LOCAL7(23);

        public final int code;

        Facility(int code) {
            this.code = code;
        }
    }

    public SyslogOptions {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a syslog sink needs a name");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("sink " + name + ": host is required");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("sink " + name + ": port must be 1..65535, not " + port);
        if (transport == null) transport = Transport.TCP;
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("sink " + name + ": client_cert and client_key go together");
        }
        if (transport != Transport.TLS && (caFile != null || clientCert != null)) {
            throw new IllegalArgumentException("sink " + name + ": ca_file and client certificates need transport tls");
        }
        if (facility == null) facility = Facility.LOCAL0;
        if (body == null) body = Body.ECS;
        if (kinds == null || kinds.isEmpty()) kinds = EnumSet.of(RecordKind.ALERT, RecordKind.TELEMETRY);
        if (maxBatch <= 0) maxBatch = 2048;
        if (serverName == null) serverName = host;
    }

    /** The conventional port: 514 for TCP (as rsyslog's imtcp examples and most collectors) and UDP, 6514 for TLS (RFC 5425). */
    public static int defaultPort(Transport transport) {
        return transport == Transport.TLS ? 6514 : 514;
    }

    /** Defaults: TCP, local0, ECS body, alerts and telemetry, batches of 2,048. */
    public static SyslogOptions tcp(String name, String host, int port, String hostName) {
        return new SyslogOptions(name, host, port, Transport.TCP, null, null, null, null, null, hostName, null, null, 0);
    }
}
