package io.netsensor.capture.attrib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * socket inode -> owning pid, learned by reading /proc/PID/fd links ("socket:[inode]"). The kernel has no
 * reverse index, so misses are searched in order of likelihood and cost:
 * <ol>
 * <li>young pids: not seen before, or first seen less than {@link #YOUNG_NANOS} ago (short-lived clients
 *     are new pids; a pid seen between its fork and its connect must be looked at again); a scan of only
 *     those is cheap and happens while the client still lives;</li>
 * <li>pids that recently owned resolved sockets (servers accepting, browsers, agents reconnecting);</li>
 * <li>a full rescan of every process, rate-limited ({@code minFullScanNanos}) because its cost grows with
 *     the host's processes and fds.</li>
 * </ol>
 * Mappings of exited processes stay until the next full rescan, so a socket whose owner just exited still
 * resolves. Resolver thread only.
 */
final class InodeOwners {
    private static final int RECENT_PIDS = 64;
    private static final int MAX_MAPPINGS = 1 << 20;
    static final long YOUNG_NANOS = 2_000_000_000L;

    private final ProcFs fs;
    private final long minFullScanNanos;
    private Map<Long, Integer> owner = new HashMap<>();
    /** pid -> when it was first listed. */
    private Map<Integer, Long> firstSeen = new HashMap<>();
    private final LinkedHashMap<Integer, Boolean> recent = new LinkedHashMap<>(128, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > RECENT_PIDS;
        }
    };
    private long lastFullScan = Long.MIN_VALUE;
    private boolean deniedSinceFullScan;
    private long fullScans, newPidScans, pidsScanned, denied;

    InodeOwners(ProcFs fs, long minFullScanNanos) {
        this.fs = fs;
        this.minFullScanNanos = minFullScanNanos;
    }

    /** Cached owner, 0 when unknown. */
    int cached(long inode) {
        Integer p = owner.get(inode);
        return p == null ? 0 : p;
    }

    /** Steps 1 and 2: scans young pids, then recently owning pids; the owner or 0. */
    int findQuick(long inode, long nowNanos) {
        newPidScans++;
        List<Integer> pids = new ArrayList<>();
        fs.pids(pids::add);
        pids.sort(null); // ascending, as procfs lists them: parents before the children they fork
        Map<Integer, Long> seen = new HashMap<>(pids.size() * 2);
        for (int pid : pids) {
            Long first = firstSeen.get(pid);
            if (first == null) first = nowNanos;
            seen.put(pid, first);
            if (nowNanos - first < YOUNG_NANOS) scan(pid);
        }
        firstSeen = seen;
        int p = cached(inode);
        if (p != 0) return p;
        for (Integer pid : new ArrayList<>(recent.keySet())) {
            scan(pid);
            p = cached(inode);
            if (p != 0) return p;
        }
        return 0;
    }

    boolean fullScanAllowed(long nowNanos) {
        return lastFullScan == Long.MIN_VALUE || nowNanos - lastFullScan >= minFullScanNanos;
    }

    /** Step 3: rebuilds the whole map from every process. */
    void fullScan(long nowNanos) {
        lastFullScan = nowNanos;
        fullScans++;
        deniedSinceFullScan = false;
        owner = new HashMap<>(Math.max(1024, owner.size()));
        List<Integer> pids = new ArrayList<>();
        fs.pids(pids::add);
        pids.sort(null);
        Map<Integer, Long> seen = new HashMap<>(pids.size() * 2);
        for (int pid : pids) {
            scan(pid);
            Long first = firstSeen.get(pid);
            seen.put(pid, first == null ? nowNanos - YOUNG_NANOS : first); // present at a full scan: not young
        }
        firstSeen = seen;
    }

    /** Remembers that pid owned a resolved socket (it is searched early next time). */
    void noteOwner(int pid) {
        recent.put(pid, Boolean.TRUE);
    }

    /** True when some process's fds could not be read since the last full rescan (missing capability). */
    boolean deniedSeen() {
        return deniedSinceFullScan;
    }

    private void scan(int pid) {
        pidsScanned++;
        if (owner.size() > MAX_MAPPINGS) owner.clear(); // bounded; the next misses rebuild it
        // A socket held by several processes (inherited across fork) keeps its first owner found: pids are
        // listed in ascending order, so that is normally the parent that created it, not a child about to exec.
        int r = fs.socketInodes(pid, inode -> owner.putIfAbsent(inode, pid));
        if (r == ProcFs.DENIED) {
            denied++;
            deniedSinceFullScan = true;
        }
    }

    int size() { return owner.size(); }
    long fullScans() { return fullScans; }
    long quickScans() { return newPidScans; }
    long pidsScanned() { return pidsScanned; }
    long deniedScans() { return denied; }
}
