package io.netsensor.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * `events --format table`: one row per record for a person, rendered from the record's ECS JSON (the same
 * document `--format json` prints, so the two never disagree), in columns that fit 100 characters:
 * time in this machine's zone, kind, local side with its process, remote side, what happened.
 * An OutputStream: the JSON writer writes a line per record into it, and each line becomes a row.
 */
final class RecordTable extends OutputStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FMT = "%-19s %-5s %-30s %-26s %s%n";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private final PrintStream out;
    private final ZoneId zone;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
    private boolean headerDone;

    RecordTable(PrintStream out, ZoneId zone) {
        this.out = out;
        this.zone = zone;
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n') {
            row(line.toByteArray());
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    private void row(byte[] json) throws IOException {
        if (json.length == 0) return;
        JsonNode e = JSON.readTree(json);
        if (!headerDone) {
            out.printf(FMT, "TIME (" + zoneName() + ")", "KIND", "HOST / PROCESS", "REMOTE", "WHAT");
            headerDone = true;
        }
        String dataset = e.at("/event/dataset").asText();
        String kind = dataset.endsWith(".conn") ? "conn" : dataset.endsWith(".dns") ? "dns" : dataset.endsWith(".burst") ? "burst"
                : e.has("rule") ? "alert" : "event";
        String local, remote;
        // the host view (network.direction) says which side is local; without one, the source is
        boolean inbound = e.at("/network/direction").asText().matches("ingress|inbound");
        JsonNode mine = inbound ? e.path("destination") : e.path("source");
        JsonNode theirs = inbound ? e.path("source") : e.path("destination");
        local = endpoint(mine) + process(e);
        remote = endpoint(theirs);
        String what;
        if (kind.equals("conn")) {
            String phase = e.at("/netsensor/phase").asText("end");
            what = e.at("/network/transport").asText() + " " + (phase.equals("end") ? "" : phase + ", ")
                    + e.at("/netsensor/outcome").asText(e.at("/netsensor/conn_state").asText())
                    + ", " + e.at("/source/bytes").asLong() + "/" + e.at("/destination/bytes").asLong() + " B";
            if (e.at("/event/duration").isNumber()) what += String.format(Locale.ROOT, ", %.1f s", e.at("/event/duration").asLong() / 1e9);
        } else if (kind.equals("burst")) {
            // "tcp #7, 64/9000 B, idle 30.0 s, flow 1a2b...": the flow id to find its connection records (netsensor.flow_id)
            JsonNode b = e.at("/netsensor/burst");
            what = e.at("/network/transport").asText() + " #" + b.path("index").asInt() + ", "
                    + b.path("orig_bytes").asLong() + "/" + b.path("resp_bytes").asLong() + " B, "
                    + (b.has("idle_before") ? String.format(Locale.ROOT, "idle %.1f s", b.path("idle_before").asLong() / 1e9) : "first seen")
                    + ", flow " + e.at("/netsensor/flow_id").asText();
        } else if (kind.equals("dns")) {
            what = e.at("/dns/question/name").asText("?") + " " + e.at("/dns/question/type").asText("")
                    + " " + e.at("/dns/response_code").asText("(no answer)");
            JsonNode first = e.at("/dns/answers/0/data");
            if (!first.isMissingNode()) what += " " + first.asText() + (e.at("/dns/answers").size() > 1 ? " +" + (e.at("/dns/answers").size() - 1) : "");
        } else {
            what = e.at("/netsensor/severity").asText(e.at("/event/severity").asText("")) + " " + e.at("/rule/name").asText("")
                    + ": " + e.path("message").asText("");
            if (remote.equals("-")) remote = e.at("/destination/ip").asText("-");
        }
        out.printf(FMT, time(e.path("@timestamp").asText()), kind, clip(local, 30), clip(remote, 26), clip(what, 60));
    }

    private static String endpoint(JsonNode side) {
        if (!side.has("ip")) return "-";
        String ip = side.path("ip").asText();
        String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
        return side.has("port") ? host + ":" + side.path("port").asInt() : host;
    }

    private static String process(JsonNode e) {
        JsonNode p = e.path("process");
        if (!p.has("name")) return "";
        return " " + p.path("name").asText() + (p.has("pid") ? "[" + p.path("pid").asInt() + "]" : "");
    }

    private String time(String iso) {
        try {
            return TIME.format(Instant.parse(iso).atZone(zone));
        } catch (RuntimeException ex) {
            return iso;
        }
    }

    private String zoneName() {
        String offset = zone.getRules().getOffset(Instant.now()).getId();
        return offset.equals("Z") ? "UTC" : "UTC" + offset;
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    @Override
    public void flush() {
        out.flush();
    }
}
