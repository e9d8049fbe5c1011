package io.netsensor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.DnsWire;
import io.netsensor.events.Ip;
import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rows of a seeded mix (folding past the cap, names evicted from their LRU, late records, mixed-case and
 * odd names, v4-mapped AAAA answers, MACs and attribution) as the String-keyed Rollups made them before its
 * keys became primitive (issue 14): every field of every row, the same. Rows are compared sorted (their order
 * within an interval was a HashMap's) and query types sorted (a row's map is unordered).
 * {@code -Drollups.golden.write=DIR} rewrites the expected file into DIR.
 */
class RollupsGoldenTest {
    private static final long T0 = 1_767_225_600_000_000_000L, SEC = 1_000_000_000L;
    private static final String[] LOCALS = {"10.0.0.5", "10.0.0.6", "192.168.1.20", "2001:db8::5"};
    private static final long[] MACS = {0, 0x02005E000099L, 0xA4_5E_60_C2_11_0FL, 0x1_0000_0000_0000L};
    private static final String[] NAMES = {"api.example.com", "API.Example.COM", "cdn.example.com.", "x1.bad.co.uk",
            "x2.bad.co.uk", "co.uk", "wpad", "a..b.example.net", "a\\x00b.example.net", "www.example.org", "mail.Example.Org",
            "n1.d1.example", "n2.d1.example", "deep.er.sub.domain.example.com", "x".repeat(300) + ".example.com", ""};

    @Test
    void rowsAreThoseOfTheStringKeyedRollups() throws IOException {
        List<TelemetryRow> rows = new ArrayList<>();
        Rollups r = new Rollups(new RollupSettings(Duration.ofSeconds(60), 60, 2, 3), rows::add);
        feed(r, new SplittableRandom(14), 20_000);
        r.finish();
        List<String> text = new ArrayList<>();
        for (TelemetryRow row : rows) text.add(text(row));
        text.sort(null);
        text.add("rows=" + r.rows() + " folded=" + r.folded() + " late=" + r.late() + " intervals=" + r.intervals());
        String got = String.join("\n", text) + "\n";
        String dir = System.getProperty("rollups.golden.write");
        if (dir != null) Files.writeString(Path.of(dir, "rollups-golden.txt"), got);
        String expected;
        try (InputStream in = RollupsGoldenTest.class.getResourceAsStream("/rollups-golden.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(got).isEqualTo(expected);
    }

    private static void feed(Rollups r, SplittableRandom rnd, int n) {
        ConnEvent c = new ConnEvent();
        DnsEvent d = new DnsEvent();
        long t = T0;
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(40_000_000); // ~20 ms apart: ~7 intervals of 60 s
            long at = rnd.nextInt(50) == 0 ? t - 70 * SEC : t; // now and then a late record
            int local = rnd.nextInt(LOCALS.length);
            boolean attributed = rnd.nextInt(3) == 0;
            if (rnd.nextInt(3) == 0) dns(d, rnd, local, attributed, at, r);
            else conn(c, rnd, local, attributed, at, r);
        }
    }

    private static void conn(ConnEvent e, SplittableRandom rnd, int local, boolean attributed, long t, Rollups r) {
        e.phase = rnd.nextBoolean() ? ConnEvent.Phase.OPEN : ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.transport = rnd.nextInt(4) == 0 ? Transport.UDP : Transport.TCP;
        boolean out = rnd.nextInt(5) != 0;
        e.direction = out ? Direction.OUTBOUND : Direction.INBOUND;
        e.state = ConnState.values()[rnd.nextInt(ConnState.values().length)];
        long[] l = Ip.parse(LOCALS[local]);
        long[] rem = remote(rnd, local == 3);
        int port = new int[] {443, 80, 53, 22, 6667}[rnd.nextInt(5)];
        if (out) {
            e.origIpHi = l[0]; e.origIpLo = l[1]; e.origPort = 40000 + rnd.nextInt(100);
            e.respIpHi = rem[0]; e.respIpLo = rem[1]; e.respPort = port;
            e.origMac = MACS[local]; e.respMac = 0;
        } else {
            e.origIpHi = rem[0]; e.origIpLo = rem[1]; e.origPort = 40000 + rnd.nextInt(100);
            e.respIpHi = l[0]; e.respIpLo = l[1]; e.respPort = port;
            e.respMac = MACS[local]; e.origMac = 0x02AABBCCDDEEL;
        }
        e.startNanos = t - rnd.nextInt(5) * SEC;
        e.endNanos = t;
        e.origBytes = rnd.nextInt(10_000); e.respBytes = rnd.nextInt(100_000);
        e.origPkts = rnd.nextInt(20); e.respPkts = rnd.nextInt(80);
        attribute(e, rnd, attributed);
        r.onConn(e);
    }

    private static void attribute(ConnEvent e, SplittableRandom rnd, boolean attributed) {
        e.attribution = attributed ? Attribution.RESOLVED : Attribution.values()[rnd.nextInt(Attribution.values().length)];
        e.pid = 100 + rnd.nextInt(3);
        e.processEntityId = 7000 + e.pid;
    }

    private static long[] remote(SplittableRandom rnd, boolean v6) {
        int k = rnd.nextInt(20); // 20 peers per family: with the ports and keys, past the row cap of 60 per interval
        return Ip.parse(v6 && rnd.nextInt(4) != 0 ? "2001:db8:1::" + Integer.toHexString(k + 1) : "198.51.100." + (k + 1));
    }

    private static void dns(DnsEvent e, SplittableRandom rnd, int local, boolean attributed, long t, Rollups r) {
        e.clear();
        long[] c = Ip.parse(LOCALS[local]), s = Ip.parse("10.0.0.1");
        e.clientIpHi = c[0]; e.clientIpLo = c[1]; e.serverIpHi = s[0]; e.serverIpLo = s[1];
        e.serverPort = 53;
        e.clientMac = MACS[local];
        e.tsNanos = t;
        e.setQname(NAMES[rnd.nextInt(NAMES.length)]);
        e.qtype = new int[] {1, 28, 5, 16, 65, 255, 1, 1}[rnd.nextInt(8)];
        e.qclass = 1;
        e.queried = rnd.nextInt(10) != 0;
        e.responded = true;
        e.rcode = new int[] {0, 0, 0, 3, 2, -1}[rnd.nextInt(6)];
        e.queryCount = e.queried ? 1 + (rnd.nextInt(20) == 0 ? 300 : rnd.nextInt(3)) : 0;
        int answers = rnd.nextInt(4);
        for (int i = 0; i < answers; i++) {
            int kind = rnd.nextInt(4);
            long[] a = remote(rnd, kind == 1);
            byte[] b = new byte[16];
            for (int j = 0; j < 8; j++) {
                b[j] = (byte) (a[0] >>> (56 - 8 * j));
                b[8 + j] = (byte) (a[1] >>> (56 - 8 * j));
            }
            if (kind == 0) e.addAnswer(DnsWire.TYPE_A, 1, 300, DnsEvent.RDATA_ADDRESS, b, 12, 4);
            else if (kind <= 2) e.addAnswer(DnsWire.TYPE_AAAA, 1, 300, DnsEvent.RDATA_ADDRESS, b, 0, 16); // kind 2: v4-mapped
            else e.addAnswer(5, 1, 300, DnsEvent.RDATA_NAME, "cname.example.com".getBytes(StandardCharsets.US_ASCII), 0, 17);
        }
        e.attribution = attributed ? Attribution.RESOLVED : Attribution.UNKNOWN;
        e.pid = 100 + rnd.nextInt(3);
        e.processEntityId = 7000 + e.pid;
        r.onDns(e);
    }

    private static String text(TelemetryRow r) {
        return r.kind + " [" + r.intervalStartNanos + "," + r.intervalEndNanos + ") local=" + r.localIp + " mac=" + r.localMac
                + " entity=" + r.processEntityId + " pid=" + r.pid + " other=" + r.other + " folded=" + r.foldedRows
                + " remote=" + r.remoteIp + ":" + r.remotePort + "/" + r.transport + " conns=" + r.connections
                + " rej=" + r.rejected + " noans=" + r.noAnswer + " bytes=" + r.bytesOut + "/" + r.bytesIn
                + " pkts=" + r.packetsOut + "/" + r.packetsIn + " seen=" + r.firstSeenNanos + ".." + r.lastSeenNanos
                + " names=" + r.names + " domain=" + r.domain + " queries=" + r.queries + " nx=" + r.nxdomains
                + " distinct=" + r.distinctNames + " types=" + new TreeMap<>(r.queryTypes);
    }
}
