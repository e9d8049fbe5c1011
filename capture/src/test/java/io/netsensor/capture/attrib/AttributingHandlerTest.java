package io.netsensor.capture.attrib;
import io.netsensor.events.ProcessInfo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.capture.testing.TestMetrics;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.Transport;
import io.netsensor.metrics.Metrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture-thread side: requests, holding records until their lookup lands, PROCESS records once. */
class AttributingHandlerTest {
    private static final long MS = 1_000_000L;
    private static final long[] HOST = Ip.parse("198.51.100.1"), PEER = Ip.parse("203.0.113.9"), LAN = Ip.parse("192.168.1.5");

    @TempDir
    Path proc;

    private final List<String> out = new ArrayList<>();
    private final EventHandler sink = new EventHandler() {
        @Override
        public void onConn(ConnEvent e) {
            out.add("conn " + e.origPort + " " + e.attribution.ecsName + " " + e.pid);
        }

        @Override
        public void onDns(DnsEvent e) {
            out.add("dns " + e.clientPort + " " + e.attribution.ecsName + " " + e.pid);
        }

        @Override
        public void onProcess(ProcessEvent e) {
            out.add("process " + e.pid + " " + e.executable() + " " + e.user());
        }
    };

    private SocketOwnerResolver resolver(int queue) {
        SocketOwnerResolver.Options o = new SocketOwnerResolver.Options();
        o.queueCapacity = queue;
        return new SocketOwnerResolver(new ProcFs(proc), proc.resolve("passwd"), null, 100, o);
    }

    private AttributingHandler handler(SocketOwnerResolver r) {
        return new AttributingHandler(sink, (hi, lo) -> hi == HOST[0] && lo == HOST[1], r, 500 * MS, 4, 2);
    }

    @Test
    void aRecordWaitsForItsLookupThenNamesTheProcessAfterOnePROCESSRecord() {
        SocketOwnerResolver r = resolver(64);
        AttributingHandler h = handler(r);
        h.onFlowStart(6, HOST[0], HOST[1], 40000, PEER[0], PEER[1], 443, 0);
        h.tick(1 * MS);
        h.onConn(conn(40000, HOST, PEER, 443));
        assertThat(out).as("held while the lookup runs").isEmpty();
        h.onConn(conn(40001, HOST, PEER, 443)); // a later record queues behind it (journal order kept)
        assertThat(out).isEmpty();

        ProcessInfo curl = new ProcessInfo(77, 4242, 1, 1000, 123, "curl", "/usr/bin/curl", "curl x", "alice");
        publish(r, 40000, Attribution.RESOLVED, curl);
        publish(r, 40001, Attribution.RESOLVED, curl);
        h.tick(2 * MS);
        assertThat(out).containsExactly("process 4242 /usr/bin/curl alice", "conn 40000 resolved 4242", "conn 40001 resolved 4242");

        h.onConn(conn(40000, HOST, PEER, 443)); // its END: resolved at once, no second PROCESS record
        assertThat(out).hasSize(4).last().isEqualTo("conn 40000 resolved 4242");
    }

    @Test
    void thePROCESSRecordCarriesTheOwnersCgroupAndContainerId() {
        ProcessInfo nginx = new ProcessInfo(78, 77, 1, 0, 123, "nginx", "/usr/sbin/nginx", "nginx", "root", "ab".repeat(32), 4711);
        List<ProcessEvent> processes = new ArrayList<>();
        EventHandler keep = new EventHandler() {
            @Override
            public void onConn(ConnEvent e) {}

            @Override
            public void onDns(DnsEvent e) {}

            @Override
            public void onProcess(ProcessEvent e) {
                ProcessEvent c = new ProcessEvent();
                c.copyFrom(e);
                processes.add(c);
            }
        };
        OwnerSource kernelLike = new OwnerSource() {
            @Override
            public boolean request(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long ts) {
                return true;
            }

            @Override
            public Attribution find(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long start) {
                return Attribution.RESOLVED;
            }

            @Override
            public ProcessInfo process() {
                return nginx;
            }

            @Override
            public long version() {
                return 0;
            }
        };
        AttributingHandler h = new AttributingHandler(keep, (hi, lo) -> hi == HOST[0] && lo == HOST[1], kernelLike, 500 * MS, 4, 2);
        h.tick(0);
        h.onConn(conn(40000, HOST, PEER, 443));
        assertThat(processes).hasSize(1);
        assertThat(processes.get(0).containerId()).isEqualTo("ab".repeat(32));
        assertThat(processes.get(0).cgroupId).isEqualTo(4711);
        assertThat(processes.get(0).executable()).isEqualTo("/usr/sbin/nginx");
    }

    @Test
    void aLookupThatNeverLandsIsWrittenPendingAfterTheHoldAndForwardedTrafficIsNotLocal() {
        SocketOwnerResolver r = resolver(64);
        AttributingHandler h = handler(r);
        h.tick(0);
        h.onConn(conn(5353, LAN, PEER, 80));
        assertThat(out).containsExactly("conn 5353 not_local 0");
        h.onConn(conn(40002, HOST, PEER, 443));
        h.tick(499 * MS);
        assertThat(out).hasSize(1);
        h.tick(500 * MS);
        assertThat(out).last().isEqualTo("conn 40002 pending 0");
        Metrics m = TestMetrics.of(h::register);
        assertThat(m.value(AttributingHandler.recordsMetric("conn", Attribution.PENDING))).isEqualTo(1L);
        assertThat(m.value(AttributingHandler.recordsMetric("conn", Attribution.NOT_LOCAL))).isEqualTo(1L);
    }

    @Test
    void aRecordWhoseLookupLandedWhileQueuedGoesOutWithTheTimedOutOneBeforeIt() {
        SocketOwnerResolver r = resolver(64);
        AttributingHandler h = handler(r);
        h.tick(0);
        h.onConn(conn(43000, HOST, PEER, 443)); // never answered
        ProcessInfo curl = new ProcessInfo(77, 4242, 1, 1000, 123, "curl", "/usr/bin/curl", "curl x", "alice");
        publish(r, 43001, Attribution.RESOLVED, curl);
        h.tick(100 * MS);
        h.onConn(conn(43001, HOST, PEER, 443)); // resolved already, queued behind the first (journal order)
        for (int ms = 101; ms < 500; ms += 7) h.tick(ms * MS); // many packets, nothing new published
        assertThat(out).isEmpty();
        h.tick(500 * MS);
        assertThat(out).containsExactly("conn 43000 pending 0", "process 4242 /usr/bin/curl alice", "conn 43001 resolved 4242");
    }

    @Test
    void theHoldIsBoundedAndTheEndOfCaptureWritesEverything() {
        SocketOwnerResolver r = resolver(64);
        AttributingHandler h = handler(r);
        h.tick(0);
        for (int i = 0; i < 6; i++) h.onConn(conn(41000 + i, HOST, PEER, 443)); // room for 4
        assertThat(out).containsExactly("conn 41000 pending 0", "conn 41001 pending 0");
        assertThat(TestMetrics.of(h::register).value("attribution.hold_full")).isEqualTo(2L);
        DnsEvent d = new DnsEvent();
        d.transport = Transport.UDP;
        d.clientIpHi = HOST[0]; d.clientIpLo = HOST[1]; d.clientPort = 50000;
        d.serverIpHi = PEER[0]; d.serverIpLo = PEER[1]; d.serverPort = 53;
        h.onDns(d);
        publish(r, 50000, 53, 17, Attribution.NO_SOCKET);
        h.tick(Long.MAX_VALUE);
        assertThat(out).hasSize(7).contains("dns 50000 no_socket 0");
    }

    @Test
    void aFullRequestQueueDropsAndCountsAndTheRecordSaysSo() {
        SocketOwnerResolver r = resolver(2);
        AttributingHandler h = handler(r);
        for (int i = 0; i < 3; i++) h.onFlowStart(6, HOST[0], HOST[1], 42000 + i, PEER[0], PEER[1], 443, 0);
        assertThat(TestMetrics.of(r::register).value("attribution.resolver.queue_drops")).isEqualTo(1L);
        assertThat(TestMetrics.of(h::register).value("attribution.request_drops")).isEqualTo(1L);
        h.tick(0);
        h.onConn(conn(42002, HOST, PEER, 443));
        h.tick(Long.MAX_VALUE);
        assertThat(out).containsExactly("conn 42002 dropped 0");
    }

    @Test
    void inboundFlowsAskForTheListenerOnTheLocalSide() {
        SocketOwnerResolver r = resolver(4);
        AttributingHandler h = handler(r);
        h.onFlowStart(6, PEER[0], PEER[1], 55555, HOST[0], HOST[1], 22, 0);
        RequestRing ring = ringOf(r);
        long[] w = new long[RequestRing.WORDS];
        assertThat(ring.poll(w)).isTrue();
        assertThat(w[0] & 0xFF).isEqualTo(6);
        assertThat((w[0] & 0x100) != 0).as("listener lookup").isTrue();
        assertThat((w[0] >>> 16) & 0xFFFF).as("local port").isEqualTo(22);
        assertThat((w[0] >>> 32) & 0xFFFF).isEqualTo(55555);
        assertThat(w[1]).isEqualTo(HOST[0]);
        assertThat(w[2]).isEqualTo(HOST[1]);
    }

    @Test
    void resultsKeepTheNewestEntriesPerBucketAndFindExactTuples() {
        AttributionResults res = new AttributionResults(8); // 2 buckets of 4
        for (int i = 0; i < 100; i++) {
            res.publish(new AttributionResults.Entry(6, HOST[0], HOST[1], 1000 + i, PEER[0], PEER[1], 443,
                    Attribution.NO_SOCKET, null, i));
        }
        assertThat(res.find(6, HOST[0], HOST[1], 1099, PEER[0], PEER[1], 443)).isNotNull();
        assertThat(res.find(6, HOST[0], HOST[1], 1000, PEER[0], PEER[1], 443)).as("oldest overwritten").isNull();
        assertThat(res.find(17, HOST[0], HOST[1], 1099, PEER[0], PEER[1], 443)).as("other protocol").isNull();
        assertThat(res.overwrites()).isEqualTo(92);
    }

    private static RequestRing ringOf(SocketOwnerResolver r) {
        try {
            java.lang.reflect.Field f = SocketOwnerResolver.class.getDeclaredField("ring");
            f.setAccessible(true);
            return (RequestRing) f.get(r);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void publish(SocketOwnerResolver r, int port, Attribution a, ProcessInfo p) {
        r.results().publish(new AttributionResults.Entry(6, HOST[0], HOST[1], port, PEER[0], PEER[1], 443, a, p, 0));
    }

    private static void publish(SocketOwnerResolver r, int port, int rport, int proto, Attribution a) {
        r.results().publish(new AttributionResults.Entry(proto, HOST[0], HOST[1], port, PEER[0], PEER[1], rport, a, null, 0));
    }

    private static ConnEvent conn(int origPort, long[] orig, long[] resp, int respPort) {
        ConnEvent e = new ConnEvent();
        e.transport = Transport.TCP;
        e.origIpHi = orig[0]; e.origIpLo = orig[1]; e.origPort = origPort;
        e.respIpHi = resp[0]; e.respIpLo = resp[1]; e.respPort = respPort;
        return e;
    }
}
