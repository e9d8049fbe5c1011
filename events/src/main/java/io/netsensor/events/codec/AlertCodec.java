package io.netsensor.events.codec;

import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.Severity;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary layout of ALERT records, in the style of {@link EventCodec} (little-endian, absolute offsets,
 * same header). Alerts are rare, so unlike the event records encoding and decoding allocate: decode
 * returns a new immutable {@link Alert}.
 *
 * <h2>ALERT (type 3), {@link #ALERT_STRINGS_OFFSET} + strings + evidence bytes, at most {@link #MAX_SIZE}</h2>
 * Header as every record: version {@link EventCodec#LAYOUT_VERSION}, type 3, length, event time = lastSeenNanos.
 * <pre>
 *   16  u8 severity (code)   17  u8 detector (code)   18  u8 flags   19 u8 reserved, 0
 *   20 u16 strings offset (88, or 168 with the container part; a reader skips fixed bytes it does not know up to it)
 *   22 u16 reserved, 0
 *   24 f64 score
 *   32 i64 firstSeenNanos    40 i64 lastSeenNanos     48 i64 count
 *   56 i32 remotePort (-1 = none)                     60 i32 process pid
 *   64 i64 process entityId  72 i64 process startNanos
 *   80 i32 process ppid      84 i32 process uid
 *  container part, only when the process has a cgroup id or container id (strings offset 168; readers
 *  before it skip it, readers after it read an alert with strings offset 88 as having neither):
 *   88 i64 process cgroupId  96 u8 process containerIdLen (0: none)   97 7 bytes reserved, 0
 *  104 64 bytes process containerId (ASCII, the first containerIdLen significant, the rest 0)
 *   .. (strings offset) nine strings, each u16 n then n bytes of UTF-8, n = 0xFFFF for null (no bytes follow; distinct
 *      from n = 0, the empty string): id, hostIp, hostMac, remoteIp, summary, process name,
 *      process executable, process commandLine, process user
 *   .. evidence: one MAP value in the tagged encoding below; it ends the record
 * </pre>
 * Flags: {@link #FLAG_PROCESS} 1 = the alert names a process (when clear, the process numbers are 0,
 * its strings null and the alert's process is null); {@link #FLAG_EVIDENCE_CUT} 2 and
 * {@link #FLAG_STRINGS_CUT} 4 = cut to fit, see below. Readers ignore flags they do not know.
 *
 * <h2>Evidence values</h2>
 * A u8 tag, then:
 * <pre>
 *    0 NULL   1 FALSE   2 TRUE             (nothing)
 *    3 INT    i32       4 LONG    i64      5 DOUBLE  f64 (IEEE 754 bits, NaN and infinities kept)
 *    6 STRING u16 n, n bytes UTF-8
 *    7 LIST   u16 count, count values
 *    8 MAP    u16 count, count entries of (u16 n, n bytes UTF-8 key, value), in iteration order
 *    9 INT_ARRAY  u16 count, count i32    10 LONG_ARRAY u16 count, count i64
 *   11 DOUBLE_ARRAY u16 count, count f64
 * </pre>
 * Containers nest at most {@link #MAX_DEPTH} deep (the evidence map is depth 1). Java values map the way
 * {@code format.AlertJson} reads them, so a decoded alert renders identically: Integer INT; Long and other
 * integral numbers LONG (their longValue); Double and Float DOUBLE; Boolean; Map MAP (keys by
 * String.valueOf); any other Collection LIST; int[], long[], double[] their arrays; anything else STRING
 * of String.valueOf. Decoded as Integer, Long, Double, Boolean, String, unmodifiable List and Map
 * (insertion-ordered) and fresh arrays.
 *
 * <h2>Size bound</h2>
 * An alert is never refused for its size; it is cut, deterministically:
 * <ol>
 *   <li>If the strings would leave less than {@link #EVIDENCE_ROOM} bytes for the evidence, every
 *       string longer than {@link #STRING_CUT} bytes is cut to that (at a character boundary) and
 *       {@link #FLAG_STRINGS_CUT} is set.</li>
 *   <li>If the evidence does not fit in the rest, it is encoded again with each list, array and map cut
 *       to its first 1024, 256, 64, 16, 4, 1, then 0 entries and each string value cut to 1024, 256, 64,
 *       32, 16, 16, then 0 bytes, until it fits (the last step, an empty map, always fits). A container
 *       deeper than MAX_DEPTH is written as NULL. Either way {@link #FLAG_EVIDENCE_CUT} is set and the
 *       evidence map ends with the entry {@value #EVIDENCE_CUT_KEY}: true, so people reading the alert
 *       see it too. (A marker inside the cut list would break consumers that expect, say, only numbers
 *       in a histogram.)</li>
 * </ol>
 *
 * <p>decode validates everything against the record length and returns null, never throws, on damaged
 * input: a reader must skip (and count) a bad record, not stop on it.
 */
public final class AlertCodec {
    /** Largest ALERT record: size buffers with it. */
    public static final int MAX_SIZE = 65_536;

    public static final int ALERT_SEVERITY_OFFSET = 16;
    public static final int ALERT_DETECTOR_OFFSET = 17;
    public static final int ALERT_FLAGS_OFFSET = 18;
    public static final int ALERT_RESERVED_OFFSET = 19;
    public static final int ALERT_STRINGS_OFFSET_OFFSET = 20;
    public static final int ALERT_RESERVED2_OFFSET = 22;
    public static final int ALERT_SCORE_OFFSET = 24;
    public static final int ALERT_FIRST_SEEN_OFFSET = 32;
    public static final int ALERT_LAST_SEEN_OFFSET = 40;
    public static final int ALERT_COUNT_OFFSET = 48;
    public static final int ALERT_REMOTE_PORT_OFFSET = 56;
    public static final int ALERT_PROCESS_PID_OFFSET = 60;
    public static final int ALERT_PROCESS_ENTITY_ID_OFFSET = 64;
    public static final int ALERT_PROCESS_START_NANOS_OFFSET = 72;
    public static final int ALERT_PROCESS_PPID_OFFSET = 80;
    public static final int ALERT_PROCESS_UID_OFFSET = 84;
    /** Where this writer puts the strings (the end of the fixed part) when the alert has no container part. */
    public static final int ALERT_STRINGS_OFFSET = 88;
    public static final int ALERT_PROCESS_CGROUP_ID_OFFSET = 88;
    public static final int ALERT_PROCESS_CONTAINER_ID_LEN_OFFSET = 96;
    public static final int ALERT_PROCESS_CONTAINER_ID_OFFSET = 104;
    /** Where the strings are when the alert has the container part. */
    public static final int ALERT_STRINGS_OFFSET_WITH_CONTAINER = ALERT_PROCESS_CONTAINER_ID_OFFSET + ProcessEvent.MAX_CONTAINER_ID;

    public static final int FLAG_PROCESS = 1, FLAG_EVIDENCE_CUT = 2, FLAG_STRINGS_CUT = 4;
    public static final int NULL_STRING = 0xFFFF;
    public static final int NO_PORT = -1;
    public static final int STRING_COUNT = 9;

    public static final int TAG_NULL = 0, TAG_FALSE = 1, TAG_TRUE = 2, TAG_INT = 3, TAG_LONG = 4, TAG_DOUBLE = 5,
            TAG_STRING = 6, TAG_LIST = 7, TAG_MAP = 8, TAG_INT_ARRAY = 9, TAG_LONG_ARRAY = 10, TAG_DOUBLE_ARRAY = 11;
    public static final int MAX_DEPTH = 16;

    /** Evidence room below which long strings are cut. */
    public static final int EVIDENCE_ROOM = 16_384;
    /** What a string longer than this is cut to when strings are cut. */
    public static final int STRING_CUT = 4096;
    public static final String EVIDENCE_CUT_KEY = "_truncated";

    private static final int[] LEVEL_ENTRIES = {Integer.MAX_VALUE, 1024, 256, 64, 16, 4, 1, 0};
    private static final int[] LEVEL_STRING_BYTES = {Integer.MAX_VALUE, 1024, 256, 64, 32, 16, 16, 0};
    private static final byte[] CUT_KEY = EVIDENCE_CUT_KEY.getBytes(StandardCharsets.UTF_8);
    /** The marker entry: key then TRUE. */
    private static final int MARKER_SIZE = 2 + CUT_KEY.length + 1;
    private static final int MIN_SIZE = ALERT_STRINGS_OFFSET + STRING_COUNT * 2 + 3;

    private AlertCodec() {}

    // ------------------------------------------------------------------ encode

    /**
     * Encodes at the buffer's position and advances it; the record is at most {@link #MAX_SIZE} bytes.
     *
     * @return bytes written, or -1 (buffer unchanged) when it does not fit or the alert has no detector
     *         or severity
     */
    public static int encode(Alert a, ByteBuffer buf) {
        if (a == null || a.detector == null || a.severity == null) return -1;
        ProcessInfo pr = a.process;
        byte[][] s = {
            utf8(a.id), utf8(a.hostIp), utf8(a.hostMac), utf8(a.remoteIp), utf8(a.summary),
            pr == null ? null : utf8(pr.name), pr == null ? null : utf8(pr.executable),
            pr == null ? null : utf8(pr.commandLine), pr == null ? null : utf8(pr.user)
        };
        int flags = pr != null ? FLAG_PROCESS : 0;
        boolean container = pr != null && (pr.cgroupId != 0 || pr.containerId != null);
        byte[] containerId = container ? cut(utf8(pr.containerId), ProcessEvent.MAX_CONTAINER_ID) : null;
        int stringsAt = container ? ALERT_STRINGS_OFFSET_WITH_CONTAINER : ALERT_STRINGS_OFFSET;
        int strings = stringsSize(s);
        if (stringsAt + strings + EVIDENCE_ROOM > MAX_SIZE) {
            for (int i = 0; i < s.length; i++) s[i] = cut(s[i], STRING_CUT);
            flags |= FLAG_STRINGS_CUT;
            strings = stringsSize(s);
        }
        int room = MAX_SIZE - stringsAt - strings;
        Evidence ev = evidence(a.evidence, room);
        if (ev.cut) flags |= FLAG_EVIDENCE_CUT;
        int size = stringsAt + strings + ev.length;
        if (buf.remaining() < size) return -1;

        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        EventCodec.putHeader(buf, p, EventType.ALERT, size, a.lastSeenNanos);
        buf.put(p + ALERT_SEVERITY_OFFSET, (byte) a.severity.code);
        buf.put(p + ALERT_DETECTOR_OFFSET, (byte) a.detector.code);
        buf.put(p + ALERT_FLAGS_OFFSET, (byte) flags);
        buf.put(p + ALERT_RESERVED_OFFSET, (byte) 0);
        buf.putShort(p + ALERT_STRINGS_OFFSET_OFFSET, (short) stringsAt);
        buf.putShort(p + ALERT_RESERVED2_OFFSET, (short) 0);
        buf.putDouble(p + ALERT_SCORE_OFFSET, a.score);
        buf.putLong(p + ALERT_FIRST_SEEN_OFFSET, a.firstSeenNanos);
        buf.putLong(p + ALERT_LAST_SEEN_OFFSET, a.lastSeenNanos);
        buf.putLong(p + ALERT_COUNT_OFFSET, a.count);
        buf.putInt(p + ALERT_REMOTE_PORT_OFFSET, a.remotePort == null ? NO_PORT : a.remotePort);
        buf.putInt(p + ALERT_PROCESS_PID_OFFSET, pr == null ? 0 : pr.pid);
        buf.putLong(p + ALERT_PROCESS_ENTITY_ID_OFFSET, pr == null ? 0 : pr.entityId);
        buf.putLong(p + ALERT_PROCESS_START_NANOS_OFFSET, pr == null ? 0 : pr.startNanos);
        buf.putInt(p + ALERT_PROCESS_PPID_OFFSET, pr == null ? 0 : pr.ppid);
        buf.putInt(p + ALERT_PROCESS_UID_OFFSET, pr == null ? 0 : pr.uid);
        if (container) {
            buf.putLong(p + ALERT_PROCESS_CGROUP_ID_OFFSET, pr.cgroupId);
            int n = containerId == null ? 0 : containerId.length;
            buf.put(p + ALERT_PROCESS_CONTAINER_ID_LEN_OFFSET, (byte) n);
            for (int i = ALERT_PROCESS_CONTAINER_ID_LEN_OFFSET + 1; i < ALERT_STRINGS_OFFSET_WITH_CONTAINER; i++) buf.put(p + i, (byte) 0);
            if (n > 0) buf.put(p + ALERT_PROCESS_CONTAINER_ID_OFFSET, containerId);
        }
        int w = p + stringsAt;
        for (byte[] b : s) {
            if (b == null) {
                buf.putShort(w, (short) NULL_STRING);
                w += 2;
            } else {
                buf.putShort(w, (short) b.length);
                buf.put(w + 2, b);
                w += 2 + b.length;
            }
        }
        buf.put(w, ev.bytes, 0, ev.length);
        buf.position(p + size);
        return size;
    }

    private static int stringsSize(byte[][] s) {
        int n = 0;
        for (byte[] b : s) n += 2 + (b == null ? 0 : b.length);
        return n;
    }

    /** UTF-8 of a string, of at most MAX_SIZE characters' worth (more could never fit uncut). */
    private static byte[] utf8(String s) {
        if (s == null) return null;
        if (s.length() > MAX_SIZE) s = prefix(s, MAX_SIZE);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The first n chars, not ending inside a surrogate pair. */
    private static String prefix(String s, int n) {
        if (n > 0 && Character.isHighSurrogate(s.charAt(n - 1))) n--;
        return s.substring(0, n);
    }

    /** The bytes cut to at most max, at a character boundary (never inside a UTF-8 sequence). */
    private static byte[] cut(byte[] b, int max) {
        if (b == null || b.length <= max) return b;
        int n = max;
        while (n > 0 && (b[n] & 0xC0) == 0x80) n--;
        byte[] r = new byte[n];
        System.arraycopy(b, 0, r, 0, n);
        return r;
    }

    private static final class Evidence {
        final byte[] bytes;
        final int length;
        final boolean cut;

        Evidence(byte[] bytes, int length, boolean cut) {
            this.bytes = bytes;
            this.length = length;
            this.cut = cut;
        }
    }

    private static Evidence evidence(Map<String, Object> evidence, int room) {
        byte[] scratch = new byte[room];
        for (int level = 0; ; level++) {
            ByteBuffer out = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
            out.limit(room - MARKER_SIZE);
            EvidenceWriter w = new EvidenceWriter(out, LEVEL_ENTRIES[level], LEVEL_STRING_BYTES[level], level > 0);
            try {
                w.topLevel(evidence);
                return new Evidence(scratch, out.position(), w.cut);
            } catch (RuntimeException tooBigOrBadValue) {
                // Did not fit (BufferOverflowException), or an evidence value failed while being read (its
                // toString or iterator threw): try the next, smaller level. The last level reads no value
                // at all, so it always succeeds and the alert is journaled whatever its evidence holds.
                if (level == LEVEL_ENTRIES.length - 1) throw tooBigOrBadValue; // cannot happen: 16 bytes fit
            }
        }
    }

    private static final class EvidenceWriter {
        private final ByteBuffer out;
        private final int maxEntries, maxStringBytes;
        private final boolean cutting;
        boolean cut;

        EvidenceWriter(ByteBuffer out, int maxEntries, int maxStringBytes, boolean cutting) {
            this.out = out;
            this.maxEntries = maxEntries;
            this.maxStringBytes = maxStringBytes;
            this.cutting = cutting;
            // A later level is only tried when the whole evidence did not fit (or failed to read): what it
            // writes is cut even where no single list happens to reach its limit.
            this.cut = cutting;
        }

        void topLevel(Map<String, Object> evidence) {
            out.put((byte) TAG_MAP);
            int countAt = out.position();
            out.putShort((short) 0);
            int n = entries(evidence, 1);
            if (cut) {
                out.limit(out.capacity());
                out.putShort((short) CUT_KEY.length).put(CUT_KEY).put((byte) TAG_TRUE);
                n++;
            }
            out.putShort(countAt, (short) count(n));
        }

        private int entries(Map<?, ?> m, int depth) {
            int n = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (n == maxEntries) {
                    cut = true;
                    break;
                }
                string(String.valueOf(e.getKey()), Math.max(maxStringBytes, 64));
                value(e.getValue(), depth + 1);
                n++;
            }
            return n;
        }

        /** Writes a value at the given depth (containers deeper than MAX_DEPTH become NULL). */
        private void value(Object v, int depth) {
            boolean container = v instanceof Map || v instanceof Collection || v instanceof long[] || v instanceof int[]
                    || v instanceof double[];
            if (v == null || (container && depth > MAX_DEPTH)) {
                if (v != null) cut = true;
                out.put((byte) TAG_NULL);
            } else if (v instanceof Map) {
                out.put((byte) TAG_MAP);
                int countAt = out.position();
                out.putShort((short) 0);
                out.putShort(countAt, (short) count(entries((Map<?, ?>) v, depth)));
            } else if (v instanceof Collection) {
                out.put((byte) TAG_LIST);
                int countAt = out.position();
                out.putShort((short) 0);
                int n = 0;
                for (Object o : (Collection<?>) v) {
                    if (n == maxEntries) {
                        cut = true;
                        break;
                    }
                    value(o, depth + 1);
                    n++;
                }
                out.putShort(countAt, (short) count(n));
            } else if (v instanceof long[]) {
                long[] a = (long[]) v;
                int n = arrayHeader(TAG_LONG_ARRAY, a.length);
                for (int i = 0; i < n; i++) out.putLong(a[i]);
            } else if (v instanceof int[]) {
                int[] a = (int[]) v;
                int n = arrayHeader(TAG_INT_ARRAY, a.length);
                for (int i = 0; i < n; i++) out.putInt(a[i]);
            } else if (v instanceof double[]) {
                double[] a = (double[]) v;
                int n = arrayHeader(TAG_DOUBLE_ARRAY, a.length);
                for (int i = 0; i < n; i++) out.putDouble(a[i]);
            } else if (v instanceof Double || v instanceof Float) {
                out.put((byte) TAG_DOUBLE).putDouble(((Number) v).doubleValue());
            } else if (v instanceof Integer) {
                out.put((byte) TAG_INT).putInt((Integer) v);
            } else if (v instanceof Number) {
                out.put((byte) TAG_LONG).putLong(((Number) v).longValue());
            } else if (v instanceof Boolean) {
                out.put((byte) ((Boolean) v ? TAG_TRUE : TAG_FALSE));
            } else {
                out.put((byte) TAG_STRING);
                string(String.valueOf(v), maxStringBytes);
            }
        }

        private int arrayHeader(int tag, int length) {
            int n = Math.min(length, maxEntries);
            if (n < length) cut = true;
            out.put((byte) tag).putShort((short) count(n));
            return n;
        }

        /** u16 length and UTF-8 bytes; cut to max bytes when cutting, else it must fit whole. */
        private void string(String s, int max) {
            int limit = cutting ? max : out.remaining() - 2;
            if (s.length() > limit) {
                if (!cutting) throw new BufferOverflowException(); // at least one byte per char: cannot fit
                s = prefix(s, limit);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > limit) {
                if (!cutting) throw new BufferOverflowException();
                b = AlertCodec.cut(b, limit);
            }
            out.putShort((short) count(b.length)).put(b);
        }

        private static int count(int n) {
            if (n > 0xFFFE) throw new BufferOverflowException(); // more than a u16 count (cannot fit anyway)
            return n;
        }
    }

    // ------------------------------------------------------------------ decode

    /** Thrown (preallocated, no stack trace) inside decoding on the first inconsistency; never escapes. */
    private static final class Damaged extends RuntimeException {
        Damaged() {
            super("damaged ALERT record", null, false, false);
        }
    }

    private static final Damaged DAMAGED = new Damaged();

    /**
     * Decodes the ALERT record at the buffer's position (header included) and advances past it.
     *
     * @return the alert, or null (position unchanged) when the record fails validation
     */
    public static Alert decode(ByteBuffer buf) {
        try {
            return decodeStrict(buf);
        } catch (RuntimeException bug) {
            // Validation is explicit, so this is a bug, not bad input; still, a record that cannot be
            // decoded must be skipped and counted by the reader, never stop it (the reader redelivers a
            // document whose handling threw, so throwing here would wedge it on this record forever).
            return null;
        }
    }

    /** decode without the safety net, so tests see any exception that is not a validation failure. */
    static Alert decodeStrict(ByteBuffer buf) {
        if (EventCodec.peekType(buf) != EventType.ALERT) return null;
        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        int size = EventCodec.peekLength(buf);
        if (size < MIN_SIZE || size > MAX_SIZE || size > buf.remaining()) return null;
        try {
            Alert a = read(buf, p, p + size);
            buf.position(p + size);
            return a;
        } catch (Damaged d) {
            return null;
        }
    }

    private static Alert read(ByteBuffer buf, int p, int end) {
        Severity severity = Severity.ofCode(buf.get(p + ALERT_SEVERITY_OFFSET) & 0xFF);
        DetectorKind detector = DetectorKind.ofCode(buf.get(p + ALERT_DETECTOR_OFFSET) & 0xFF);
        int flags = buf.get(p + ALERT_FLAGS_OFFSET) & 0xFF;
        int stringsAt = buf.getShort(p + ALERT_STRINGS_OFFSET_OFFSET) & 0xFFFF;
        long lastSeen = buf.getLong(p + ALERT_LAST_SEEN_OFFSET);
        if (severity == null || detector == null || stringsAt < ALERT_STRINGS_OFFSET || p + stringsAt > end
                || lastSeen != buf.getLong(p + EventCodec.HEADER_TIME_OFFSET)) {
            throw DAMAGED;
        }
        Reader r = new Reader(buf, p + stringsAt, end);
        String[] s = new String[STRING_COUNT];
        for (int i = 0; i < STRING_COUNT; i++) s[i] = r.nullableString();
        boolean hasProcess = (flags & FLAG_PROCESS) != 0;
        if (!hasProcess && (s[5] != null || s[6] != null || s[7] != null || s[8] != null)) throw DAMAGED;
        if (r.u8() != TAG_MAP) throw DAMAGED;
        Map<String, Object> evidence = r.mapBody(1);
        if (r.pos != end) throw DAMAGED;

        Alert.Draft d = new Alert.Draft();
        d.severity = severity;
        d.detector = detector;
        d.score = buf.getDouble(p + ALERT_SCORE_OFFSET);
        d.firstSeenNanos = buf.getLong(p + ALERT_FIRST_SEEN_OFFSET);
        d.lastSeenNanos = lastSeen;
        d.count = buf.getLong(p + ALERT_COUNT_OFFSET);
        int port = buf.getInt(p + ALERT_REMOTE_PORT_OFFSET);
        d.remotePort = port == NO_PORT ? null : port;
        d.id = s[0];
        d.hostIp = s[1];
        d.hostMac = s[2];
        d.remoteIp = s[3];
        d.summary = s[4];
        if (hasProcess) {
            String containerId = null;
            long cgroupId = 0;
            if (stringsAt >= ALERT_STRINGS_OFFSET_WITH_CONTAINER) {
                cgroupId = buf.getLong(p + ALERT_PROCESS_CGROUP_ID_OFFSET);
                int n = buf.get(p + ALERT_PROCESS_CONTAINER_ID_LEN_OFFSET) & 0xFF;
                if (n > ProcessEvent.MAX_CONTAINER_ID) throw DAMAGED;
                if (n > 0) {
                    byte[] b = new byte[n];
                    buf.get(p + ALERT_PROCESS_CONTAINER_ID_OFFSET, b);
                    containerId = new String(b, StandardCharsets.UTF_8);
                }
            }
            d.process = new ProcessInfo(buf.getLong(p + ALERT_PROCESS_ENTITY_ID_OFFSET), buf.getInt(p + ALERT_PROCESS_PID_OFFSET),
                    buf.getInt(p + ALERT_PROCESS_PPID_OFFSET), buf.getInt(p + ALERT_PROCESS_UID_OFFSET),
                    buf.getLong(p + ALERT_PROCESS_START_NANOS_OFFSET), s[5], s[6], s[7], s[8], containerId, cgroupId);
        }
        d.evidence.putAll(evidence);
        return d.build();
    }

    /** Bounds-checked sequential reads within [pos, end) of the record. */
    private static final class Reader {
        private final ByteBuffer buf;
        private final int end;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int pos;

        Reader(ByteBuffer buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        private int take(int n) {
            if (n < 0 || n > end - pos) throw DAMAGED;
            int at = pos;
            pos += n;
            return at;
        }

        int u8() {
            return buf.get(take(1)) & 0xFF;
        }

        int u16() {
            return buf.getShort(take(2)) & 0xFFFF;
        }

        String nullableString() {
            int n = u16();
            return n == NULL_STRING ? null : utf8(n);
        }

        private String utf8(int n) {
            int at = take(n);
            ByteBuffer slice = buf.duplicate();
            slice.limit(at + n).position(at);
            try {
                return utf8.reset().decode(slice).toString();
            } catch (CharacterCodingException malformed) {
                throw DAMAGED;
            }
        }

        /** A count of items of at least minBytes each, checked against what is left. */
        private int count(int minBytes) {
            int n = u16();
            if ((long) n * minBytes > end - pos) throw DAMAGED;
            return n;
        }

        Object value(int depth) {
            int tag = u8();
            switch (tag) {
                case TAG_NULL: return null;
                case TAG_FALSE: return Boolean.FALSE;
                case TAG_TRUE: return Boolean.TRUE;
                case TAG_INT: return buf.getInt(take(4));
                case TAG_LONG: return buf.getLong(take(8));
                case TAG_DOUBLE: return buf.getDouble(take(8));
                case TAG_STRING: return utf8(u16());
                case TAG_LIST: {
                    if (depth > MAX_DEPTH) throw DAMAGED;
                    int n = count(1);
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) list.add(value(depth + 1));
                    return Collections.unmodifiableList(list);
                }
                case TAG_MAP: {
                    if (depth > MAX_DEPTH) throw DAMAGED;
                    return Collections.unmodifiableMap(mapBody(depth));
                }
                case TAG_INT_ARRAY: {
                    if (depth > MAX_DEPTH) throw DAMAGED;
                    int[] a = new int[count(4)];
                    for (int i = 0; i < a.length; i++) a[i] = buf.getInt(take(4));
                    return a;
                }
                case TAG_LONG_ARRAY: {
                    if (depth > MAX_DEPTH) throw DAMAGED;
                    long[] a = new long[count(8)];
                    for (int i = 0; i < a.length; i++) a[i] = buf.getLong(take(8));
                    return a;
                }
                case TAG_DOUBLE_ARRAY: {
                    if (depth > MAX_DEPTH) throw DAMAGED;
                    double[] a = new double[count(8)];
                    for (int i = 0; i < a.length; i++) a[i] = buf.getDouble(take(8));
                    return a;
                }
                default:
                    throw DAMAGED;
            }
        }

        /** The entries of a MAP whose tag was read; a repeated key keeps its first place and last value. */
        Map<String, Object> mapBody(int depth) {
            int n = count(3);
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = utf8(u16());
                m.put(key, value(depth + 1));
            }
            return m;
        }
    }
}
