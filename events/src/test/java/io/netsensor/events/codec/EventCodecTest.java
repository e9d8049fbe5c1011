package io.netsensor.events.codec;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Attribution;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessEvent;
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
        assertEveryFieldDiffers(EventFixtures.fullProcess(), new ProcessEvent());
    }

    @Test
    void processRoundTripsEveryFieldWithStringsCutAtTheirBounds() {
        ProcessEvent in = EventFixtures.fullProcess();
        assertThat(in.executableLen).isEqualTo(ProcessEvent.MAX_EXECUTABLE);
        assertThat(in.commandLineLen).isEqualTo(ProcessEvent.MAX_COMMAND_LINE);
        int n = EventCodec.encode(in, buf);
        assertThat(n).isEqualTo(EventCodec.PROCESS_MAX_SIZE - ProcessEvent.MAX_NAME + "a b(c) d".length());
        buf.flip();
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.PROCESS);
        assertThat(EventCodec.peekTime(buf)).isEqualTo(in.tsNanos);
        ProcessEvent out = new ProcessEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out).usingRecursiveComparison().isEqualTo(in);
        assertThat(out.name()).isEqualTo("a b(c) d");
        assertThat(out.executable()).startsWith("/usr/lib/\u00e9t\u00e9/xxx");
        assertThat(buf.remaining()).isZero();
    }

    @Test
    void aProcessWithoutCgroupOrContainerIsWrittenAsVersion2AsBefore() {
        ProcessEvent in = EventFixtures.fullProcess();
        in.setContainer(null, 0);
        int n = EventCodec.encode(in, buf);
        assertThat(n).isEqualTo(EventCodec.PROCESS_STRINGS_OFFSET + in.userLen + in.nameLen + in.executableLen + in.commandLineLen);
        assertThat(buf.get(EventCodec.H_VERSION)).isEqualTo((byte) EventCodec.LAYOUT_VERSION);
        buf.flip();
        ProcessEvent out = EventFixtures.fullProcess(); // container fields set: decode must clear them
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out.cgroupId).isZero();
        assertThat(out.containerId()).isNull();
        assertThat(out).usingRecursiveComparison().ignoringFields("containerId").isEqualTo(in);
    }

    @Test
    void version3ProcessRecordByteForByte() {
        // Fixes the container section's layout: version 3, right after the strings, cgroup id then the id.
        ProcessEvent in = new ProcessEvent();
        in.tsNanos = 0x0102_0304_0506_0708L;
        in.entityId = 0x1111_2222_3333_4444L;
        in.pid = 0x1234;
        in.ppid = 1;
        in.startNanos = 0x10;
        in.uid = 0;
        in.setStrings("root", "nc", "/bin/nc", "nc x");
        in.setContainer("ab", 0x0102L);
        int n = EventCodec.encode(in, buf);
        String hex = java.util.HexFormat.of().formatHex(buf.array(), 0, n);
        assertThat(hex).isEqualTo("03040000" + "50000000" + "0807060504030201"
                + "4444333322221111" + "1000000000000000" + "34120000" + "01000000" + "00000000"
                + "0400" + "02" + "00" + "0700" + "0400"
                + "726f6f74" + "6e63" + "2f62696e2f6e63" + "6e632078"
                + "0201000000000000" + "02" + "6162");
        buf.flip();
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.PROCESS);
        ProcessEvent out = new ProcessEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out.containerId()).isEqualTo("ab");
        assertThat(out.cgroupId).isEqualTo(0x0102L);
    }

    @Test
    void version3ProcessRecordsSkipLaterFieldsAndRejectAContainerIdBeyondTheRecord() {
        ProcessEvent in = EventFixtures.fullProcess();
        in.setStrings("u", "n", "/e", "c");
        int n = EventCodec.encode(in, buf);
        // a later writer's extra bytes after the container section: read, and skipped
        buf.put(n, new byte[] {9, 9, 9}).putInt(EventCodec.H_LENGTH, n + 3).position(0).limit(n + 3);
        ProcessEvent out = new ProcessEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(buf.position()).isEqualTo(n + 3);
        assertThat(out.containerId()).isEqualTo(in.containerId());
        assertThat(out.cgroupId).isEqualTo(in.cgroupId);
        int c = EventCodec.PROCESS_STRINGS_OFFSET + 5; // the end of the strings
        // the id's length pointing past the record end: damaged
        ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(buf.array(), n)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(c + EventCodec.CONTAINER_ID_LEN_OFFSET, (byte) (in.containerIdLen + 1));
        assertThat(EventCodec.decode(b, new ProcessEvent())).isFalse();
        // shorter than the section's fixed part: damaged
        b = ByteBuffer.wrap(java.util.Arrays.copyOf(buf.array(), c + 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(EventCodec.H_LENGTH, c + 8);
        assertThat(EventCodec.decode(b, new ProcessEvent())).isFalse();
        // version 3 is for PROCESS (container section) and CONN (names section) records only
        b.put(EventCodec.H_TYPE, (byte) EventType.DNS.code);
        assertThat(EventCodec.peekType(b)).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void utf8StringsAreNeverCutInsideACharacter() {
        ProcessEvent e = new ProcessEvent();
        e.setStrings("\u00e9".repeat(40), null, null, null); // 80 bytes into 64
        assertThat(e.userLen).isEqualTo(64);
        e.setStrings("a" + "\u00e9".repeat(40), null, null, null); // 81 bytes: the 64th would split one
        assertThat(e.userLen).isEqualTo(63);
        assertThat(e.user()).isEqualTo("a" + "\u00e9".repeat(31));
    }

    @Test
    void version1RecordsStillDecodeAsUnattributed() {
        ConnEvent c = EventFixtures.fullConn();
        EventCodec.encode(c, buf);
        buf.flip();
        ByteBuffer v1 = ByteBuffer.allocate(EventCodec.CONN_SIZE_V1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        v1.put(buf.duplicate().limit(EventCodec.CONN_SIZE_V1)).flip();
        v1.put(EventCodec.H_VERSION, (byte) 1).putInt(EventCodec.H_LENGTH, EventCodec.CONN_SIZE_V1);
        ConnEvent out = new ConnEvent();
        out.pid = 7;
        out.attribution = Attribution.RESOLVED;
        assertThat(EventCodec.decode(v1, out)).isTrue();
        assertThat(out.flowId).isEqualTo(c.flowId);
        assertThat(out.historyString()).isEqualTo(c.historyString());
        assertThat(out.pid).isZero();
        assertThat(out.attribution).isEqualTo(Attribution.UNKNOWN);

        // DNS v1: the same record without the 24 attribution bytes before the qname section.
        DnsEvent d = EventFixtures.fullDns();
        buf.clear();
        int n = EventCodec.encode(d, buf);
        byte[] v2 = java.util.Arrays.copyOf(buf.array(), n);
        ByteBuffer dv1 = ByteBuffer.allocate(n - 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        dv1.put(v2, 0, EventCodec.DNS_QNAME_SECTION_V1).put(v2, EventCodec.DNS_QNAME_SECTION, n - EventCodec.DNS_QNAME_SECTION).flip();
        dv1.put(EventCodec.H_VERSION, (byte) 1).putInt(EventCodec.H_LENGTH, n - 24);
        DnsEvent dout = new DnsEvent();
        assertThat(EventCodec.decode(dv1, dout)).isTrue();
        assertThat(dout.qnameString()).isEqualTo(d.qnameString());
        assertThat(dout.answerCount).isEqualTo(d.answerCount);
        assertThat(dout.attribution).isEqualTo(Attribution.UNKNOWN);
        assertThat(dout.processEntityId).isZero();
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
        buf.put(EventCodec.H_VERSION, (byte) (EventCodec.LAYOUT_VERSION + 1));
        assertThat(EventCodec.peekType(buf)).as("newer layout version").isEqualTo(EventType.UNKNOWN);
        assertThat(EventCodec.peekType(ByteBuffer.allocate(3))).isEqualTo(EventType.UNKNOWN);
        buf.put(EventCodec.H_VERSION, (byte) 1);
        buf.put(EventCodec.H_TYPE, (byte) EventType.PROCESS.code);
        assertThat(EventCodec.peekType(buf)).as("version 1 had no PROCESS records").isEqualTo(EventType.UNKNOWN);

        ConnEvent c = EventFixtures.fullConn();
        ByteBuffer cb = ByteBuffer.allocate(EventCodec.CONN_SIZE);
        EventCodec.encode(c, cb);
        cb.flip();
        cb.put(146, (byte) 1); // ICMP: not a transport this schema knows
        assertThat(EventCodec.decode(cb, new ConnEvent())).isFalse();
    }

    @Test
    void connWithoutNamesIsTheVersion2RecordAndWithNamesVersion3() {
        ConnEvent in = EventFixtures.fullConn();
        ByteBuffer buf = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        assertThat(EventCodec.encode(in, buf)).isEqualTo(EventCodec.CONN_SIZE);
        assertThat(buf.get(EventCodec.H_VERSION)).isEqualTo((byte) EventCodec.LAYOUT_VERSION);

        in.names.set(io.netsensor.events.ConnNames.DNS, "c2.example.net");
        in.names.set(io.netsensor.events.ConnNames.SNI, "cdn.example.org");
        in.names.set(io.netsensor.events.ConnNames.USER_AGENT, "Mozilla/5.0 (Windows NT 10.0)");
        buf.clear();
        int n = EventCodec.encode(in, buf);
        assertThat(n).isEqualTo(EventCodec.CONN_SIZE + 4 + 14 + 15 + 29);
        assertThat(buf.get(EventCodec.H_VERSION)).isEqualTo((byte) EventCodec.CONN_NAMES_VERSION);
        buf.flip();
        ConnEvent out = new ConnEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out.names.text(io.netsensor.events.ConnNames.DNS)).isEqualTo("c2.example.net");
        assertThat(out.names.text(io.netsensor.events.ConnNames.SNI)).isEqualTo("cdn.example.org");
        assertThat(out.names.text(io.netsensor.events.ConnNames.HTTP_HOST)).isNull();
        assertThat(out.names.text(io.netsensor.events.ConnNames.USER_AGENT)).isEqualTo("Mozilla/5.0 (Windows NT 10.0)");
        assertThat(out.flowId).isEqualTo(in.flowId);
        assertThat(out.historyString()).isEqualTo(in.historyString());
        // a names length pointing past the record: damaged
        ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(buf.array(), n)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(EventCodec.CONN_NAMES_SECTION_OFFSET, (byte) 200);
        assertThat(EventCodec.decode(b, new ConnEvent())).isFalse();
    }

    @Test
    void burstRecordsRoundTrip() {
        io.netsensor.events.BurstEvent in = new io.netsensor.events.BurstEvent();
        in.flowId = 0x1234_5678_9ABCL;
        in.flowStartNanos = 1_000;
        in.startNanos = 5_000_000_000L;
        in.endNanos = 5_200_000_000L;
        in.gapNanos = 4_900_000_000L;
        in.transport = io.netsensor.events.Transport.UDP;
        in.origIpLo = 0xFFFF_0A00_0005L;
        in.respIpHi = 0x2001_0db8_0000_0000L;
        in.respIpLo = 7;
        in.origPort = 40000;
        in.respPort = 8443;
        in.direction = io.netsensor.events.Direction.OUTBOUND;
        in.origBytes = 310;
        in.respBytes = 4096;
        in.origPkts = 2;
        in.respPkts = 4;
        in.index = 17;
        in.flags = io.netsensor.events.BurstEvent.FLOW_START_SEEN;
        in.pid = 42;
        in.attribution = io.netsensor.events.Attribution.RESOLVED;
        in.names.set(io.netsensor.events.ConnNames.HTTP_HOST, "updates.example.com");
        ByteBuffer buf = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);
        int n = EventCodec.encode(in, buf);
        assertThat(n).isEqualTo(EventCodec.BURST_FIXED_SIZE + 19);
        buf.flip();
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.BURST);
        io.netsensor.events.BurstEvent out = new io.netsensor.events.BurstEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        assertThat(out).usingRecursiveComparison().ignoringFields("names").isEqualTo(in);
        assertThat(out.names.text(io.netsensor.events.ConnNames.HTTP_HOST)).isEqualTo("updates.example.com");
        assertThat(out.firstInFlow()).isFalse();
        assertThat(out.flowStartSeen()).isTrue();
        // a CONN decoder does not take it
        buf.flip();
        assertThat(EventCodec.decode(buf, new ConnEvent())).isFalse();
    }

    @Test
    void reservedTypeCodesAreStable() {
        assertThat(EventType.ofCode(1)).isEqualTo(EventType.CONN);
        assertThat(EventType.ofCode(2)).isEqualTo(EventType.DNS);
        assertThat(EventType.ofCode(3)).isEqualTo(EventType.ALERT);
        assertThat(EventType.ofCode(4)).isEqualTo(EventType.PROCESS);
        assertThat(EventType.ofCode(5)).isEqualTo(EventType.TELEMETRY);
        assertThat(EventType.ofCode(6)).isEqualTo(EventType.SALVAGED);
        assertThat(EventType.ofCode(7)).isEqualTo(EventType.BURST);
        assertThat(EventType.ofCode(8)).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void encodeAndDecodeDoNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ConnEvent c = EventFixtures.fullConn(), c2 = new ConnEvent();
        c.names.set(io.netsensor.events.ConnNames.SNI, "beacon.example.net"); // the version-3 layout too
        DnsEvent d = EventFixtures.fullDns(), d2 = new DnsEvent();
        ByteBuffer direct = ByteBuffer.allocateDirect(EventCodec.MAX_RECORD_SIZE * 3);
        roundTrips(c, c2, d, d2, direct, 20_000); // warm up
        long before = mx.getCurrentThreadAllocatedBytes();
        roundTrips(c, c2, d, d2, direct, 100_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 200k encode/decode pairs").isLessThan(10_000);
    }

    private static final io.netsensor.events.BurstEvent BURST = new io.netsensor.events.BurstEvent(),
            BURST_OUT = new io.netsensor.events.BurstEvent();

    private static void roundTrips(ConnEvent c, ConnEvent c2, DnsEvent d, DnsEvent d2, ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.clear();
            c.flowId = i;
            EventCodec.encode(c, b);
            EventCodec.encode(d, b);
            BURST.flowId = i;
            EventCodec.encode(BURST, b);
            b.flip();
            if (!EventCodec.decode(b, c2) || !EventCodec.decode(b, d2) || c2.flowId != i) throw new AssertionError();
            if (!EventCodec.decode(b, BURST_OUT) || BURST_OUT.flowId != i) throw new AssertionError();
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
