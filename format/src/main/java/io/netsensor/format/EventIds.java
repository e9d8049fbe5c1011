package io.netsensor.format;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;

/**
 * ECS {@code event.id} of every forwarded document, stable for the record it describes: a record delivered
 * twice (at least once delivery, around an outage or a crash) carries the same id, so the SIEM drops the
 * copy, while two records never share one. Connection and DNS ids hash the record's own identity (flow id,
 * phase, times, endpoints; transaction, times, endpoints, name) with 64-bit FNV-1a, hand-written over the
 * primitive fields so nothing is allocated per record; an alert's is its alert id and severity step (a
 * re-alert at a higher severity is a new document; the same alert re-sent is not).
 */
public final class EventIds {
    private static final long OFFSET = 0xcbf29ce484222325L, PRIME = 0x100000001b3L;

    private EventIds() {}

    public static String conn(ConnEvent e) {
        long h = OFFSET;
        h = mix(h, e.flowId);
        h = mix(h, e.phase.code);
        h = mix(h, e.startNanos);
        h = mix(h, e.phase == ConnEvent.Phase.END ? e.endNanos : 0);
        h = mix(h, e.origIpHi);
        h = mix(h, e.origIpLo);
        h = mix(h, e.respIpHi);
        h = mix(h, e.respIpLo);
        h = mix(h, ((long) e.origPort << 16) | e.respPort);
        h = mix(h, e.transport.ianaNumber);
        return "conn-" + hex(h);
    }

    /** A burst is one exchange of one flow: its flow id, index in the flow and start identify it. */
    public static String burst(io.netsensor.events.BurstEvent e) {
        long h = OFFSET;
        h = mix(h, e.flowId);
        h = mix(h, e.index);
        h = mix(h, e.startNanos);
        h = mix(h, e.origIpHi);
        h = mix(h, e.origIpLo);
        h = mix(h, e.respIpHi);
        h = mix(h, e.respIpLo);
        h = mix(h, ((long) e.origPort << 16) | e.respPort);
        h = mix(h, e.transport.ianaNumber);
        return "burst-" + hex(h);
    }

    public static String dns(DnsEvent e) {
        long h = OFFSET;
        h = mix(h, e.tsNanos);
        h = mix(h, e.transId);
        h = mix(h, e.clientIpHi);
        h = mix(h, e.clientIpLo);
        h = mix(h, e.serverIpHi);
        h = mix(h, e.serverIpLo);
        h = mix(h, ((long) e.clientPort << 16) | e.serverPort);
        h = mix(h, e.qtype);
        for (int i = 0; i < e.qnameLen; i++) {
            h ^= e.qname[i] & 0xFF;
            h *= PRIME;
        }
        return "dns-" + hex(h);
    }

    /** The alert id and its severity step, e.g. {@code beacon-1a2b3c4d.high}. */
    public static String alert(Alert a) {
        return a.id + "." + a.severity.label.toLowerCase(java.util.Locale.ROOT);
    }

    private static long mix(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (i * 8)) & 0xFF;
            h *= PRIME;
        }
        return h;
    }

    private static String hex(long h) {
        String s = Long.toHexString(h);
        return "0".repeat(16 - s.length()) + s;
    }
}
