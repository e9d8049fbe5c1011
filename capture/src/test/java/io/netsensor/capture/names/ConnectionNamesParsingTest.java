package io.netsensor.capture.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.ConnNames;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConnectionNamesParsingTest {
    /** A TLS ClientHello with a session id, two cipher suites, and extensions before and after server_name. */
    static byte[] clientHello(String sni) {
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        w(ext, 0x00, 0x0b, 0, 2, 1, 0); // ec_point_formats first
        int list = 3 + name.length;
        w(ext, 0, 0, (list + 2) >> 8, (list + 2) & 0xFF, list >> 8, list & 0xFF, 0, name.length >> 8, name.length & 0xFF);
        ext.writeBytes(name);
        w(ext, 0x00, 0x17, 0, 0); // extended master secret after
        byte[] e = ext.toByteArray();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w(b, 3, 3);
        b.writeBytes(new byte[32]);
        w(b, 4, 1, 2, 3, 4);
        w(b, 0, 4, 0x13, 0x01, 0xC0, 0x2F);
        w(b, 1, 0);
        w(b, e.length >> 8, e.length & 0xFF);
        b.writeBytes(e);
        byte[] body = b.toByteArray();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        w(r, 0x16, 3, 1, (body.length + 4) >> 8, (body.length + 4) & 0xFF, 1, 0, body.length >> 8, body.length & 0xFF);
        r.writeBytes(body);
        return r.toByteArray();
    }

    static void w(ByteArrayOutputStream o, int... v) {
        for (int x : v) o.write(x);
    }

    static String at(byte[] b, long found) {
        return new String(b, (int) (found >>> 16), (int) (found & 0xFFFF), StandardCharsets.US_ASCII);
    }

    @Test
    void sniIsFoundAmongOtherExtensionsAndNotBeyondTheBytesCaptured() {
        byte[] hello = clientHello("api.example.org");
        byte[] framed = new byte[hello.length + 10];
        System.arraycopy(hello, 0, framed, 7, hello.length); // at an offset, as in a frame buffer
        assertThat(at(framed, ClientHello.find(framed, 7, hello.length))).isEqualTo("api.example.org");
        // every truncation either finds the whole name or nothing, never throws
        for (int len = 0; len < hello.length; len++) {
            long f = ClientHello.find(framed, 7, len);
            if (f >= 0) assertThat(at(framed, f)).isEqualTo("api.example.org");
        }
        Random rnd = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = hello.clone();
            m[5 + rnd.nextInt(m.length - 5)] = (byte) rnd.nextInt(256);
            long f = ClientHello.find(m, 0, m.length);
            if (f >= 0) assertThat((f >>> 16) + (f & 0xFFFF)).isLessThanOrEqualTo(m.length);
        }
        assertThat(ClientHello.find("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, 18)).isEqualTo(-1);
    }

    @Test
    void httpHostAndUserAgentOfARequestHead() {
        byte[] req = "POST /submit HTTP/1.1\r\nhost: c2.example.net:8080\r\nContent-Length: 3\r\nUSER-AGENT:  python-requests/2.31\r\n\r\nabc"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpRequestHead.isRequest(req, 0, req.length)).isTrue();
        assertThat(at(req, HttpRequestHead.host(req, 0, req.length))).isEqualTo("c2.example.net:8080");
        assertThat(at(req, HttpRequestHead.userAgent(req, 0, req.length))).isEqualTo("python-requests/2.31");
        byte[] body = "GET / HTTP/1.1\r\nAccept: */*\r\n\r\nHost: not-a-header".getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpRequestHead.host(body, 0, body.length)).isEqualTo(-1); // after the head's end
        byte[] tls = clientHello("x.example");
        assertThat(HttpRequestHead.isRequest(tls, 0, tls.length)).isFalse();
        for (int len = 0; len < req.length; len++) { // truncated heads never throw
            HttpRequestHead.host(req, 0, len);
            HttpRequestHead.userAgent(req, 0, len);
        }
    }

    @Test
    void resolvedNamesArePerHostAndExpireAfterTheirTtlAndGrace() {
        ResolvedNames names = new ResolvedNames(64);
        DnsEvent e = new DnsEvent();
        e.responded = true;
        e.rcode = 0;
        e.tsNanos = 1_000_000_000_000L;
        long[] host = Ip.parse("10.0.0.5");
        e.clientIpHi = host[0];
        e.clientIpLo = host[1];
        byte[] q = "c2.example.net".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(q, 0, e.qname, 0, q.length);
        e.qnameLen = q.length;
        e.addAnswer(1, 1, 60, DnsEvent.RDATA_ADDRESS, new byte[] {(byte) 198, 51, 100, 7}, 0, 4);
        names.learn(e);
        long[] addr = Ip.parse("198.51.100.7"), other = Ip.parse("10.0.0.6");
        int entry = names.find(host[0], host[1], addr[0], addr[1], e.tsNanos + 1);
        assertThat(entry).isNotNegative();
        ConnNames n = new ConnNames();
        names.copyTo(entry, names.generation(entry), n);
        assertThat(n.text(ConnNames.DNS)).isEqualTo("c2.example.net");
        assertThat(names.find(other[0], other[1], addr[0], addr[1], e.tsNanos + 1)).as("another host").isNegative();
        long expiry = e.tsNanos + 60_000_000_000L + ResolvedNames.GRACE_NANOS;
        assertThat(names.find(host[0], host[1], addr[0], addr[1], expiry)).isEqualTo(entry);
        assertThat(names.find(host[0], host[1], addr[0], addr[1], expiry + 1)).isNegative();
    }
}
