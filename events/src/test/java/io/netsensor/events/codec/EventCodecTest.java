package io.netsensor.events.codec;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class EventCodecTest {
    private final ByteBuffer buf = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE * 3);

    @Test
    void fixturesPopulateEveryField() throws Exception {
        // Guards the round-trip tests: a field left at its default would round-trip trivially.
        assertEveryFieldDiffers(EventFixtures.fullConn(), new ConnEvent());
        assertEveryFieldDiffers(EventFixtures.fullDns(), new DnsEvent());
    }

    @Test
    void connRoundTripsEveryField() {
        ConnEvent in = EventFixtures.fullConn();
        assertThat(EventCodec.encode(in, buf)).isEqualTo(EventCodec.CONN_SIZE);
        buf.flip();
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.CONN);
        assertThat(EventCodec.peekTime(buf)).isEqualTo(in.endNanos);
        ConnEvent out = new ConnEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out).usingRecursiveComparison().isEqualTo(in);
        assertThat(buf.remaining()).isZero();
        assertThat(Ip.toString(out.origIpHi, out.origIpLo)).isEqualTo("2001:db8:85a3::8a2e:370:7334");
    }

    @Test
    void dnsWithMaxAnswersAndLongestNameRoundTrips() {
        DnsEvent in = EventFixtures.fullDns();
        assertThat(in.answerCount).isEqualTo(DnsEvent.MAX_ANSWERS);
        assertThat(in.qnameLen).isEqualTo(DnsEvent.MAX_NAME);
        int n = EventCodec.encode(in, buf);
        assertThat(n).isPositive().isLessThanOrEqualTo(EventCodec.DNS_MAX_SIZE);
        buf.flip();
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.DNS);
        assertThat(EventCodec.peekLength(buf)).isEqualTo(n);
        DnsEvent out = new DnsEvent();
        out.setQname("stale.previous.name.example");
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out).usingRecursiveComparison().isEqualTo(in);
        assertThat(out.qnameString()).isEqualTo(in.qnameString());
    }

    @Test
    void dnsWithNoQueryNoAnswersRoundTrips() {
        DnsEvent in = new DnsEvent();
        in.tsNanos = 5;
        EventCodec.encode(in, buf);
        buf.flip();
        DnsEvent out = EventFixtures.fullDns();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out.qnameLen).isZero();
        assertThat(out.answerCount).isZero();
        assertThat(out.rcode).isEqualTo(-1);
        assertThat(out.rttNanos).isEqualTo(-1);
    }

    @Test
    void recordsFollowEachOtherInOneBuffer() {
        ConnEvent c = EventFixtures.fullConn();
        DnsEvent d = EventFixtures.fullDns();
        EventCodec.encode(c, buf);
        EventCodec.encode(d, buf);
        c.flowId = 99;
        EventCodec.encode(c, buf);
        buf.flip();
        ConnEvent conn = new ConnEvent();
        DnsEvent dns = new DnsEvent();
        assertThat(EventCodec.decode(buf, dns)).as("type mismatch is refused").isFalse();
        assertThat(EventCodec.decode(buf, conn)).isTrue();
        assertThat(EventCodec.decode(buf, dns)).isTrue();
        assertThat(dns.qnameString()).isEqualTo(d.qnameString());
        assertThat(EventCodec.decode(buf, conn)).isTrue();
        assertThat(conn.flowId).isEqualTo(99);
        assertThat(buf.hasRemaining()).isFalse();
    }

    @Test
    void encodeRefusesWhenItDoesNotFit() {
        ByteBuffer small = ByteBuffer.allocate(EventCodec.CONN_SIZE - 1);
        assertThat(EventCodec.encode(EventFixtures.fullConn(), small)).isEqualTo(-1);
        assertThat(small.position()).isZero();
        ByteBuffer mid = ByteBuffer.allocate(1000);
        assertThat(EventCodec.encode(EventFixtures.fullDns(), mid)).isEqualTo(-1);
        assertThat(mid.position()).isZero();
    }

    @Test
    void damagedOrForeignRecordsAreRefusedNotThrown() {
        EventCodec.encode(EventFixtures.fullDns(), buf);
        buf.flip();
        ByteBuffer truncated = buf.duplicate();
        truncated.limit(buf.limit() - 1);
        assertThat(EventCodec.decode(truncated, new DnsEvent())).isFalse();

        buf.put(EventCodec.DNS_QNAME_SECTION, (byte) 0xFF); // qname length beyond the record
        assertThat(EventCodec.decode(buf, new DnsEvent())).isFalse();
        assertThat(buf.position()).isZero();

        buf.put(EventCodec.H_TYPE, (byte) 200);
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.UNKNOWN);
        assertThat(EventCodec.peekTypeCode(buf)).isEqualTo(200);
        buf.put(EventCodec.H_TYPE, (byte) EventType.DNS.code);
        buf.put(EventCodec.H_VERSION, (byte) 2);
        assertThat(EventCodec.peekType(buf)).as("newer layout version").isEqualTo(EventType.UNKNOWN);
        assertThat(EventCodec.peekType(ByteBuffer.allocate(3))).isEqualTo(EventType.UNKNOWN);

        ConnEvent c = EventFixtures.fullConn();
        ByteBuffer cb = ByteBuffer.allocate(EventCodec.CONN_SIZE);
        EventCodec.encode(c, cb);
        cb.flip();
        cb.put(146, (byte) 1); // ICMP: not a transport this schema knows
        assertThat(EventCodec.decode(cb, new ConnEvent())).isFalse();
    }

    @Test
    void reservedTypeCodesAreStable() {
        assertThat(EventType.ofCode(1)).isEqualTo(EventType.CONN);
        assertThat(EventType.ofCode(2)).isEqualTo(EventType.DNS);
        assertThat(EventType.ofCode(3)).isEqualTo(EventType.ALERT);
        assertThat(EventType.ofCode(4)).isEqualTo(EventType.PROCESS);
        assertThat(EventType.ofCode(5)).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void encodeAndDecodeDoNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ConnEvent c = EventFixtures.fullConn(), c2 = new ConnEvent();
        DnsEvent d = EventFixtures.fullDns(), d2 = new DnsEvent();
        ByteBuffer direct = ByteBuffer.allocateDirect(EventCodec.MAX_RECORD_SIZE * 2);
        roundTrips(c, c2, d, d2, direct, 20_000); // warm up
        long before = mx.getCurrentThreadAllocatedBytes();
        roundTrips(c, c2, d, d2, direct, 100_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 200k encode/decode pairs").isLessThan(10_000);
    }

    private static void roundTrips(ConnEvent c, ConnEvent c2, DnsEvent d, DnsEvent d2, ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.clear();
            c.flowId = i;
            EventCodec.encode(c, b);
            EventCodec.encode(d, b);
            b.flip();
            if (!EventCodec.decode(b, c2) || !EventCodec.decode(b, d2) || c2.flowId != i) throw new AssertionError();
        }
    }

    private static void assertEveryFieldDiffers(Object full, Object fresh) throws IllegalAccessException {
        for (Field f : full.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            Object a = f.get(full), b = f.get(fresh);
            boolean same = a != null && a.getClass().isArray() ? arraysEqual(a, b) : Objects.equals(a, b);
            assertThat(same).as("fixture leaves %s.%s at its default", full.getClass().getSimpleName(), f.getName())
                    .isFalse();
        }
    }

    private static boolean arraysEqual(Object a, Object b) {
        int n = Array.getLength(a);
        for (int i = 0; i < n; i++) {
            if (!Objects.equals(Array.get(a, i), Array.get(b, i))) return false;
        }
        return true;
    }
}
