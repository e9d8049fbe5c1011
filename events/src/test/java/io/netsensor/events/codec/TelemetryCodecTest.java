package io.netsensor.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TelemetryCodecTest {
    static TelemetryRow conn() {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.CONN);
        b.intervalStartNanos = 1_767_225_600_000_000_000L;
        b.intervalEndNanos = b.intervalStartNanos + 60_000_000_000L;
        b.localIp = "10.0.0.5";
        b.localMac = "02-00-0a-00-00-05";
        b.processEntityId = 0x1234_5678_9abcL;
        b.pid = 4242;
        b.remoteIp = "2001:db8::7";
        b.remotePort = 443;
        b.transport = Transport.UDP;
        b.connections = 12; b.rejected = 1; b.noAnswer = 2; b.bytesOut = 1200; b.bytesIn = 34000;
        b.packetsOut = 30; b.packetsIn = 40; b.firstSeenNanos = b.intervalStartNanos + 5; b.lastSeenNanos = b.intervalEndNanos - 5;
        b.names = List.of("api.example.com", "cdn.example.net");
        return b.build();
    }

    static TelemetryRow dns() {
        TelemetryRow.Builder b = new TelemetryRow.Builder(TelemetryRow.Kind.DNS);
        b.intervalStartNanos = 1_767_225_600_000_000_000L;
        b.intervalEndNanos = b.intervalStartNanos + 60_000_000_000L;
        b.localIp = "10.0.0.5";
        b.domain = "bad.co.uk";
        b.queries = 9; b.nxdomains = 7; b.distinctNames = 8;
        b.queryTypes = Map.of("1", 5L, "16", 4L);
        b.transport = null;
        return b.build();
    }

    private static void assertSame(TelemetryRow a, TelemetryRow b) {
        assertThat(b).usingRecursiveComparison().isEqualTo(a);
    }

    @Test
    void roundTripsEveryField() {
        for (TelemetryRow r : List.of(conn(), dns())) {
            ByteBuffer buf = ByteBuffer.allocate(TelemetryCodec.MAX_SIZE);
            int n = TelemetryCodec.encode(r, buf);
            assertThat(n).isPositive().isEqualTo(buf.position());
            buf.flip();
            assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.TELEMETRY);
            assertThat(EventCodec.peekTime(buf)).isEqualTo(r.intervalEndNanos);
            assertSame(r, TelemetryCodec.decode(buf));
        }
    }

    @Test
    void damagedRecordsDecodeToNullNeverThrow() {
        ByteBuffer buf = ByteBuffer.allocate(TelemetryCodec.MAX_SIZE);
        int n = TelemetryCodec.encode(conn(), buf);
        byte[] good = java.util.Arrays.copyOf(buf.array(), n);
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(n) : n;
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) b[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
            TelemetryRow r = TelemetryCodec.decode(ByteBuffer.wrap(b, 0, len));
            if (r != null) assertThat(r.kind).isNotNull(); // either rejected or a well-formed row
        }
        for (int cut = 0; cut < n; cut++) assertThat(TelemetryCodec.decode(ByteBuffer.wrap(good, 0, cut))).isNull();
    }
}
