package io.netsensor.capture.track;

import io.netsensor.capture.names.ClientHello;
import io.netsensor.capture.names.HttpRequestHead;
import io.netsensor.capture.names.ResolvedNames;
import io.netsensor.events.ConnNames;

/**
 * The names of each flow: the TLS SNI or HTTP Host and User-Agent found in its first client payload, and a
 * reference to the DNS name its host resolved for the remote address ({@link ResolvedNames}). Names live
 * in a preallocated pool of {@code poolSize} entries ({@link ConnNames#MAX} bytes for SNI/Host and as many
 * for the User-Agent: ~520 bytes each); a flow takes an entry only when it has a name, and when the pool is
 * used up later flows go without (counted). Per flow: 13 bytes (pool index, DNS entry and generation, a flag).
 */
final class FlowNames {
    private static final int SNI_OR_HOST = 0, UA = 1;

    private final ResolvedNames resolved;
    private final int[] entry, dnsEntry, dnsGen;
    private final boolean[] parsed;
    private final byte[] pool;
    private final int[] poolLen; // per pool entry and field
    private final boolean[] poolIsSni;
    private final int[] freeEntries;
    private int freeTop;
    private long poolFull, snis, hosts;

    FlowNames(int slots, int poolSize, ResolvedNames resolved) {
        this.resolved = resolved;
        entry = new int[slots]; dnsEntry = new int[slots]; dnsGen = new int[slots];
        parsed = new boolean[slots];
        pool = new byte[poolSize * 2 * ConnNames.MAX];
        poolLen = new int[poolSize * 2];
        poolIsSni = new boolean[poolSize];
        freeEntries = new int[poolSize];
        for (int i = 0; i < poolSize; i++) freeEntries[i] = poolSize - 1 - i;
        freeTop = poolSize;
    }

    ResolvedNames resolved() {
        return resolved;
    }

    /** A new flow: no names yet; the DNS name the local side resolved for the remote, as of now. */
    void start(int slot, long localHi, long localLo, long remoteHi, long remoteLo, long now) {
        entry[slot] = -1;
        parsed[slot] = false;
        int d = resolved.find(localHi, localLo, remoteHi, remoteLo, now);
        dnsEntry[slot] = d;
        dnsGen[slot] = d < 0 ? 0 : resolved.generation(d);
    }

    /** The flow's first client payload (TCP): looks for a ClientHello's SNI or an HTTP request's headers, once. */
    void onClientPayload(int slot, byte[] b, int off, int len) {
        if (parsed[slot]) return;
        parsed[slot] = true;
        if (len <= 0) return;
        long sni = ClientHello.find(b, off, len);
        if (sni >= 0) {
            if (take(slot, true)) {
                put(slot, SNI_OR_HOST, b, (int) (sni >>> 16), (int) (sni & 0xFFFF));
                snis++;
            }
            return;
        }
        if (!HttpRequestHead.isRequest(b, off, len)) return;
        long host = HttpRequestHead.host(b, off, len), ua = HttpRequestHead.userAgent(b, off, len);
        if ((host < 0 && ua < 0) || !take(slot, false)) return;
        if (host >= 0) put(slot, SNI_OR_HOST, b, (int) (host >>> 16), (int) (host & 0xFFFF));
        if (ua >= 0) put(slot, UA, b, (int) (ua >>> 16), (int) (ua & 0xFFFF));
        hosts++;
    }

    private boolean take(int slot, boolean sni) {
        if (freeTop == 0) {
            poolFull++;
            return false;
        }
        int e = freeEntries[--freeTop];
        entry[slot] = e;
        poolIsSni[e] = sni;
        poolLen[e * 2] = poolLen[e * 2 + 1] = 0;
        return true;
    }

    private void put(int slot, int field, byte[] b, int off, int len) {
        int e = entry[slot];
        int n = Math.min(len, ConnNames.MAX);
        System.arraycopy(b, off, pool, (e * 2 + field) * ConnNames.MAX, n);
        poolLen[e * 2 + field] = n;
    }

    /** Fills the names of the flow's record. */
    void copyTo(int slot, ConnNames into) {
        into.clear();
        resolved.copyTo(dnsEntry[slot], dnsGen[slot], into);
        int e = entry[slot];
        if (e < 0) return;
        int at = e * 2 * ConnNames.MAX;
        into.set(poolIsSni[e] ? ConnNames.SNI : ConnNames.HTTP_HOST, pool, at, poolLen[e * 2]);
        into.set(ConnNames.USER_AGENT, pool, at + ConnNames.MAX, poolLen[e * 2 + 1]);
    }

    /** The flow ended: its pool entry goes back. */
    void release(int slot) {
        int e = entry[slot];
        if (e >= 0) freeEntries[freeTop++] = e;
        entry[slot] = -1;
    }

    long poolFull() { return poolFull; }
    long snis() { return snis; }
    long hosts() { return hosts; }
}
