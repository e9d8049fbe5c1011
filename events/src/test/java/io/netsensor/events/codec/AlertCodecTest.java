package io.netsensor.events.codec;

import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AlertCodecTest {
    private final ByteBuffer buf = ByteBuffer.allocate(AlertCodec.MAX_SIZE);

    static Alert.Draft base() {
        Alert.Draft d = new Alert.Draft();
        d.id = "beacon-1f2e3d4c5b6a7988";
        d.detector = DetectorKind.BEACON;
        d.severity = Severity.HIGH;
        d.score = 0.8712345678901234;
        d.hostIp = "10.0.0.5";
        d.hostMac = "02-00-0A-00-00-05";
        d.process = new ProcessInfo(0x1234_5678_9ABC_DEF0L, 4242, 1, 1000, 1_699_999_990_000_000_000L, "curl",
                "/usr/bin/curl", "curl -s https://\u00e9t\u00e9.example/ \u4e2d", "alice");
        d.remoteIp = "2001:db8::7";
        d.remotePort = 8443;
        d.firstSeenNanos = 1_700_000_000_000_000_000L;
        d.lastSeenNanos = 1_700_000_123_456_789_012L;
        d.count = 150;
        d.summary = "periodic tcp connections every ~60 s (jitter 30 %) to 2001:db8::7:8443, 150 in 150 min";
        return d;
    }

    /** Every evidence type, in every position (top level, in lists, in maps), nested. */
    static Alert everyType() {
        Alert.Draft d = base();
        Map<String, Object> ev = d.evidence;
        ev.put("null", null);
        ev.put("true", true);
        ev.put("false", false);
        ev.put("int", Integer.MIN_VALUE);
        ev.put("long", Long.MAX_VALUE);
        ev.put("double", 0.1 + 0.2);
        ev.put("nan", Double.NaN);
        ev.put("inf", Double.NEGATIVE_INFINITY);
        ev.put("negzero", -0.0);
        ev.put("string", "sp\u00e4ter \ud83d\ude00 \u0000 end");
        ev.put("empty_string", "");
        ev.put("list", new ArrayList<>(Arrays.asList(1, 2L, 3.5, "x", null, true, List.of())));
        ev.put("histogram", List.of(0, 3, 7, 12, 7, 3, 0, 1));
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z_first", 1.25);
        inner.put("a_second", List.of(Map.of("deep", List.of(List.of(-1L)))));
        inner.put("", "empty key");
        ev.put("map", inner);
        ev.put("empty_map", Map.of());
        ev.put("int_array", new int[] {1, -2, Integer.MAX_VALUE});
        ev.put("long_array", new long[] {Long.MIN_VALUE, 0, 5});
        ev.put("double_array", new double[] {0.123456789, Double.NaN, 1e300});
        ev.put("empty_array", new long[0]);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", "qx" + i + ".example");
            m.put("score", 0.9 - i / 10.0);
            m.put("nxdomain", i % 2 == 0);
            samples.add(m);
        }
        ev.put("samples", samples);
        return d.build();
    }

    private Alert roundTrip(Alert in) {
        buf.clear();
        int n = AlertCodec.encode(in, buf);
        assertThat(n).isPositive().isLessThanOrEqualTo(AlertCodec.MAX_SIZE).isEqualTo(buf.position());
        buf.flip();
        assertThat(EventCodec.peekType(buf)).isEqualTo(EventType.ALERT);
        assertThat(EventCodec.peekLength(buf)).isEqualTo(n);
        assertThat(EventCodec.peekTime(buf)).isEqualTo(in.lastSeenNanos);
        Alert out = AlertCodec.decodeStrict(buf);
        assertThat(out).isNotNull();
        assertThat(buf.position()).isEqualTo(n);
        return out;
    }

    @Test
    void theContainerOfTheProcessRoundTripsInTheFixedPartOldReadersSkip() {
        Alert.Draft d = base();
        ProcessInfo p = d.process;
        d.process = p.withCgroup("0123456789abcdef".repeat(4), 12_345L);
        Alert in = d.build();
        Alert out = roundTrip(in);
        assertThat(out.process.containerId).isEqualTo(in.process.containerId);
        assertThat(out.process.cgroupId).isEqualTo(12_345L);
        assertThat(out.process.executable).isEqualTo(p.executable);
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort(AlertCodec.ALERT_STRINGS_OFFSET_OFFSET)).isEqualTo((short) AlertCodec.ALERT_STRINGS_OFFSET_WITH_CONTAINER);
        assertThat(b.getLong(AlertCodec.ALERT_PROCESS_CGROUP_ID_OFFSET)).isEqualTo(12_345L);
        assertThat(b.get(AlertCodec.ALERT_PROCESS_CONTAINER_ID_LEN_OFFSET)).isEqualTo((byte) 64);

        // without a container the record is as before: strings at 88
        d.process = p;
        Alert plain = roundTrip(d.build());
        assertThat(buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(AlertCodec.ALERT_STRINGS_OFFSET_OFFSET))
                .isEqualTo((short) AlertCodec.ALERT_STRINGS_OFFSET);
        assertThat(plain.process.containerId).isNull();
        assertThat(plain.process.cgroupId).isZero();

        // a cgroup id without a container id (a host process under kernel attribution)
        d.process = p.withCgroup(null, 1L);
        Alert host = roundTrip(d.build());
        assertThat(host.process.containerId).isNull();
        assertThat(host.process.cgroupId).isEqualTo(1L);
    }

    @Test
    void everyEvidenceTypeRoundTripsWithItsJavaType() {
        Alert in = everyType();
        Alert out = roundTrip(in);
        assertSameAlert(out, in);
        assertThat(new ArrayList<>(out.evidence.keySet())).containsExactlyElementsOf(in.evidence.keySet());
        assertSameTypes(out.evidence, in.evidence);
        assertThat((double) out.evidence.get("negzero")).isEqualTo(-0.0).matches(v -> 1 / v < 0);
        assertThat((int[]) out.evidence.get("int_array")).containsExactly(1, -2, Integer.MAX_VALUE);
        assertThat(out.process.commandLine).isEqualTo(in.process.commandLine);
        assertThat(out.evidence).isUnmodifiable();
        assertThat((List<?>) out.evidence.get("list")).isUnmodifiable();
        assertThat((Map<?, ?>) out.evidence.get("map")).isUnmodifiable();
    }

    @Test
    void otherJavaTypesReadBackAsWhatAlertJsonMakesOfThem() {
        Alert.Draft d = base();
        d.evidence.put("float", 1.5f);
        d.evidence.put("short", (short) -7);
        d.evidence.put("big", new BigDecimal("12.75")); // a Number that is not Double/Float: its longValue
        d.evidence.put("enum", TimeUnit.SECONDS);
        d.evidence.put("char", 'c');
        d.evidence.put("set", new LinkedHashSet<>(List.of("b", "a")));
        Map<Integer, String> intKeys = new LinkedHashMap<>();
        intKeys.put(443, "https");
        intKeys.put(null, "null key");
        d.evidence.put("int_keys", intKeys);
        Alert out = roundTrip(d.build());
        assertThat(out.evidence.get("float")).isEqualTo(1.5d);
        assertThat(out.evidence.get("short")).isEqualTo(-7L);
        assertThat(out.evidence.get("big")).isEqualTo(12L);
        assertThat(out.evidence.get("enum")).isEqualTo("SECONDS");
        assertThat(out.evidence.get("char")).isEqualTo("c");
        assertThat(out.evidence.get("set")).isEqualTo(List.of("b", "a"));
        assertThat(out.evidence.get("int_keys")).isEqualTo(Map.of("443", "https", "null", "null key"));
        assertThat(out.evidence).doesNotContainKey(AlertCodec.EVIDENCE_CUT_KEY);
    }

    @Test
    void nullFieldsStayNullAndEmptyStringsStayEmpty() {
        Alert.Draft d = new Alert.Draft();
        d.detector = DetectorKind.C2_PORT;
        d.severity = Severity.LOW;
        Alert bare = d.build(); // id, host, remote, summary null; no process; no evidence; port null
        Alert out = roundTrip(bare);
        assertSameAlert(out, bare);
        assertThat(out.id).isNull();
        assertThat(out.remotePort).isNull();
        assertThat(out.process).isNull();
        assertThat(out.evidence).isEmpty();

        Alert.Draft e = base();
        e.id = "";
        e.hostMac = "";
        e.summary = "";
        e.remotePort = 0;
        e.process = new ProcessInfo(0, 7, 0, -1, 0, "", null, "", null);
        Alert empty = e.build();
        Alert out2 = roundTrip(empty);
        assertSameAlert(out2, empty);
        assertThat(out2.process.name).isEmpty();
        assertThat(out2.process.executable).isNull();
        assertThat(out2.process.commandLine).isEmpty();
        assertThat(out2.process.user).isNull();
        assertThat(out2.remotePort).isZero();
    }

    @Test
    void severityAndDetectorAreWrittenAsTheirPinnedCodes() {
        Map<String, Integer> severity = EnumCodesTest.table("LOW", 0, "MEDIUM", 1, "HIGH", 2, "CRITICAL", 3);
        Map<String, Integer> detector = EnumCodesTest.table("BEACON", 0, "DGA", 1, "RELAY", 2, "FANOUT", 3, "C2_PORT", 4,
                "DNS_TUNNEL", 5, "SCAN", 6);
        EnumCodesTest.assertTable(Severity.values(), severity, s -> s.code, Severity::ofCode);
        EnumCodesTest.assertTable(DetectorKind.values(), detector, k -> k.code, DetectorKind::ofCode);
        for (Severity s : Severity.values()) {
            Alert.Draft d = base();
            d.severity = s;
            Alert in = d.build();
            buf.clear();
            AlertCodec.encode(in, buf);
            assertThat(buf.get(AlertCodec.ALERT_SEVERITY_OFFSET) & 0xFF).as("%s", s).isEqualTo(severity.get(s.name()));
            assertThat(roundTrip(in).severity).isEqualTo(s);
        }
        for (DetectorKind k : DetectorKind.values()) {
            Alert.Draft d = base();
            d.detector = k;
            Alert in = d.build();
            buf.clear();
            AlertCodec.encode(in, buf);
            assertThat(buf.get(AlertCodec.ALERT_DETECTOR_OFFSET) & 0xFF).as("%s", k).isEqualTo(detector.get(k.name()));
            assertThat(roundTrip(in).detector).isEqualTo(k);
        }
        for (int offset : new int[] {AlertCodec.ALERT_SEVERITY_OFFSET, AlertCodec.ALERT_DETECTOR_OFFSET}) {
            buf.clear();
            AlertCodec.encode(base().build(), buf);
            buf.flip().put(offset, (byte) 99);
            assertThat(AlertCodec.decodeStrict(buf)).as("unknown code at %d", offset).isNull();
            assertThat(buf.position()).isZero();
        }
    }

    @Test
    void fixedPartIsAtItsDocumentedOffsets() {
        Alert in = base().build();
        AlertCodec.encode(in, buf);
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.get(EventCodec.HEADER_VERSION_OFFSET)).isEqualTo((byte) EventCodec.LAYOUT_VERSION);
        assertThat(b.get(EventCodec.HEADER_TYPE_OFFSET)).isEqualTo((byte) 3);
        assertThat(b.get(AlertCodec.ALERT_FLAGS_OFFSET)).isEqualTo((byte) AlertCodec.FLAG_PROCESS);
        assertThat(b.getShort(AlertCodec.ALERT_STRINGS_OFFSET_OFFSET)).isEqualTo((short) 88);
        assertThat(b.getDouble(24)).isEqualTo(in.score);
        assertThat(b.getLong(32)).isEqualTo(in.firstSeenNanos);
        assertThat(b.getLong(40)).isEqualTo(in.lastSeenNanos);
        assertThat(b.getLong(48)).isEqualTo(in.count);
        assertThat(b.getInt(56)).isEqualTo(8443);
        assertThat(b.getInt(60)).isEqualTo(4242);
        assertThat(b.getLong(64)).isEqualTo(in.process.entityId);
        assertThat(b.getLong(72)).isEqualTo(in.process.startNanos);
        assertThat(b.getInt(80)).isEqualTo(1);
        assertThat(b.getInt(84)).isEqualTo(1000);
        assertThat(b.getShort(88)).isEqualTo((short) in.id.length());
    }

    @Test
    void aLargerFixedPartFromANewerWriterIsSkipped() {
        Alert in = everyType();
        int n = AlertCodec.encode(in, buf);
        byte[] old = Arrays.copyOf(buf.array(), n);
        int extra = 16;
        ByteBuffer newer = ByteBuffer.allocate(n + extra).order(ByteOrder.LITTLE_ENDIAN);
        newer.put(old, 0, 88).put(new byte[extra]).put(old, 88, n - 88).flip();
        newer.putInt(EventCodec.HEADER_LENGTH_OFFSET, n + extra).putShort(AlertCodec.ALERT_STRINGS_OFFSET_OFFSET, (short) (88 + extra));
        Alert out = AlertCodec.decodeStrict(newer);
        assertSameAlert(out, in);
    }

    @Test
    void encodeRefusesAlertsWithoutDetectorOrSeverityAndBuffersTooSmall() {
        Alert.Draft d = base();
        d.detector = null;
        assertThat(AlertCodec.encode(d.build(), buf)).isEqualTo(-1);
        Alert.Draft e = base();
        e.severity = null;
        assertThat(AlertCodec.encode(e.build(), buf)).isEqualTo(-1);
        assertThat(AlertCodec.encode(null, buf)).isEqualTo(-1);
        ByteBuffer small = ByteBuffer.allocate(100);
        assertThat(AlertCodec.encode(base().build(), small)).isEqualTo(-1);
        assertThat(small.position()).isZero();
        assertThat(buf.position()).isZero();
    }

    @Test
    void oversizedEvidenceIsCutToAPrefixWithAMarkerNeverRefused() {
        Alert.Draft d = base();
        List<Long> big = new ArrayList<>();
        for (long i = 0; i < 100_000; i++) big.add(i);
        d.evidence.put("small", 1);
        d.evidence.put("big", big);
        d.evidence.put("after", "kept");
        Alert out = roundTrip(d.build());
        assertThat(buf.get(AlertCodec.ALERT_FLAGS_OFFSET) & AlertCodec.FLAG_EVIDENCE_CUT).isNotZero();
        assertThat(out.evidence.get(AlertCodec.EVIDENCE_CUT_KEY)).isEqualTo(true);
        assertThat(new ArrayList<>(out.evidence.keySet())).containsExactly("small", "big", "after", AlertCodec.EVIDENCE_CUT_KEY);
        List<?> cut = (List<?>) out.evidence.get("big");
        assertThat(cut).hasSize(1024).isEqualTo(big.subList(0, 1024));
        assertThat(out.evidence.get("after")).isEqualTo("kept");
        assertThat(out.summary).isEqualTo(d.summary);

        // arrays and maps too, and long strings inside evidence
        Alert.Draft e = base();
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) wide.put("k" + i, i);
        e.evidence.put("wide", wide);
        e.evidence.put("array", new double[20_000]);
        e.evidence.put("text", "\u00e9".repeat(40_000));
        Alert out2 = roundTrip(e.build());
        assertThat((Map<?, ?>) out2.evidence.get("wide")).hasSizeLessThanOrEqualTo(1024);
        assertThat((double[]) out2.evidence.get("array")).hasSizeLessThanOrEqualTo(1024);
        String text = (String) out2.evidence.get("text");
        assertThat(text.length()).isLessThanOrEqualTo(512);
        assertThat("\u00e9".repeat(40_000)).startsWith(text);
        assertThat(out2.evidence.get(AlertCodec.EVIDENCE_CUT_KEY)).isEqualTo(true);
    }

    @Test
    void hugeStringsAreCutAtACharacterBoundary() {
        Alert.Draft d = base();
        d.summary = "\u4e2d".repeat(30_000); // 90,000 bytes
        d.process = new ProcessInfo(1, 2, 3, 4, 5, "n", "/x".repeat(20_000), "a\u00e9".repeat(50_000), "u");
        d.evidence.put("kept", List.of(1, 2, 3));
        Alert out = roundTrip(d.build());
        int flags = buf.get(AlertCodec.ALERT_FLAGS_OFFSET);
        assertThat(flags & AlertCodec.FLAG_STRINGS_CUT).isNotZero();
        assertThat(flags & AlertCodec.FLAG_EVIDENCE_CUT).isZero();
        assertThat(out.summary.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(AlertCodec.STRING_CUT);
        assertThat(out.summary).hasSize(AlertCodec.STRING_CUT / 3);
        assertThat(d.summary).startsWith(out.summary);
        assertThat(d.process.commandLine).startsWith(out.process.commandLine);
        assertThat(out.process.executable).hasSize(AlertCodec.STRING_CUT);
        assertThat(out.process.name).isEqualTo("n");
        assertThat(out.evidence).isEqualTo(Map.of("kept", List.of(1, 2, 3)));
    }

    @Test
    void strangeEvidenceNeverLosesTheAlert() {
        // too deep: containers below MAX_DEPTH become null
        Alert.Draft d = base();
        Object deep = 7;
        for (int i = 0; i < 40; i++) deep = List.of(deep);
        d.evidence.put("deep", deep);
        Alert out = roundTrip(d.build());
        Object o = out.evidence.get("deep");
        int depth = 1;
        while (o instanceof List) {
            o = ((List<?>) o).get(0);
            depth++;
        }
        assertThat(o).isNull();
        assertThat(depth).isEqualTo(AlertCodec.MAX_DEPTH);
        assertThat(out.evidence.get(AlertCodec.EVIDENCE_CUT_KEY)).isEqualTo(true);

        // a list that contains itself
        Alert.Draft c = base();
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        loop.add(loop);
        c.evidence.put("loop", loop);
        assertThat(roundTrip(c.build()).evidence).containsEntry(AlertCodec.EVIDENCE_CUT_KEY, true);

        // a value whose toString throws: the alert is still journaled, with its evidence cut away
        Alert.Draft t = base();
        t.evidence.put("fine", 1);
        t.evidence.put("bad", new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        });
        Alert out3 = roundTrip(t.build());
        assertThat(out3.evidence).containsEntry(AlertCodec.EVIDENCE_CUT_KEY, true).doesNotContainKey("bad");
        assertThat(out3.id).isEqualTo(t.id);
    }

    @Test
    void randomEvidenceAlwaysEncodesWithinTheBoundAndDecodes() {
        Random rnd = new Random(7);
        int whole = 0, cut = 0;
        for (int i = 0; i < 200; i++) {
            Alert.Draft d = base();
            int keys = rnd.nextInt(12);
            int[] budget = {4_000};
            for (int k = 0; k < keys; k++) d.evidence.put("k" + k, randomValue(rnd, 0, i % 3 == 0 ? 5_000 : 20, budget));
            Alert in = d.build();
            Alert out = roundTrip(in);
            if ((buf.get(AlertCodec.ALERT_FLAGS_OFFSET) & AlertCodec.FLAG_EVIDENCE_CUT) == 0) {
                assertSameAlert(out, in);
                whole++;
            } else {
                assertThat(out.evidence).containsEntry(AlertCodec.EVIDENCE_CUT_KEY, true);
                cut++;
            }
        }
        assertThat(whole).isGreaterThan(50);
        assertThat(cut).isGreaterThan(10);
    }

    @Test
    void damagedRecordsGiveNullOrAValidAlertNeverAnException() {
        List<byte[]> valid = new ArrayList<>();
        for (Alert a : List.of(everyType(), base().build(), cutAlert())) {
            buf.clear();
            int n = AlertCodec.encode(a, buf);
            valid.add(Arrays.copyOf(buf.array(), n));
        }
        Random rnd = new Random(42);
        int decoded = 0, refused = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] rec = valid.get(i % valid.size()).clone();
            int len = rec.length;
            switch (rnd.nextInt(5)) {
                case 0: // flip a few bits
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) rec[rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8));
                    break;
                case 1: // random bytes over a range
                    int at = rnd.nextInt(len), n = Math.min(len - at, 1 + rnd.nextInt(16));
                    for (int k = 0; k < n; k++) rec[at + k] = (byte) rnd.nextInt(256);
                    break;
                case 2: // truncate (header length kept: it now claims more than there is)
                    len = rnd.nextInt(len);
                    break;
                case 3: // truncate and fix the header length
                    len = Math.max(EventCodec.HEADER_SIZE, rnd.nextInt(len));
                    ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN).putInt(EventCodec.HEADER_LENGTH_OFFSET, len);
                    break;
                default: // a byte in the evidence section, where tags and counts are
                    int e = len - 1 - rnd.nextInt(Math.min(len - 100, 400));
                    rec[e] = (byte) rnd.nextInt(256);
            }
            ByteBuffer in = ByteBuffer.wrap(rec, 0, len);
            Alert a = AlertCodec.decodeStrict(in); // no safety net: any exception fails the test
            if (a == null) {
                refused++;
                assertThat(in.position()).isZero();
            } else {
                decoded++;
                assertThat(a.detector).isNotNull();
                assertThat(a.severity).isNotNull();
                assertThat(a.evidence).isNotNull();
                assertThat(in.position()).isEqualTo(EventCodec.peekLength(ByteBuffer.wrap(rec)));
            }
        }
        assertThat(refused).isPositive();
        assertThat(decoded).isPositive(); // flips inside numbers and string bytes still decode
    }

    private static Alert cutAlert() {
        Alert.Draft d = base();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) many.add("198.51.100." + (i % 256));
        d.evidence.put("many", many);
        return d.build();
    }

    /** A random evidence value of at most budget[0] nodes in all (the budget is shared and spent). */
    private static Object randomValue(Random rnd, int depth, int maxLen, int[] budget) {
        budget[0]--;
        int kind = rnd.nextInt(depth > 3 || budget[0] <= 0 ? 9 : 12);
        switch (kind) {
            case 0: return null;
            case 1: return rnd.nextBoolean();
            case 2: return rnd.nextInt();
            case 3: return rnd.nextLong();
            case 4: return rnd.nextDouble() * 1e6;
            case 5: return "s".repeat(rnd.nextInt(maxLen + 1)) + "\u00e9";
            case 6: return new int[rnd.nextInt(maxLen + 1)];
            case 7: return new long[rnd.nextInt(maxLen + 1)];
            case 8: return new double[rnd.nextInt(maxLen + 1)];
            case 9: case 10: {
                List<Object> l = new ArrayList<>();
                for (int i = rnd.nextInt(maxLen + 1); i > 0 && budget[0] > 0; i--) {
                    l.add(randomValue(rnd, depth + 1, maxLen / 4, budget));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = rnd.nextInt(8); i > 0 && budget[0] > 0; i--) {
                    m.put("m" + i, randomValue(rnd, depth + 1, maxLen / 4, budget));
                }
                return m;
            }
        }
    }

    /** Field by field, of the same types, NaN equal to NaN (as its bits round-trip). */
    static void assertSameAlert(Alert got, Alert want) {
        assertThat(got).usingRecursiveComparison().withStrictTypeChecking()
                .withComparatorForType(Double::compare, Double.class).isEqualTo(want);
        assertSameTypes(got.evidence, want.evidence);
    }

    /** Same Java class at every position of the two evidence trees. */
    static void assertSameTypes(Object got, Object want) {
        if (want == null) {
            assertThat(got).isNull();
            return;
        }
        assertThat(got).isNotNull();
        if (want instanceof Map) {
            assertThat(got).isInstanceOf(Map.class);
            Map<?, ?> g = (Map<?, ?>) got, w = (Map<?, ?>) want;
            assertThat(new ArrayList<Object>(g.keySet())).containsExactlyElementsOf(new ArrayList<Object>(w.keySet()));
            for (Object k : w.keySet()) assertSameTypes(g.get(k), w.get(k));
        } else if (want instanceof Collection) {
            assertThat(got).isInstanceOf(List.class);
            List<?> g = (List<?>) got;
            List<?> w = new ArrayList<>((Collection<?>) want);
            assertThat(g).hasSameSizeAs(w);
            for (int i = 0; i < w.size(); i++) assertSameTypes(g.get(i), w.get(i));
        } else {
            assertThat(got.getClass()).isEqualTo(want.getClass());
        }
    }
}
