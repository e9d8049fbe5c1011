package io.netsensor.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.detectors.dga.CdnSuffixes;
import io.netsensor.detectors.dga.DomainName;
import io.netsensor.detectors.dga.PublicSuffixes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the agents' ECS documents (TelemetryJson, AlertJson, as the Kafka sink writes them) into
 * {@link Observation}s. The host is ECS host.name (the sink's host_id), else the record key. A record this
 * cannot read throws {@link BadRecord} with one line; the caller counts and skips it. One per stream task
 * (holds a DomainName scratch).
 */
final class AgentRecords {
    static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DomainName name = new DomainName();
    private final Set<String> ignoredServices;

    AgentRecords(List<String> ignoredServices) {
        this.ignoredServices = Set.copyOf(ignoredServices);
    }

    List<Observation> telemetry(byte[] key, byte[] value) throws BadRecord {
        JsonNode d = read(value);
        String host = host(d, key);
        String dataset = d.at("/event/dataset").asText("");
        JsonNode t = d.at("/netsensor/telemetry");
        if (t.path("other").asBoolean(false)) return List.of(); // the fold row names no destination
        long end = time(d.at("/event/end"), "event.end");
        List<Observation> out = new ArrayList<>(3);
        if (dataset.equals("netsensor.telemetry.conn")) {
            String ip = text(d.at("/destination/ip"), "destination.ip");
            int port = d.at("/destination/port").asInt(0);
            String transport = d.at("/network/transport").asText("tcp");
            long start = time(d.at("/event/start"), "event.start");
            long conns = d.at("/netsensor/telemetry/connections").asLong(0);
            long first = optionalTime(t.path("first_seen"), end), last = optionalTime(t.path("last_seen"), end);
            Set<String> domains = new LinkedHashSet<>();
            boolean cdn = false;
            for (JsonNode n : d.at("/related/hosts")) {
                String registered = registered(n.asText());
                if (registered == null) continue;
                domains.add(registered);
                cdn |= CdnSuffixes.matches(name);
            }
            boolean candidate = !ignoredServices.contains(Integer.toString(port)) && !ignoredServices.contains(transport + "/" + port);
            out.add(new Observation(Observation.Source.CONN_ROW, Observation.ipKey(ip), host, end, start, conns, first, last, 0, 0, cdn, candidate));
            for (String r : domains)
                out.add(new Observation(Observation.Source.CONN_ROW, Observation.domainKey(r), host, end, start, conns, first, last, 0, 0, cdn, false));
        } else if (dataset.equals("netsensor.telemetry.dns")) {
            String domain = text(d.at("/dns/question/registered_domain"), "dns.question.registered_domain");
            String registered = registered(domain);
            if (registered == null) return List.of(); // "." or a bare suffix: nothing a host contacts
            long queries = t.path("queries").asLong(0), nx = t.path("nxdomains").asLong(0);
            out.add(new Observation(Observation.Source.DNS_ROW, Observation.domainKey(registered), host, end, 0, queries, end, end, nx, 0,
                    CdnSuffixes.matches(name), false));
        } else {
            throw new BadRecord("not a telemetry document (event.dataset '" + dataset + "')");
        }
        return out;
    }

    /** Beacon alerts (the agent's period) and DGA alerts (their sampled names); other alerts say nothing here. */
    List<Observation> alert(byte[] key, byte[] value) throws BadRecord {
        JsonNode d = read(value);
        if (!d.at("/event/kind").asText("").equals("alert")) throw new BadRecord("not an alert document (event.kind '" + d.at("/event/kind").asText("") + "')");
        String host = host(d, key);
        String rule = d.at("/rule/id").asText("");
        long end = time(d.at("/event/end"), "event.end");
        JsonNode ev = d.at("/netsensor/evidence");
        if (rule.equals("beacon")) {
            JsonNode ip = d.at("/destination/ip");
            double period = ev.path("interval_median_s").asDouble(0);
            if (ip.isMissingNode() || period <= 0) return List.of();
            long start = time(d.at("/event/start"), "event.start");
            return List.of(new Observation(Observation.Source.BEACON_ALERT, Observation.ipKey(ip.asText()), host, end, 0,
                    d.at("/netsensor/count").asLong(0), start, end, 0, period, false, true));
        }
        if (rule.equals("dga")) {
            List<Observation> out = new ArrayList<>();
            for (JsonNode s : ev.path("samples")) {
                String registered = registered(s.path("domain").asText(""));
                if (registered == null || CdnSuffixes.matches(name)) continue;
                out.add(new Observation(Observation.Source.DGA_ALERT, Observation.domainKey(registered), host, end, 0, 0, end, end,
                        s.path("nxdomain").asBoolean(false) ? 1 : 0, s.path("score").asDouble(0), false, false));
            }
            return out;
        }
        return List.of();
    }

    /** The registered domain (PSL) of a name, lower case, or null when it has none; leaves it parsed in {@link #name}. */
    String registered(String qname) {
        if (qname == null || qname.isEmpty()) return null;
        String q = qname.toLowerCase(Locale.ROOT);
        if (q.endsWith(".")) q = q.substring(0, q.length() - 1);
        if (!name.parse(q)) return null;
        int k = PublicSuffixes.get().registeredLabel(name);
        return k < 0 ? null : name.substring(name.labelStart(k), name.length());
    }

    private static JsonNode read(byte[] value) throws BadRecord {
        if (value == null) throw new BadRecord("empty record");
        try {
            JsonNode d = JSON.readTree(value);
            if (d == null || !d.isObject()) throw new BadRecord("not a JSON object");
            return d;
        } catch (IOException e) {
            String head = new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            throw new BadRecord("not JSON (starts '" + head + "')");
        }
    }

    private static String host(JsonNode d, byte[] key) throws BadRecord {
        String h = d.at("/host/name").asText(null);
        if (h != null && !h.isBlank()) return h;
        if (key != null && key.length > 0) return new String(key, StandardCharsets.UTF_8);
        throw new BadRecord("no host.name and no record key: cannot tell which host this is");
    }

    private static String text(JsonNode n, String field) throws BadRecord {
        if (n.isMissingNode() || n.isNull() || n.asText().isBlank()) throw new BadRecord("no " + field);
        return n.asText();
    }

    private static long time(JsonNode n, String field) throws BadRecord {
        try {
            return Instant.parse(text(n, field)).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadRecord(field + " is not an ISO-8601 time: '" + n.asText() + "'");
        }
    }

    private static long optionalTime(JsonNode n, long otherwise) {
        if (n.isMissingNode() || n.isNull()) return otherwise;
        try {
            return Instant.parse(n.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }
}
