package io.netsensor.events;

import java.nio.charset.StandardCharsets;

/**
 * One DNS transaction (query and its response), like a Zeek dns.log row. A query with no response is
 * an event too (rcode -1, rttNanos -1); so is a response whose query was not seen (queried false).
 * A mutable record reused by its producer: copy what you keep.
 *
 * Answers are stored without allocation in one byte area: for names (CNAME, PTR, NS, DNAME, and the
 * exchange of MX) the decompressed dotted name; for A/AAAA the 4/16 address bytes; for every other
 * type the wire rdata as received (rendered to text at the edges).
 */
public final class DnsEvent {
    public static final int MAX_NAME = 255 * 4; // escaped text form of a 255-byte name
    public static final int MAX_ANSWERS = 32;
    public static final int ANSWER_DATA_CAPACITY = 8192;

    /** Flag bits (header bits as in RFC 1035 / 4035). */
    public static final int FLAG_AA = 1, FLAG_TC = 2, FLAG_RD = 4, FLAG_RA = 8, FLAG_Z = 16, FLAG_AD = 32, FLAG_CD = 64;

    /** Rdata encodings of an answer. */
    public static final byte RDATA_RAW = 0, RDATA_NAME = 1, RDATA_ADDRESS = 2, RDATA_MX = 3;

    /** Time of the query (or of the response when no query was seen), epoch nanoseconds. */
    public long tsNanos;
    /** Response time, or -1 when no response was seen. */
    public long rttNanos = -1;
    public Transport transport = Transport.UDP;
    public long clientIpHi, clientIpLo;
    public int clientPort;
    public long serverIpHi, serverIpLo;
    public int serverPort;
    public Direction direction = Direction.OUTBOUND;
    public int transId;
    public int opcode;
    public int qtype, qclass;
    /** Response code (extended with EDNS where present), -1 when no response. */
    public int rcode = -1;
    public int flags;
    public boolean queried, responded;
    /** Number of queries with this transaction seen (retransmissions), at least 1 when queried. */
    public int queryCount;
    /** Query name as sent: dotted text, case preserved, escaped as Zeek's dns.log: bytes outside 0x20..0x7e as \xhh, '\' as \\. */
    public final byte[] qname = new byte[MAX_NAME];
    public int qnameLen;
    public int answerCount;
    /** True when the answer section had more than MAX_ANSWERS or did not fit. */
    public boolean answersTruncated;
    /** Counts from the response header. */
    public int ancount, nscount, arcount;
    public final int[] answerType = new int[MAX_ANSWERS];
    public final int[] answerClass = new int[MAX_ANSWERS];
    public final long[] answerTtl = new long[MAX_ANSWERS];
    public final byte[] answerEncoding = new byte[MAX_ANSWERS];
    public final int[] answerOffset = new int[MAX_ANSWERS];
    public final int[] answerLength = new int[MAX_ANSWERS];
    public final byte[] answerData = new byte[ANSWER_DATA_CAPACITY];
    public int answerDataLen;
    /** Ethernet address of the client, 0 when the link has none. */
    public long clientMac;
    public int vlan;
    /** The local process owning the client socket; see {@link ConnEvent#pid}. */
    public int pid;
    public long processStartNanos, processEntityId;
    public Attribution attribution = Attribution.UNKNOWN;

    public String qnameString() {
        return new String(qname, 0, qnameLen, StandardCharsets.ISO_8859_1);
    }

    /** Lower-cased query name (ASCII only, as DNS compares names). Allocates: edges only. */
    public String qnameLower() {
        byte[] b = new byte[qnameLen];
        for (int i = 0; i < qnameLen; i++) {
            byte c = qname[i];
            b[i] = (c >= 'A' && c <= 'Z') ? (byte) (c + 32) : c;
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public void setQname(CharSequence s) {
        qnameLen = Math.min(s.length(), MAX_NAME);
        for (int i = 0; i < qnameLen; i++) qname[i] = (byte) s.charAt(i);
    }

    /** Appends an answer; returns false (and marks truncation) when it does not fit. */
    public boolean addAnswer(int type, int dclass, long ttl, byte encoding, byte[] src, int off, int len) {
        if (answerCount == MAX_ANSWERS || answerDataLen + len > ANSWER_DATA_CAPACITY) {
            answersTruncated = true;
            return false;
        }
        int i = answerCount++;
        answerType[i] = type;
        answerClass[i] = dclass;
        answerTtl[i] = ttl;
        answerEncoding[i] = encoding;
        answerOffset[i] = answerDataLen;
        answerLength[i] = len;
        System.arraycopy(src, off, answerData, answerDataLen, len);
        answerDataLen += len;
        return true;
    }

    public void clear() {
        tsNanos = 0;
        rttNanos = -1;
        transport = Transport.UDP;
        clientIpHi = clientIpLo = serverIpHi = serverIpLo = 0;
        clientPort = serverPort = 0;
        direction = Direction.OUTBOUND;
        transId = opcode = qtype = qclass = 0;
        rcode = -1;
        flags = 0;
        queried = responded = false;
        queryCount = 0;
        qnameLen = 0;
        answerCount = 0;
        answersTruncated = false;
        ancount = nscount = arcount = 0;
        answerDataLen = 0;
        clientMac = 0;
        vlan = 0;
        pid = 0;
        processStartNanos = processEntityId = 0;
        attribution = Attribution.UNKNOWN;
    }

    public void copyFrom(DnsEvent o) {
        tsNanos = o.tsNanos; rttNanos = o.rttNanos; transport = o.transport;
        clientIpHi = o.clientIpHi; clientIpLo = o.clientIpLo; clientPort = o.clientPort;
        serverIpHi = o.serverIpHi; serverIpLo = o.serverIpLo; serverPort = o.serverPort;
        direction = o.direction; transId = o.transId; opcode = o.opcode; qtype = o.qtype; qclass = o.qclass;
        rcode = o.rcode; flags = o.flags; queried = o.queried; responded = o.responded; queryCount = o.queryCount;
        System.arraycopy(o.qname, 0, qname, 0, o.qnameLen);
        qnameLen = o.qnameLen;
        answerCount = o.answerCount; answersTruncated = o.answersTruncated;
        ancount = o.ancount; nscount = o.nscount; arcount = o.arcount;
        System.arraycopy(o.answerType, 0, answerType, 0, o.answerCount);
        System.arraycopy(o.answerClass, 0, answerClass, 0, o.answerCount);
        System.arraycopy(o.answerTtl, 0, answerTtl, 0, o.answerCount);
        System.arraycopy(o.answerEncoding, 0, answerEncoding, 0, o.answerCount);
        System.arraycopy(o.answerOffset, 0, answerOffset, 0, o.answerCount);
        System.arraycopy(o.answerLength, 0, answerLength, 0, o.answerCount);
        System.arraycopy(o.answerData, 0, answerData, 0, o.answerDataLen);
        answerDataLen = o.answerDataLen;
        clientMac = o.clientMac; vlan = o.vlan;
        pid = o.pid; processStartNanos = o.processStartNanos; processEntityId = o.processEntityId;
        attribution = o.attribution;
    }

    @Override
    public String toString() {
        return "dns " + qnameString() + " qtype=" + qtype + " rcode=" + rcode + " answers=" + answerCount;
    }
}
