package io.netsensor.capture.dns;

import io.netsensor.events.DnsEvent;

/**
 * Queries awaiting their response, keyed by (transport, client ip/port, server ip/port, transaction id),
 * in primitive arrays sized once. Slots are also linked oldest-first so expiry and eviction take the head.
 */
final class PendingQueries {
    private final SlotChains index;
    // key
    private final int[] transport, clientPort, serverPort, transId;
    private final long[] clientHi, clientLo, serverHi, serverLo;
    // query data
    final long[] tsNanos, clientMac;
    final int[] queryCount, qtype, qclass, opcode, flags, vlan, qnameLen;
    final byte[] qnames;
    // age order (insertion = first query time)
    private final int[] older, newer;
    private int oldest = -1, newest = -1;

    PendingQueries(int capacity) {
        index = new SlotChains(capacity);
        transport = new int[capacity];
        clientPort = new int[capacity];
        serverPort = new int[capacity];
        transId = new int[capacity];
        clientHi = new long[capacity];
        clientLo = new long[capacity];
        serverHi = new long[capacity];
        serverLo = new long[capacity];
        tsNanos = new long[capacity];
        clientMac = new long[capacity];
        queryCount = new int[capacity];
        qtype = new int[capacity];
        qclass = new int[capacity];
        opcode = new int[capacity];
        flags = new int[capacity];
        vlan = new int[capacity];
        qnameLen = new int[capacity];
        qnames = new byte[capacity * DnsEvent.MAX_NAME];
        older = new int[capacity];
        newer = new int[capacity];
    }

    int size() { return index.size(); }

    boolean full() { return index.full(); }

    int oldest() { return oldest; }

    private static int hash(int tr, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort, int id) {
        long h = cLo * 31 + cHi;
        h = h * 31 + sLo;
        h = h * 31 + sHi;
        h = h * 31 + (((long) cPort << 32) | ((long) sPort << 16) | id);
        return SlotChains.mix(h * 31 + tr);
    }

    int find(int tr, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort, int id) {
        for (int s = index.first(hash(tr, cHi, cLo, cPort, sHi, sLo, sPort, id)); s != -1; s = index.next(s)) {
            if (transId[s] == id && clientPort[s] == cPort && serverPort[s] == sPort && clientLo[s] == cLo
                    && serverLo[s] == sLo && clientHi[s] == cHi && serverHi[s] == sHi && transport[s] == tr) {
                return s;
            }
        }
        return -1;
    }

    /** Adds a key (caller made room); returns its slot, newest in age order. */
    int insert(int tr, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort, int id) {
        int s = index.add(hash(tr, cHi, cLo, cPort, sHi, sLo, sPort, id));
        transport[s] = tr;
        clientHi[s] = cHi;
        clientLo[s] = cLo;
        clientPort[s] = cPort;
        serverHi[s] = sHi;
        serverLo[s] = sLo;
        serverPort[s] = sPort;
        transId[s] = id;
        older[s] = newest;
        newer[s] = -1;
        if (newest >= 0) newer[newest] = s; else oldest = s;
        newest = s;
        return s;
    }

    void remove(int s) {
        index.remove(s);
        if (older[s] >= 0) newer[older[s]] = newer[s]; else oldest = newer[s];
        if (newer[s] >= 0) older[newer[s]] = older[s]; else newest = older[s];
    }

    /** Writes the key of slot s into ev's addressing fields. */
    void keyTo(int s, DnsEvent ev) {
        ev.transport = transport[s] == 6 ? io.netsensor.events.Transport.TCP : io.netsensor.events.Transport.UDP;
        ev.clientIpHi = clientHi[s];
        ev.clientIpLo = clientLo[s];
        ev.clientPort = clientPort[s];
        ev.serverIpHi = serverHi[s];
        ev.serverIpLo = serverLo[s];
        ev.serverPort = serverPort[s];
        ev.transId = transId[s];
    }
}
