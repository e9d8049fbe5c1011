package io.netsensor.sinks.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Severity;
import io.netsensor.sinks.RecordKind;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** format: cef takes its body from format's CefEncoder when the build has one, and says so when it does not. */
class CefBodyTest {
    @Test
    void withoutTheEncoderCefIsRefusedInOneLine() {
        assertThat(CefBody.unavailable("io.netsensor.format.NoSuchCefEncoder", false))
                .isEqualTo("cef needs io.netsensor.format.NoSuchCefEncoder, which this build does not have yet; use format: ecs");
        assertThat(CefBody.unavailable(FakeCefEncoder.class.getName(), false)).isNull();
        assertThat(CefBody.unavailable(FakeCefEncoder.class.getName(), true))
                .isEqualTo(FakeCefEncoder.class.getName() + " encodes alerts only; set kinds: [alerts] for a cef sink");
        assertThat(CefBody.unavailable(String.class.getName(), false)).contains("has no public method encoding an Alert");
    }

    @Test
    void alertsGoOutWithTheEncodersCefLine() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SyslogOptions o = new SyslogOptions("arcsight", "127.0.0.1", server.getLocalPort(), SyslogOptions.Transport.TCP,
                    null, null, null, null, null, "sensor-1", SyslogOptions.Body.CEF, EnumSet.of(RecordKind.ALERT), 0);
            SyslogSink sink = new SyslogSink(o, FakeCefEncoder.class.getName());
            Alert.Draft d = new Alert.Draft();
            d.id = "c2_port-00ff";
            d.detector = DetectorKind.C2_PORT;
            d.severity = Severity.HIGH;
            d.hostIp = "10.0.0.5";
            d.remoteIp = "203.0.113.9";
            d.remotePort = 6667;
            d.lastSeenNanos = 1_767_225_600_000_000_000L;
            d.summary = "established connection to 203.0.113.9:6667 (IRC port)";
            sink.onAlert(d.build());
            sink.flush();
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                StringBuilder len = new StringBuilder();
                for (int c = in.read(); c != ' '; c = in.read()) len.append((char) c);
                byte[] msg = new byte[Integer.parseInt(len.toString())];
                in.readFully(msg);
                String m = new String(msg, StandardCharsets.UTF_8);
                assertThat(m).startsWith("<131>1 2026-01-01T00:00:00.000000Z sensor-1 netsensor ") // local0 * 8 + err (3)
                        .endsWith(" alert - CEF:0|netsensor|netsensor|dev|c2_port|established connection to 203.0.113.9:6667 (IRC port)|2"
                                + "|dvchost=sensor-1 externalId=c2_port-00ff");
            }
            sink.close();
        }
        SyslogOptions none = SyslogOptions.tcp("x", "127.0.0.1", 514, "h");
        SyslogOptions cef = new SyslogOptions("x", "127.0.0.1", 514, null, null, null, null, null, null, "h", SyslogOptions.Body.CEF, null, 0);
        assertThat(new SyslogSink(none, "io.netsensor.format.NoSuchCefEncoder").name()).isEqualTo("x"); // ECS: the encoder is not needed
        assertThatThrownBy(() -> new SyslogSink(cef, "io.netsensor.format.NoSuchCefEncoder")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use format: ecs");
    }
}
