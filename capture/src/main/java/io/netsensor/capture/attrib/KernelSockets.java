package io.netsensor.capture.attrib;

/**
 * The capture thread's table of socket owners reported by the kernel, keyed by (protocol, local address
 * and port, remote address and port). Connected sockets are keyed by the whole tuple; a socket that
 * talks to anyone (a TCP listener, an unconnected UDP socket) by its local endpoint with the remote left
 * zero, in a table of its own so that connection churn never evicts a listener. A local address of zero
 * is a socket bound to the any address.
 *
 * <p>Buckets of {@link #WAYS} slots in parallel arrays; a full bucket overwrites its oldest entry (counted).
 * Capture thread only: no locks, no allocation.
 */
final class KernelSockets {
    static final int WAYS = 8;

    private final Table connected, anyRemote;
    /** The slot of the last successful find (in {@link #lastTable}). */
    private int lastSlot;
    private Table lastTable;

    KernelSockets(int connectedEntries, int anyRemoteEntries) {
        connected = new Table(connectedEntries);
        anyRemote = new Table(anyRemoteEntries);
    }

    void put(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean anyRemotePeer, long ts, KProcess p) {
        if (anyRemotePeer) anyRemote.put(proto, lHi, lLo, lPort, 0, 0, 0, ts, p);
        else connected.put(proto, lHi, lLo, lPort, rHi, rLo, rPort, ts, p);
    }

    /** The connected socket with exactly this tuple, or null. */
    KProcess findExact(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        return found(connected, connected.find(proto, lHi, lLo, lPort, rHi, rLo, rPort));
    }

    /** A socket on this local endpoint that takes any peer (bound to the address, else to any address), or null. */
    KProcess findAnyRemote(int proto, long lHi, long lLo, int lPort) {
        int s = anyRemote.find(proto, lHi, lLo, lPort, 0, 0, 0);
        if (s < 0) s = anyRemote.find(proto, 0, 0, lPort, 0, 0, 0);
        return found(anyRemote, s);
    }

    private KProcess found(Table t, int slot) {
        if (slot < 0) return null;
        lastTable = t;
        lastSlot = slot;
        return t.process[slot];
    }

    /** Kernel time (capture clock) of the record behind the last find. */
    long lastTs() {
        return lastTable.ts[lastSlot];
    }

    long overwrites() {
        return connected.overwrites + anyRemote.overwrites;
    }

    int size() {
        return connected.size + anyRemote.size;
    }

    private static final class Table {
        final int bucketMask;
        final int[] proto, ports;
        final long[] lHi, lLo, rHi, rLo, ts;
        final KProcess[] process;
        long overwrites;
        int size;

        Table(int minEntries) {
            int buckets = Integer.highestOneBit(Math.max(1, minEntries / WAYS - 1)) << 1;
            int n = buckets * WAYS;
            bucketMask = buckets - 1;
            proto = new int[n];
            ports = new int[n];
            lHi = new long[n];
            lLo = new long[n];
            rHi = new long[n];
            rLo = new long[n];
            ts = new long[n];
            process = new KProcess[n];
        }

        int find(int pr, long lh, long ll, int lp, long rh, long rl, int rp) {
            int base = (AttributionResults.hash(pr, lh, ll, lp, rh, rl, rp) & bucketMask) * WAYS;
            int pp = lp << 16 | rp;
            for (int i = base; i < base + WAYS; i++) {
                if (process[i] != null && ports[i] == pp && lLo[i] == ll && rLo[i] == rl && proto[i] == pr
                        && lHi[i] == lh && rHi[i] == rh) return i;
            }
            return -1;
        }

        void put(int pr, long lh, long ll, int lp, long rh, long rl, int rp, long t, KProcess p) {
            int base = (AttributionResults.hash(pr, lh, ll, lp, rh, rl, rp) & bucketMask) * WAYS;
            int pp = lp << 16 | rp;
            int victim = -1;
            long oldest = Long.MAX_VALUE;
            for (int i = base; i < base + WAYS; i++) {
                if (process[i] == null) {
                    if (victim < 0 || oldest != Long.MIN_VALUE) {
                        victim = i;
                        oldest = Long.MIN_VALUE;
                    }
                    continue;
                }
                if (ports[i] == pp && lLo[i] == ll && rLo[i] == rl && proto[i] == pr && lHi[i] == lh && rHi[i] == rh) {
                    victim = i; // the same socket tuple: a newer owner replaces the old one
                    oldest = Long.MIN_VALUE;
                    size--;
                    break;
                }
                if (oldest != Long.MIN_VALUE && ts[i] < oldest) {
                    oldest = ts[i];
                    victim = i;
                }
            }
            if (process[victim] != null && oldest != Long.MIN_VALUE) {
                overwrites++;
                size--;
            }
            proto[victim] = pr;
            ports[victim] = pp;
            lHi[victim] = lh;
            lLo[victim] = ll;
            rHi[victim] = rh;
            rLo[victim] = rl;
            ts[victim] = t;
            process[victim] = p;
            size++;
        }
    }
}
