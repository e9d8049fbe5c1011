package io.netsensor.capture.attrib;

import io.netsensor.events.Attribution;
import io.netsensor.events.ProcessInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Attribution from the kernel: the eBPF programs of netsensor-bpf-loader (src/main/c) report every socket
 * at the moment it is connected, put to listen or first used for a UDP send, in the context of the
 * process doing it, and every exec/fork/exit; so a process that lives for a millisecond, on a machine
 * whose cores are all busy, is still attributed. Sockets that already existed at start come from the
 * kernel's own walk of every task's files.
 *
 * <p>Threads: the loader (a helper process: a fault there cannot take capture down, and its CPU is its
 * own) drains the BPF ring buffer onto a pipe; the reader thread ({@link KernelEvents}) joins each socket
 * record to its process and queues it ({@link SocketQueue}, preallocated); the capture thread, in
 * {@link #find}, moves queued records into its own table ({@link KernelSockets}) and looks the flow's
 * tuple up there, at the flow's first packet and again while the record is held. Nothing on the capture
 * thread allocates or blocks.
 */
public final class KernelAttribution implements OwnerSource, AutoCloseable {
    private static final int TCP = 6, UDP = 17;
    /** A socket owner that exited this long before the flow's first packet is a previous owner of the tuple. */
    private static final long EXIT_SLACK_NANOS = 2_000_000L;

    private final Process loader;
    private final Path loaderFile;
    private final KernelEvents events;
    private final SocketQueue queue;
    private final KernelSockets sockets;
    private final Thread reader;
    private final List<String> notes;
    private final LearnedAddresses learned = new LearnedAddresses(4096);
    private volatile String readerFailure;
    private ProcessInfo found;
    private long drained;

    // capture-thread counters
    private long finds, stale, wildcardHits;

    private KernelAttribution(Process loader, Path loaderFile, KernelEvents events, SocketQueue queue, List<String> notes) {
        this.loader = loader;
        this.loaderFile = loaderFile;
        this.events = events;
        this.queue = queue;
        this.sockets = new KernelSockets(262_144, 16_384);
        this.notes = notes;
        this.reader = new Thread(this::read, "netsensor-attribution-kernel");
        reader.setDaemon(true);
    }

    /** Why kernel attribution was not even tried (NETSENSOR_ATTRIBUTION=user), or null. */
    public static String disabledReason() {
        String v = System.getenv("NETSENSOR_ATTRIBUTION");
        return v != null && v.trim().equalsIgnoreCase("user") ? "NETSENSOR_ATTRIBUTION=user" : null;
    }

    /**
     * Starts the loader and waits until its programs are attached and the existing sockets were read.
     *
     * @throws IOException with a one-line reason when eBPF cannot be used here (not built, not Linux,
     *                     no BTF, not privileged, refused by the kernel); the caller falls back
     */
    public static KernelAttribution start(long timeoutNanos) throws IOException {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            throw new IOException("not Linux");
        }
        Path exe = extractLoader();
        List<String> notes = new ArrayList<>();
        Process p;
        try {
            p = new ProcessBuilder(exe.toString()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            deleteQuietly(exe);
            throw new IOException("cannot start the eBPF loader (" + e.getMessage() + ")");
        }
        Thread err = new Thread(() -> collect(p.getErrorStream(), notes), "netsensor-bpf-loader-stderr");
        err.setDaemon(true);
        err.start();
        SocketQueue q = new SocketQueue(1 << 16);
        KernelEvents ev = new KernelEvents(q, ProcFs.system(), Path.of("/etc/passwd"), ClockTicks.perSecond());
        KernelAttribution k = new KernelAttribution(p, exe, ev, q, notes);
        k.reader.start();
        long end = System.nanoTime() + timeoutNanos;
        while (!ev.ready()) {
            if (!p.isAlive() || k.readerFailure != null) {
                try {
                    err.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                k.close();
                throw new IOException(failureReason(notes, k.readerFailure, p));
            }
            if (System.nanoTime() > end) {
                k.close();
                throw new IOException("the eBPF loader did not get ready within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                k.close();
                throw new IOException("interrupted while loading eBPF");
            }
        }
        return k;
    }

    private static String failureReason(List<String> notes, String readerFailure, Process p) {
        synchronized (notes) {
            for (String n : notes) {
                int i = n.indexOf("cannot load: ");
                if (i >= 0) return n.substring(i + "cannot load: ".length());
            }
        }
        if (readerFailure != null) return readerFailure;
        return "the eBPF loader exited (" + (p.isAlive() ? "running" : "code " + p.exitValue()) + ")";
    }

    private static void collect(InputStream in, List<String> notes) {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (notes) {
                    if (notes.size() < 100) notes.add(line);
                }
            }
        } catch (IOException e) {
            // the loader's stderr closed: nothing more to say
        }
    }

    /** The helper built into the jar for this architecture, copied to a private file to run it. */
    private static Path extractLoader() throws IOException {
        String arch = System.getProperty("os.arch", "");
        String name = "netsensor-bpf-loader-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
        try (InputStream in = KernelAttribution.class.getResourceAsStream("bpf/" + name)) {
            if (in == null) throw new IOException("this build has no eBPF loader for " + arch + " (clang/libbpf/BTF were missing when it was built)");
            Path dir = Files.createTempDirectory("netsensor-bpf", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path f = dir.resolve(name);
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r-x------"));
            f.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return f;
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
            Files.deleteIfExists(f.getParent());
        } catch (IOException e) {
            // a temp file: removed at exit anyway
        }
    }

    private void read() {
        try {
            events.run(loader.getInputStream());
        } catch (IOException e) {
            readerFailure = "reading the eBPF loader: " + e.getMessage();
        }
    }

    /** What the loader said besides failing (hooks it had to do without), one line each. */
    public List<String> notes() {
        synchronized (notes) {
            List<String> out = new ArrayList<>();
            for (String n : notes) out.add(n.startsWith("netsensor-bpf: ") ? n.substring(15) : n);
            return out;
        }
    }

    /** True while the loader runs (false after it died: attribution then misses everything new). */
    public boolean alive() {
        return loader.isAlive() && readerFailure == null;
    }

    // ---- capture thread

    @Override
    public boolean request(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long tsNanos) {
        return true; // the kernel reported the socket on its own
    }

    @Override
    public Attribution find(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long flowStartNanos) {
        return lookup(proto, lHi, lLo, lPort, rHi, rLo, rPort, listener, flowStartNanos, false);
    }

    @Override
    public Attribution last(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long flowStartNanos) {
        Attribution a = lookup(proto, lHi, lLo, lPort, rHi, rLo, rPort, listener, flowStartNanos, true);
        return a == Attribution.PENDING ? Attribution.NO_SOCKET : a;
    }

    private Attribution lookup(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener,
                               long flowStart, boolean acceptStale) {
        drain();
        finds++;
        KProcess exact = sockets.findExact(proto, lHi, lLo, lPort, rHi, rLo, rPort);
        if (exact != null && !stale(exact, flowStart)) return resolved(exact);
        // a listener (inbound TCP before accept) or an unconnected UDP socket serves any peer
        KProcess any = proto == UDP || listener && proto == TCP ? sockets.findAnyRemote(proto, lHi, lLo, lPort) : null;
        if (any != null && !stale(any, flowStart)) {
            wildcardHits++;
            return resolved(any);
        }
        if (exact != null || any != null) {
            if (acceptStale) return resolved(exact != null ? exact : any);
            stale++;
        }
        found = null;
        return Attribution.PENDING;
    }

    private Attribution resolved(KProcess p) {
        found = p.info;
        return Attribution.RESOLVED;
    }

    /** The owner had exited before the flow began: the entry is a previous use of the tuple (port reuse). */
    private static boolean stale(KProcess p, long flowStart) {
        long exit = p.exitNanos;
        return exit != 0 && flowStart != 0 && exit < flowStart - EXIT_SLACK_NANOS;
    }

    /** Moves what the reader queued into the capture thread's table. */
    private void drain() {
        long h = queue.head(), t = queue.available();
        if (h == t) return;
        SocketQueue q = queue;
        for (; h < t; h++) {
            int i = q.slot(h);
            int f = q.flags[i];
            sockets.put(q.proto[i], q.lHi[i], q.lLo[i], q.lPort[i], q.rHi[i], q.rLo[i], q.rPort[i],
                    (f & SocketQueue.ANY_REMOTE) != 0, q.ts[i], q.process[i]);
            if ((f & KernelEvents.OTHER_NETNS) != 0 && (q.lHi[i] | q.lLo[i]) != 0) learned.add(q.lHi[i], q.lLo[i]);
            drained++;
        }
        q.consumed(t);
    }

    @Override
    public ProcessInfo process() {
        return found;
    }

    @Override
    public long version() {
        drain();
        return drained;
    }

    @Override
    public boolean mayOwn(long hi, long lo) {
        drain(); // a container's first connect: its record may be queued, not yet in the table
        return learned.contains(hi, lo);
    }

    /**
     * Container id (from the cgroup path) of the owner the last {@link #find} resolved, null when none;
     * also in {@link #process()} (journaled in its PROCESS record, ECS container.id).
     */
    public String foundContainerId() {
        return found == null ? null : found.containerId;
    }

    /** cgroup v2 id of the owner the last {@link #find} resolved (0 when unknown). */
    public long foundCgroupId() {
        return found == null ? 0 : found.cgroupId;
    }

    /** Counters of the loader and the join, for the metrics registry and the stop line (allocates). */
    public Map<String, Long> stats() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records", events.records);
        m.put("socket_records", events.sockets);
        m.put("existing_sockets", events.existing);
        m.put("exec_records", events.execs);
        m.put("fork_records", events.forks);
        m.put("exit_records", events.exits);
        m.put("ringbuf_drops", events.ringbufDrops);
        m.put("queue_drops", queue.drops());
        m.put("udp_deduped", events.udpDeduped);
        m.put("procfs_reads", events.procfsReads);
        m.put("unknown_processes", events.unknownProcesses);
        m.put("bad_records", events.badRecords);
        m.put("other_netns_not_container", events.otherNetnsSkipped);
        m.put("processes", (long) events.processes());
        m.put("table_entries", (long) sockets.size());
        m.put("table_overwrites", sockets.overwrites());
        m.put("finds", finds);
        m.put("stale_skipped", stale);
        m.put("any_remote_hits", wildcardHits);
        m.put("loader_cpu_ns", events.loaderCpuNanos);
        m.put("loader_alive", alive() ? 1L : 0L);
        return m;
    }

    @Override
    public void close() {
        loader.destroy();
        try {
            if (!loader.waitFor(2, TimeUnit.SECONDS)) loader.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loader.destroyForcibly();
        }
        reader.interrupt();
        deleteQuietly(loaderFile);
    }

    /** Addresses of sockets in other network namespaces (capture thread only); cleared when full. */
    static final class LearnedAddresses {
        private final long[] his, los;
        private final boolean[] used;
        private final int mask;
        private int size;

        LearnedAddresses(int capacityPow2) {
            his = new long[capacityPow2];
            los = new long[capacityPow2];
            used = new boolean[capacityPow2];
            mask = capacityPow2 - 1;
        }

        boolean contains(long hi, long lo) {
            if (size == 0) return false;
            for (int i = slot(hi, lo); used[i]; i = (i + 1) & mask) if (his[i] == hi && los[i] == lo) return true;
            return false;
        }

        void add(long hi, long lo) {
            if (contains(hi, lo)) return;
            if (size >= his.length / 2) {
                java.util.Arrays.fill(used, false);
                size = 0;
            }
            int i = slot(hi, lo);
            while (used[i]) i = (i + 1) & mask;
            his[i] = hi;
            los[i] = lo;
            used[i] = true;
            size++;
        }

        private int slot(long hi, long lo) {
            long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
            h *= 0xBF58476D1CE4E5B9L;
            return (int) (h ^ (h >>> 31)) & mask;
        }
    }
}
