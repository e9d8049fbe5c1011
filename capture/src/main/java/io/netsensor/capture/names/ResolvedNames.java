package io.netsensor.capture.names;

import io.netsensor.events.ConnNames;
import io.netsensor.events.DnsEvent;

/**
 * Which name each local host resolved for each address: learned from DNS answers (A/AAAA records, under the
 * name the host asked for, not the CNAME target), looked up when a connection starts so its records carry
 * {@code destination.domain}. Per host, since two hosts may reach one CDN address by different names.
 *
 * <p>Bounded and allocation-free: a 4-way set-associative table of {@code capacity} entries (a new answer
 * replaces the set's expired or soonest-expiring entry) with {@link ConnNames#MAX} name bytes each, so
 * memory is ~300 bytes per entry (8192 entries by default: ~2.4 MB). An entry lives for its TTL plus
 * {@link #GRACE_NANOS}, since applications keep using an address a little past its TTL (and TTL 0 answers
 * are used at once). A generation per entry lets a flow keep a reference and notice an overwrite.
 */
public final class ResolvedNames {
    private static final int WAYS = 4;
    static final long GRACE_NANOS = 300_000_000_000L;
    private static final int A = 1, AAAA = 28;

    private final int sets;
    private final long[] hostHi, hostLo, addrHi, addrLo, expires;
    private final int[] generation;
    private final byte[] names;
    private final int[] nameLen;
    private long learned, replaced;

    public ResolvedNames(int capacity) {
        int s = Integer.highestOneBit(Math.max(WAYS, capacity) / WAYS);
        sets = s;
        int n = s * WAYS;
        hostHi = new long[n]; hostLo = new long[n]; addrHi = new long[n]; addrLo = new long[n];
        expires = new long[n];
        generation = new int[n];
        names = new byte[n * ConnNames.MAX];
        nameLen = new int[n];
    }

    /** Learns the addresses of a DNS response (the query's name for each A/AAAA answer). */
    public void learn(DnsEvent e) {
        if (!e.responded || e.rcode != 0 || e.qnameLen == 0) return;
        for (int i = 0; i < e.answerCount; i++) {
            int t = e.answerType[i], len = e.answerLength[i];
            if (e.answerEncoding[i] != DnsEvent.RDATA_ADDRESS || (t != A && t != AAAA) || (len != 4 && len != 16)) continue;
            long hi, lo;
            int o = e.answerOffset[i];
            if (len == 4) {
                hi = 0;
                lo = 0xFFFF_0000_0000L | (e.answerData[o] & 0xFFL) << 24 | (e.answerData[o + 1] & 0xFFL) << 16
                        | (e.answerData[o + 2] & 0xFFL) << 8 | (e.answerData[o + 3] & 0xFFL);
            } else {
                hi = readLong(e.answerData, o);
                lo = readLong(e.answerData, o + 8);
            }
            long ttlNanos = Math.min(e.answerTtl[i], 7 * 86_400L) * 1_000_000_000L;
            put(e.clientIpHi, e.clientIpLo, hi, lo, e.qname, e.qnameLen, e.tsNanos + ttlNanos + GRACE_NANOS);
        }
    }

    private static long readLong(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (b[o + i] & 0xFFL);
        return v;
    }

    void put(long hHi, long hLo, long aHi, long aLo, byte[] name, int len, long expiresAt) {
        int base = set(hHi, hLo, aHi, aLo) * WAYS;
        int victim = base;
        for (int i = base; i < base + WAYS; i++) {
            if (matches(i, hHi, hLo, aHi, aLo)) {
                victim = i;
                break;
            }
            if (expires[i] < expires[victim]) victim = i;
        }
        if (nameLen[victim] != 0 && !matches(victim, hHi, hLo, aHi, aLo)) replaced++;
        learned++;
        hostHi[victim] = hHi; hostLo[victim] = hLo; addrHi[victim] = aHi; addrLo[victim] = aLo;
        expires[victim] = expiresAt;
        int n = Math.min(len, ConnNames.MAX);
        System.arraycopy(name, 0, names, victim * ConnNames.MAX, n);
        nameLen[victim] = n;
        generation[victim]++;
    }

    private boolean matches(int i, long hHi, long hLo, long aHi, long aLo) {
        return nameLen[i] != 0 && addrLo[i] == aLo && hostLo[i] == hLo && addrHi[i] == aHi && hostHi[i] == hHi;
    }

    private int set(long hHi, long hLo, long aHi, long aLo) {
        long h = (hHi * 0x9E3779B97F4A7C15L ^ hLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ aHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ aLo) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        return (int) h & (sets - 1);
    }

    /** The entry naming {@code addr} for {@code host} at time {@code now}, or -1. */
    public int find(long hHi, long hLo, long aHi, long aLo, long now) {
        int base = set(hHi, hLo, aHi, aLo) * WAYS;
        for (int i = base; i < base + WAYS; i++) {
            if (matches(i, hHi, hLo, aHi, aLo)) return expires[i] >= now ? i : -1;
        }
        return -1;
    }

    public int generation(int entry) {
        return generation[entry];
    }

    /** Copies the entry's name into {@code into}'s DNS name when the entry still has generation {@code gen}. */
    public void copyTo(int entry, int gen, ConnNames into) {
        if (entry < 0 || generation[entry] != gen) {
            into.clear(ConnNames.DNS);
            return;
        }
        into.set(ConnNames.DNS, names, entry * ConnNames.MAX, nameLen[entry]);
    }

    public long learned() {
        return learned;
    }

    public long replaced() {
        return replaced;
    }
}
