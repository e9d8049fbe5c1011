package io.netsensor.sinks.syslog;

import io.netsensor.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 5424 message framing: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}, no structured
 * data (the ECS or CEF body carries every field, including {@code event.id} for de-duplication).
 * Hand-written: a few string fields, and no maintained Java library builds RFC 5424 headers without
 * also owning the transport.
 */
final class SyslogMessage {
    /** RFC 5424 section 6.2.3: at most 6 fractional digits; UTC with a Z. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int INFO = 6;

    private final int facility;
    private final String hostName;
    private final String procId;

    SyslogMessage(SyslogOptions.Facility facility, String hostName, long pid) {
        this.facility = facility.code;
        this.hostName = printable(hostName, 255);
        this.procId = Long.toString(pid);
    }

    /** RFC 5424 severities for alerts: Critical -> crit (2), High -> err (3), Medium -> warning (4), Low -> notice (5). */
    static int severityOf(Severity s) {
        switch (s) {
            case CRITICAL: return 2;
            case HIGH: return 3;
            case MEDIUM: return 4;
            default: return 5;
        }
    }

    /** The whole message, header and body, UTF-8. */
    byte[] build(long eventTimeNanos, String msgId, int severity, byte[] body) {
        String header = "<" + (facility * 8 + severity) + ">1 "
                + TIME.format(Instant.ofEpochSecond(Math.floorDiv(eventTimeNanos, 1_000_000_000L), Math.floorMod(eventTimeNanos, 1_000_000_000L)))
                + " " + hostName + " netsensor " + procId + " " + msgId + " - ";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[h.length + body.length];
        System.arraycopy(h, 0, m, 0, h.length);
        System.arraycopy(body, 0, m, h.length, body.length);
        return m;
    }

    static int info() {
        return INFO;
    }

    /** RFC 5424 header fields are PRINTUSASCII (33..126), "-" when empty. */
    static String printable(String s, int max) {
        if (s == null || s.isEmpty()) return "-";
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 33 && c <= 126 ? c : '_');
        }
        return b.toString();
    }
}
