package io.netsensor.capture.dns;
import io.netsensor.format.DnsAnswerText;

import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.track.Locality;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.List;

import static io.netsensor.testkit.dns.DnsMessages.*;
import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

class DnsTrackerTest {
    private static final String CLIENT = "10.0.0.5", SERVER = "8.8.8.8";

    private final List<DnsEvent> events = new ArrayList<>();
    private final EventHandler sink = new EventHandler() {
        @Override public void onConn(ConnEvent event) {}
        @Override public void onDns(DnsEvent event) {
            DnsEvent copy = new DnsEvent();
            copy.copyFrom(event);
            events.add(copy);
        }
    };
    private final Locality tenNet = (hi, lo) -> Ip.isV4(hi, lo) && (Ip.v4(lo) >>> 24) == 10;
    private DnsTracker tracker = new DnsTracker(DnsTrackerSettings.defaults(), tenNet, sink);

    /** The tracker's metrics as the registry holds them (registered afresh: tests replace the tracker). */
    private java.util.Map<String, Long> metrics() {
        io.netsensor.metrics.Metrics m = new io.netsensor.metrics.Metrics();
        tracker.register(m);
        return m.values("");
    }
    private final PacketView v = new PacketView();

    @Test
    void responsePairsWithItsQuery() {
        udp(T0, CLIENT, 40000, SERVER, 53, query(0x1234, "www.Example.com", Type.A).toWire());
        assertThat(events).isEmpty();
        udp(T0 + 25_000_000, SERVER, 53, CLIENT, 40000,
                response(0x1234, "www.Example.com", Type.A, a("www.Example.com", "93.184.216.34")).toWire());
        assertThat(events).hasSize(1);
        DnsEvent e = events.get(0);
        assertThat(e.qnameString()).isEqualTo("www.Example.com");
        assertThat(e.tsNanos).isEqualTo(T0);
        assertThat(e.rttNanos).isEqualTo(25_000_000);
        assertThat(e.queried).isTrue();
        assertThat(e.responded).isTrue();
        assertThat(e.queryCount).isEqualTo(1);
        assertThat(e.rcode).isZero();
        assertThat(Ip.toString(e.clientIpHi, e.clientIpLo)).isEqualTo(CLIENT);
        assertThat(e.clientPort).isEqualTo(40000);
        assertThat(Ip.toString(e.serverIpHi, e.serverIpLo)).isEqualTo(SERVER);
        assertThat(e.direction).isEqualTo(Direction.OUTBOUND);
        assertThat(e.transport).isEqualTo(Transport.UDP);
        assertThat(DnsAnswerText.render(e, 0)).isEqualTo("93.184.216.34");
        assertThat(tracker.pendingCount()).isZero();
    }

    @Test
    void multicastDnsAnswersWithIdZeroAreNotPairedWithQueries() {
        // Zeek's mdns-no-assoc baseline: the query stays unanswered, the unrelated answer is its own row
        udp(T0, "10.0.0.2", 5353, "224.0.0.251", 5353, query(0, "initial-query-a.local", Type.A).toWire());
        udp(T0 + 1, "10.0.0.2", 5353, "224.0.0.251", 5353,
                response(0, "unrelated-reply-a.local", Type.A, a("unrelated-reply-a.local", "10.0.0.2")).toWire());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).queried).isFalse();
        assertThat(events.get(0).qnameString()).isEqualTo("unrelated-reply-a.local");
        tracker.flush(T0 + 2);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).qnameString()).isEqualTo("initial-query-a.local");
        assertThat(events.get(1).responded).isFalse();
    }

    @Test
    void anotherQuestionOnTheSameKeyIsANewTransactionNotARetransmission() {
        // mdns-no-assoc baseline: A and AAAA queries from 5353 with id 0 are two rows
        udp(T0, "10.0.0.2", 5353, "224.0.0.251", 5353, query(0, "initial-query-a.local", Type.A).toWire());
        udp(T0 + 1, "10.0.0.2", 5353, "224.0.0.251", 5353, query(0, "initial-query-aaaa.local", Type.AAAA).toWire());
        udp(T0 + 2, "10.0.0.2", 5353, "224.0.0.251", 5353, query(0, "initial-query-aaaa.local", Type.AAAA).toWire());
        tracker.flush(T0 + 3);
        assertThat(events).extracting(e -> e.qnameString() + " " + e.qtype + " x" + e.queryCount)
                .containsExactly("initial-query-a.local 1 x1", "initial-query-aaaa.local 28 x2");
    }

    @Test
    void unicastDnsWithIdZeroStillPairs() {
        udp(T0, CLIENT, 40000, SERVER, 53, query(0, "zero.example", Type.A).toWire());
        udp(T0 + 1, SERVER, 53, CLIENT, 40000, response(0, "zero.example", Type.A, a("zero.example", "192.0.2.1")).toWire());
        assertThat(events).extracting(e -> e.queried).containsExactly(true);
    }

    @Test
    void responseFromAnotherPortOrIdDoesNotPair() {
        udp(T0, CLIENT, 40000, SERVER, 53, query(1, "a.example", Type.A).toWire());
        udp(T0 + 1, SERVER, 53, CLIENT, 40001, response(1, "a.example", Type.A).toWire());
        udp(T0 + 2, SERVER, 53, CLIENT, 40000, response(2, "a.example", Type.A).toWire());
        assertThat(events).extracting(e -> e.queried).containsExactly(false, false);
        assertThat(tracker.pendingCount()).isEqualTo(1);
    }

    @Test
    void unansweredQueryIsReportedAfterTheTimeout() {
        udp(T0, CLIENT, 40000, SERVER, 53, query(7, "slow.example", Type.AAAA).toWire());
        tracker.expire(T0 + 10 * SEC - 1);
        assertThat(events).isEmpty();
        tracker.expire(T0 + 10 * SEC);
        assertThat(events).hasSize(1);
        DnsEvent e = events.get(0);
        assertThat(e.responded).isFalse();
        assertThat(e.rcode).isEqualTo(-1);
        assertThat(e.rttNanos).isEqualTo(-1);
        assertThat(e.qtype).isEqualTo(Type.AAAA);
        assertThat(e.qnameString()).isEqualTo("slow.example");
        // the late response is then a response without query
        udp(T0 + 11 * SEC, SERVER, 53, CLIENT, 40000, response(7, "slow.example", Type.AAAA).toWire());
        assertThat(events.get(1).queried).isFalse();
        assertThat(metrics()).containsEntry("dns.unanswered", 1L).containsEntry("dns.responses_without_query", 1L);
    }

    @Test
    void retransmittedQueryCountsOnTheSameTransaction() {
        byte[] q = query(9, "retry.example", Type.A).toWire();
        udp(T0, CLIENT, 40000, SERVER, 53, q);
        udp(T0 + 5 * SEC, CLIENT, 40000, SERVER, 53, q);
        udp(T0 + 5 * SEC + 1000, SERVER, 53, CLIENT, 40000, response(9, "retry.example", Type.A).toWire());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).queryCount).isEqualTo(2);
        assertThat(events.get(0).rttNanos).isEqualTo(5 * SEC + 1000);
        assertThat(metrics()).containsEntry("dns.queries", 2L).containsEntry("dns.retransmitted_queries", 1L);
    }

    @Test
    void responseOnlyBetweenPort53sTakesOrientationFromQrBit() {
        // Zeek's dns53 flip trace: only a response, 207.158.192.40:53 -> 10.20.1.31:53
        udp(T0, "207.158.192.40", 53, "10.20.1.31", 53,
                response(25701, "us.v27.distributed.net", Type.A, a("us.v27.distributed.net", "206.109.64.186")).toWire());
        DnsEvent e = events.get(0);
        assertThat(e.queried).isFalse();
        assertThat(e.responded).isTrue();
        assertThat(e.queryCount).isZero();
        assertThat(Ip.toString(e.clientIpHi, e.clientIpLo)).isEqualTo("10.20.1.31");
        assertThat(Ip.toString(e.serverIpHi, e.serverIpLo)).isEqualTo("207.158.192.40");
        assertThat(e.direction).isEqualTo(Direction.OUTBOUND);
        assertThat(e.qnameString()).isEqualTo("us.v27.distributed.net");
        assertThat(e.tsNanos).isEqualTo(T0);
        assertThat(e.answerCount).isEqualTo(1);
    }

    @Test
    void duplicateResponseYieldsASecondResponseOnlyEventAsZeekDoes() {
        udp(T0, CLIENT, 27285, SERVER, 53, query(21140, "www.cmu.edu", Type.A).toWire());
        byte[] r = response(21140, "www.cmu.edu", Type.A, cname("www.cmu.edu", "www-cmu.andrew.cmu.edu"),
                a("www-cmu.andrew.cmu.edu", "128.2.10.163")).toWire();
        udp(T0 + 214_000, SERVER, 53, CLIENT, 27285, r);
        udp(T0 + 300_000, SERVER, 53, CLIENT, 27285, r);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).queried).isTrue();
        assertThat(events.get(0).rttNanos).isEqualTo(214_000);
        assertThat(events.get(1).queried).isFalse();
        assertThat(events.get(1).rttNanos).isEqualTo(-1);
        for (DnsEvent e : events) {
            assertThat(e.answerCount).isEqualTo(2);
            assertThat(DnsAnswerText.render(e, 0)).isEqualTo("www-cmu.andrew.cmu.edu");
        }
    }

    @Test
    void fullTableEvictsTheOldestQueryAsUnanswered() {
        tracker = new DnsTracker(DnsTrackerSettings.builder().maxPending(2).timeout(java.time.Duration.ofSeconds(10)).tcpStreams(4).tcpBufferSize(512).build(), tenNet, sink);
        for (int i = 0; i < 3; i++) {
            udp(T0 + i, CLIENT, 40000 + i, SERVER, 53, query(i, "q" + i + ".example", Type.A).toWire());
        }
        assertThat(events).hasSize(1);
        assertThat(events.get(0).qnameString()).isEqualTo("q0.example");
        assertThat(events.get(0).responded).isFalse();
        assertThat(tracker.pendingCount()).isEqualTo(2);
        assertThat(metrics()).containsEntry("dns.evictions", 1L);
        tracker.flush(T0 + 1);
        assertThat(events).extracting(DnsEvent::qnameString).containsExactly("q0.example", "q1.example", "q2.example");
        assertThat(tracker.pendingCount()).isZero();
    }

    @Test
    void malformedMessagesAreCountedByReason() {
        byte[] q = query(3, "x.example", Type.A).toWire();
        udp(T0, CLIENT, 40000, SERVER, 53, java.util.Arrays.copyOf(q, 8));
        udp(T0, CLIENT, 40000, SERVER, 53, java.util.Arrays.copyOf(q, q.length - 2));
        assertThat(metrics()).containsEntry("dns.malformed{reason=short_header}", 1L)
                .containsEntry("dns.malformed{reason=truncated_question}", 1L).containsEntry("dns.queries", 0L);
    }

    @Test
    void otherPortsAreIgnoredAndMdnsLlmnrNbnsAreTracked() {
        udp(T0, CLIENT, 40000, SERVER, 443, query(1, "x.example", Type.A).toWire());
        udp(T0, CLIENT, 5353, "224.0.0.251", 5353, query(0, "printer.local", Type.A).toWire());
        udp(T0, CLIENT, 55131, "224.0.0.252", 5355, query(17952, "brwc0cb383d1f42", Type.A).toWire());
        byte[] nb = DnsMessageParserTest.message(new byte[][] {DnsMessageParserTest.netbiosEncode("WORKGROUP", 0x1e)});
        udp(T0, CLIENT, 137, "10.0.0.255", 137, nb);
        // an mDNS answer to the group keeps its own direction (responder -> group), as Zeek logs it
        udp(T0 + 1, "10.0.0.9", 5353, "224.0.0.251", 5353, response(0, "other.local", Type.A, a("other.local", "10.0.0.9")).toWire());
        assertThat(metrics()).containsEntry("dns.queries", 3L);
        assertThat(Ip.toString(events.get(0).clientIpHi, events.get(0).clientIpLo)).isEqualTo("10.0.0.9");
        tracker.flush(T0 + 2);
        assertThat(events).extracting(DnsEvent::qnameString)
                .containsExactly("other.local", "printer.local", "brwc0cb383d1f42", "WORKGROUP");
    }

    // --- DNS over TCP

    @Test
    void tcpTwoMessagesInOneSegmentAndOneMessageInThreeSegments() {
        byte[] q1 = tcpFramed(query(1, "one.example", Type.A).toWire());
        byte[] q2 = tcpFramed(query(2, "two.example", Type.MX).toWire());
        long cSeq = 1000, sSeq = 5000;
        tcp(T0, CLIENT, 50000, SERVER, 53, cSeq, PacketView.SYN, new byte[0]);
        tcp(T0, SERVER, 53, CLIENT, 50000, sSeq, PacketView.SYN | PacketView.ACK, new byte[0]);
        tcp(T0 + 1, CLIENT, 50000, SERVER, 53, cSeq + 1, PacketView.ACK | PacketView.PSH, concat(q1, q2));
        byte[] r1 = tcpFramed(response(1, "one.example", Type.A, a("one.example", "192.0.2.1")).toWire());
        byte[] r2 = tcpFramed(response(2, "two.example", Type.MX, mx("two.example", 5, "mx.two.example")).toWire());
        byte[] both = concat(r1, r2);
        int cut1 = 1, cut2 = r1.length + 7; // split inside the length prefix and inside the second message
        long s = sSeq + 1;
        tcp(T0 + 10, SERVER, 53, CLIENT, 50000, s, PacketView.ACK, slice(both, 0, cut1));
        tcp(T0 + 11, SERVER, 53, CLIENT, 50000, s + cut1, PacketView.ACK, slice(both, cut1, cut2));
        assertThat(events).hasSize(1);
        tcp(T0 + 12, SERVER, 53, CLIENT, 50000, s + cut2, PacketView.ACK | PacketView.FIN, slice(both, cut2, both.length));
        assertThat(events).hasSize(2);
        assertThat(events).extracting(DnsEvent::qnameString).containsExactly("one.example", "two.example");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.transport).isEqualTo(Transport.TCP);
            assertThat(e.queried).isTrue();
            assertThat(e.clientPort).isEqualTo(50000);
        });
        assertThat(events.get(0).rttNanos).as("first response completes with the second segment").isEqualTo(10);
        assertThat(DnsAnswerText.render(events.get(1), 0)).isEqualTo("mx.two.example");
    }

    @Test
    void tcpRetransmissionIsIgnoredAndAGapResynchronises() {
        byte[] r1 = tcpFramed(response(1, "one.example", Type.A).toWire());
        byte[] r2 = tcpFramed(response(2, "two.example", Type.A).toWire());
        byte[] r3 = tcpFramed(response(3, "three.example", Type.A).toWire());
        long s = 777;
        tcp(T0, SERVER, 53, CLIENT, 50001, s, PacketView.ACK, r1);
        tcp(T0 + 1, SERVER, 53, CLIENT, 50001, s, PacketView.ACK, r1);                 // retransmission
        tcp(T0 + 2, SERVER, 53, CLIENT, 50001, s + r1.length, PacketView.ACK, slice(r2, 0, 5)); // then lost rest
        tcp(T0 + 3, SERVER, 53, CLIENT, 50001, s + r1.length + r2.length, PacketView.ACK, r3);
        assertThat(events).extracting(DnsEvent::qnameString).containsExactly("one.example", "three.example");
        assertThat(metrics()).containsEntry("dns.tcp.retransmits", 1L).containsEntry("dns.tcp.gaps", 1L);
    }

    @Test
    void tcpMessageLargerThanTheBufferIsSkippedAndTheNextOneRead() {
        tracker = new DnsTracker(DnsTrackerSettings.builder().maxPending(16).timeout(java.time.Duration.ofSeconds(10)).tcpStreams(2).tcpBufferSize(64).build(), tenNet, sink);
        byte[] big = tcpFramed(response(1, "big.example", Type.TXT, txt("big.example", "x".repeat(120))).toWire());
        byte[] small = tcpFramed(response(2, "s.example", Type.A).toWire());
        tcp(T0, SERVER, 53, CLIENT, 50002, 1, PacketView.ACK, concat(big, small));
        assertThat(events).extracting(DnsEvent::qnameString).containsExactly("s.example");
        assertThat(metrics()).containsEntry("dns.tcp.oversize", 1L);
    }

    @Test
    void steadyStateAllocatesNothingPerPacket() {
        byte[] q = query(0x4242, "steady.example.com", Type.A).toWire();
        byte[] r = response(0x4242, "steady.example.com", Type.A, cname("steady.example.com", "c.example.net"),
                a("c.example.net", "192.0.2.9")).toWire();
        EventHandler quiet = new EventHandler() {
            @Override public void onConn(ConnEvent event) {}
            @Override public void onDns(DnsEvent event) {}
        };
        DnsTracker t = new DnsTracker(DnsTrackerSettings.defaults(), tenNet, quiet);
        PacketView qv = packet(CLIENT, 40000, SERVER, 53, q);
        PacketView rv = packet(SERVER, 53, CLIENT, 40000, r);
        for (int i = 0; i < 200_000; i++) { // warm up the JIT
            qv.tsNanos = T0 + i;
            rv.tsNanos = T0 + i;
            t.onPacket(qv);
            t.onPacket(rv);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        int n = 200_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            qv.tsNanos = T0 + i;
            rv.tsNanos = T0 + i;
            t.onPacket(qv);
            t.onPacket(rv);
        }
        long elapsed = System.nanoTime() - start;
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("DnsTracker: %.0f ns/packet, %d bytes allocated over %d packets%n",
                elapsed / (2.0 * n), allocated, 2 * n);
        assertThat(allocated / (2.0 * n)).as("bytes per packet").isLessThan(1.0);
    }

    // --- helpers

    private void udp(long ts, String src, int sport, String dst, int dport, byte[] payload) {
        PacketView p = packet(src, sport, dst, dport, payload);
        p.tsNanos = ts;
        tracker.onPacket(p);
    }

    private void tcp(long ts, String src, int sport, String dst, int dport, long seq, int flags, byte[] payload) {
        PacketView p = packet(src, sport, dst, dport, payload);
        p.protocol = 6;
        p.tcpSeq = seq & 0xFFFF_FFFFL;
        p.tcpFlags = flags;
        p.tsNanos = ts;
        tracker.onPacket(p);
    }

    /** A UDP view whose payload sits at an offset inside a larger buffer, as after frame decoding. */
    private PacketView packet(String src, int sport, String dst, int dport, byte[] payload) {
        PacketView p = v;
        p.reset();
        byte[] buf = new byte[42 + payload.length + 4];
        System.arraycopy(payload, 0, buf, 42, payload.length);
        long[] s = Ip.parse(src), d = Ip.parse(dst);
        p.buf = buf;
        p.srcHi = s[0];
        p.srcLo = s[1];
        p.dstHi = d[0];
        p.dstLo = d[1];
        p.ipVersion = Ip.isV4(s[0], s[1]) ? 4 : 6;
        p.protocol = 17;
        p.srcPort = sport;
        p.dstPort = dport;
        p.payloadOff = 42;
        p.payloadLen = payload.length;
        p.payloadWireLen = payload.length;
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] slice(byte[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
