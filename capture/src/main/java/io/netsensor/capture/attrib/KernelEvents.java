package io.netsensor.capture.attrib;

import io.netsensor.events.ProcessInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel reader thread's work: parses the loader's stream ([u32 length][record], records.h) from a
 * preallocated buffer, keeps the table of processes (exec/fork/exit records, /proc for a process that
 * predates the agent) and passes each socket record, joined to its process, to the capture thread
 * through the {@link SocketQueue}. Allocates only per process (its description), never per socket.
 */
final class KernelEvents {
    static final int REC_SOCKET = 1, REC_EXEC = 2, REC_FORK = 3, REC_EXIT = 4, REC_CLOCK = 5, REC_STATS = 6, REC_READY = 7;
    static final int SOCKET_SIZE = 96, EXEC_SIZE = 1096, FORK_SIZE = 32, EXIT_SIZE = 24, CLOCK_SIZE = 16, STATS_SIZE = 40;
    /** Queue flag beside SocketQueue.ANY_REMOTE: the socket lives in another network namespace (a container). */
    static final int OTHER_NETNS = 2;
    /** An exited process stays findable by pid this long (records of its sockets may still be on their way). */
    private static final long KEEP_EXITED_NANOS = 30_000_000_000L;
    private static final int MAX_PROCESSES = 65_536;

    private final SocketQueue queue;
    private final ProcessCache procfs;
    private final ProcFs fs;
    private final Users users;
    private final String bootId;
    private final long bootNanos, nanosPerTick;
    private final long ownNetns, ownMntns;
    private final HashMap<Integer, KProcess> byPid = new HashMap<>(4096);
    private final ArrayDeque<KProcess> exited = new ArrayDeque<>();
    private final Map<String, String> realPaths = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 4096;
        }
    };
    private final byte[] buf = new byte[1 << 18];
    private final ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);

    /** realtime - boottime (ns): kernel timestamps + this = the capture clock. */
    private volatile long clockOffset;
    private volatile boolean ready;
    // counters: written by the reader thread, read racily for metrics
    volatile long records, sockets, existing, execs, forks, exits, procfsReads, unknownProcesses, badRecords, otherNetnsSkipped;
    volatile long ringbufDrops, loaderRecords, udpDeduped, loaderCpuNanos;

    KernelEvents(SocketQueue queue, ProcFs fs, Path passwd, long clockTicksPerSecond) {
        this.queue = queue;
        this.fs = fs;
        this.users = new Users(passwd);
        this.procfs = new ProcessCache(fs, users, clockTicksPerSecond, 4096);
        this.bootId = fs.bootId();
        this.bootNanos = Math.max(0, fs.bootTimeSeconds()) * 1_000_000_000L;
        this.nanosPerTick = 1_000_000_000L / Math.max(1, clockTicksPerSecond);
        this.ownNetns = nsInode("net");
        this.ownMntns = nsInode("mnt");
    }

    /** Reads the stream until it ends (the loader stopped) or the thread is interrupted. */
    void run(InputStream in) throws IOException {
        int have = 0;
        while (!Thread.currentThread().isInterrupted()) {
            int n = in.read(buf, have, buf.length - have);
            if (n < 0) return;
            have += n;
            int off = 0;
            while (have - off >= 4) {
                int len = bb.getInt(off);
                if (len <= 0 || len > buf.length - 4) throw new IOException("corrupt record stream (length " + len + ")");
                if (have - off - 4 < len) break;
                handle(off + 4, len);
                off += 4 + len;
            }
            System.arraycopy(buf, off, buf, 0, have - off);
            have -= off;
        }
    }

    /** One record at {@code off} (for tests too). */
    void handle(int off, int len) {
        records++;
        int kind = bb.getInt(off);
        switch (kind) {
            case REC_SOCKET: if (len >= SOCKET_SIZE) socket(off); else badRecords++; break;
            case REC_EXEC: if (len >= EXEC_SIZE) exec(off); else badRecords++; break;
            case REC_FORK: if (len >= FORK_SIZE) fork(off); else badRecords++; break;
            case REC_EXIT: if (len >= EXIT_SIZE) exit(off); else badRecords++; break;
            case REC_CLOCK: if (len >= CLOCK_SIZE) clockOffset = bb.getLong(off + 8); break;
            case REC_STATS:
                if (len >= STATS_SIZE) {
                    ringbufDrops = bb.getLong(off + 8);
                    loaderRecords = bb.getLong(off + 16);
                    udpDeduped = bb.getLong(off + 24);
                    loaderCpuNanos = bb.getLong(off + 32);
                }
                break;
            case REC_READY: ready = true; break;
            default: badRecords++; // a newer loader's record: skipped
        }
    }

    ByteBuffer buffer() {
        return bb;
    }

    boolean ready() {
        return ready;
    }

    long toCaptureClock(long bootNs) {
        return bootNs + clockOffset;
    }

    private void socket(int off) {
        sockets++;
        int how = bb.get(off + 4) & 0xFF;
        if (how == 5) existing++;
        int proto = bb.get(off + 5) & 0xFF;
        int flags = bb.get(off + 6) & 0xFF;
        int tgid = bb.getInt(off + 8);
        int uid = bb.getInt(off + 16);
        int lPort = bb.getShort(off + 20) & 0xFFFF, rPort = bb.getShort(off + 22) & 0xFFFF;
        long lHi = Long.reverseBytes(bb.getLong(off + 24)), lLo = Long.reverseBytes(bb.getLong(off + 32));
        long rHi = Long.reverseBytes(bb.getLong(off + 40)), rLo = Long.reverseBytes(bb.getLong(off + 48));
        long netns = bb.getInt(off + 56) & 0xFFFF_FFFFL;
        long cgroup = bb.getLong(off + 64);
        long ts = toCaptureClock(bb.getLong(off + 72));
        KProcess p = byPid.get(tgid);
        if (p == null) p = unknown(tgid, uid, off + 80, ts);
        p.inCgroup(cgroup);
        int qf = (flags & 1) != 0 ? SocketQueue.ANY_REMOTE : 0;
        if (netns != ownNetns && ownNetns != 0) {
            // Another network namespace is a container of this host only when its process is in a
            // container's cgroup; otherwise (a namespace standing in for another machine, as a lab or
            // test network is) its sockets are that machine's, not this host's.
            if (p.containerId == null) {
                otherNetnsSkipped++;
                return;
            }
            qf |= OTHER_NETNS;
        }
        queue.offer(proto, lHi, lLo, lPort, rHi, rLo, rPort, qf, ts, p);
    }

    /** A process no exec/fork record described (it predates the agent): from /proc, else from the record. */
    private KProcess unknown(int tgid, int uid, int commOff, long ts) {
        procfsReads++;
        ProcessInfo info = procfs.get(tgid, ts);
        String container = null;
        if (info != null) {
            container = containerFromProc(tgid);
        } else {
            unknownProcesses++;
            String comm = cString(commOff, 16);
            info = new ProcessInfo(EntityIds.of(bootId, tgid, -ts), tgid, 0, uid, 0, comm, null, null, users.name(uid, ts));
        }
        KProcess p = new KProcess(info, container);
        remember(tgid, p);
        return p;
    }

    private void exec(int off) {
        execs++;
        int tgid = bb.getInt(off + 4), ppid = bb.getInt(off + 8), uid = bb.getInt(off + 12);
        long startBoot = bb.getLong(off + 16);
        long ts = toCaptureClock(bb.getLong(off + 24));
        long cgroup = bb.getLong(off + 32);
        long mntns = bb.getInt(off + 44) & 0xFFFF_FFFFL;
        int fileLen = Math.min(bb.getInt(off + 48), 255), argsLen = Math.min(bb.getInt(off + 52), 512);
        String comm = cString(off + 56, 16);
        String file = new String(buf, off + 72, Math.max(0, fileLen), StandardCharsets.UTF_8);
        String args = args(off + 328, argsLen);
        String container = ContainerIds.of(cString(off + 840, 128), cString(off + 968, 128));
        long ticks = startBoot / nanosPerTick;
        String exe = mntns == ownMntns || ownMntns == 0 ? realPath(file) : file;
        ProcessInfo info = new ProcessInfo(EntityIds.of(bootId, tgid, ticks), tgid, ppid, uid, bootNanos + ticks * nanosPerTick,
                comm, exe.isEmpty() ? null : exe, args, users.name(uid, ts), container, cgroup);
        remember(tgid, new KProcess(info, container));
    }

    private void fork(int off) {
        forks++;
        int parent = bb.getInt(off + 4), child = bb.getInt(off + 8), uid = bb.getInt(off + 12);
        long ticks = bb.getLong(off + 16) / nanosPerTick;
        KProcess pp = byPid.get(parent);
        if (pp == null) return; // described from /proc when one of its sockets shows up
        ProcessInfo p = pp.info;
        ProcessInfo info = new ProcessInfo(EntityIds.of(bootId, child, ticks), child, parent, uid, bootNanos + ticks * nanosPerTick,
                p.name, p.executable, p.commandLine, uid == p.uid ? p.user : users.name(uid, 0), p.containerId, p.cgroupId);
        remember(child, new KProcess(info, pp.containerId));
    }

    private void exit(int off) {
        exits++;
        int tgid = bb.getInt(off + 4);
        long ticks = bb.getLong(off + 8) / nanosPerTick;
        long ts = toCaptureClock(bb.getLong(off + 16));
        KProcess p = byPid.get(tgid);
        if (p == null || p.info.startNanos != bootNanos + ticks * nanosPerTick && p.info.startNanos != 0) return;
        p.exitNanos = ts;
        exited.add(p);
        // forget processes that exited long enough ago (their socket entries keep what they need)
        for (KProcess e; (e = exited.peek()) != null && ts - e.exitNanos > KEEP_EXITED_NANOS; ) {
            exited.poll();
            byPid.remove(e.info.pid, e);
        }
    }

    private void remember(int tgid, KProcess p) {
        if (byPid.size() >= MAX_PROCESSES) byPid.clear(); // a bound, not a policy: re-described from /proc on demand
        byPid.put(tgid, p);
    }

    private String args(int off, int len) {
        int n = len;
        while (n > 0 && buf[off + n - 1] == 0) n--;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = buf[off + i] == 0 ? (byte) ' ' : buf[off + i];
        return new String(b, StandardCharsets.UTF_8);
    }

    private String cString(int off, int max) {
        int n = 0;
        while (n < max && buf[off + n] != 0) n++;
        return new String(buf, off, n, StandardCharsets.UTF_8);
    }

    /** The executable's path with links resolved, as /proc/PID/exe names it (cached per path). */
    private String realPath(String file) {
        if (!file.startsWith("/")) return file;
        String r = realPaths.get(file);
        if (r == null) {
            try {
                r = Path.of(file).toRealPath().toString();
            } catch (IOException | RuntimeException e) {
                r = file; // gone already, or not ours to resolve: the name as executed
            }
            realPaths.put(file, r);
        }
        return r;
    }

    private String containerFromProc(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup"))) {
                String id = ContainerIds.ofPath(line.substring(line.lastIndexOf(':') + 1));
                if (id != null) return id;
            }
        } catch (IOException | RuntimeException e) {
            // exited or unreadable: no container id
        }
        return null;
    }

    private static long nsInode(String ns) {
        try {
            String s = Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString(); // "net:[4026531840]"
            return Long.parseLong(s.substring(s.indexOf('[') + 1, s.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    int processes() {
        return byPid.size();
    }

    /** The process the kernel described with this pid, or null (reader thread, or tests). */
    KProcess process(int pid) {
        return byPid.get(pid);
    }
}
