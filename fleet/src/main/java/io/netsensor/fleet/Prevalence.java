package io.netsensor.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The document published per destination on the compacted prevalence topic (key: the destination key): the
 * distinct hosts in the sliding windows ending at the destination's latest contact, the fleet first-seen,
 * and whether the counts are floors because the destination passed the host cap.
 */
final class Prevalence {
    static final long HOUR = 3_600_000L, DAY = 24 * HOUR, WEEK = 7 * DAY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Prevalence() {}

    static byte[] json(String key, DestinationState s, int cap) {
        ObjectNode o = JSON.createObjectNode();
        o.put("destination", Observation.subject(key));
        o.put("type", Observation.isIp(key) ? "ip" : "domain");
        o.put("first_seen", Instant.ofEpochMilli(s.firstSeenMs).toString());
        o.put("last_seen", Instant.ofEpochMilli(s.lastSeenMs).toString());
        o.put("hosts_1h", s.hostsWithin(s.lastSeenMs, HOUR));
        o.put("hosts_24h", s.hostsWithin(s.lastSeenMs, DAY));
        o.put("hosts_7d", s.hostsWithin(s.lastSeenMs, WEEK));
        o.put("saturated", s.saturated(cap));
        o.put("overflow_contacts", s.overflowContacts);
        o.put("contacts", s.contacts);
        o.put("connections", s.connections);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of numbers and strings always writes
        }
    }
}
