package io.netsensor.sinks.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalWriter;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.SinkCursor;
import io.netsensor.sinks.SinkRunner;
import io.netsensor.testkit.Rsyslog;
import io.netsensor.testkit.TestCerts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Records reach a real rsyslog complete, parseable and in order, over TCP and TLS, and survive its outages. */
class SyslogSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    static void writeConns(Journal journal, long from, long to) {
        JournalWriter w = journal.writer();
        ConnEvent e = new ConnEvent();
        long[] src = Ip.parse("10.1.2.3"), dst = Ip.parse("198.51.100.7");
        for (long i = from; i < to; i++) {
            e.clear();
            e.phase = ConnEvent.Phase.END;
            e.endReason = ConnEvent.EndReason.FIN;
            e.transport = Transport.TCP;
            e.direction = Direction.OUTBOUND;
            e.state = ConnState.SF;
            e.setHistory("ShADadFf");
            e.flowId = i;
            e.origIpHi = src[0]; e.origIpLo = src[1]; e.origPort = 40000 + (int) (i % 20000);
            e.respIpHi = dst[0]; e.respIpLo = dst[1]; e.respPort = 443;
            e.startNanos = 1_767_225_600_000_000_000L + i * 1_000_000L;
            e.endNanos = e.startNanos + 500_000;
            e.origPkts = 5; e.respPkts = 4; e.origBytes = 300 + i % 7; e.respBytes = 1000;
            w.onConn(e);
        }
        w.close();
    }

    private static SyslogOptions options(String transport, int port, TestCerts certs, String serverName) {
        return new SyslogOptions("siem", "127.0.0.1", port, SyslogOptions.Transport.valueOf(transport),
                certs == null ? null : certs.ca, null, null, serverName, null, "sensor-1", null,
                EnumSet.of(RecordKind.EVENT), 0);
    }

    /** flow id -> times received; every MSG must be one ECS JSON document of a connection. */
    private static Map<Long, Integer> flowIds(Rsyslog r) throws IOException {
        Map<Long, Integer> seen = new HashMap<>();
        for (String[] m : r.received()) {
            assertThat(m[0]).isEqualTo("conn");
            assertThat(m[1]).isEqualTo("134"); // local0 (16) * 8 + informational (6)
            assertThat(m[2]).isEqualTo("sensor-1");
            JsonNode doc = JSON.readTree(m[3]);
            assertThat(doc.at("/event/dataset").asText()).isEqualTo("netsensor.conn");
            seen.merge(Long.parseUnsignedLong(doc.at("/netsensor/flow_id").asText(), 16), 1, Integer::sum);
        }
        return seen;
    }

    @Test
    @Timeout(180)
    void hundredThousandEventsArriveCompleteOverTcp() throws Exception {
        int n = 100_000;
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null);
             Journal journal = Journal.open(dir.resolve("journal"))) {
            writeConns(journal, 0, n);
            SyslogSink sink = new SyslogSink(options("TCP", rsyslog.port, null, null));
            long t0 = System.nanoTime();
            SinkRunner runner = new SinkRunner(journal, sink, null, SinkRunner.Start.BEGINNING).start();
            runner.stopWhen(() -> true, Long.MAX_VALUE);
            runner.join();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("syslog TCP: %d events written in %.2f s (%.0f events/s)%n", n, secs, n / secs);
            assertThat(rsyslog.awaitCount(n, 60_000)).isEqualTo(n);
            Map<Long, Integer> seen = flowIds(rsyslog);
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).containsOnly(1);
            runner.close();
        }
    }

    @Test
    @Timeout(120)
    void tlsVerifiesTheCollectorsCertificateAndDelivers() throws Exception {
        TestCerts certs = TestCerts.make(dir.resolve("certs"), "collector.test");
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), certs);
             Journal journal = Journal.open(dir.resolve("journal"))) {
            writeConns(journal, 0, 10_000);
            // a name the certificate does not carry: refused by host name verification
            SyslogSink wrongName = new SyslogSink(options("TLS", rsyslog.port, certs, "other.test"));
            wrongName.onConn(sampleConn());
            org.assertj.core.api.Assertions.assertThatThrownBy(wrongName::flush).isInstanceOf(IOException.class)
                    .hasMessageContaining("siem");
            wrongName.close();

            SyslogSink sink = new SyslogSink(options("TLS", rsyslog.port, certs, "collector.test"));
            SinkRunner runner = new SinkRunner(journal, sink, null, SinkRunner.Start.BEGINNING).start();
            runner.stopWhen(() -> true, Long.MAX_VALUE);
            runner.join();
            assertThat(rsyslog.awaitCount(10_000, 30_000)).isEqualTo(10_000);
            assertThat(flowIds(rsyslog)).hasSize(10_000);
            runner.close();
        }
    }

    private static ConnEvent sampleConn() {
        ConnEvent e = new ConnEvent();
        e.phase = ConnEvent.Phase.END;
        e.endReason = ConnEvent.EndReason.FIN;
        e.transport = Transport.TCP;
        e.direction = Direction.OUTBOUND;
        e.state = ConnState.SF;
        return e;
    }

    /**
     * The collector is stopped while the journal keeps growing and started again later: every record
     * made meanwhile arrives; duplicates happen only around the outage; what rsyslog had not read from its
     * socket when it stopped may be lost (syslog over TCP has no acknowledgement), and is counted. Outage length: the system
     * property netsensor.outage.seconds (default 120, the two minutes).
     */
    @Test
    @Timeout(600)
    void nothingIsLostAcrossACollectorOutage() throws Exception {
        long outageSeconds = Long.getLong("netsensor.outage.seconds", 120);
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null);
             Journal journal = Journal.open(dir.resolve("journal"))) {
            SinkCursor cursor = new SinkCursor(dir.resolve("sinks"), "siem");
            SyslogSink sink = new SyslogSink(options("TCP", rsyslog.port, null, null));
            SinkRunner runner = new SinkRunner(journal, sink, cursor, SinkRunner.Start.BEGINNING).start();
            int batches = 0;
            long next = 0;
            long outageStart = 0, outageEnd = 0;
            long t0 = System.nanoTime();
            long total = (outageSeconds + 20) * 1_000_000_000L;
            while (System.nanoTime() - t0 < total) { // a producer writing 200 records every 100 ms
                writeConns(journal, next, next + 200);
                next += 200;
                batches++;
                long el = System.nanoTime() - t0;
                if (outageStart == 0 && el > 5_000_000_000L) {
                    rsyslog.stop();
                    outageStart = next;
                }
                if (outageStart != 0 && outageEnd == 0 && el > 5_000_000_000L + outageSeconds * 1_000_000_000L) {
                    rsyslog.start();
                    outageEnd = next;
                }
                Thread.sleep(100);
            }
            long produced = next;
            runner.stopWhen(() -> true, 120_000_000_000L);
            runner.join();
            rsyslog.awaitCount((int) produced, 30_000);
            Map<Long, Integer> seen = flowIds(rsyslog);
            long duplicates = seen.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
            List<Long> lost = new ArrayList<>();
            for (long i = 0; i < produced; i++) if (!seen.containsKey(i)) lost.add(i);
            System.out.printf("syslog outage of %d s: %d produced (%d during the outage), %d received once or more, "
                    + "%d duplicates, %d retries, %d lost in rsyslog's socket buffer as it stopped %s%n", outageSeconds, produced,
                    outageEnd - outageStart, seen.size(), duplicates, runner.retries(), lost.size(),
                    lost.isEmpty() ? "" : lost.get(0) + ".." + lost.get(lost.size() - 1));
            // Syslog over TCP has no acknowledgement: what rsyslog had not read from its socket when it stopped
            // is gone, though the sink wrote it to an open connection (the README says so). That is all that
            // may be missing: records written before the stop, at most the batches in flight; everything the
            // producer made after the stop arrives.
            // a batch counts only once the connection is still open 250 ms after it was written: what rsyslog had
            // not read when it stopped is sent again (duplicates), never lost
            assertThat(lost).as("lost").isEmpty();
            for (long i = outageStart; i < produced; i++) assertThat(seen).as("record %d", i).containsKey(i);
            assertThat(runner.retries()).isPositive();
            assertThat(duplicates).isLessThanOrEqualTo(2L * 2048); // at most the batches in flight around the outage
            runner.close();
        }
    }

    @Test
    @Timeout(60)
    void alertsReachTheCollectorAsCefWhenAsked() throws Exception {
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null);
             Journal journal = Journal.open(dir.resolve("journal"))) {
            io.netsensor.events.Alert.Draft d = new io.netsensor.events.Alert.Draft();
            d.id = "c2_port-1";
            d.detector = io.netsensor.events.DetectorKind.C2_PORT;
            d.severity = io.netsensor.events.Severity.HIGH;
            d.score = 0.7;
            d.hostIp = "10.1.2.3";
            d.remoteIp = "198.51.100.7";
            d.remotePort = 6667;
            d.firstSeenNanos = d.lastSeenNanos = 1_767_225_600_000_000_000L;
            d.count = 1;
            d.summary = "connection to 198.51.100.7:6667 (IRC port) | a=b";
            try (JournalWriter w = journal.writer()) {
                w.onAlert(d.build());
            }
            SyslogOptions o = new SyslogOptions("siem", "127.0.0.1", rsyslog.port, SyslogOptions.Transport.TCP, null, null, null,
                    null, null, "sensor-1", SyslogOptions.Body.CEF, EnumSet.of(RecordKind.ALERT), 0);
            SinkRunner runner = new SinkRunner(journal, new SyslogSink(o), null, SinkRunner.Start.BEGINNING).start();
            runner.stopWhen(() -> true, Long.MAX_VALUE);
            runner.join();
            runner.close();
            assertThat(rsyslog.awaitCount(1, 20_000)).isEqualTo(1);
            String[] m = rsyslog.received().get(0);
            assertThat(m[0]).isEqualTo("alert");
            assertThat(m[1]).isEqualTo("131"); // local0 (16) * 8 + err (3): a High alert
            assertThat(m[3]).startsWith("CEF:0|netsensor|netsensor|").contains("|c2_port|").contains("dst=198.51.100.7")
                    .contains("dpt=6667")
                    .contains("(IRC port) \\| a=b|8|") // header: pipe escaped (CEF 0.1 rules), severity 0-10
                    .contains("msg=connection to 198.51.100.7:6667 (IRC port) | a\\=b"); // extension: equals escaped
        }
    }
}
