package io.netsensor.capture.attrib;
import io.netsensor.events.ProcessInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pid -> {@link ProcessInfo}, validated against the start time in /proc/PID/stat so a reused pid is
 * re-read, and kept after the process exits (bounded, least recently used evicted) so records of a
 * process that already exited still resolve. Resolver thread only.
 */
final class ProcessCache {
    private final ProcFs fs;
    private final Users users;
    private final String bootId;
    private final long bootNanos;
    private final long nanosPerTick;
    private final int maxEntries;
    private final LinkedHashMap<Integer, ProcessInfo> byPid;
    private long reads, evictions;

    ProcessCache(ProcFs fs, Users users, long clockTicksPerSecond, int maxEntries) {
        this.fs = fs;
        this.users = users;
        this.bootId = fs.bootId();
        long btime = fs.bootTimeSeconds();
        this.bootNanos = Math.max(0, btime) * 1_000_000_000L;
        this.nanosPerTick = 1_000_000_000L / Math.max(1, clockTicksPerSecond);
        this.maxEntries = maxEntries;
        this.byPid = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, ProcessInfo> eldest) {
                if (size() > ProcessCache.this.maxEntries) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /** The process now running as pid (or the last one seen with it, if it exited); null when never seen. */
    ProcessInfo get(int pid, long nowNanos) {
        ProcessInfo cached = byPid.get(pid);
        ProcFs.Stat st = fs.stat(pid);
        if (st == null) return cached; // exited: the last process seen with this pid is the best answer
        long startNanos = bootNanos + st.startTicks * nanosPerTick;
        if (cached != null && cached.startNanos == startNanos) return cached; // same start: the same process
        reads++;
        int uid = fs.uid(pid);
        ProcessInfo p = new ProcessInfo(EntityIds.of(bootId, pid, st.startTicks), pid, st.ppid, uid, startNanos, st.comm, fs.exe(pid), fs.cmdline(pid), users.name(uid, nowNanos));
        byPid.put(pid, p);
        return p;
    }

    int size() {
        return byPid.size();
    }

    long reads() {
        return reads;
    }

    long evictions() {
        return evictions;
    }
}
