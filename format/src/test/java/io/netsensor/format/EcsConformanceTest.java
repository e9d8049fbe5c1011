package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every field of every kind of document (connection open/end, DNS, the alert of each detector, with and
 * without a process, in a host's and a gateway's view) against ECS 9.4's ecs_flat.yml: the name is an
 * ECS field or under netsensor.*, the value fits its type, lists only where ECS has arrays, allowed values.
 */
class EcsConformanceTest {
    @TestFactory
    Stream<DynamicTest> everyDocumentConformsToEcs() throws Exception {
        EcsSchema ecs = EcsSchema.load();
        return Documents.all().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertThat(ecs.problems(e.getValue())).as("%s", e.getValue()).isEmpty()));
    }

    @Test
    void theCheckerFindsWhatItIsFor() throws Exception {
        EcsSchema ecs = EcsSchema.load();
        JsonNode alert = Documents.all().get("alert beacon, host with process");
        // the shapes this change moved out of the output, and a few other mistakes
        Map<String, String> bad = Map.of(
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\"}", "ecs.version: missing",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"detector\":\"beacon\"}", "detector: not an ECS field",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"process\":{\"user\":\"alice\"}}", "process.user: not an ECS field",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"dns\":{\"id\":4711}}", "dns.id: 4711 is not a string",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"event\":{\"severity\":\"High\"}}", "event.severity: \"High\" is not an integral number",
                "{\"@timestamp\":\"yesterday\",\"ecs\":{\"version\":\"9.4.0\"}}", "@timestamp: \"yesterday\" is not an RFC 3339 date",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"source\":{\"ip\":\"300.1.2.3\"}}", "source.ip: \"300.1.2.3\" is not an IP address",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"source\":{\"port\":[1,2]}}", "source.port: a list",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"event\":{\"kind\":\"finding\"}}", "event.kind: \"finding\" is not one of",
                "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"ecs\":{\"version\":\"9.4.0\"},\"event\":{\"category\":[\"network\"],\"type\":[\"creation\"]}}", "is not expected with event.category");
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Map.Entry<String, String> b : bad.entrySet()) {
            assertThat(ecs.problems(m.readTree(b.getKey()))).as(b.getKey()).anySatisfy(p -> assertThat(p).contains(b.getValue()));
        }
        assertThat(ecs.problems(alert)).isEmpty();
        assertThat(EcsSchema.validIp("2001:db8::1")).isTrue();
        assertThat(EcsSchema.validIp("::ffff:192.0.2.1")).isTrue();
        assertThat(EcsSchema.validIp("example.com")).isFalse();
    }
}
