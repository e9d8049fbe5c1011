package io.netsensor.events.codec;

import io.netsensor.events.TelemetryRow;
import io.netsensor.events.Transport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary layout of TELEMETRY records (type 5): one {@link TelemetryRow}. Little-endian like every record;
 * the header is {@link EventCodec}'s (version, type, length, event time = the interval's end). Rows are
 * written once per interval, so encoding may allocate (strings); decoding returns a new row.
 *
 * <pre>
 *   16  u8 kind (0 CONN, 1 DNS)      17 u8 flags (1 = the "other" fold row)   18 u8 transport (IANA)  19 u8 0
 *   20 i32 pid                       24 i64 processEntityId
 *   32 i64 intervalStartNanos        40 i64 intervalEndNanos                  48 i64 foldedRows
 *   56 i64 connections   64 i64 rejected    72 i64 noAnswer
 *   80 i64 bytesOut      88 i64 bytesIn     96 i64 packetsOut   104 i64 packetsIn
 *  112 i64 firstSeenNanos                  120 i64 lastSeenNanos
 *  128 i64 queries      136 i64 nxdomains  144 i64 distinctNames
 *  152 i32 remotePort   156 u16 nameCount  158 u16 queryTypeCount
 *  160 strings, each u16 length (0xFFFF = null) then UTF-8: localIp, localMac, remoteIp, domain,
 *      nameCount names, then queryTypeCount pairs of (string type, i64 queries)
 * </pre>
 */
public final class TelemetryCodec {
    public static final int KIND_OFFSET = 16, FLAGS_OFFSET = 17, TRANSPORT_OFFSET = 18, PID_OFFSET = 20,
            ENTITY_OFFSET = 24, INTERVAL_START_OFFSET = 32, INTERVAL_END_OFFSET = 40, FOLDED_OFFSET = 48,
            CONNECTIONS_OFFSET = 56, REJECTED_OFFSET = 64, NO_ANSWER_OFFSET = 72, BYTES_OUT_OFFSET = 80,
            BYTES_IN_OFFSET = 88, PACKETS_OUT_OFFSET = 96, PACKETS_IN_OFFSET = 104, FIRST_SEEN_OFFSET = 112,
            LAST_SEEN_OFFSET = 120, QUERIES_OFFSET = 128, NXDOMAINS_OFFSET = 136, DISTINCT_NAMES_OFFSET = 144,
            REMOTE_PORT_OFFSET = 152, NAME_COUNT_OFFSET = 156, QUERY_TYPE_COUNT_OFFSET = 158, STRINGS_OFFSET = 160;
    /** Largest row: size buffers with it (names and query types are bounded by the rollups). */
    public static final int MAX_SIZE = 16_384;
    private static final int NULL = 0xFFFF, MAX_STRING = 1024;
    private static final int FLAG_OTHER = 1;

    private TelemetryCodec() {}

    /** Encodes at the buffer's position and advances it; bytes written, or -1 (buffer unchanged) when it does not fit. */
    public static int encode(TelemetryRow r, ByteBuffer buf) {
        int p = buf.position();
        if (buf.remaining() < STRINGS_OFFSET) return -1;
        buf.order(ByteOrder.LITTLE_ENDIAN);
        try {
            buf.put(p + KIND_OFFSET, (byte) (r.kind == TelemetryRow.Kind.CONN ? 0 : 1));
            buf.put(p + FLAGS_OFFSET, (byte) (r.other ? FLAG_OTHER : 0));
            buf.put(p + TRANSPORT_OFFSET, (byte) (r.transport == null ? 0 : r.transport.ianaNumber));
            buf.put(p + TRANSPORT_OFFSET + 1, (byte) 0);
            buf.putInt(p + PID_OFFSET, r.pid);
            buf.putLong(p + ENTITY_OFFSET, r.processEntityId);
            buf.putLong(p + INTERVAL_START_OFFSET, r.intervalStartNanos);
            buf.putLong(p + INTERVAL_END_OFFSET, r.intervalEndNanos);
            buf.putLong(p + FOLDED_OFFSET, r.foldedRows);
            buf.putLong(p + CONNECTIONS_OFFSET, r.connections);
            buf.putLong(p + REJECTED_OFFSET, r.rejected);
            buf.putLong(p + NO_ANSWER_OFFSET, r.noAnswer);
            buf.putLong(p + BYTES_OUT_OFFSET, r.bytesOut);
            buf.putLong(p + BYTES_IN_OFFSET, r.bytesIn);
            buf.putLong(p + PACKETS_OUT_OFFSET, r.packetsOut);
            buf.putLong(p + PACKETS_IN_OFFSET, r.packetsIn);
            buf.putLong(p + FIRST_SEEN_OFFSET, r.firstSeenNanos);
            buf.putLong(p + LAST_SEEN_OFFSET, r.lastSeenNanos);
            buf.putLong(p + QUERIES_OFFSET, r.queries);
            buf.putLong(p + NXDOMAINS_OFFSET, r.nxdomains);
            buf.putLong(p + DISTINCT_NAMES_OFFSET, r.distinctNames);
            buf.putInt(p + REMOTE_PORT_OFFSET, r.remotePort);
            buf.putShort(p + NAME_COUNT_OFFSET, (short) Math.min(r.names.size(), 0xFFFF));
            buf.putShort(p + QUERY_TYPE_COUNT_OFFSET, (short) Math.min(r.queryTypes.size(), 0xFFFF));
            buf.position(p + STRINGS_OFFSET);
            putString(buf, r.localIp);
            putString(buf, r.localMac);
            putString(buf, r.remoteIp);
            putString(buf, r.domain);
            for (String n : r.names) putString(buf, n);
            for (Map.Entry<String, Long> e : r.queryTypes.entrySet()) {
                putString(buf, e.getKey());
                buf.putLong(e.getValue());
            }
        } catch (java.nio.BufferOverflowException | IndexOutOfBoundsException e) {
            buf.position(p);
            return -1;
        }
        int len = buf.position() - p;
        EventCodec.putHeader(buf, p, EventType.TELEMETRY, len, r.intervalEndNanos);
        return len;
    }

    /** Decodes the TELEMETRY record at the buffer's position; null when it fails validation. Never throws. */
    public static TelemetryRow decode(ByteBuffer in) {
        ByteBuffer buf = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = buf.position();
        try {
            if (buf.remaining() < STRINGS_OFFSET || EventCodec.peekType(buf) != EventType.TELEMETRY) return null;
            int len = EventCodec.peekLength(buf);
            if (len < STRINGS_OFFSET || len > buf.remaining()) return null;
            buf.limit(p + len);
            int kind = buf.get(p + KIND_OFFSET);
            if (kind != 0 && kind != 1) return null;
            TelemetryRow.Builder b = new TelemetryRow.Builder(kind == 0 ? TelemetryRow.Kind.CONN : TelemetryRow.Kind.DNS);
            b.other = (buf.get(p + FLAGS_OFFSET) & FLAG_OTHER) != 0;
            b.transport = Transport.ofIana(buf.get(p + TRANSPORT_OFFSET) & 0xFF);
            b.pid = buf.getInt(p + PID_OFFSET);
            b.processEntityId = buf.getLong(p + ENTITY_OFFSET);
            b.intervalStartNanos = buf.getLong(p + INTERVAL_START_OFFSET);
            b.intervalEndNanos = buf.getLong(p + INTERVAL_END_OFFSET);
            b.foldedRows = buf.getLong(p + FOLDED_OFFSET);
            b.connections = buf.getLong(p + CONNECTIONS_OFFSET);
            b.rejected = buf.getLong(p + REJECTED_OFFSET);
            b.noAnswer = buf.getLong(p + NO_ANSWER_OFFSET);
            b.bytesOut = buf.getLong(p + BYTES_OUT_OFFSET);
            b.bytesIn = buf.getLong(p + BYTES_IN_OFFSET);
            b.packetsOut = buf.getLong(p + PACKETS_OUT_OFFSET);
            b.packetsIn = buf.getLong(p + PACKETS_IN_OFFSET);
            b.firstSeenNanos = buf.getLong(p + FIRST_SEEN_OFFSET);
            b.lastSeenNanos = buf.getLong(p + LAST_SEEN_OFFSET);
            b.queries = buf.getLong(p + QUERIES_OFFSET);
            b.nxdomains = buf.getLong(p + NXDOMAINS_OFFSET);
            b.distinctNames = buf.getLong(p + DISTINCT_NAMES_OFFSET);
            b.remotePort = buf.getInt(p + REMOTE_PORT_OFFSET);
            int names = buf.getShort(p + NAME_COUNT_OFFSET) & 0xFFFF;
            int types = buf.getShort(p + QUERY_TYPE_COUNT_OFFSET) & 0xFFFF;
            buf.position(p + STRINGS_OFFSET);
            b.localIp = getString(buf);
            b.localMac = getString(buf);
            b.remoteIp = getString(buf);
            b.domain = getString(buf);
            List<String> ns = new ArrayList<>(Math.min(names, 64));
            for (int i = 0; i < names; i++) ns.add(getString(buf));
            if (ns.contains(null)) return null;
            b.names = ns;
            Map<String, Long> qt = new LinkedHashMap<>();
            for (int i = 0; i < types; i++) {
                String t = getString(buf);
                if (t == null) return null;
                qt.put(t, buf.getLong());
            }
            b.queryTypes = qt;
            if (buf.position() != p + len) return null;
            return b.build();
        } catch (RuntimeException e) { // BufferUnderflow, IndexOutOfBounds, bad UTF-8 lengths: a damaged record
            return null;
        }
    }

    private static void putString(ByteBuffer buf, String s) {
        if (s == null) {
            buf.putShort((short) NULL);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_STRING);
        buf.putShort((short) n);
        buf.put(b, 0, n);
    }

    private static String getString(ByteBuffer buf) {
        int n = buf.getShort() & 0xFFFF;
        if (n == NULL) return null;
        if (n > MAX_STRING || n > buf.remaining()) throw new IndexOutOfBoundsException("string length " + n);
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
