package io.netsensor.events.codec;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal codes of every enum the event codec writes are pinned here by name, and every value is
 * encoded and its byte checked against the pinned code, then decoded back. The codes equal today's
 * ordinals (so journals written when the codec used ordinal() read the same), but the table is by
 * name: reorder a declaration and an ordinal-based codec would fail here, a code-based one does not.
 */
class EnumCodesTest {
    static final Map<String, Integer> PHASE = table("OPEN", 0, "END", 1);
    static final Map<String, Integer> END_REASON = table("FIN", 0, "RST", 1, "IDLE", 2, "EVICTED", 3, "SHUTDOWN", 4, "OPEN", 5);
    static final Map<String, Integer> DIRECTION = table("OUTBOUND", 0, "INBOUND", 1, "INTERNAL", 2, "EXTERNAL", 3);
    static final Map<String, Integer> CONN_STATE = table("S0", 0, "S1", 1, "SF", 2, "REJ", 3, "S2", 4, "S3", 5, "RSTO", 6,
            "RSTR", 7, "RSTOS0", 8, "RSTRH", 9, "SH", 10, "SHR", 11, "OTH", 12);
    static final Map<String, Integer> ATTRIBUTION = table("UNKNOWN", 0, "RESOLVED", 1, "NOT_LOCAL", 2, "NO_SOCKET", 3,
            "NO_PERMISSION", 4, "NO_PROCESS", 5, "PENDING", 6, "DROPPED", 7);
    static final Map<String, Integer> TRANSPORT = table("TCP", 6, "UDP", 17);

    private final ByteBuffer buf = ByteBuffer.allocate(EventCodec.MAX_RECORD_SIZE);

    @Test
    void codeTablesArePinnedByName() {
        assertTable(ConnEvent.Phase.values(), PHASE, p -> p.code, ConnEvent.Phase::ofCode);
        assertTable(ConnEvent.EndReason.values(), END_REASON, r -> r.code, ConnEvent.EndReason::ofCode);
        assertTable(Direction.values(), DIRECTION, d -> d.code, Direction::ofCode);
        assertTable(ConnState.values(), CONN_STATE, s -> s.code, ConnState::ofCode);
        assertTable(Attribution.values(), ATTRIBUTION, a -> a.code, Attribution::ofCode);
        assertTable(io.netsensor.events.Transport.values(), TRANSPORT, t -> t.ianaNumber, io.netsensor.events.Transport::ofIana);
        assertThat(Attribution.count()).isEqualTo(ATTRIBUTION.size());
    }

    @Test
    void connWritesEveryEnumValueAsItsPinnedCodeAndReadsItBack() {
        everyValue(ConnEvent.Phase.values(), PHASE, EventCodec.CONN_PHASE_OFFSET, (e, v) -> e.phase = v, e -> e.phase);
        everyValue(ConnEvent.EndReason.values(), END_REASON, EventCodec.CONN_END_REASON_OFFSET, (e, v) -> e.endReason = v,
                e -> e.endReason);
        everyValue(Direction.values(), DIRECTION, EventCodec.CONN_DIRECTION_OFFSET, (e, v) -> e.direction = v, e -> e.direction);
        everyValue(ConnState.values(), CONN_STATE, EventCodec.CONN_STATE_OFFSET, (e, v) -> e.state = v, e -> e.state);
        everyValue(Attribution.values(), ATTRIBUTION, EventCodec.CONN_ATTRIBUTION_OFFSET, (e, v) -> e.attribution = v,
                e -> e.attribution);
        everyValue(io.netsensor.events.Transport.values(), TRANSPORT, EventCodec.CONN_TRANSPORT_OFFSET,
                (e, v) -> e.transport = v, e -> e.transport);
    }

    @Test
    void dnsWritesEveryEnumValueAsItsPinnedCodeAndReadsItBack() {
        for (Direction d : Direction.values()) {
            DnsEvent in = EventFixtures.fullDns();
            in.direction = d;
            DnsEvent out = dnsRoundTrip(in, EventCodec.DNS_DIRECTION_OFFSET, DIRECTION.get(d.name()));
            assertThat(out.direction).isEqualTo(d);
        }
        for (Attribution a : Attribution.values()) {
            DnsEvent in = EventFixtures.fullDns();
            in.attribution = a;
            DnsEvent out = dnsRoundTrip(in, EventCodec.DNS_ATTRIBUTION_OFFSET, ATTRIBUTION.get(a.name()));
            assertThat(out.attribution).isEqualTo(a);
        }
    }

    @Test
    void unknownCodesFailTheRecordExceptAttributionWhichReadsAsUnknown() {
        int[] strict = {EventCodec.CONN_PHASE_OFFSET, EventCodec.CONN_END_REASON_OFFSET, EventCodec.CONN_DIRECTION_OFFSET,
                EventCodec.CONN_STATE_OFFSET, EventCodec.CONN_TRANSPORT_OFFSET};
        for (int off : strict) {
            for (int code : new int[] {200, 255}) {
                buf.clear();
                EventCodec.encode(EventFixtures.fullConn(), buf);
                buf.flip().put(off, (byte) code);
                assertThat(EventCodec.decode(buf, new ConnEvent())).as("code %d at %d", code, off).isFalse();
                assertThat(buf.position()).isZero();
            }
        }
        buf.clear();
        EventCodec.encode(EventFixtures.fullConn(), buf);
        buf.flip().put(EventCodec.CONN_ATTRIBUTION_OFFSET, (byte) ATTRIBUTION.size());
        ConnEvent c = new ConnEvent();
        assertThat(EventCodec.decode(buf, c)).isTrue();
        assertThat(c.attribution).isEqualTo(Attribution.UNKNOWN);

        buf.clear();
        EventCodec.encode(EventFixtures.fullDns(), buf);
        buf.flip().put(EventCodec.DNS_DIRECTION_OFFSET, (byte) DIRECTION.size());
        assertThat(EventCodec.decode(buf, new DnsEvent())).isFalse();
    }

    private <E extends Enum<E>> void everyValue(E[] values, Map<String, Integer> table, int offset,
                                                BiConsumer<ConnEvent, E> set, Function<ConnEvent, E> get) {
        for (E v : values) {
            ConnEvent in = EventFixtures.fullConn();
            set.accept(in, v);
            buf.clear();
            assertThat(EventCodec.encode(in, buf)).isEqualTo(EventCodec.CONN_SIZE);
            assertThat(buf.get(offset) & 0xFF).as("%s.%s", v.getDeclaringClass().getSimpleName(), v)
                    .isEqualTo(table.get(v.name()));
            buf.flip();
            ConnEvent out = new ConnEvent();
            assertThat(EventCodec.decode(buf, out)).isTrue();
            assertThat(get.apply(out)).isEqualTo(v);
        }
    }

    private DnsEvent dnsRoundTrip(DnsEvent in, int offset, int code) {
        buf.clear();
        assertThat(EventCodec.encode(in, buf)).isPositive();
        assertThat(buf.get(offset) & 0xFF).isEqualTo(code);
        buf.flip();
        DnsEvent out = new DnsEvent();
        assertThat(EventCodec.decode(buf, out)).isTrue();
        return out;
    }

    static <E extends Enum<E>> void assertTable(E[] values, Map<String, Integer> table, ToIntFunction<E> code,
                                                IntFunction<E> ofCode) {
        String type = values[0].getDeclaringClass().getSimpleName();
        assertThat(Arrays.stream(values).map(Enum::name).toList()).as("%s values", type)
                .containsExactlyInAnyOrderElementsOf(table.keySet());
        for (E v : values) {
            assertThat(code.applyAsInt(v)).as("%s.%s code", type, v).isEqualTo(table.get(v.name()));
            assertThat(ofCode.apply(table.get(v.name()))).isSameAs(v);
        }
        int max = table.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int unknown : List.of(-1, max + 1, 255, 256, Integer.MAX_VALUE)) {
            if (!table.containsValue(unknown)) assertThat(ofCode.apply(unknown)).as("%s code %d", type, unknown).isNull();
        }
    }

    static Map<String, Integer> table(Object... nameCode) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameCode.length; i += 2) m.put((String) nameCode[i], (Integer) nameCode[i + 1]);
        return m;
    }
}
