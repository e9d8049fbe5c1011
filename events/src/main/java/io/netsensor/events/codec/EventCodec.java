package io.netsensor.events.codec;

import io.netsensor.events.Attribution;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnNames;
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
 *    0   u8  layout version ({@link #LAYOUT_VERSION}; 3 for PROCESS records with a container section;
 *            readers also accept version 1, see below)
 *    1   u8  type code ({@link EventType#code})
 *    2  u16  reserved, 0
 *    4  i32  record length in bytes, header included
 *    8  i64  event time, epoch ns (conn: endNanos, the last packet covered; dns: tsNanos; process: the
 *            record that names it; alert: lastSeenNanos), so readers can position by time or filter
 *            without decoding the body
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
 *  144  u8 phase (code)         145 u8 endReason (code)      146 u8 transport (IANA number)
 *  147  u8 direction (code)     148 u8 state (code)          149 u8 historyLen
 *  150 u16 reserved
 *  152 32 bytes history (ASCII, first historyLen significant, rest 0)
 *  184 i64 processEntityId      192 i64 processStartNanos
 *  200 i32 pid                  204 u8 attribution (code)        205 3 bytes reserved, 0
 *  version 3 only, the names section ({@link io.netsensor.events.ConnNames}) right after byte 208:
 *  208 u8 dnsNameLen  209 u8 sniLen  210 u8 httpHostLen  211 u8 userAgentLen
 *  212 dnsName, sni, httpHost, userAgent bytes (UTF-8), back to back
 * </pre>
 * A CONN record is written as version 3 exactly when the connection has a name (so records without one are
 * byte for byte what version 2 wrote); readers accept both. A reader older than version 3 skips a version-3
 * CONN record as a record of unknown type from a newer writer.
 *
 * <h2>BURST (type 7), {@link #BURST_FIXED_SIZE} = 164 + names bytes</h2>
 * A request/response exchange inside a connection ({@link io.netsensor.events.BurstEvent}); header time: endNanos.
 * <pre>
 *   16 i64 flowId        24 i64 startNanos    32 i64 endNanos      40 i64 flowStartNanos
 *   48 i64 origIpHi      56 i64 origIpLo      64 i64 respIpHi      72 i64 respIpLo
 *   80 i64 origMac       88 i64 respMac       96 i64 gapNanos (-1: first burst)
 *  104 i32 origBytes    108 i32 respBytes    112 i32 origPkts     116 i32 respPkts    120 i32 index
 *  124 u16 origPort     126 u16 respPort     128 u16 vlan         130 u16 innerVlan
 *  132  u8 transport (IANA)  133 u8 direction (code)  134 u8 flags (1 first in flow, 2 flow start seen)  135 u8 reserved
 *  136 attribution section (24 bytes, as CONN's)
 *  160 names section, as CONN version 3's (4 length bytes, then the names)
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
 *   98  u8 opcode        99 u8 flags         100 u8 transport (IANA) 101 u8 direction (code)
 *  102  u8 bits: 1 queried, 2 responded, 4 answersTruncated        103 u8 reserved
 *  104 i64 processEntityId      112 i64 processStartNanos
 *  120 i32 pid                  124 u8 attribution (code)     125 3 bytes reserved, 0
 *  128 qname section:   u16 n, then n bytes of qname
 *   .. answers section: u16 m (bytes after the count byte), u8 count, then count entries of
 *                       u16 type, u16 class, u32 ttl, u8 encoding, u16 len, len bytes of data
 * </pre>
 *
 * <h2>PROCESS (type 4), 52 + strings bytes (version 2), + 9 + container id bytes (version 3), at most {@link #PROCESS_MAX_SIZE}</h2>
 * Written once per process, before or near the first record that names it (header time: that record's).
 * <pre>
 *   16 i64 entityId      24 i64 startNanos
 *   32 i32 pid           36 i32 ppid          40 i32 uid (-1 unknown)
 *   44 u16 userLen       46 u8 nameLen        47 u8 reserved    48 u16 executableLen  50 u16 commandLineLen
 *   52 user, name, executable, commandLine bytes (UTF-8), back to back
 *  version 3 only, the container section right after the strings (at c = 52 + the four lengths):
 *  c+0 i64 cgroupId (cgroup v2 id, 0 unknown)   c+8 u8 containerIdLen (0: none)   c+9 containerId bytes (ASCII)
 *  bytes after the container section, up to the record length, are skipped (room for later fields)
 * </pre>
 * A PROCESS record is written as version 3 exactly when its process has a cgroup id or a container id
 * (kernel attribution knows both; the user-space resolver neither), else as version 2, byte for byte as
 * before version 3 existed. Readers accept both. A reader older than version 3 counts a version-3 record
 * as a record of unknown type from a newer writer and skips it (the records naming that process then show
 * its pid and entity id only); CONN, DNS and the other types stay version 2.
 *
 * <h2>Version 1</h2>
 * Version 1 (before process attribution) had CONN without bytes 184..207 (184 bytes) and DNS without
 * bytes 104..127 (qname section at 104). Readers decode both; version-1 records read as
 * {@link io.netsensor.events.Attribution#UNKNOWN}. Writers write version 2 only.
 *
 * <h2>ALERT (type 3)</h2>
 * See {@link AlertCodec}.
 *
 * <h2>Offsets and codes</h2>
 * Every offset above is a named constant ({@code CONN_FLOW_ID_OFFSET}, {@code DNS_QNAME_SECTION_OFFSET},
 * {@code HEADER_TIME_OFFSET}, ...) that encode and decode use, so this table, the constants and the code
 * cannot drift apart silently. Enums are written as their explicit {@code code} (ConnEvent.Phase,
 * ConnEvent.EndReason, Direction, ConnState, Attribution), never their ordinal: reordering a declaration
 * does not change the bytes. A phase, end reason, direction, state or transport code this build does
 * not know fails validation (the reader counts the record as damaged); an unknown attribution code reads
 * as UNKNOWN, since the record is still good and only its process lookup outcome is unknown.
 *
 * Decoded answers are packed contiguously in {@code answerData} in order (as {@code addAnswer} does).
 * A record that fails validation makes decode return false and leaves the event partly overwritten.
 */
public final class EventCodec {
    public static final int LAYOUT_VERSION = 2;
    static final int V1 = 1;
    /** PROCESS records with a container section; every other type is {@link #LAYOUT_VERSION}. */
    public static final int PROCESS_CONTAINER_VERSION = 3;
    /** CONN records with a names section; the same number as PROCESS's container version. */
    public static final int CONN_NAMES_VERSION = 3;

    // ---- header, all records ----
    public static final int HEADER_VERSION_OFFSET = 0;
    public static final int HEADER_TYPE_OFFSET = 1;
    public static final int HEADER_RESERVED_OFFSET = 2;
    public static final int HEADER_LENGTH_OFFSET = 4;
    public static final int HEADER_TIME_OFFSET = 8;
    public static final int HEADER_SIZE = 16;
    /** Short names the tests use. */
    static final int H_VERSION = HEADER_VERSION_OFFSET, H_TYPE = HEADER_TYPE_OFFSET, H_RESERVED = HEADER_RESERVED_OFFSET,
            H_LENGTH = HEADER_LENGTH_OFFSET, H_TIME = HEADER_TIME_OFFSET;

    // ---- attribution section (24 bytes; CONN at 184, DNS at 104), offsets within it ----
    public static final int ATTRIBUTION_ENTITY_ID_OFFSET = 0;
    public static final int ATTRIBUTION_START_NANOS_OFFSET = 8;
    public static final int ATTRIBUTION_PID_OFFSET = 16;
    public static final int ATTRIBUTION_CODE_OFFSET = 20;
    public static final int ATTRIBUTION_RESERVED_OFFSET = 21;
    public static final int ATTRIBUTION_SECTION_SIZE = 24;

    // ---- CONN ----
    public static final int CONN_FLOW_ID_OFFSET = 16;
    public static final int CONN_START_NANOS_OFFSET = 24;
    public static final int CONN_END_NANOS_OFFSET = 32;
    public static final int CONN_ORIG_IP_HI_OFFSET = 40;
    public static final int CONN_ORIG_IP_LO_OFFSET = 48;
    public static final int CONN_RESP_IP_HI_OFFSET = 56;
    public static final int CONN_RESP_IP_LO_OFFSET = 64;
    public static final int CONN_ORIG_PKTS_OFFSET = 72;
    public static final int CONN_ORIG_BYTES_OFFSET = 80;
    public static final int CONN_ORIG_IP_BYTES_OFFSET = 88;
    public static final int CONN_RESP_PKTS_OFFSET = 96;
    public static final int CONN_RESP_BYTES_OFFSET = 104;
    public static final int CONN_RESP_IP_BYTES_OFFSET = 112;
    public static final int CONN_ORIG_MAC_OFFSET = 120;
    public static final int CONN_RESP_MAC_OFFSET = 128;
    public static final int CONN_ORIG_PORT_OFFSET = 136;
    public static final int CONN_RESP_PORT_OFFSET = 138;
    public static final int CONN_VLAN_OFFSET = 140;
    public static final int CONN_INNER_VLAN_OFFSET = 142;
    public static final int CONN_PHASE_OFFSET = 144;
    public static final int CONN_END_REASON_OFFSET = 145;
    public static final int CONN_TRANSPORT_OFFSET = 146;
    public static final int CONN_DIRECTION_OFFSET = 147;
    public static final int CONN_STATE_OFFSET = 148;
    public static final int CONN_HISTORY_LEN_OFFSET = 149;
    public static final int CONN_RESERVED_OFFSET = 150;
    public static final int CONN_HISTORY_OFFSET = 152;
    /** Version 2 only; a version-1 record ends here. */
    public static final int CONN_ATTRIBUTION_SECTION_OFFSET = CONN_HISTORY_OFFSET + ConnEvent.MAX_HISTORY;
    public static final int CONN_PROCESS_ENTITY_ID_OFFSET = CONN_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_ENTITY_ID_OFFSET;
    public static final int CONN_PROCESS_START_NANOS_OFFSET = CONN_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_START_NANOS_OFFSET;
    public static final int CONN_PID_OFFSET = CONN_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_PID_OFFSET;
    public static final int CONN_ATTRIBUTION_OFFSET = CONN_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_CODE_OFFSET;
    public static final int CONN_SIZE = CONN_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_SECTION_SIZE;
    static final int CONN_SIZE_V1 = CONN_ATTRIBUTION_SECTION_OFFSET;
    /** Version 3: the names section, 4 length bytes (ConnNames order) then the bytes. */
    public static final int CONN_NAMES_SECTION_OFFSET = CONN_SIZE;
    public static final int NAMES_LENGTHS_SIZE = ConnNames.COUNT;
    static final int NAMES_MAX_SIZE = NAMES_LENGTHS_SIZE + ConnNames.COUNT * ConnNames.MAX;
    public static final int CONN_MAX_SIZE = CONN_NAMES_SECTION_OFFSET + NAMES_MAX_SIZE;

    // ---- BURST ----
    public static final int BURST_FLOW_ID_OFFSET = 16;
    public static final int BURST_START_NANOS_OFFSET = 24;
    public static final int BURST_END_NANOS_OFFSET = 32;
    public static final int BURST_FLOW_START_NANOS_OFFSET = 40;
    public static final int BURST_ORIG_IP_HI_OFFSET = 48;
    public static final int BURST_ORIG_IP_LO_OFFSET = 56;
    public static final int BURST_RESP_IP_HI_OFFSET = 64;
    public static final int BURST_RESP_IP_LO_OFFSET = 72;
    public static final int BURST_ORIG_MAC_OFFSET = 80;
    public static final int BURST_RESP_MAC_OFFSET = 88;
    public static final int BURST_GAP_NANOS_OFFSET = 96;
    public static final int BURST_ORIG_BYTES_OFFSET = 104;
    public static final int BURST_RESP_BYTES_OFFSET = 108;
    public static final int BURST_ORIG_PKTS_OFFSET = 112;
    public static final int BURST_RESP_PKTS_OFFSET = 116;
    public static final int BURST_INDEX_OFFSET = 120;
    public static final int BURST_ORIG_PORT_OFFSET = 124;
    public static final int BURST_RESP_PORT_OFFSET = 126;
    public static final int BURST_VLAN_OFFSET = 128;
    public static final int BURST_INNER_VLAN_OFFSET = 130;
    public static final int BURST_TRANSPORT_OFFSET = 132;
    public static final int BURST_DIRECTION_OFFSET = 133;
    public static final int BURST_FLAGS_OFFSET = 134;
    public static final int BURST_RESERVED_OFFSET = 135;
    public static final int BURST_ATTRIBUTION_SECTION_OFFSET = 136;
    public static final int BURST_NAMES_SECTION_OFFSET = BURST_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_SECTION_SIZE;
    public static final int BURST_FIXED_SIZE = BURST_NAMES_SECTION_OFFSET + NAMES_LENGTHS_SIZE;
    public static final int BURST_MAX_SIZE = BURST_NAMES_SECTION_OFFSET + NAMES_MAX_SIZE;

    // ---- DNS ----
    public static final int DNS_TS_NANOS_OFFSET = 16;
    public static final int DNS_RTT_NANOS_OFFSET = 24;
    public static final int DNS_CLIENT_IP_HI_OFFSET = 32;
    public static final int DNS_CLIENT_IP_LO_OFFSET = 40;
    public static final int DNS_SERVER_IP_HI_OFFSET = 48;
    public static final int DNS_SERVER_IP_LO_OFFSET = 56;
    public static final int DNS_CLIENT_MAC_OFFSET = 64;
    public static final int DNS_CLIENT_PORT_OFFSET = 72;
    public static final int DNS_SERVER_PORT_OFFSET = 74;
    public static final int DNS_TRANS_ID_OFFSET = 76;
    public static final int DNS_QTYPE_OFFSET = 78;
    public static final int DNS_QCLASS_OFFSET = 80;
    public static final int DNS_VLAN_OFFSET = 82;
    public static final int DNS_RCODE_OFFSET = 84;
    public static final int DNS_QUERY_COUNT_OFFSET = 88;
    public static final int DNS_ANCOUNT_OFFSET = 92;
    public static final int DNS_NSCOUNT_OFFSET = 94;
    public static final int DNS_ARCOUNT_OFFSET = 96;
    public static final int DNS_OPCODE_OFFSET = 98;
    public static final int DNS_FLAGS_OFFSET = 99;
    public static final int DNS_TRANSPORT_OFFSET = 100;
    public static final int DNS_DIRECTION_OFFSET = 101;
    public static final int DNS_BITS_OFFSET = 102;
    public static final int DNS_RESERVED_OFFSET = 103;
    /** Version 2 only; in version 1 the qname section starts here. */
    public static final int DNS_ATTRIBUTION_SECTION_OFFSET = 104;
    public static final int DNS_PROCESS_ENTITY_ID_OFFSET = DNS_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_ENTITY_ID_OFFSET;
    public static final int DNS_PROCESS_START_NANOS_OFFSET = DNS_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_START_NANOS_OFFSET;
    public static final int DNS_PID_OFFSET = DNS_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_PID_OFFSET;
    public static final int DNS_ATTRIBUTION_OFFSET = DNS_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_CODE_OFFSET;
    public static final int DNS_QNAME_SECTION_OFFSET = DNS_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_SECTION_SIZE;
    static final int DNS_QNAME_SECTION = DNS_QNAME_SECTION_OFFSET;
    static final int DNS_QNAME_SECTION_V1 = DNS_ATTRIBUTION_SECTION_OFFSET;
    /** Within the qname section: u16 length, then the bytes. */
    public static final int QNAME_LENGTH_OFFSET = 0, QNAME_BYTES_OFFSET = 2;
    /** Within the answers section (right after the qname bytes): u16 bytes after the count byte, u8 count, entries. */
    public static final int ANSWERS_LENGTH_OFFSET = 0, ANSWERS_COUNT_OFFSET = 2, ANSWERS_ENTRIES_OFFSET = 3;
    /** Within an answer entry. */
    public static final int ANSWER_TYPE_OFFSET = 0, ANSWER_CLASS_OFFSET = 2, ANSWER_TTL_OFFSET = 4,
            ANSWER_ENCODING_OFFSET = 8, ANSWER_LENGTH_OFFSET = 9, ANSWER_DATA_OFFSET = 11;
    static final int ANSWER_ENTRY_FIXED = ANSWER_DATA_OFFSET;
    public static final int DNS_MIN_SIZE = DNS_QNAME_SECTION_OFFSET + QNAME_BYTES_OFFSET + ANSWERS_ENTRIES_OFFSET;
    static final int DNS_MIN_SIZE_V1 = DNS_QNAME_SECTION_V1 + QNAME_BYTES_OFFSET + ANSWERS_ENTRIES_OFFSET;
    public static final int DNS_MAX_SIZE = DNS_MIN_SIZE + DnsEvent.MAX_NAME
            + DnsEvent.MAX_ANSWERS * ANSWER_ENTRY_FIXED + DnsEvent.ANSWER_DATA_CAPACITY;
    /** Bits of the byte at {@link #DNS_BITS_OFFSET}. */
    public static final int DNS_BIT_QUERIED = 1, DNS_BIT_RESPONDED = 2, DNS_BIT_ANSWERS_TRUNCATED = 4;

    // ---- PROCESS ----
    public static final int PROCESS_ENTITY_ID_OFFSET = 16;
    public static final int PROCESS_START_NANOS_OFFSET = 24;
    public static final int PROCESS_PID_OFFSET = 32;
    public static final int PROCESS_PPID_OFFSET = 36;
    public static final int PROCESS_UID_OFFSET = 40;
    public static final int PROCESS_USER_LEN_OFFSET = 44;
    public static final int PROCESS_NAME_LEN_OFFSET = 46;
    public static final int PROCESS_RESERVED_OFFSET = 47;
    public static final int PROCESS_EXECUTABLE_LEN_OFFSET = 48;
    public static final int PROCESS_COMMAND_LINE_LEN_OFFSET = 50;
    /** user, name, executable, commandLine bytes, back to back. */
    public static final int PROCESS_STRINGS_OFFSET = 52;
    static final int PROCESS_FIXED = PROCESS_STRINGS_OFFSET;
    /** Version 3: within the container section, which starts right after the strings. */
    public static final int CONTAINER_CGROUP_ID_OFFSET = 0, CONTAINER_ID_LEN_OFFSET = 8, CONTAINER_ID_OFFSET = 9;
    static final int CONTAINER_SECTION_FIXED = CONTAINER_ID_OFFSET;
    public static final int PROCESS_MAX_SIZE = PROCESS_FIXED + ProcessEvent.MAX_USER + ProcessEvent.MAX_NAME
            + ProcessEvent.MAX_EXECUTABLE + ProcessEvent.MAX_COMMAND_LINE + CONTAINER_SECTION_FIXED + ProcessEvent.MAX_CONTAINER_ID;

    /** Largest record this layout version produces: size buffers with it. */
    public static final int MAX_RECORD_SIZE = Math.max(Math.max(Math.max(CONN_MAX_SIZE, DNS_MAX_SIZE), PROCESS_MAX_SIZE), BURST_MAX_SIZE);

    private EventCodec() {}

    /** Type of the record at the buffer's position; UNKNOWN for unknown codes, versions or short input. */
    public static EventType peekType(ByteBuffer buf) {
        int p = buf.position();
        if (buf.remaining() < HEADER_SIZE) return EventType.UNKNOWN;
        int version = buf.get(p + HEADER_VERSION_OFFSET) & 0xFF;
        EventType t = EventType.ofCode(buf.get(p + HEADER_TYPE_OFFSET) & 0xFF);
        if (version == LAYOUT_VERSION) return t;
        if (version == PROCESS_CONTAINER_VERSION) return t == EventType.PROCESS || t == EventType.CONN ? t : EventType.UNKNOWN;
        return version == V1 && (t == EventType.CONN || t == EventType.DNS) ? t : EventType.UNKNOWN;
    }

    /** Raw type code of the record at the position (for counting unknown codes), -1 on short input. */
    public static int peekTypeCode(ByteBuffer buf) {
        return buf.remaining() < HEADER_SIZE ? -1 : buf.get(buf.position() + HEADER_TYPE_OFFSET) & 0xFF;
    }

    /** Event time (epoch ns) from the header of the record at the position; caller checked the length. */
    public static long peekTime(ByteBuffer buf) {
        return buf.order(ByteOrder.LITTLE_ENDIAN).getLong(buf.position() + HEADER_TIME_OFFSET);
    }

    /** Record length from the header of the record at the position. */
    public static int peekLength(ByteBuffer buf) {
        return buf.order(ByteOrder.LITTLE_ENDIAN).getInt(buf.position() + HEADER_LENGTH_OFFSET);
    }

    /**
     * Encodes at the buffer's position and advances it.
     *
     * @return bytes written, or -1 (buffer unchanged) when it does not fit or the event is invalid
     */
    public static int encode(ConnEvent e, ByteBuffer buf) {
        boolean named = !e.names.isEmpty();
        int size = named ? CONN_NAMES_SECTION_OFFSET + namesSize(e.names) : CONN_SIZE;
        if (buf.remaining() < size || e.phase == null || e.endReason == null || e.transport == null
                || e.direction == null || e.state == null || e.attribution == null || e.historyLen < 0 || e.historyLen > ConnEvent.MAX_HISTORY) {
            return -1;
        }
        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        putHeader(buf, p, named ? CONN_NAMES_VERSION : LAYOUT_VERSION, EventType.CONN, size, e.endNanos);
        buf.putLong(p + CONN_FLOW_ID_OFFSET, e.flowId);
        buf.putLong(p + CONN_START_NANOS_OFFSET, e.startNanos);
        buf.putLong(p + CONN_END_NANOS_OFFSET, e.endNanos);
        buf.putLong(p + CONN_ORIG_IP_HI_OFFSET, e.origIpHi);
        buf.putLong(p + CONN_ORIG_IP_LO_OFFSET, e.origIpLo);
        buf.putLong(p + CONN_RESP_IP_HI_OFFSET, e.respIpHi);
        buf.putLong(p + CONN_RESP_IP_LO_OFFSET, e.respIpLo);
        buf.putLong(p + CONN_ORIG_PKTS_OFFSET, e.origPkts);
        buf.putLong(p + CONN_ORIG_BYTES_OFFSET, e.origBytes);
        buf.putLong(p + CONN_ORIG_IP_BYTES_OFFSET, e.origIpBytes);
        buf.putLong(p + CONN_RESP_PKTS_OFFSET, e.respPkts);
        buf.putLong(p + CONN_RESP_BYTES_OFFSET, e.respBytes);
        buf.putLong(p + CONN_RESP_IP_BYTES_OFFSET, e.respIpBytes);
        buf.putLong(p + CONN_ORIG_MAC_OFFSET, e.origMac);
        buf.putLong(p + CONN_RESP_MAC_OFFSET, e.respMac);
        buf.putShort(p + CONN_ORIG_PORT_OFFSET, (short) e.origPort);
        buf.putShort(p + CONN_RESP_PORT_OFFSET, (short) e.respPort);
        buf.putShort(p + CONN_VLAN_OFFSET, (short) e.vlan);
        buf.putShort(p + CONN_INNER_VLAN_OFFSET, (short) e.innerVlan);
        buf.put(p + CONN_PHASE_OFFSET, (byte) e.phase.code);
        buf.put(p + CONN_END_REASON_OFFSET, (byte) e.endReason.code);
        buf.put(p + CONN_TRANSPORT_OFFSET, (byte) e.transport.ianaNumber);
        buf.put(p + CONN_DIRECTION_OFFSET, (byte) e.direction.code);
        buf.put(p + CONN_STATE_OFFSET, (byte) e.state.code);
        buf.put(p + CONN_HISTORY_LEN_OFFSET, (byte) e.historyLen);
        buf.putShort(p + CONN_RESERVED_OFFSET, (short) 0);
        buf.put(p + CONN_HISTORY_OFFSET, e.history, 0, e.historyLen);
        for (int i = e.historyLen; i < ConnEvent.MAX_HISTORY; i++) buf.put(p + CONN_HISTORY_OFFSET + i, (byte) 0);
        putAttribution(buf, p + CONN_ATTRIBUTION_SECTION_OFFSET, e.processEntityId, e.processStartNanos, e.pid, e.attribution);
        if (named) putNames(buf, p + CONN_NAMES_SECTION_OFFSET, e.names);
        buf.position(p + size);
        return size;
    }

    /**
     * Decodes the CONN record at the buffer's position into {@code e} and advances past it.
     *
     * @return false (position unchanged) when the record is not a valid CONN record of this version
     */
    public static boolean decode(ByteBuffer buf, ConnEvent e) {
        if (peekType(buf) != EventType.CONN) return false;
        int p = buf.position();
        int version = buf.get(p + HEADER_VERSION_OFFSET) & 0xFF;
        boolean v1 = version == V1, named = version == CONN_NAMES_VERSION;
        int size = v1 ? CONN_SIZE_V1 : CONN_SIZE;
        if (named) {
            if (buf.remaining() < CONN_NAMES_SECTION_OFFSET + NAMES_LENGTHS_SIZE) return false;
            size = CONN_NAMES_SECTION_OFFSET + namesSize(buf, p + CONN_NAMES_SECTION_OFFSET);
        }
        if (peekLength(buf) != size || buf.remaining() < size) return false;
        ConnEvent.Phase phase = ConnEvent.Phase.ofCode(buf.get(p + CONN_PHASE_OFFSET) & 0xFF);
        ConnEvent.EndReason reason = ConnEvent.EndReason.ofCode(buf.get(p + CONN_END_REASON_OFFSET) & 0xFF);
        Direction dir = Direction.ofCode(buf.get(p + CONN_DIRECTION_OFFSET) & 0xFF);
        ConnState state = ConnState.ofCode(buf.get(p + CONN_STATE_OFFSET) & 0xFF);
        int historyLen = buf.get(p + CONN_HISTORY_LEN_OFFSET) & 0xFF;
        Transport transport = Transport.ofIana(buf.get(p + CONN_TRANSPORT_OFFSET) & 0xFF);
        if (phase == null || reason == null || dir == null || state == null || transport == null
                || historyLen > ConnEvent.MAX_HISTORY) {
            return false;
        }
        e.flowId = buf.getLong(p + CONN_FLOW_ID_OFFSET);
        e.startNanos = buf.getLong(p + CONN_START_NANOS_OFFSET);
        e.endNanos = buf.getLong(p + CONN_END_NANOS_OFFSET);
        e.origIpHi = buf.getLong(p + CONN_ORIG_IP_HI_OFFSET);
        e.origIpLo = buf.getLong(p + CONN_ORIG_IP_LO_OFFSET);
        e.respIpHi = buf.getLong(p + CONN_RESP_IP_HI_OFFSET);
        e.respIpLo = buf.getLong(p + CONN_RESP_IP_LO_OFFSET);
        e.origPkts = buf.getLong(p + CONN_ORIG_PKTS_OFFSET);
        e.origBytes = buf.getLong(p + CONN_ORIG_BYTES_OFFSET);
        e.origIpBytes = buf.getLong(p + CONN_ORIG_IP_BYTES_OFFSET);
        e.respPkts = buf.getLong(p + CONN_RESP_PKTS_OFFSET);
        e.respBytes = buf.getLong(p + CONN_RESP_BYTES_OFFSET);
        e.respIpBytes = buf.getLong(p + CONN_RESP_IP_BYTES_OFFSET);
        e.origMac = buf.getLong(p + CONN_ORIG_MAC_OFFSET);
        e.respMac = buf.getLong(p + CONN_RESP_MAC_OFFSET);
        e.origPort = buf.getShort(p + CONN_ORIG_PORT_OFFSET) & 0xFFFF;
        e.respPort = buf.getShort(p + CONN_RESP_PORT_OFFSET) & 0xFFFF;
        e.vlan = buf.getShort(p + CONN_VLAN_OFFSET) & 0xFFFF;
        e.innerVlan = buf.getShort(p + CONN_INNER_VLAN_OFFSET) & 0xFFFF;
        e.phase = phase;
        e.endReason = reason;
        e.transport = transport;
        e.direction = dir;
        e.state = state;
        e.historyLen = historyLen;
        buf.get(p + CONN_HISTORY_OFFSET, e.history, 0, historyLen);
        if (v1) {
            e.processEntityId = e.processStartNanos = 0;
            e.pid = 0;
            e.attribution = Attribution.UNKNOWN;
        } else {
            e.processEntityId = buf.getLong(p + CONN_PROCESS_ENTITY_ID_OFFSET);
            e.processStartNanos = buf.getLong(p + CONN_PROCESS_START_NANOS_OFFSET);
            e.pid = buf.getInt(p + CONN_PID_OFFSET);
            e.attribution = attribution(buf.get(p + CONN_ATTRIBUTION_OFFSET) & 0xFF);
        }
        if (named) getNames(buf, p + CONN_NAMES_SECTION_OFFSET, e.names); else e.names.clear();
        buf.position(p + size);
        return true;
    }

    /** Encoded size of a BURST event. */
    public static int encodedSize(BurstEvent e) {
        return BURST_NAMES_SECTION_OFFSET + namesSize(e.names);
    }

    /**
     * Encodes at the buffer's position and advances it.
     *
     * @return bytes written, or -1 (buffer unchanged) when it does not fit or the event is invalid
     */
    public static int encode(BurstEvent e, ByteBuffer buf) {
        int size = encodedSize(e);
        if (buf.remaining() < size || e.transport == null || e.direction == null || e.attribution == null) return -1;
        int p = buf.position();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        putHeader(buf, p, EventType.BURST, size, e.endNanos);
        buf.putLong(p + BURST_FLOW_ID_OFFSET, e.flowId);
        buf.putLong(p + BURST_START_NANOS_OFFSET, e.startNanos);
        buf.putLong(p + BURST_END_NANOS_OFFSET, e.endNanos);
        buf.putLong(p + BURST_FLOW_START_NANOS_OFFSET, e.flowStartNanos);
        buf.putLong(p + BURST_ORIG_IP_HI_OFFSET, e.origIpHi);
        buf.putLong(p + BURST_ORIG_IP_LO_OFFSET, e.origIpLo);
        buf.putLong(p + BURST_RESP_IP_HI_OFFSET, e.respIpHi);
        buf.putLong(p + BURST_RESP_IP_LO_OFFSET, e.respIpLo);
        buf.putLong(p + BURST_ORIG_MAC_OFFSET, e.origMac);
        buf.putLong(p + BURST_RESP_MAC_OFFSET, e.respMac);
        buf.putLong(p + BURST_GAP_NANOS_OFFSET, e.gapNanos);
        buf.putInt(p + BURST_ORIG_BYTES_OFFSET, e.origBytes);
        buf.putInt(p + BURST_RESP_BYTES_OFFSET, e.respBytes);
        buf.putInt(p + BURST_ORIG_PKTS_OFFSET, e.origPkts);
        buf.putInt(p + BURST_RESP_PKTS_OFFSET, e.respPkts);
        buf.putInt(p + BURST_INDEX_OFFSET, e.index);
        buf.putShort(p + BURST_ORIG_PORT_OFFSET, (short) e.origPort);
        buf.putShort(p + BURST_RESP_PORT_OFFSET, (short) e.respPort);
        buf.putShort(p + BURST_VLAN_OFFSET, (short) e.vlan);
        buf.putShort(p + BURST_INNER_VLAN_OFFSET, (short) e.innerVlan);
        buf.put(p + BURST_TRANSPORT_OFFSET, (byte) e.transport.ianaNumber);
        buf.put(p + BURST_DIRECTION_OFFSET, (byte) e.direction.code);
        buf.put(p + BURST_FLAGS_OFFSET, (byte) e.flags);
        buf.put(p + BURST_RESERVED_OFFSET, (byte) 0);
        putAttribution(buf, p + BURST_ATTRIBUTION_SECTION_OFFSET, e.processEntityId, e.processStartNanos, e.pid, e.attribution);
        putNames(buf, p + BURST_NAMES_SECTION_OFFSET, e.names);
        buf.position(p + size);
        return size;
    }

    /**
     * Decodes the BURST record at the buffer's position into {@code e} and advances past it.
     *
     * @return false (position unchanged) when the record is not a valid BURST record of this version
     */
    public static boolean decode(ByteBuffer buf, BurstEvent e) {
        if (peekType(buf) != EventType.BURST || buf.remaining() < BURST_FIXED_SIZE) return false;
        int p = buf.position();
        int size = BURST_NAMES_SECTION_OFFSET + namesSize(buf, p + BURST_NAMES_SECTION_OFFSET);
        if (peekLength(buf) != size || buf.remaining() < size) return false;
        Transport transport = Transport.ofIana(buf.get(p + BURST_TRANSPORT_OFFSET) & 0xFF);
        Direction dir = Direction.ofCode(buf.get(p + BURST_DIRECTION_OFFSET) & 0xFF);
        if (transport == null || dir == null) return false;
        e.flowId = buf.getLong(p + BURST_FLOW_ID_OFFSET);
        e.startNanos = buf.getLong(p + BURST_START_NANOS_OFFSET);
        e.endNanos = buf.getLong(p + BURST_END_NANOS_OFFSET);
        e.flowStartNanos = buf.getLong(p + BURST_FLOW_START_NANOS_OFFSET);
        e.origIpHi = buf.getLong(p + BURST_ORIG_IP_HI_OFFSET);
        e.origIpLo = buf.getLong(p + BURST_ORIG_IP_LO_OFFSET);
        e.respIpHi = buf.getLong(p + BURST_RESP_IP_HI_OFFSET);
        e.respIpLo = buf.getLong(p + BURST_RESP_IP_LO_OFFSET);
        e.origMac = buf.getLong(p + BURST_ORIG_MAC_OFFSET);
        e.respMac = buf.getLong(p + BURST_RESP_MAC_OFFSET);
        e.gapNanos = buf.getLong(p + BURST_GAP_NANOS_OFFSET);
        e.origBytes = buf.getInt(p + BURST_ORIG_BYTES_OFFSET);
        e.respBytes = buf.getInt(p + BURST_RESP_BYTES_OFFSET);
        e.origPkts = buf.getInt(p + BURST_ORIG_PKTS_OFFSET);
        e.respPkts = buf.getInt(p + BURST_RESP_PKTS_OFFSET);
        e.index = buf.getInt(p + BURST_INDEX_OFFSET);
        e.origPort = buf.getShort(p + BURST_ORIG_PORT_OFFSET) & 0xFFFF;
        e.respPort = buf.getShort(p + BURST_RESP_PORT_OFFSET) & 0xFFFF;
        e.vlan = buf.getShort(p + BURST_VLAN_OFFSET) & 0xFFFF;
        e.innerVlan = buf.getShort(p + BURST_INNER_VLAN_OFFSET) & 0xFFFF;
        e.transport = transport;
        e.direction = dir;
        e.flags = buf.get(p + BURST_FLAGS_OFFSET) & 0xFF;
        e.processEntityId = buf.getLong(p + BURST_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_ENTITY_ID_OFFSET);
        e.processStartNanos = buf.getLong(p + BURST_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_START_NANOS_OFFSET);
        e.pid = buf.getInt(p + BURST_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_PID_OFFSET);
        e.attribution = attribution(buf.get(p + BURST_ATTRIBUTION_SECTION_OFFSET + ATTRIBUTION_CODE_OFFSET) & 0xFF);
        getNames(buf, p + BURST_NAMES_SECTION_OFFSET, e.names);
        buf.position(p + size);
        return true;
    }

    private static int namesSize(ConnNames n) {
        int size = NAMES_LENGTHS_SIZE;
        for (int i = 0; i < ConnNames.COUNT; i++) size += n.length(i);
        return size;
    }

    /** Size of the names section at {@code at}, from its length bytes (the caller checked they are there). */
    private static int namesSize(ByteBuffer buf, int at) {
        int size = NAMES_LENGTHS_SIZE;
        for (int i = 0; i < ConnNames.COUNT; i++) size += buf.get(at + i) & 0xFF;
        return size;
    }

    private static void putNames(ByteBuffer buf, int at, ConnNames n) {
        int w = at + NAMES_LENGTHS_SIZE;
        for (int i = 0; i < ConnNames.COUNT; i++) {
            int len = n.length(i);
            buf.put(at + i, (byte) len);
            buf.put(w, n.bytes(i), 0, len);
            w += len;
        }
    }

    private static void getNames(ByteBuffer buf, int at, ConnNames n) {
        int r = at + NAMES_LENGTHS_SIZE;
        for (int i = 0; i < ConnNames.COUNT; i++) {
            int len = buf.get(at + i) & 0xFF;
            buf.get(r, n.bytes(i), 0, len);
            n.set(i, n.bytes(i), 0, len);
            r += len;
        }
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
        buf.putLong(p + DNS_TS_NANOS_OFFSET, e.tsNanos);
        buf.putLong(p + DNS_RTT_NANOS_OFFSET, e.rttNanos);
        buf.putLong(p + DNS_CLIENT_IP_HI_OFFSET, e.clientIpHi);
        buf.putLong(p + DNS_CLIENT_IP_LO_OFFSET, e.clientIpLo);
        buf.putLong(p + DNS_SERVER_IP_HI_OFFSET, e.serverIpHi);
        buf.putLong(p + DNS_SERVER_IP_LO_OFFSET, e.serverIpLo);
        buf.putLong(p + DNS_CLIENT_MAC_OFFSET, e.clientMac);
        buf.putShort(p + DNS_CLIENT_PORT_OFFSET, (short) e.clientPort);
        buf.putShort(p + DNS_SERVER_PORT_OFFSET, (short) e.serverPort);
        buf.putShort(p + DNS_TRANS_ID_OFFSET, (short) e.transId);
        buf.putShort(p + DNS_QTYPE_OFFSET, (short) e.qtype);
        buf.putShort(p + DNS_QCLASS_OFFSET, (short) e.qclass);
        buf.putShort(p + DNS_VLAN_OFFSET, (short) e.vlan);
        buf.putInt(p + DNS_RCODE_OFFSET, e.rcode);
        buf.putInt(p + DNS_QUERY_COUNT_OFFSET, e.queryCount);
        buf.putShort(p + DNS_ANCOUNT_OFFSET, (short) e.ancount);
        buf.putShort(p + DNS_NSCOUNT_OFFSET, (short) e.nscount);
        buf.putShort(p + DNS_ARCOUNT_OFFSET, (short) e.arcount);
        buf.put(p + DNS_OPCODE_OFFSET, (byte) e.opcode);
        buf.put(p + DNS_FLAGS_OFFSET, (byte) e.flags);
        buf.put(p + DNS_TRANSPORT_OFFSET, (byte) e.transport.ianaNumber);
        buf.put(p + DNS_DIRECTION_OFFSET, (byte) e.direction.code);
        buf.put(p + DNS_BITS_OFFSET, (byte) ((e.queried ? DNS_BIT_QUERIED : 0) | (e.responded ? DNS_BIT_RESPONDED : 0)
                | (e.answersTruncated ? DNS_BIT_ANSWERS_TRUNCATED : 0)));
        buf.put(p + DNS_RESERVED_OFFSET, (byte) 0);
        putAttribution(buf, p + DNS_ATTRIBUTION_SECTION_OFFSET, e.processEntityId, e.processStartNanos, e.pid, e.attribution);
        int q = p + DNS_QNAME_SECTION_OFFSET;
        buf.putShort(q + QNAME_LENGTH_OFFSET, (short) e.qnameLen);
        buf.put(q + QNAME_BYTES_OFFSET, e.qname, 0, e.qnameLen);
        int a = q + QNAME_BYTES_OFFSET + e.qnameLen;
        buf.putShort(a + ANSWERS_LENGTH_OFFSET, (short) (p + size - a - ANSWERS_ENTRIES_OFFSET));
        buf.put(a + ANSWERS_COUNT_OFFSET, (byte) e.answerCount);
        int w = a + ANSWERS_ENTRIES_OFFSET;
        for (int i = 0; i < e.answerCount; i++) {
            int len = e.answerLength[i];
            buf.putShort(w + ANSWER_TYPE_OFFSET, (short) e.answerType[i]);
            buf.putShort(w + ANSWER_CLASS_OFFSET, (short) e.answerClass[i]);
            buf.putInt(w + ANSWER_TTL_OFFSET, (int) e.answerTtl[i]);
            buf.put(w + ANSWER_ENCODING_OFFSET, e.answerEncoding[i]);
            buf.putShort(w + ANSWER_LENGTH_OFFSET, (short) len);
            buf.put(w + ANSWER_DATA_OFFSET, e.answerData, e.answerOffset[i], len);
            w += ANSWER_DATA_OFFSET + len;
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
        boolean v1 = (buf.get(p + HEADER_VERSION_OFFSET) & 0xFF) == V1;
        if (size < (v1 ? DNS_MIN_SIZE_V1 : DNS_MIN_SIZE) || size > DNS_MAX_SIZE || size > buf.remaining()) return false;
        Transport transport = Transport.ofIana(buf.get(p + DNS_TRANSPORT_OFFSET) & 0xFF);
        Direction dir = Direction.ofCode(buf.get(p + DNS_DIRECTION_OFFSET) & 0xFF);
        int q = p + (v1 ? DNS_QNAME_SECTION_V1 : DNS_QNAME_SECTION_OFFSET);
        int qnameLen = buf.getShort(q + QNAME_LENGTH_OFFSET) & 0xFFFF;
        int a = q + QNAME_BYTES_OFFSET + qnameLen;
        if (transport == null || dir == null || qnameLen > DnsEvent.MAX_NAME || a + ANSWERS_ENTRIES_OFFSET > end
                || a + ANSWERS_ENTRIES_OFFSET + (buf.getShort(a + ANSWERS_LENGTH_OFFSET) & 0xFFFF) != end) {
            return false;
        }
        int count = buf.get(a + ANSWERS_COUNT_OFFSET) & 0xFF;
        if (count > DnsEvent.MAX_ANSWERS) return false;
        e.answerCount = 0;
        e.answerDataLen = 0;
        int r = a + ANSWERS_ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            if (r + ANSWER_DATA_OFFSET > end) return false;
            int len = buf.getShort(r + ANSWER_LENGTH_OFFSET) & 0xFFFF;
            if (r + ANSWER_DATA_OFFSET + len > end || e.answerDataLen + len > DnsEvent.ANSWER_DATA_CAPACITY) return false;
            e.answerType[i] = buf.getShort(r + ANSWER_TYPE_OFFSET) & 0xFFFF;
            e.answerClass[i] = buf.getShort(r + ANSWER_CLASS_OFFSET) & 0xFFFF;
            e.answerTtl[i] = buf.getInt(r + ANSWER_TTL_OFFSET) & 0xFFFF_FFFFL;
            e.answerEncoding[i] = buf.get(r + ANSWER_ENCODING_OFFSET);
            e.answerOffset[i] = e.answerDataLen;
            e.answerLength[i] = len;
            buf.get(r + ANSWER_DATA_OFFSET, e.answerData, e.answerDataLen, len);
            e.answerDataLen += len;
            r += ANSWER_DATA_OFFSET + len;
        }
        if (r != end) return false;
        e.answerCount = count;
        e.tsNanos = buf.getLong(p + DNS_TS_NANOS_OFFSET);
        e.rttNanos = buf.getLong(p + DNS_RTT_NANOS_OFFSET);
        e.clientIpHi = buf.getLong(p + DNS_CLIENT_IP_HI_OFFSET);
        e.clientIpLo = buf.getLong(p + DNS_CLIENT_IP_LO_OFFSET);
        e.serverIpHi = buf.getLong(p + DNS_SERVER_IP_HI_OFFSET);
        e.serverIpLo = buf.getLong(p + DNS_SERVER_IP_LO_OFFSET);
        e.clientMac = buf.getLong(p + DNS_CLIENT_MAC_OFFSET);
        e.clientPort = buf.getShort(p + DNS_CLIENT_PORT_OFFSET) & 0xFFFF;
        e.serverPort = buf.getShort(p + DNS_SERVER_PORT_OFFSET) & 0xFFFF;
        e.transId = buf.getShort(p + DNS_TRANS_ID_OFFSET) & 0xFFFF;
        e.qtype = buf.getShort(p + DNS_QTYPE_OFFSET) & 0xFFFF;
        e.qclass = buf.getShort(p + DNS_QCLASS_OFFSET) & 0xFFFF;
        e.vlan = buf.getShort(p + DNS_VLAN_OFFSET) & 0xFFFF;
        e.rcode = buf.getInt(p + DNS_RCODE_OFFSET);
        e.queryCount = buf.getInt(p + DNS_QUERY_COUNT_OFFSET);
        e.ancount = buf.getShort(p + DNS_ANCOUNT_OFFSET) & 0xFFFF;
        e.nscount = buf.getShort(p + DNS_NSCOUNT_OFFSET) & 0xFFFF;
        e.arcount = buf.getShort(p + DNS_ARCOUNT_OFFSET) & 0xFFFF;
        e.opcode = buf.get(p + DNS_OPCODE_OFFSET) & 0xFF;
        e.flags = buf.get(p + DNS_FLAGS_OFFSET) & 0xFF;
        e.transport = transport;
        e.direction = dir;
        int bits = buf.get(p + DNS_BITS_OFFSET);
        e.queried = (bits & DNS_BIT_QUERIED) != 0;
        e.responded = (bits & DNS_BIT_RESPONDED) != 0;
        e.answersTruncated = (bits & DNS_BIT_ANSWERS_TRUNCATED) != 0;
        e.qnameLen = qnameLen;
        buf.get(q + QNAME_BYTES_OFFSET, e.qname, 0, qnameLen);
        if (v1) {
            e.processEntityId = e.processStartNanos = 0;
            e.pid = 0;
            e.attribution = Attribution.UNKNOWN;
        } else {
            e.processEntityId = buf.getLong(p + DNS_PROCESS_ENTITY_ID_OFFSET);
            e.processStartNanos = buf.getLong(p + DNS_PROCESS_START_NANOS_OFFSET);
            e.pid = buf.getInt(p + DNS_PID_OFFSET);
            e.attribution = attribution(buf.get(p + DNS_ATTRIBUTION_OFFSET) & 0xFF);
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
        if (e.containerIdLen < 0 || e.containerIdLen > ProcessEvent.MAX_CONTAINER_ID) return -1;
        int size = PROCESS_STRINGS_OFFSET + e.userLen + e.nameLen + e.executableLen + e.commandLineLen;
        return hasContainerSection(e) ? size + CONTAINER_SECTION_FIXED + e.containerIdLen : size;
    }

    /** Version 3 (with the container section) exactly when there is something to put in it. */
    private static boolean hasContainerSection(ProcessEvent e) {
        return e.cgroupId != 0 || e.containerIdLen > 0;
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
        boolean container = hasContainerSection(e);
        putHeader(buf, p, container ? PROCESS_CONTAINER_VERSION : LAYOUT_VERSION, EventType.PROCESS, size, e.tsNanos);
        buf.putLong(p + PROCESS_ENTITY_ID_OFFSET, e.entityId);
        buf.putLong(p + PROCESS_START_NANOS_OFFSET, e.startNanos);
        buf.putInt(p + PROCESS_PID_OFFSET, e.pid);
        buf.putInt(p + PROCESS_PPID_OFFSET, e.ppid);
        buf.putInt(p + PROCESS_UID_OFFSET, e.uid);
        buf.putShort(p + PROCESS_USER_LEN_OFFSET, (short) e.userLen);
        buf.put(p + PROCESS_NAME_LEN_OFFSET, (byte) e.nameLen);
        buf.put(p + PROCESS_RESERVED_OFFSET, (byte) 0);
        buf.putShort(p + PROCESS_EXECUTABLE_LEN_OFFSET, (short) e.executableLen);
        buf.putShort(p + PROCESS_COMMAND_LINE_LEN_OFFSET, (short) e.commandLineLen);
        int w = p + PROCESS_STRINGS_OFFSET;
        buf.put(w, e.user, 0, e.userLen);
        w += e.userLen;
        buf.put(w, e.name, 0, e.nameLen);
        w += e.nameLen;
        buf.put(w, e.executable, 0, e.executableLen);
        w += e.executableLen;
        buf.put(w, e.commandLine, 0, e.commandLineLen);
        w += e.commandLineLen;
        if (container) {
            buf.putLong(w + CONTAINER_CGROUP_ID_OFFSET, e.cgroupId);
            buf.put(w + CONTAINER_ID_LEN_OFFSET, (byte) e.containerIdLen);
            buf.put(w + CONTAINER_ID_OFFSET, e.containerId, 0, e.containerIdLen);
        }
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
        if (size < PROCESS_STRINGS_OFFSET || size > PROCESS_MAX_SIZE || size > buf.remaining()) return false;
        int userLen = buf.getShort(p + PROCESS_USER_LEN_OFFSET) & 0xFFFF;
        int nameLen = buf.get(p + PROCESS_NAME_LEN_OFFSET) & 0xFF;
        int exeLen = buf.getShort(p + PROCESS_EXECUTABLE_LEN_OFFSET) & 0xFFFF;
        int cmdLen = buf.getShort(p + PROCESS_COMMAND_LINE_LEN_OFFSET) & 0xFFFF;
        int c = PROCESS_STRINGS_OFFSET + userLen + nameLen + exeLen + cmdLen; // end of the strings
        boolean v3 = (buf.get(p + HEADER_VERSION_OFFSET) & 0xFF) == PROCESS_CONTAINER_VERSION;
        if (userLen > ProcessEvent.MAX_USER || nameLen > ProcessEvent.MAX_NAME || exeLen > ProcessEvent.MAX_EXECUTABLE
                || cmdLen > ProcessEvent.MAX_COMMAND_LINE || (v3 ? c + CONTAINER_SECTION_FIXED > size : c != size)) {
            return false;
        }
        int containerLen = v3 ? buf.get(p + c + CONTAINER_ID_LEN_OFFSET) & 0xFF : 0;
        if (containerLen > ProcessEvent.MAX_CONTAINER_ID || v3 && c + CONTAINER_SECTION_FIXED + containerLen > size) return false;
        e.tsNanos = buf.getLong(p + HEADER_TIME_OFFSET);
        e.entityId = buf.getLong(p + PROCESS_ENTITY_ID_OFFSET);
        e.startNanos = buf.getLong(p + PROCESS_START_NANOS_OFFSET);
        e.pid = buf.getInt(p + PROCESS_PID_OFFSET);
        e.ppid = buf.getInt(p + PROCESS_PPID_OFFSET);
        e.uid = buf.getInt(p + PROCESS_UID_OFFSET);
        int r = p + PROCESS_STRINGS_OFFSET;
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
        e.cgroupId = v3 ? buf.getLong(p + c + CONTAINER_CGROUP_ID_OFFSET) : 0;
        if (containerLen > 0) buf.get(p + c + CONTAINER_ID_OFFSET, e.containerId, 0, containerLen);
        e.containerIdLen = containerLen;
        buf.position(p + size);
        return true;
    }

    private static void putAttribution(ByteBuffer buf, int at, long entityId, long startNanos, int pid, Attribution a) {
        buf.putLong(at + ATTRIBUTION_ENTITY_ID_OFFSET, entityId);
        buf.putLong(at + ATTRIBUTION_START_NANOS_OFFSET, startNanos);
        buf.putInt(at + ATTRIBUTION_PID_OFFSET, pid);
        buf.put(at + ATTRIBUTION_CODE_OFFSET, (byte) a.code);
        buf.put(at + ATTRIBUTION_RESERVED_OFFSET, (byte) 0);
        buf.putShort(at + ATTRIBUTION_RESERVED_OFFSET + 1, (short) 0);
    }

    /**
     * Attribution codes a newer writer added read as UNKNOWN rather than failing the record: the record
     * itself (a connection, a query) is still good, only how its process lookup went is not known here.
     */
    private static Attribution attribution(int code) {
        Attribution a = Attribution.ofCode(code);
        return a == null ? Attribution.UNKNOWN : a;
    }

    static void putHeader(ByteBuffer buf, int p, EventType type, int length, long timeNanos) {
        putHeader(buf, p, LAYOUT_VERSION, type, length, timeNanos);
    }

    private static void putHeader(ByteBuffer buf, int p, int version, EventType type, int length, long timeNanos) {
        buf.put(p + HEADER_VERSION_OFFSET, (byte) version);
        buf.put(p + HEADER_TYPE_OFFSET, (byte) type.code);
        buf.putShort(p + HEADER_RESERVED_OFFSET, (short) 0);
        buf.putInt(p + HEADER_LENGTH_OFFSET, length);
        buf.putLong(p + HEADER_TIME_OFFSET, timeNanos);
    }
}
