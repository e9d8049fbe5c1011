package io.netsensor.events.codec;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.Transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fixed binary layouts of the event records, as written to the journal. Little-endian, no allocation:
 * records are encoded at the buffer's position with absolute puts and decoded the same way into the
 * caller's reused {@link ConnEvent} / {@link DnsEvent}. Both calls set the buffer's order to little-endian.
 * Hand-written rather than a serialization library: the layout is the on-disk contract shared with
 * future readers (sinks, detectors, other languages), so every byte is spelled out here.
 *
 * <h2>Header (all records, 16 bytes)</h2>
 * <pre>
 *  off size field
 *    0   u8  layout version ({@link #LAYOUT_VERSION}; readers also accept version 1, see below)
 *    1   u8  type code ({@link EventType#code})
 *    2  u16  reserved, 0
 *    4  i32  record length in bytes, header included
 *    8  i64  event time, epoch ns (conn: endNanos, the last packet covered; dns: tsNanos), so readers
 *            can position by time or filter without decoding the body
 * </pre>
 *
 * <h2>CONN (type 1), fixed {@link #CONN_SIZE} = 208 bytes</h2>
 * <pre>
 *   16 i64 flowId        24 i64 startNanos    32 i64 endNanos
 *   40 i64 origIpHi      48 i64 origIpLo      56 i64 respIpHi      64 i64 respIpLo
 *   72 i64 origPkts      80 i64 origBytes     88 i64 origIpBytes
 *   96 i64 respPkts     104 i64 respBytes    112 i64 respIpBytes
 *  120 i64 origMac      128 i64 respMac
 *  136 u16 origPort     138 u16 respPort     140 u16 vlan         142 u16 innerVlan
 *  144  u8 phase (ordinal)      145 u8 endReason (ordinal)   146 u8 transport (IANA number)
 *  147  u8 direction (ordinal)  148 u8 state (ordinal)       149 u8 historyLen
 *  150 u16 reserved
 *  152 32 bytes history (ASCII, first historyLen significant, rest 0)
 *  184 i64 processEntityId      192 i64 processStartNanos
 *  200 i32 pid                  204 u8 attribution (ordinal)     205 3 bytes reserved, 0
 * </pre>
 *
 * <h2>DNS (type 2), 133 + qname + answers bytes, at most {@link #DNS_MAX_SIZE}</h2>
 * <pre>
 *   16 i64 tsNanos       24 i64 rttNanos
 *   32 i64 clientIpHi    40 i64 clientIpLo    48 i64 serverIpHi    56 i64 serverIpLo
 *   64 i64 clientMac
 *   72 u16 clientPort    74 u16 serverPort    76 u16 transId       78 u16 qtype
 *   80 u16 qclass        82 u16 vlan
 *   84 i32 rcode         88 i32 queryCount
 *   92 u16 ancount       94 u16 nscount       96 u16 arcount
 *   98  u8 opcode        99 u8 flags         100 u8 transport (IANA) 101 u8 direction (ordinal)
 *  102  u8 bits: 1 queried, 2 responded, 4 answersTruncated        103 u8 reserved
 *  104 i64 processEntityId      112 i64 processStartNanos
 *  120 i32 pid                  124 u8 attribution (ordinal)     125 3 bytes reserved, 0
 *  128 qname section:   u16 n, then n bytes of qname
 *   .. answers section: u16 m (bytes after the count byte), u8 count, then count entries of
 *                       u16 type, u16 class, u32 ttl, u8 encoding, u16 len, len bytes of data
 * </pre>
 *
 * <h2>PROCESS (type 4), 52 + strings bytes, at most {@link #PROCESS_MAX_SIZE}</h2>
 * Written once per process, before or near the first record that names it (header time: that record's).
 * <pre>
 *   16 i64 entityId      24 i64 startNanos
 *   32 i32 pid           36 i32 ppid          40 i32 uid (-1 unknown)
 *   44 u16 userLen       46 u8 nameLen        47 u8 reserved    48 u16 executableLen  50 u16 commandLineLen
 *   52 user, name, executable, commandLine bytes (UTF-8), back to back
 * </pre>
 *
 * <h2>Version 1</h2>
 * Version 1 (before process attribution) had CONN without bytes 184..207 (184 bytes) and DNS without
 * bytes 104..127 (qname section at 104). Readers decode both; version-1 records read as
 * {@link io.netsensor.events.Attribution#UNKNOWN}. Writers write version 2 only.
 *
 * Decoded answers are packed contiguously in {@code answerData} in order (as {@code addAnswer} does).
 * A record that fails validation makes decode return false and leaves the event partly overwritten.
 */
public final class EventCodec {
    public static final int LAYOUT_VERSION = 2;
    static final int V1 = 1;

    public static final int HEADER_SIZE = 16;
    static final int H_VERSION = 0, H_TYPE = 1, H_RESERVED = 2, H_LENGTH = 4, H_TIME = 8;

    public static final int CONN_SIZE = 208;
    static final int CONN_SIZE_V1 = 184;
    static final int DNS_QNAME_SECTION = 128;
    static final int DNS_QNAME_SECTION_V1 = 104;
    static final int ANSWER_ENTRY_FIXED = 11;
    public static final int DNS_MIN_SIZE = DNS_QNAME_SECTION + 2 + 3;
    static final int DNS_MIN_SIZE_V1 = DNS_QNAME_SECTION_V1 + 2 + 3;
    static final int PROCESS_FIXED = 52;
    public static final int PROCESS_MAX_SIZE = PROCESS_FIXED + ProcessEvent.MAX_USER + ProcessEvent.MAX_NAME
            + ProcessEvent.MAX_EXECUTABLE + ProcessEvent.MAX_COMMAND_LINE;
    public static final int DNS_MAX_SIZE = DNS_MIN_SIZE + DnsEvent.MAX_NAME
            + DnsEvent.MAX_ANSWERS * ANSWER_ENTRY_FIXED + DnsEvent.ANSWER_DATA_CAPACITY;
    /** Largest record this layout version produces: size buffers with it. */
    public static final int MAX_RECORD_SIZE = Math.max(Math.max(CONN_SIZE, DNS_MAX_SIZE), PROCESS_MAX_SIZE);

    private static final int BIT_QUERIED = 1, BIT_RESPONDED = 2, BIT_TRUNCATED = 4;
    private static final ConnEvent.Phase[] PHASES = ConnEvent.Phase.values();
    private static final ConnEvent.EndReason[] END_REASONS = ConnEvent.EndReason.values();
    private static final int DIRECTIONS = Direction.values().length;
    private static final int STATES = ConnState.values().length;

    private EventCodec() {}

    /** Type of the record at the buffer's position; UNKNOWN for unknown codes, versions or short input. */
    public static EventType peekType(ByteBuffer buf) {
        int p = buf.position();
        if (buf.remaining() < HEADER_SIZE) return EventType.UNKNOWN;
        int version = buf.get(p + H_VERSION) & 0xFF;
        EventType t = EventType.ofCode(buf.get(p + H_TYPE) & 0xFF);
        if (version == LAYOUT_VERSION) return t;
        return version == V1 && (t == EventType.CONN || t == EventType.DNS) ? t : EventType.UNKNOWN;
    }

    /** Raw type code of the record at the position (for counting unknown codes), -1 on short input. */
    public static int peekTypeCode(ByteBuffer buf) {
        return buf.remaining() < HEADER_SIZE ? -1 : buf.get(buf.position() + H_TYPE) & 0xFF;
    }

    /** Event time (epoch ns) from the header of the record at the position; caller checked the length. */
    public static long peekTime(ByteBuffer buf) {
        return buf.order(ByteOrder.LITTLE_ENDIAN).getLong(buf.position() + H_TIME);
    }

    /** Record length from the header of the record at the position. */
    public static int peekLength(ByteBuffer buf) {
        return buf.order(ByteOrder.LITTLE_ENDIAN).getInt(buf.position() + H_LENGTH);
    }

    /**
     * Encodes at the buffer's position and advances it.
     *
     * @return bytes written, or -1 (buffer unchanged) when it does not fit or the event is invalid
     */
    public static int encode(ConnEvent e, ByteBuffer buf) {
        if (buf.remaining() < CONN_SIZE || e.phase == null || e.endReason == null || e.transport == null
                || e.direction == null || e.state == null || e.attribution == null || e.historyLen < 0 || e.historyLen > ConnEvent.MAX_HISTORY) {
            return -1;
        }
        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        putHeader(buf, p, EventType.CONN, CONN_SIZE, e.endNanos);
        buf.putLong(p + 16, e.flowId);
        buf.putLong(p + 24, e.startNanos);
        buf.putLong(p + 32, e.endNanos);
        buf.putLong(p + 40, e.origIpHi);
        buf.putLong(p + 48, e.origIpLo);
        buf.putLong(p + 56, e.respIpHi);
        buf.putLong(p + 64, e.respIpLo);
        buf.putLong(p + 72, e.origPkts);
        buf.putLong(p + 80, e.origBytes);
        buf.putLong(p + 88, e.origIpBytes);
        buf.putLong(p + 96, e.respPkts);
        buf.putLong(p + 104, e.respBytes);
        buf.putLong(p + 112, e.respIpBytes);
        buf.putLong(p + 120, e.origMac);
        buf.putLong(p + 128, e.respMac);
        buf.putShort(p + 136, (short) e.origPort);
        buf.putShort(p + 138, (short) e.respPort);
        buf.putShort(p + 140, (short) e.vlan);
        buf.putShort(p + 142, (short) e.innerVlan);
        buf.put(p + 144, (byte) e.phase.ordinal());
        buf.put(p + 145, (byte) e.endReason.ordinal());
        buf.put(p + 146, (byte) e.transport.ianaNumber);
        buf.put(p + 147, (byte) e.direction.ordinal());
        buf.put(p + 148, (byte) e.state.ordinal());
        buf.put(p + 149, (byte) e.historyLen);
        buf.putShort(p + 150, (short) 0);
        buf.put(p + 152, e.history, 0, e.historyLen);
        for (int i = e.historyLen; i < ConnEvent.MAX_HISTORY; i++) buf.put(p + 152 + i, (byte) 0);
        putAttribution(buf, p + 184, e.processEntityId, e.processStartNanos, e.pid, e.attribution);
        buf.position(p + CONN_SIZE);
        return CONN_SIZE;
    }

    /**
     * Decodes the CONN record at the buffer's position into {@code e} and advances past it.
     *
     * @return false (position unchanged) when the record is not a valid CONN record of this version
     */
    public static boolean decode(ByteBuffer buf, ConnEvent e) {
        if (peekType(buf) != EventType.CONN) return false;
        int p = buf.position();
        boolean v1 = (buf.get(p + H_VERSION) & 0xFF) == V1;
        int size = v1 ? CONN_SIZE_V1 : CONN_SIZE;
        if (peekLength(buf) != size || buf.remaining() < size) return false;
        int phase = buf.get(p + 144) & 0xFF, reason = buf.get(p + 145) & 0xFF, dir = buf.get(p + 147) & 0xFF;
        int state = buf.get(p + 148) & 0xFF, historyLen = buf.get(p + 149) & 0xFF;
        Transport transport = Transport.ofIana(buf.get(p + 146) & 0xFF);
        if (phase >= PHASES.length || reason >= END_REASONS.length || dir >= DIRECTIONS || state >= STATES
                || transport == null || historyLen > ConnEvent.MAX_HISTORY) {
            return false;
        }
        e.flowId = buf.getLong(p + 16);
        e.startNanos = buf.getLong(p + 24);
        e.endNanos = buf.getLong(p + 32);
        e.origIpHi = buf.getLong(p + 40);
        e.origIpLo = buf.getLong(p + 48);
        e.respIpHi = buf.getLong(p + 56);
        e.respIpLo = buf.getLong(p + 64);
        e.origPkts = buf.getLong(p + 72);
        e.origBytes = buf.getLong(p + 80);
        e.origIpBytes = buf.getLong(p + 88);
        e.respPkts = buf.getLong(p + 96);
        e.respBytes = buf.getLong(p + 104);
        e.respIpBytes = buf.getLong(p + 112);
        e.origMac = buf.getLong(p + 120);
        e.respMac = buf.getLong(p + 128);
        e.origPort = buf.getShort(p + 136) & 0xFFFF;
        e.respPort = buf.getShort(p + 138) & 0xFFFF;
        e.vlan = buf.getShort(p + 140) & 0xFFFF;
        e.innerVlan = buf.getShort(p + 142) & 0xFFFF;
        e.phase = PHASES[phase];
        e.endReason = END_REASONS[reason];
        e.transport = transport;
        e.direction = Direction.ofCode(dir);
        e.state = ConnState.ofCode(state);
        e.historyLen = historyLen;
        buf.get(p + 152, e.history, 0, historyLen);
        if (v1) {
            e.processEntityId = e.processStartNanos = 0;
            e.pid = 0;
            e.attribution = Attribution.UNKNOWN;
        } else {
            e.processEntityId = buf.getLong(p + 184);
            e.processStartNanos = buf.getLong(p + 192);
            e.pid = buf.getInt(p + 200);
            e.attribution = Attribution.ofCode(buf.get(p + 204) & 0xFF);
        }
        buf.position(p + size);
        return true;
    }

    /** Encoded size of a DNS event, or -1 when its lengths are out of range. */
    public static int encodedSize(DnsEvent e) {
        if (e.qnameLen < 0 || e.qnameLen > DnsEvent.MAX_NAME || e.answerCount < 0 || e.answerCount > DnsEvent.MAX_ANSWERS) {
            return -1;
        }
        int size = DNS_MIN_SIZE + e.qnameLen;
        for (int i = 0; i < e.answerCount; i++) {
            int off = e.answerOffset[i], len = e.answerLength[i];
            if (off < 0 || len < 0 || len > 0xFFFF || off + len > DnsEvent.ANSWER_DATA_CAPACITY) return -1;
            size += ANSWER_ENTRY_FIXED + len;
        }
        return size;
    }

    /**
     * Encodes at the buffer's position and advances it.
     *
     * @return bytes written, or -1 (buffer unchanged) when it does not fit or the event is invalid
     */
    public static int encode(DnsEvent e, ByteBuffer buf) {
        int size = encodedSize(e);
        if (size < 0 || buf.remaining() < size || e.transport == null || e.direction == null || e.attribution == null) {
            return -1;
        }
        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        putHeader(buf, p, EventType.DNS, size, e.tsNanos);
        buf.putLong(p + 16, e.tsNanos);
        buf.putLong(p + 24, e.rttNanos);
        buf.putLong(p + 32, e.clientIpHi);
        buf.putLong(p + 40, e.clientIpLo);
        buf.putLong(p + 48, e.serverIpHi);
        buf.putLong(p + 56, e.serverIpLo);
        buf.putLong(p + 64, e.clientMac);
        buf.putShort(p + 72, (short) e.clientPort);
        buf.putShort(p + 74, (short) e.serverPort);
        buf.putShort(p + 76, (short) e.transId);
        buf.putShort(p + 78, (short) e.qtype);
        buf.putShort(p + 80, (short) e.qclass);
        buf.putShort(p + 82, (short) e.vlan);
        buf.putInt(p + 84, e.rcode);
        buf.putInt(p + 88, e.queryCount);
        buf.putShort(p + 92, (short) e.ancount);
        buf.putShort(p + 94, (short) e.nscount);
        buf.putShort(p + 96, (short) e.arcount);
        buf.put(p + 98, (byte) e.opcode);
        buf.put(p + 99, (byte) e.flags);
        buf.put(p + 100, (byte) e.transport.ianaNumber);
        buf.put(p + 101, (byte) e.direction.ordinal());
        buf.put(p + 102, (byte) ((e.queried ? BIT_QUERIED : 0) | (e.responded ? BIT_RESPONDED : 0)
                | (e.answersTruncated ? BIT_TRUNCATED : 0)));
        buf.put(p + 103, (byte) 0);
        putAttribution(buf, p + 104, e.processEntityId, e.processStartNanos, e.pid, e.attribution);
        int q = p + DNS_QNAME_SECTION;
        buf.putShort(q, (short) e.qnameLen);
        buf.put(q + 2, e.qname, 0, e.qnameLen);
        int a = q + 2 + e.qnameLen;
        buf.putShort(a, (short) (p + size - a - 3));
        buf.put(a + 2, (byte) e.answerCount);
        int w = a + 3;
        for (int i = 0; i < e.answerCount; i++) {
            int len = e.answerLength[i];
            buf.putShort(w, (short) e.answerType[i]);
            buf.putShort(w + 2, (short) e.answerClass[i]);
            buf.putInt(w + 4, (int) e.answerTtl[i]);
            buf.put(w + 8, e.answerEncoding[i]);
            buf.putShort(w + 9, (short) len);
            buf.put(w + ANSWER_ENTRY_FIXED, e.answerData, e.answerOffset[i], len);
            w += ANSWER_ENTRY_FIXED + len;
        }
        buf.position(p + size);
        return size;
    }

    /**
     * Decodes the DNS record at the buffer's position into {@code e} and advances past it.
     *
     * @return false (position unchanged) when the record is not a valid DNS record of this version
     */
    public static boolean decode(ByteBuffer buf, DnsEvent e) {
        if (peekType(buf) != EventType.DNS) return false;
        int size = peekLength(buf);
        int p = buf.position(), end = p + size;
        boolean v1 = (buf.get(p + H_VERSION) & 0xFF) == V1;
        if (size < (v1 ? DNS_MIN_SIZE_V1 : DNS_MIN_SIZE) || size > DNS_MAX_SIZE || size > buf.remaining()) return false;
        Transport transport = Transport.ofIana(buf.get(p + 100) & 0xFF);
        int dir = buf.get(p + 101) & 0xFF;
        int q = p + (v1 ? DNS_QNAME_SECTION_V1 : DNS_QNAME_SECTION);
        int qnameLen = buf.getShort(q) & 0xFFFF;
        int a = q + 2 + qnameLen;
        if (transport == null || dir >= DIRECTIONS || qnameLen > DnsEvent.MAX_NAME || a + 3 > end
                || a + 3 + (buf.getShort(a) & 0xFFFF) != end) {
            return false;
        }
        int count = buf.get(a + 2) & 0xFF;
        if (count > DnsEvent.MAX_ANSWERS) return false;
        e.answerCount = 0;
        e.answerDataLen = 0;
        int r = a + 3;
        for (int i = 0; i < count; i++) {
            if (r + ANSWER_ENTRY_FIXED > end) return false;
            int len = buf.getShort(r + 9) & 0xFFFF;
            if (r + ANSWER_ENTRY_FIXED + len > end || e.answerDataLen + len > DnsEvent.ANSWER_DATA_CAPACITY) return false;
            e.answerType[i] = buf.getShort(r) & 0xFFFF;
            e.answerClass[i] = buf.getShort(r + 2) & 0xFFFF;
            e.answerTtl[i] = buf.getInt(r + 4) & 0xFFFF_FFFFL;
            e.answerEncoding[i] = buf.get(r + 8);
            e.answerOffset[i] = e.answerDataLen;
            e.answerLength[i] = len;
            buf.get(r + ANSWER_ENTRY_FIXED, e.answerData, e.answerDataLen, len);
            e.answerDataLen += len;
            r += ANSWER_ENTRY_FIXED + len;
        }
        if (r != end) return false;
        e.answerCount = count;
        e.tsNanos = buf.getLong(p + 16);
        e.rttNanos = buf.getLong(p + 24);
        e.clientIpHi = buf.getLong(p + 32);
        e.clientIpLo = buf.getLong(p + 40);
        e.serverIpHi = buf.getLong(p + 48);
        e.serverIpLo = buf.getLong(p + 56);
        e.clientMac = buf.getLong(p + 64);
        e.clientPort = buf.getShort(p + 72) & 0xFFFF;
        e.serverPort = buf.getShort(p + 74) & 0xFFFF;
        e.transId = buf.getShort(p + 76) & 0xFFFF;
        e.qtype = buf.getShort(p + 78) & 0xFFFF;
        e.qclass = buf.getShort(p + 80) & 0xFFFF;
        e.vlan = buf.getShort(p + 82) & 0xFFFF;
        e.rcode = buf.getInt(p + 84);
        e.queryCount = buf.getInt(p + 88);
        e.ancount = buf.getShort(p + 92) & 0xFFFF;
        e.nscount = buf.getShort(p + 94) & 0xFFFF;
        e.arcount = buf.getShort(p + 96) & 0xFFFF;
        e.opcode = buf.get(p + 98) & 0xFF;
        e.flags = buf.get(p + 99) & 0xFF;
        e.transport = transport;
        e.direction = Direction.ofCode(dir);
        int bits = buf.get(p + 102);
        e.queried = (bits & BIT_QUERIED) != 0;
        e.responded = (bits & BIT_RESPONDED) != 0;
        e.answersTruncated = (bits & BIT_TRUNCATED) != 0;
        e.qnameLen = qnameLen;
        buf.get(q + 2, e.qname, 0, qnameLen);
        if (v1) {
            e.processEntityId = e.processStartNanos = 0;
            e.pid = 0;
            e.attribution = Attribution.UNKNOWN;
        } else {
            e.processEntityId = buf.getLong(p + 104);
            e.processStartNanos = buf.getLong(p + 112);
            e.pid = buf.getInt(p + 120);
            e.attribution = Attribution.ofCode(buf.get(p + 124) & 0xFF);
        }
        buf.position(end);
        return true;
    }

    /** Encoded size of a PROCESS event, or -1 when its lengths are out of range. */
    public static int encodedSize(ProcessEvent e) {
        if (e.userLen < 0 || e.userLen > ProcessEvent.MAX_USER || e.nameLen < 0 || e.nameLen > ProcessEvent.MAX_NAME
                || e.executableLen < 0 || e.executableLen > ProcessEvent.MAX_EXECUTABLE
                || e.commandLineLen < 0 || e.commandLineLen > ProcessEvent.MAX_COMMAND_LINE) {
            return -1;
        }
        return PROCESS_FIXED + e.userLen + e.nameLen + e.executableLen + e.commandLineLen;
    }

    /**
     * Encodes at the buffer's position and advances it.
     *
     * @return bytes written, or -1 (buffer unchanged) when it does not fit or the event is invalid
     */
    public static int encode(ProcessEvent e, ByteBuffer buf) {
        int size = encodedSize(e);
        if (size < 0 || buf.remaining() < size) return -1;
        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        putHeader(buf, p, EventType.PROCESS, size, e.tsNanos);
        buf.putLong(p + 16, e.entityId);
        buf.putLong(p + 24, e.startNanos);
        buf.putInt(p + 32, e.pid);
        buf.putInt(p + 36, e.ppid);
        buf.putInt(p + 40, e.uid);
        buf.putShort(p + 44, (short) e.userLen);
        buf.put(p + 46, (byte) e.nameLen);
        buf.put(p + 47, (byte) 0);
        buf.putShort(p + 48, (short) e.executableLen);
        buf.putShort(p + 50, (short) e.commandLineLen);
        int w = p + PROCESS_FIXED;
        buf.put(w, e.user, 0, e.userLen);
        w += e.userLen;
        buf.put(w, e.name, 0, e.nameLen);
        w += e.nameLen;
        buf.put(w, e.executable, 0, e.executableLen);
        w += e.executableLen;
        buf.put(w, e.commandLine, 0, e.commandLineLen);
        buf.position(p + size);
        return size;
    }

    /**
     * Decodes the PROCESS record at the buffer's position into {@code e} and advances past it.
     *
     * @return false (position unchanged) when the record is not a valid PROCESS record of this version
     */
    public static boolean decode(ByteBuffer buf, ProcessEvent e) {
        if (peekType(buf) != EventType.PROCESS) return false;
        int size = peekLength(buf);
        int p = buf.position();
        if (size < PROCESS_FIXED || size > PROCESS_MAX_SIZE || size > buf.remaining()) return false;
        int userLen = buf.getShort(p + 44) & 0xFFFF, nameLen = buf.get(p + 46) & 0xFF;
        int exeLen = buf.getShort(p + 48) & 0xFFFF, cmdLen = buf.getShort(p + 50) & 0xFFFF;
        if (userLen > ProcessEvent.MAX_USER || nameLen > ProcessEvent.MAX_NAME || exeLen > ProcessEvent.MAX_EXECUTABLE
                || cmdLen > ProcessEvent.MAX_COMMAND_LINE || PROCESS_FIXED + userLen + nameLen + exeLen + cmdLen != size) {
            return false;
        }
        e.tsNanos = buf.getLong(p + H_TIME);
        e.entityId = buf.getLong(p + 16);
        e.startNanos = buf.getLong(p + 24);
        e.pid = buf.getInt(p + 32);
        e.ppid = buf.getInt(p + 36);
        e.uid = buf.getInt(p + 40);
        int r = p + PROCESS_FIXED;
        buf.get(r, e.user, 0, userLen);
        e.userLen = userLen;
        r += userLen;
        buf.get(r, e.name, 0, nameLen);
        e.nameLen = nameLen;
        r += nameLen;
        buf.get(r, e.executable, 0, exeLen);
        e.executableLen = exeLen;
        r += exeLen;
        buf.get(r, e.commandLine, 0, cmdLen);
        e.commandLineLen = cmdLen;
        buf.position(p + size);
        return true;
    }

    private static void putAttribution(ByteBuffer buf, int at, long entityId, long startNanos, int pid, Attribution a) {
        buf.putLong(at, entityId);
        buf.putLong(at + 8, startNanos);
        buf.putInt(at + 16, pid);
        buf.put(at + 20, (byte) a.ordinal());
        buf.put(at + 21, (byte) 0);
        buf.putShort(at + 22, (short) 0);
    }

    static void putHeader(ByteBuffer buf, int p, EventType type, int length, long timeNanos) {
        buf.put(p + H_VERSION, (byte) LAYOUT_VERSION);
        buf.put(p + H_TYPE, (byte) type.code);
        buf.putShort(p + H_RESERVED, (short) 0);
        buf.putInt(p + H_LENGTH, length);
        buf.putLong(p + H_TIME, timeNanos);
    }
}
