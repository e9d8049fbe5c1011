package io.netsensor.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netsensor.events.Alert;
import io.netsensor.format.AlertJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Fleet alerts as ECS documents in the agents' alert shape (format's AlertJson), so the sinks and SIEM rules
 * that take the agents' alerts take these too. The id is the rule and the destination (and the host, for a
 * per-host rule): stable, so a re-run raises the same alert and a SIEM groups its updates.
 */
final class FleetAlerts {
    private static final JsonFactory JSON = new JsonFactory();

    private FleetAlerts() {}

    /**
     * @param host the one host the alert is about (host.name), or null when it names several (evidence.hosts)
     */
    static byte[] write(FleetRule rule, String destinationKey, String host, long firstMs, long lastMs, long count,
                        String summary, Map<String, Object> evidence) {
        Alert.Draft a = new Alert.Draft();
        String subject = Observation.subject(destinationKey);
        a.id = rule.id + ":" + subject + (host != null ? ":" + host : "");
        a.severity = rule.severity;
        a.score = rule.score;
        if (Observation.isIp(destinationKey)) a.remoteIp = subject;
        a.firstSeenNanos = firstMs * 1_000_000L;
        a.lastSeenNanos = lastMs * 1_000_000L;
        a.count = count;
        a.evidence.put("destination", destinationKey);
        a.evidence.putAll(evidence);
        a.summary = summary;
        ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
        try (JsonGenerator gen = JSON.createGenerator(b)) {
            new AlertJson(gen, host).write(a.build(), rule.id, rule.techniques);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] out = b.toByteArray();
        int n = out.length;
        while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r')) n--;
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    static List<String> sorted(java.util.Collection<String> hosts) {
        return hosts.stream().sorted().toList();
    }
}
