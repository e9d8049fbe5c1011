package io.netsensor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rollups sum what a SIEM asks of connections and DNS per interval, bounded by their row cap. */
class RollupsTest {
    private static final long T0 = 1_767_225_600_000_000_000L, SEC = 1_000_000_000L;
    private final List<TelemetryRow> rows = new ArrayList<>();

    static ConnEvent conn(String local, String remote, int port, long t, ConnEvent.Phase phase, ConnState state) {
        ConnEvent e = new ConnEvent();
        e.phase = phase;
        e.endReason = ConnEvent.EndReason.FIN;
        e.transport = Transport.TCP;
        e.direction = Direction.OUTBOUND;
        e.state = state;
        long[] l = Ip.parse(local), r = Ip.parse(remote);
        e.origIpHi = l[0]; e.origIpLo = l[1]; e.origPort = 40000;
        e.respIpHi = r[0]; e.respIpLo = r[1]; e.respPort = port;
        e.startNanos = t;
        e.endNanos = t + SEC;
        if (phase == ConnEvent.Phase.END) {
            e.origBytes = 100; e.respBytes = 1000; e.origPkts = 3; e.respPkts = 4;
        }
        return e;
    }

    static DnsEvent dns(String client, String name, int rcode, long t, String answer) {
        DnsEvent e = new DnsEvent();
        long[] c = Ip.parse(client), s = Ip.parse("10.0.0.1");
        e.clientIpHi = c[0]; e.clientIpLo = c[1]; e.serverIpHi = s[0]; e.serverIpLo = s[1];
        e.serverPort = 53;
        e.tsNanos = t;
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, e.qname, 0, n.length);
        e.qnameLen = n.length;
        e.qtype = 1;
        e.qclass = 1;
        e.queried = true;
        e.responded = true;
        e.rcode = rcode;
        e.queryCount = 1;
        if (answer != null) {
            long[] a = Ip.parse(answer);
            int v4 = (int) a[1];
            e.answerType[0] = 1;
            e.answerClass[0] = 1;
            e.answerEncoding[0] = DnsEvent.RDATA_ADDRESS;
            e.answerOffset[0] = 0;
            e.answerLength[0] = 4;
            e.answerData[0] = (byte) (v4 >>> 24); e.answerData[1] = (byte) (v4 >>> 16);
            e.answerData[2] = (byte) (v4 >>> 8); e.answerData[3] = (byte) v4;
            e.answerDataLen = 4;
            e.answerCount = 1;
        }
        return e;
    }

    @Test
    void sumsConnectionsPerKeyAndRemoteWithTheNamesThatResolvedThere() {
        Rollups r = new Rollups(RollupSettings.defaults(), rows::add);
        r.onDns(dns("10.0.0.5", "api.example.com", 0, T0, "198.51.100.7"));
        for (int i = 0; i < 5; i++) {
            r.onConn(conn("10.0.0.5", "198.51.100.7", 443, T0 + i * SEC, ConnEvent.Phase.OPEN, ConnState.S1));
            r.onConn(conn("10.0.0.5", "198.51.100.7", 443, T0 + i * SEC, ConnEvent.Phase.END, ConnState.SF));
        }
        r.onConn(conn("10.0.0.5", "198.51.100.7", 443, T0 + 10 * SEC, ConnEvent.Phase.END, ConnState.REJ));
        r.onConn(conn("10.0.0.5", "198.51.100.7", 443, T0 + 11 * SEC, ConnEvent.Phase.END, ConnState.S0));
        r.onDns(dns("10.0.0.5", "x1.bad.co.uk", 3, T0 + 12 * SEC, null));
        r.onDns(dns("10.0.0.5", "x2.bad.co.uk", 3, T0 + 13 * SEC, null));
        r.finish();
        TelemetryRow c = rows.stream().filter(x -> x.kind == TelemetryRow.Kind.CONN).findFirst().orElseThrow();
        assertThat(c.localIp).isEqualTo("10.0.0.5");
        assertThat(c.remoteIp).isEqualTo("198.51.100.7");
        assertThat(c.remotePort).isEqualTo(443);
        assertThat(c.connections).isEqualTo(7); // 5 established (counted at OPEN) + 1 rejected + 1 unanswered
        assertThat(c.rejected).isEqualTo(1);
        assertThat(c.noAnswer).isEqualTo(1);
        assertThat(c.bytesOut).isEqualTo(700);
        assertThat(c.bytesIn).isEqualTo(7000);
        assertThat(c.names).containsExactly("api.example.com");
        assertThat(c.firstSeenNanos).isEqualTo(T0);
        TelemetryRow bad = rows.stream().filter(x -> "bad.co.uk".equals(x.domain)).findFirst().orElseThrow();
        assertThat(bad.queries).isEqualTo(2);
        assertThat(bad.nxdomains).isEqualTo(2);
        assertThat(bad.distinctNames).isEqualTo(2);
        assertThat(bad.queryTypes).containsEntry("1", 2L);
        assertThat(rows).allSatisfy(x -> assertThat(x.intervalEndNanos - x.intervalStartNanos).isEqualTo(60 * SEC));
    }

    @Test
    void theKeysWithNamesAreBoundedTheLeastRecentlyResolvingDroppedAndCounted() {
        Rollups r = new Rollups(RollupSettings.defaults(), rows::add);
        int clients = Rollups.MAX_NAME_KEYS + 500; // a gateway's LAN: more clients than the names are kept for
        for (int i = 0; i < clients; i++) {
            r.onDns(dns(client(i), "api.example.com", 0, T0 + i, "198.51.100.7"));
        }
        assertThat(r.nameKeysEvicted()).isEqualTo(500);
        r.onConn(conn(client(0), "198.51.100.7", 443, T0 + SEC, ConnEvent.Phase.OPEN, ConnState.S1)); // dropped
        r.onConn(conn(client(clients - 1), "198.51.100.7", 443, T0 + SEC, ConnEvent.Phase.OPEN, ConnState.S1)); // kept
        r.finish();
        assertThat(connRow(client(0)).names).as("the oldest client's names were dropped").isNullOrEmpty();
        assertThat(connRow(client(clients - 1)).names).containsExactly("api.example.com");
    }

    private static String client(int i) {
        return "10.1." + (i >> 8) + "." + (i & 255);
    }

    private TelemetryRow connRow(String local) {
        return rows.stream().filter(x -> x.kind == TelemetryRow.Kind.CONN && local.equals(x.localIp)).findFirst().orElseThrow();
    }

    @Test
    void emitsEachIntervalWhenEventTimePassesIt() {
        Rollups r = new Rollups(new RollupSettings(Duration.ofSeconds(60), 100, 4, 16), rows::add);
        for (int m = 0; m < 3; m++) {
            r.onConn(conn("10.0.0.5", "198.51.100.7", 443, T0 + m * 60 * SEC + SEC, ConnEvent.Phase.END, ConnState.S0));
        }
        assertThat(rows).hasSize(2); // the third minute is still open
        r.finish();
        assertThat(rows).hasSize(3).extracting(x -> x.intervalStartNanos).containsExactly(T0, T0 + 60 * SEC, T0 + 120 * SEC);
        assertThat(r.intervals()).isEqualTo(3);
    }

    @Test
    void aScanFoldsIntoOneOtherRowWithinTheCap() {
        Rollups r = new Rollups(new RollupSettings(Duration.ofSeconds(60), 100, 4, 16), rows::add);
        for (int i = 0; i < 5000; i++) {
            r.onConn(conn("10.0.0.5", "203.0." + (i / 250) + "." + (i % 250), 22, T0 + i * 1_000_000L, ConnEvent.Phase.END, ConnState.S0));
        }
        r.finish();
        assertThat(rows).hasSize(101);
        TelemetryRow other = rows.stream().filter(x -> x.other).findFirst().orElseThrow();
        assertThat(other.foldedRows).isEqualTo(4900);
        assertThat(other.connections).isEqualTo(4900);
        assertThat(rows.stream().mapToLong(x -> x.connections).sum()).as("nothing lost, only folded").isEqualTo(5000);
        assertThat(r.folded()).isEqualTo(4900);
    }

    @Test
    void attributedRecordsAreKeyedByProcess() {
        Rollups r = new Rollups(RollupSettings.defaults(), rows::add);
        ConnEvent a = conn("10.0.0.5", "198.51.100.7", 443, T0, ConnEvent.Phase.END, ConnState.SF);
        a.attribution = Attribution.RESOLVED;
        a.pid = 4242;
        a.processEntityId = 77;
        ConnEvent b = conn("10.0.0.5", "198.51.100.7", 443, T0, ConnEvent.Phase.END, ConnState.SF);
        b.attribution = Attribution.RESOLVED;
        b.pid = 4343;
        b.processEntityId = 78;
        r.onConn(a);
        r.onConn(b);
        r.finish();
        assertThat(rows).extracting(x -> x.processEntityId).containsExactlyInAnyOrder(77L, 78L);
    }
}
