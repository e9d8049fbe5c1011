package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CEF lines read back by a parser written from the CEF spec's rules (not from the encoder): the header is the
 * first seven unescaped pipes, where only \\ and \| are escapes; the extension is key=value pairs, a key being
 * the word before an unescaped '=', its value running to the space before the next key, with \\, \=, \n and
 * \r the only escapes. Adversarial values (pipes, backslashes, equals signs, line breaks, text that looks like
 * further keys) must come back exactly, and never as keys of their own.
 */
class CefEncoderTest {
    /** A CEF line as the spec reads it. */
    record Parsed(List<String> header, Map<String, String> ext) {}

    static Parsed parse(String line) {
        assertThat(line).as("one line").doesNotContain("\n").doesNotContain("\r");
        assertThat(line).startsWith("CEF:");
        List<String> header = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        for (; i < line.length() && header.size() < 7; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                char n = line.charAt(++i);
                if (n != '\\' && n != '|') throw new IllegalArgumentException("header escape \\" + n + " is not CEF's: " + line);
                cur.append(n);
            } else if (c == '|') {
                header.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (header.size() < 7) throw new IllegalArgumentException("fewer than 8 header fields: " + line);
        header.set(0, header.get(0).substring("CEF:".length()));
        String ext = line.substring(i);
        // every unescaped '=' ends a key: the word before it, back to a space
        List<int[]> keys = new ArrayList<>();
        for (int j = 0; j < ext.length(); j++) {
            char c = ext.charAt(j);
            if (c == '\\') {
                j++;
                continue;
            }
            if (c == '=') {
                int k = j;
                while (k > 0 && ext.charAt(k - 1) != ' ') k--;
                String key = ext.substring(k, j);
                if (!key.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("unescaped '=' after \"" + key + "\": " + line);
                keys.add(new int[] {k, j});
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = 0; n < keys.size(); n++) {
            int valueStart = keys.get(n)[1] + 1;
            int valueEnd = n + 1 < keys.size() ? keys.get(n + 1)[0] - 1 : ext.length();
            String key = ext.substring(keys.get(n)[0], keys.get(n)[1]);
            if (out.containsKey(key)) throw new IllegalArgumentException("key " + key + " twice: " + line);
            out.put(key, unescapeValue(ext.substring(valueStart, valueEnd)));
        }
        return new Parsed(header, out);
    }

    static String unescapeValue(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = v.charAt(++i);
            switch (n) {
                case '\\': b.append('\\'); break;
                case '=': b.append('='); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                default: throw new IllegalArgumentException("value escape \\" + n + " is not CEF's: " + v);
            }
        }
        return b.toString();
    }

    private static final String NASTY = "a|b\\c=d e\nf\r\ng src=6.6.6.6 msg=injected \\=\\|";
    private static final ProcessInfo EVIL = new ProcessInfo(0x42, 666, 1, 1000, Documents.T0, "sh", "C:\\tools\\a=b.exe",
            "sh -c \"x=1 y=2 | tee \\\\srv\\share\" cs1=forged suser=root\nrt=0", "bob=evil|user\\");

    private static CefEncoder encoder(String host, String version) {
        return new CefEncoder(new EncoderContext(host, null, version, id -> id == EVIL.entityId ? EVIL : null, Documents::isHost));
    }

    @Test
    void anAlertLineHasTheHeaderAndTheStandardKeys() {
        String line = encoder("sensor-1", "0.1.0").alert(Documents.alert(DetectorKind.BEACON, Documents.HOST, null, Documents.CURL));
        Parsed p = parse(line);
        assertThat(p.header()).containsExactly("0", "netsensor", "netsensor", "0.1.0", "beacon", "beacon from 10.0.0.5", "8");
        assertThat(p.ext()).containsEntry("rt", Long.toString((Documents.T0 + 3_600_000_000_000L) / 1_000_000))
                .containsEntry("dvchost", "sensor-1").containsEntry("src", Documents.HOST).containsEntry("dst", Documents.REMOTE)
                .containsEntry("dpt", "8443").containsEntry("suser", "alice").containsEntry("sproc", "/usr/bin/curl")
                .containsEntry("spid", "4242").containsEntry("cs1", "beacon-0123456789abcdef").containsEntry("cs1Label", "alertId")
                .containsEntry("cs2", "beacon").containsEntry("cs2Label", "detector")
                .containsEntry("cs3", "123456789abcdef0").containsEntry("cs3Label", "processEntityId")
                .containsEntry("cs4", "T1583.005,T1071").containsEntry("cn1", "42").containsEntry("cn1Label", "count")
                .containsEntry("flexString1", "curl -s https://example.com/").containsEntry("msg", "beacon from 10.0.0.5")
                .containsEntry("start", Long.toString(Documents.T0 / 1_000_000));
        assertThat(p.ext().get("cs6")).contains("\"interval_histogram\":[0,3,9,1]");
        assertThat(CefEncoder.severity(io.netsensor.events.Severity.LOW)).isEqualTo(3);
        assertThat(parse(encoder(null, null).alert(Documents.alert(DetectorKind.DGA, Documents.HOST, null, null))).header().get(6)).isEqualTo("5");
    }

    @Test
    void connectionDnsAndTelemetryLines() {
        CefEncoder enc = encoder("sensor-1", "0.1.0");
        enc.process(Documents.curlProcess());
        Parsed c = parse(enc.conn(Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED)));
        assertThat(c.header().subList(4, 7)).containsExactly("conn", "connection end TCP 10.0.0.5:50123 to 198.51.100.7:443", "1");
        assertThat(c.ext()).containsEntry("src", Documents.HOST).containsEntry("spt", "50123").containsEntry("dst", Documents.REMOTE)
                .containsEntry("dpt", "443").containsEntry("proto", "TCP").containsEntry("out", "1000").containsEntry("in", "4500")
                .containsEntry("smac", "02:00:5E:00:00:99").containsEntry("deviceDirection", "1").containsEntry("act", "end")
                .containsEntry("outcome", "established").containsEntry("cs2Label", "communityId").containsEntry("suser", "alice")
                .containsEntry("cs5", "SF");
        assertThat(c.ext().get("cs2")).startsWith("1:");
        Parsed v6 = parse(enc.conn(Documents.conn(ConnEvent.Phase.OPEN, "2001:db8::5", "2001:db8:ffff::1", Attribution.UNKNOWN)));
        assertThat(v6.ext()).doesNotContainKeys("src", "dst").containsEntry("c6a2", "2001:db8::5").containsEntry("c6a3", "2001:db8:ffff::1")
                .containsEntry("c6a2Label", "Source IPv6 Address");
        Parsed d = parse(enc.dns(Documents.dnsAnswered(Documents.HOST, Attribution.RESOLVED)));
        assertThat(d.header().subList(4, 6)).containsExactly("dns", "dns A www.example.com NOERROR");
        assertThat(d.ext()).containsEntry("cs4", "www.example.com").containsEntry("cs5", "NOERROR").containsEntry("dpt", "53")
                .containsEntry("proto", "UDP").containsEntry("sproc", "/usr/bin/curl");
        assertThat(d.ext().get("cs6")).contains("A 93.184.216.34").contains("CNAME edge.example.net");
        assertThat(parse(enc.dns(Documents.mdnsAnnouncement())).header().get(5)).isEqualTo("dns response NOERROR");
        Parsed t = parse(enc.telemetry(Documents.telemetryRows().get("telemetry conn, process key")));
        assertThat(t.header().subList(4, 6)).containsExactly("telemetry.conn", "10.0.0.5 12 connections to 198.51.100.7:443/tcp");
        assertThat(t.ext()).containsEntry("cn1", "12").containsEntry("cn1Label", "connections").containsEntry("in", "120000")
                .containsEntry("sproc", "/usr/bin/curl");
        Parsed o = parse(enc.telemetry(Documents.telemetryRows().get("telemetry dns, other")));
        assertThat(o.ext()).containsEntry("cs5", "70").containsEntry("cs5Label", "foldedRecords").doesNotContainKey("src");
        byte[] b = enc.asRecordEncoder().alert(Documents.alert(DetectorKind.RELAY, Documents.HOST, null, null));
        assertThat(new String(b, StandardCharsets.UTF_8)).startsWith("CEF:0|netsensor|netsensor|0.1.0|relay|").doesNotEndWith("\n");
    }

    @Test
    void aBurstLineNamesItsFlowPayloadIndexAndIdleGap() {
        CefEncoder enc = encoder("sensor-1", "0.1.0");
        enc.process(Documents.curlProcess());
        Parsed b = parse(enc.burst(Documents.burst(Documents.HOST, Documents.REMOTE, Attribution.RESOLVED)));
        assertThat(b.header().subList(4, 7)).containsExactly("burst", "burst #7 TCP 10.0.0.5:50123 to 198.51.100.7:443", "1");
        long start = (Documents.T0 + 180_000_000_000L) / 1_000_000;
        assertThat(b.ext()).containsEntry("rt", Long.toString(start)).containsEntry("cat", "burst")
                .containsEntry("src", Documents.HOST).containsEntry("spt", "50123").containsEntry("dst", Documents.REMOTE)
                .containsEntry("dpt", "443").containsEntry("dhost", "c2.example.net").containsEntry("proto", "TCP")
                .containsEntry("out", "64").containsEntry("in", "9000").containsEntry("start", Long.toString(start))
                .containsEntry("end", Long.toString(start + 250)).containsEntry("deviceDirection", "1")
                .containsEntry("cs1", "feed").containsEntry("cs1Label", "flowId").containsEntry("cs2Label", "communityId")
                .containsEntry("cs4", "c2.example.net").containsEntry("cs4Label", "serverName")
                .containsEntry("cn1", "7").containsEntry("cn1Label", "burstIndex")
                .containsEntry("cn2", "30000").containsEntry("cn2Label", "idleBeforeMs")
                .containsEntry("cn3", "8").containsEntry("cn3Label", "packets")
                .containsEntry("suser", "alice").containsEntry("sproc", "/usr/bin/curl");
        // the same community id as the connection's line
        assertThat(b.ext().get("cs2"))
                .isEqualTo(parse(enc.conn(Documents.conn(ConnEvent.Phase.END, Documents.HOST, Documents.REMOTE, Attribution.RESOLVED))).ext().get("cs2"));
        Parsed mid = parse(enc.burst(Documents.midStreamBurst()));
        assertThat(mid.header().get(5)).isEqualTo("burst #1 TCP 2001:db8::5:50123 to 2001:db8:ffff::1:443");
        assertThat(mid.ext()).doesNotContainKeys("src", "dst", "cn2", "dhost", "cs4", "suser")
                .containsEntry("c6a2", "2001:db8::5").containsEntry("c6a3", "2001:db8:ffff::1").containsEntry("cn1", "1");
        assertThat(parse(enc.burst(Documents.burst(Documents.REMOTE, Documents.HOST, Attribution.NO_SOCKET))).ext())
                .containsEntry("deviceDirection", "0");
        assertThat(new String(enc.asRecordEncoder().burst(Documents.midStreamBurst()), StandardCharsets.UTF_8))
                .startsWith("CEF:0|netsensor|netsensor|0.1.0|burst|").doesNotEndWith("\n");
    }

    @Test
    void adversarialValuesComeBackExactlyAndNeverAsKeys() {
        Alert.Draft d = Documents.alert(DetectorKind.C2_PORT, Documents.HOST, null, EVIL).toDraft();
        d.summary = NASTY;
        d.evidence.clear();
        d.evidence.put("k=v", "x\\y=z\nw");
        d.id = "id|with=odd\\chars";
        String line = encoder("host|o=st\nname", "1.0|beta\\2").alert(d.build());
        Parsed p = parse(line);
        // the header: pipes and backslashes escaped; a line break (no escape exists for it there) is a space
        assertThat(p.header().get(3)).isEqualTo("1.0|beta\\2");
        assertThat(p.header().get(5)).isEqualTo("a|b\\c=d e f g src=6.6.6.6 msg=injected \\=\\|");
        // extension values: exactly what was given, line breaks included
        assertThat(p.ext()).containsEntry("msg", NASTY).containsEntry("dvchost", "host|o=st\nname")
                .containsEntry("cs1", "id|with=odd\\chars").containsEntry("suser", "bob=evil|user\\")
                .containsEntry("sproc", "C:\\tools\\a=b.exe").containsEntry("flexString1", EVIL.commandLine)
                .containsEntry("cs6", "{\"k=v\":\"x\\\\y=z\\nw\"}");
        // nothing smuggled in: the keys are the encoder's, src and cs1 are ours
        assertThat(p.ext().keySet()).containsExactly("rt", "dvchost", "cat", "src", "dst", "dpt", "start", "end", "msg", "cs1", "cs1Label",
                "cs2", "cs2Label", "cs3", "cs3Label", "spid", "suser", "sproc", "flexString1", "flexString1Label", "cs4", "cs4Label",
                "cs5", "cs5Label", "cs6", "cs6Label", "cn1", "cn1Label", "cfp1", "cfp1Label");
        assertThat(p.ext()).containsEntry("src", Documents.HOST);
        // and the raw text escapes as the spec says, keys never
        assertThat(line).contains("msg=a|b\\\\c\\=d e\\nf\\r\\ng src\\=6.6.6.6 msg\\=injected \\\\\\=\\\\|");
        assertThat(line).contains("|a\\|b\\\\c=d e f g src=6.6.6.6 msg=injected \\\\=\\\\\\||");
    }

    @Test
    void aQueryNameWithBackslashEscapesAndAnEqualsSignSurvives() {
        DnsEvent e = Documents.dnsUnanswered();
        e.setQname("we\\\\ird=name\\x00.example"); // as the record holds it: Zeek-style escapes of the raw bytes
        Parsed p = parse(encoder("h", null).dns(e));
        assertThat(p.ext()).containsEntry("cs4", "we\\\\ird=name\\x00.example");
        assertThat(p.header().get(5)).isEqualTo("dns AAAA we\\\\ird=name\\x00.example no response");
    }

    @Test
    void theEscapersFollowTheSpec() {
        assertThat(CefEncoder.escapeHeader("a|b\\c=d")).isEqualTo("a\\|b\\\\c=d");
        assertThat(CefEncoder.escapeHeader("x\r\ny\nz\rw")).isEqualTo("x y z w");
        assertThat(CefEncoder.escapeValue("a|b\\c=d")).isEqualTo("a|b\\\\c\\=d");
        assertThat(CefEncoder.escapeValue("x\r\ny")).isEqualTo("x\\r\\ny");
        assertThat(CefEncoder.escapeValue("")).isEmpty();
        // why values escape '=': unescaped, " b=c" in a value is read as a key of its own
        assertThat(parse("CEF:0|v|p|1|c|n|1|msg=a b=c d=e f").ext()).containsExactly(Map.entry("msg", "a"), Map.entry("b", "c"), Map.entry("d", "e f"));
        // the parser is strict: an '=' after no key, or an escape CEF does not have, is caught
        assertThatThrownBy(() -> parse("CEF:0|v|p|1|c|n|1|msg=a x|=c")).hasMessageContaining("unescaped '='");
        assertThatThrownBy(() -> parse("CEF:0|v|p|1|c|n|1|msg=a\\tb")).hasMessageContaining("not CEF's");
    }
}
