package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's examples of each output shape: one connection, one DNS transaction, one alert and one burst, written by
 * the encoders, exactly as they write them (one line each). Writes them to
 * target/shape-examples.md, from where they are copied into the README.
 */
class ShapeExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writeTheExamples() throws Exception {
        ConnEvent conn = Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED);
        DnsEvent dns = Documents.dnsAnswered(Documents.HOST, Attribution.RESOLVED);
        dns.answerCount = 2; // the CNAME and the A record: enough to show the shape
        dns.answerDataLen = dns.answerOffset[1] + dns.answerLength[1];
        Alert alert = Documents.alert(DetectorKind.BEACON, Documents.HOST, null, Documents.CURL);
        io.netsensor.events.BurstEvent burst = Documents.burst(Documents.HOST, Documents.REMOTE, Attribution.RESOLVED);
        EncoderContext ctx = EncoderContext.of("sensor-1").withVersion("0.1.0").withAgentId("3f2a9c4e5b6d7e8f9a0b1c2d3e4f5a6b")
                .withHostAddresses(Documents::isHost);
        StringBuilder md = new StringBuilder();

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        EventJson ecs = new EventJson(buf, "sensor-1", id -> id == Documents.CURL.entityId ? Documents.CURL : null, Documents::isHost);
        ecs.conn(conn);
        ecs.dns(dns);
        new AlertJson(ecs.generator(), "sensor-1").write(alert);
        ecs.burst(burst);
        ecs.close();
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        section(md, "ECS", pretty(lines[0]), pretty(lines[1]), pretty(lines[2]), pretty(lines[3]));

        OcsfEncoder ocsf = new OcsfEncoder(ctx);
        ocsf.process(Documents.curlProcess());
        section(md, "OCSF", pretty(ocsf.conn(conn)), pretty(ocsf.dns(dns)), pretty(ocsf.alert(alert)), pretty(ocsf.burst(burst)));

        FalconEncoder falcon = new FalconEncoder(ctx);
        String rollup = pretty(falcon.process(Documents.curlProcess()));
        ConnEvent open = Documents.conn(ConnEvent.Phase.OPEN, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED);
        section(md, "Falcon", pretty(falcon.conn(open)), pretty(falcon.dns(dns)), pretty(falcon.alert(alert)), pretty(falcon.burst(burst)));
        md.append("ProcessRollup2\n```json\n").append(rollup).append("\n```\n");

        CefEncoder cef = new CefEncoder(ctx);
        cef.process(Documents.curlProcess());
        section(md, "CEF", cef.conn(conn), cef.dns(dns), cef.alert(alert), cef.burst(burst));

        Path out = Path.of("target", "shape-examples.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        assertThat(md).contains("NetworkConnectIP4").contains("\"class_uid\":4001").contains("CEF:0|netsensor|netsensor|0.1.0|beacon|")
                .contains("NetsensorConnectionBurst").contains("CEF:0|netsensor|netsensor|0.1.0|burst|").contains("\"dataset\":\"netsensor.burst\"");
    }

    private static void section(StringBuilder md, String shape, String conn, String dns, String alert, String burst) {
        String fence = shape.equals("CEF") ? "text" : "json";
        md.append("### ").append(shape).append("\n\n");
        md.append("connection\n```").append(fence).append('\n').append(conn).append("\n```\n");
        md.append("DNS\n```").append(fence).append('\n').append(dns).append("\n```\n");
        md.append("alert\n```").append(fence).append('\n').append(alert).append("\n```\n");
        md.append("burst (the 7th exchange inside a connection)\n```").append(fence).append('\n').append(burst).append("\n```\n\n");
    }

    private static String pretty(byte[] doc) throws Exception {
        return pretty(new String(doc, StandardCharsets.UTF_8));
    }

    /** The document as written, checked to be one JSON value on one line. */
    private static String pretty(String doc) throws Exception {
        JSON.readTree(doc);
        assertThat(doc).doesNotContain("\n");
        return doc;
    }
}
