package io.netsensor.fleet;

import com.codahale.metrics.Counter;
import io.netsensor.metrics.Metrics;
import java.util.EnumMap;
import java.util.Map;

/**
 * The fleet's own counters (fleet.*), next to Kafka Streams' (JMX): records read per kind, records that could
 * not be read, observations of saturated destinations, destinations purged, alerts per rule. Counted per
 * processing attempt: after a fail-over the records since the last commit count again (the state does not).
 */
final class FleetMetrics {
    final Metrics registry = new Metrics();
    final Counter telemetry = registry.counter(Metrics.name("fleet.records", "topic", "telemetry"));
    final Counter alerts = registry.counter(Metrics.name("fleet.records", "topic", "alerts"));
    final Counter badRecords = registry.counter("fleet.bad_records");
    final Counter observations = registry.counter("fleet.observations");
    final Counter overflow = registry.counter("fleet.overflow_contacts");
    final Counter purged = registry.counter("fleet.destinations_purged");
    final Map<FleetRule, Counter> raised = new EnumMap<>(FleetRule.class);

    FleetMetrics() {
        for (FleetRule r : FleetRule.values()) raised.put(r, registry.counter(Metrics.name("fleet.alerts", "rule", r.id)));
    }

    String summary() {
        long a = 0;
        for (Counter c : raised.values()) a += c.getCount();
        return String.format("netsensor fleet: %d telemetry and %d alert records read (%d unreadable), %d observations, "
                        + "%d fleet alerts, %d observations past the host cap, %d destinations purged",
                telemetry.getCount(), alerts.getCount(), badRecords.getCount(), observations.getCount(), a, overflow.getCount(), purged.getCount());
    }
}
