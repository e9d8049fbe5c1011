package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kind of record in OCSF 1.8.0 (connection open/end/refused, bursts, DNS, each detector's alert with and
 * without a process, telemetry rows) against the schema sources (OcsfSchema), and what the documents say.
 */
class OcsfEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, JsonNode> documents() {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        Documents.records().forEach((name, r) -> {
            OcsfEncoder enc = new OcsfEncoder(EncoderContext.of("sensor-1").withVersion("1.2.3"));
            enc.process(Documents.curlProcess());
            m.put(name, parse(r.with(enc)));
        });
        return m;
    }

    static JsonNode parse(byte[] b) {
        try {
            String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(s).doesNotContain("\n");
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentConformsToOcsf() throws Exception {
        OcsfSchema ocsf = OcsfSchema.load();
        return documents().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            assertThat(ocsf.problems(e.getValue())).as("%s", e.getValue()).isEmpty();
            assertThat(ocsf.siblingProblems(e.getValue())).as("%s", e.getValue()).isEmpty();
        }));
    }

    @Test
    void theCheckerFindsWhatItIsFor() throws Exception {
        OcsfSchema ocsf = OcsfSchema.load();
        String ok = new String(new OcsfEncoder(EncoderContext.of("h")).conn(Documents.conn(io.netsensor.events.ConnEvent.Phase.OPEN,
                Documents.HOST, Documents.REMOTE, io.netsensor.events.Attribution.UNKNOWN)), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ocsf.problems(JSON.readTree(ok))).isEmpty();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(ok.replace("\"type_uid\":400101", "\"type_uid\":400102"), "type_uid: 400102 is not class_uid * 100 + activity_id");
        bad.put(ok.replaceFirst("\"time\":(\\d+)\\d{3},", "\"time\":$1,"), "time: ");
        bad.put(ok.replace("\"metadata\":{\"version\":\"1.8.0\",", "\"metadata\":{"), "metadata.version: required by metadata");
        bad.put(ok.replace("\"severity_id\":1,", ""), "severity_id: required by network_activity");
        bad.put(ok.replace("\"class_uid\":4001", "\"class_uid\":4999"), "class_uid: 4999 is no OCSF class");
        bad.put(ok.replace("\"is_src_dst_assignment_known\"", "\"detector\""), "detector: not an attribute of network_activity");
        bad.put(ok.replace("\"port\":443", "\"port\":\"443\""), "dst_endpoint.port: \"443\" is not an integer");
        bad.put(ok.replace("\"port\":443", "\"port\":70000"), "outside port_t's range");
        bad.put(ok.replace("\"ip\":\"198.51.100.7\"", "\"ip\":\"198.51.100.700\""), "dst_endpoint.ip: \"198.51.100.700\" does not match ip_t");
        bad.put(ok.replace("\"direction_id\":2", "\"direction_id\":7"), "connection_info.direction_id: 7 is not one of");
        bad.put(ok.replace("\"activity_id\":1,", "\"activity_id\":12,"), "activity_id: 12 is not one of");
        bad.put(ok.replace("\"profiles\":[\"host\"]", "\"profiles\":[]"), "device: belongs to profile host");
        bad.put(ok.replace("\"device\":{\"hostname\":\"h\",", "\"device\":{"), "device: at_least_one");
        bad.put(ok.replace("\"category_uid\":4", "\"category_uid\":2"), "category_uid: 2, the class's category is 4");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            assertThat(b.getKey()).as("the mutation applies").isNotEqualTo(ok);
            assertThat(ocsf.problems(JSON.readTree(b.getKey()))).as(b.getKey()).anySatisfy(p -> assertThat(p).contains(b.getValue()));
        }
        assertThat(ocsf.siblingProblems(JSON.readTree(ok.replace("\"activity_name\":\"Open\"", "\"activity_name\":\"Close\""))))
                .anySatisfy(p -> assertThat(p).contains("activity_id: activity_name \"Close\" is not \"Open\""));
        // a finding without its required finding_info.uid
        JsonNode alert = documents().get("alert beacon, host with process");
        assertThat(ocsf.problems(JSON.readTree(alert.toString().replace("\"uid\":\"beacon-0123456789abcdef\",", ""))))
                .anySatisfy(p -> assertThat(p).contains("finding_info.uid: required by finding_info"));
        // the schema is compiled as documented: attributes from the extended classes and from profiles
        assertThat(ocsf.eventClass("detection_finding").attributes()).containsKeys("finding_info", "metadata", "time", "actor", "device", "is_alert");
        assertThat(ocsf.eventClass("network_activity").attributes().get("actor").profile()).isEqualTo("host");
        assertThat(ocsf.eventClass("network_activity").attributes().get("activity_id").def().path("enum").has("6")).isTrue();
        assertThat(ocsf.eventClass("network_activity").attributes().get("activity_id").def().path("enum").has("99")).as("base's").isTrue();
        assertThat(ocsf.object("user").attributes().get("name").def().path("type").asText()).isEqualTo("username_t");
    }

    @Test
    void classesActivitiesAndTimes() {
        Map<String, JsonNode> d = documents();
        JsonNode open = d.get("conn open, host, attributed");
        assertThat(open.path("class_uid").asInt()).isEqualTo(4001);
        assertThat(open.path("category_uid").asInt()).isEqualTo(4);
        assertThat(open.path("activity_id").asInt()).isEqualTo(1);
        assertThat(open.path("type_uid").asLong()).isEqualTo(400101);
        assertThat(open.path("time").asLong()).isEqualTo(Documents.T0 / 1_000_000);
        assertThat(open.at("/metadata/product/version").asText()).isEqualTo("1.2.3");
        assertThat(open.at("/connection_info/community_uid").asText()).startsWith("1:");
        assertThat(d.get("conn end, refused").path("activity_id").asInt()).isEqualTo(5);
        assertThat(d.get("conn end, refused").path("type_uid").asLong()).isEqualTo(400105);
        assertThat(d.get("conn end, inbound to the host").at("/connection_info/direction").asText()).isEqualTo("Inbound");
        assertThat(d.get("conn end, internal").at("/connection_info/direction_id").asInt()).isEqualTo(3);
        JsonNode dns = d.get("dns answered, host, attributed");
        assertThat(dns.path("class_uid").asInt()).isEqualTo(4003);
        assertThat(dns.path("type_uid").asLong()).isEqualTo(400306);
        assertThat(dns.at("/query/hostname").asText()).isEqualTo("www.example.com");
        assertThat(dns.at("/rcode").asText()).isEqualTo("NoError");
        assertThat(dns.at("/answers/1/rdata").asText()).isEqualTo("93.184.216.34");
        assertThat(d.get("dns unanswered").path("activity_id").asInt()).isEqualTo(1);
        assertThat(d.get("dns mDNS announcement").has("query")).isFalse();
        JsonNode alert = d.get("alert dga, host with process");
        assertThat(alert.path("class_uid").asInt()).isEqualTo(2004);
        assertThat(alert.path("type_uid").asLong()).isEqualTo(200401);
        assertThat(alert.path("severity_id").asInt()).isEqualTo(3);
        assertThat(alert.at("/finding_info/uid").asText()).isEqualTo("dga-0123456789abcdef");
        assertThat(alert.at("/finding_info/analytic/name").asText()).isEqualTo("dga");
        assertThat(alert.at("/finding_info/attacks/0/sub_technique/uid").asText()).isEqualTo("T1583.005");
        assertThat(alert.at("/finding_info/attacks/1/sub_technique/uid").asText()).isEqualTo("T1568.002");
        assertThat(alert.at("/evidences/0/data/jitter").asDouble()).isEqualTo(0.12);
        assertThat(alert.path("risk_score").asInt()).isEqualTo(88);
        JsonNode row = d.get("telemetry conn, process key");
        assertThat(row.path("type_uid").asLong()).isEqualTo(400106);
        assertThat(row.path("count").asLong()).isEqualTo(12);
        assertThat(row.at("/traffic/bytes_in").asLong()).isEqualTo(120_000);
        assertThat(d.get("telemetry dns, LAN client key").path("type_uid").asLong()).isEqualTo(400306);
        assertThat(d.get("telemetry dns, LAN client key").at("/query/hostname").asText()).isEqualTo("example.com");
    }

    @Test
    void aBurstIsNetworkTrafficOfItsConnectionWithPayloadPerSide() {
        Map<String, JsonNode> d = documents();
        JsonNode b = d.get("burst, host, attributed, with names");
        assertThat(b.path("class_uid").asInt()).isEqualTo(4001);
        assertThat(b.path("activity_id").asInt()).isEqualTo(6);
        assertThat(b.path("type_uid").asLong()).isEqualTo(400106);
        assertThat(b.at("/metadata/log_name").asText()).isEqualTo("burst");
        long start = (Documents.T0 + 180_000_000_000L) / 1_000_000;
        assertThat(b.path("time").asLong()).as("the check-in time").isEqualTo(start);
        assertThat(b.path("end_time").asLong()).isEqualTo(start + 250);
        assertThat(b.path("duration").asLong()).isEqualTo(250);
        // the same flow id and community id as the connection's own records: a SIEM joins them
        JsonNode conn = d.get("conn open, host, attributed");
        assertThat(b.at("/connection_info/uid").asText()).isEqualTo(conn.at("/connection_info/uid").asText()).isEqualTo("feed");
        assertThat(b.at("/metadata/correlation_uid").asText()).isEqualTo("feed");
        assertThat(b.at("/connection_info/community_uid").asText()).isEqualTo(conn.at("/connection_info/community_uid").asText());
        assertThat(b.at("/connection_info/direction").asText()).isEqualTo("Outbound");
        assertThat(b.at("/traffic/bytes_out").asLong()).isEqualTo(64);
        assertThat(b.at("/traffic/bytes_in").asLong()).isEqualTo(9000);
        assertThat(b.at("/traffic/bytes").asLong()).isEqualTo(9064);
        assertThat(b.at("/traffic/packets_out").asLong()).isEqualTo(1);
        assertThat(b.at("/traffic/packets_in").asLong()).isEqualTo(7);
        assertThat(b.at("/dst_endpoint/hostname").asText()).isEqualTo("c2.example.net");
        assertThat(b.at("/actor/process/name").asText()).isEqualTo("curl");
        assertThat(b.at("/unmapped/burst_index").asInt()).isEqualTo(7);
        assertThat(b.at("/unmapped/idle_before").asLong()).as("ms, as OCSF's durations").isEqualTo(30_000);
        assertThat(b.at("/unmapped/server_name").asText()).isEqualTo("c2.example.net");
        assertThat(b.path("is_src_dst_assignment_known").asBoolean()).as("the handshake was seen").isTrue();
        assertThat(d.get("burst, inbound to the host").at("/connection_info/direction").asText()).isEqualTo("Inbound");
        JsonNode mid = d.get("burst, IPv6, first seen mid-connection");
        assertThat(mid.at("/src_endpoint/ip").asText()).isEqualTo("2001:db8::5");
        assertThat(mid.at("/connection_info/protocol_ver_id").asInt()).isEqualTo(6);
        assertThat(mid.at("/unmapped/burst_index").asInt()).isEqualTo(1);
        assertThat(mid.path("unmapped").has("idle_before")).as("a flow's first burst has no idle time before it").isFalse();
        assertThat(mid.at("/unmapped/flow_start_seen").asBoolean()).isFalse();
        assertThat(mid.path("is_src_dst_assignment_known").asBoolean()).as("mid-stream: who opened it is a guess").isFalse();
        assertThat(mid.path("dst_endpoint").has("hostname")).isFalse();
        assertThat(mid.has("actor")).isFalse();
    }

    @Test
    void theProcessAndItsUserAreTheActor() {
        JsonNode d = documents().get("conn open, host, attributed");
        assertThat(d.at("/metadata/profiles/0").asText()).isEqualTo("host");
        assertThat(d.at("/actor/process/pid").asInt()).isEqualTo(4242);
        assertThat(d.at("/actor/process/uid").asText()).isEqualTo("123456789abcdef0");
        assertThat(d.at("/actor/process/path").asText()).isEqualTo("/usr/bin/curl");
        assertThat(d.at("/actor/process/cmd_line").asText()).isEqualTo("curl -s https://example.com/");
        assertThat(d.at("/actor/process/created_time").asLong()).isEqualTo((Documents.T0 - 5_000_000_000L) / 1_000_000);
        assertThat(d.at("/actor/user/name").asText()).isEqualTo("alice");
        assertThat(d.at("/actor/user/uid").asText()).isEqualTo("1001");
        assertThat(d.at("/device/hostname").asText()).isEqualTo("sensor-1");
        assertThat(documents().get("conn end, gateway, forwarded").has("actor")).isFalse();
        assertThat(documents().get("alert beacon, host with process").at("/actor/process/name").asText()).isEqualTo("curl");
        assertThat(documents().get("telemetry conn, process key").at("/actor/process/name").asText()).isEqualTo("curl");
    }
}
