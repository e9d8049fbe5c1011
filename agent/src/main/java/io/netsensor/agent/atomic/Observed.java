package io.netsensor.agent.atomic;

import com.fasterxml.jackson.databind.JsonNode;

/** What the agent printed, reduced to what the atomic tests judge: connection records and alerts (ECS JSON). */
public final class Observed {
    private Observed() {}

    /**
     * A connection record (netsensor.conn), OPEN or END phase, or a record of what happened inside one:
     * phase "burst" (netsensor.burst, a request/response exchange in a long-lived connection) or "dns"
     * (netsensor.dns, one query and its answer). All name the connection's endpoints, which is what tests
     * pick their traffic by.
     */
    public record Conn(String phase, String direction, String transport, String sourceIp, int sourcePort,
                       String destinationIp, int destinationPort, String outcome, long pid, String processName) {
        static Conn of(JsonNode e) {
            return of(e, e.at("/netsensor/phase").asText());
        }

        private static Conn of(JsonNode e, String phase) {
            return new Conn(phase, e.at("/network/direction").asText(),
                    e.at("/network/transport").asText(), e.at("/source/ip").asText(), e.at("/source/port").asInt(),
                    e.at("/destination/ip").asText(), e.at("/destination/port").asInt(),
                    e.at("/netsensor/outcome").asText(), e.at("/process/pid").asLong(0), text(e.at("/process/name")));
        }

        /** One line per connection: its END record (OPEN is only the handshake of the same flow). */
        boolean isEnd() {
            return "end".equals(phase);
        }

        boolean isBurst() {
            return "burst".equals(phase);
        }

        boolean isDns() {
            return "dns".equals(phase);
        }
    }

    /** An alert (one severity step of it). */
    public record AlertSeen(String id, String detector, String severity, String message, String remoteIp,
                            Integer remotePort, long pid, String processName, String executable) {
        static AlertSeen of(JsonNode a) {
            JsonNode port = a.at("/destination/port");
            return new AlertSeen(a.at("/netsensor/alert_id").asText(), a.at("/rule/id").asText(),
                    a.at("/netsensor/severity").asText(), text(a.at("/message")), text(a.at("/destination/ip")),
                    port.isMissingNode() ? null : port.asInt(), a.at("/process/pid").asLong(0),
                    text(a.at("/process/name")), text(a.at("/process/executable")));
        }
    }

    /** A connection, burst or DNS record as a {@link Conn}; null for any other record. */
    static Conn record(JsonNode e) {
        return switch (e.at("/event/dataset").asText()) {
            case "netsensor.conn" -> Conn.of(e);
            case "netsensor.burst" -> Conn.of(e, "burst");
            case "netsensor.dns" -> Conn.of(e, "dns");
            default -> null;
        };
    }

    static boolean isAlert(JsonNode e) {
        return "alert".equals(e.at("/event/kind").asText());
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
