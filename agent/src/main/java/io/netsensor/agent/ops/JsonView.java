package io.netsensor.agent.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Parts of the summary line, rendered from a health document (the agent's own, or one `status` fetched). */
public final class JsonView {
    private JsonView() {}

    public static void capture(StringBuilder b, JsonNode h) {
        JsonNode c = h.path("capture");
        b.append("; ").append(h.path("interface").asText("?")).append(' ')
                .append(Text.rate(c.path("packets_per_second").asDouble())).append(" packets/s, ")
                .append(c.path("dropped").asLong()).append(" dropped");
        long packets = c.path("packets").asLong(), dropped = c.path("dropped").asLong();
        if (packets + dropped > 0) {
            b.append(String.format(Locale.ROOT, " (%.2f %%)", 100.0 * dropped / (packets + dropped)));
        }
        if (!c.path("running").asBoolean(true)) b.append(", NOT CAPTURING");
    }

    public static void journal(StringBuilder b, JsonNode h) {
        JsonNode j = h.path("journal");
        b.append("; ").append(Text.rate(j.path("events_per_second").asDouble())).append(" events/s; journal ")
                .append(Text.bytes(j.path("bytes").asLong()));
        long max = j.path("max_bytes").asLong();
        if (max > 0) b.append(" of ").append(Text.bytes(max));
        if (j.hasNonNull("oldest")) {
            long age = (System.currentTimeMillis() - java.time.Instant.parse(j.path("oldest").asText()).toEpochMilli()) / 1000;
            b.append(", ").append(Text.duration(age)).append(" back");
        }
        if (!j.path("writable").asBoolean(true)) b.append(", NOT WRITABLE");
        if (j.path("disk_full").asBoolean(false)) b.append(", DISK FULL (").append(j.path("unjournaled_records").asLong()).append(" not journaled)");
    }

    public static void alerts(StringBuilder b, JsonNode h) {
        JsonNode d = h.path("detection");
        if (!d.path("enabled").asBoolean(true)) {
            b.append("; detection off");
            return;
        }
        b.append("; alerts ").append(d.path("alerts_last_hour").asLong()).append(" in the last hour");
        StringBuilder sev = new StringBuilder();
        d.path("alerts_last_hour_by_severity").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) sev.append(sev.length() == 0 ? "" : ", ").append(e.getValue().asLong()).append(' ').append(e.getKey());
        });
        if (sev.length() > 0) b.append(" (").append(sev).append(')');
    }

    public static void sinks(StringBuilder b, JsonNode h) {
        JsonNode sinks = h.path("sinks");
        if (sinks.isEmpty()) return;
        b.append("; sinks:");
        for (JsonNode s : sinks) {
            b.append(' ').append(s.path("name").asText()).append(' ').append(s.path("state").asText())
                    .append(" lag ").append(s.path("lag_records").asLong()).append('/').append(Text.duration(s.path("lag_seconds").asLong()));
        }
    }
}
