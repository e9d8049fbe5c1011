package io.netsensor.capture.attrib;
import io.netsensor.events.ProcessInfo;

import io.netsensor.events.Attribution;
import io.netsensor.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Resolves local sockets to the processes that own them, on its own thread, for live capture.
 *
 * <h2>Threads and memory</h2>
 * <ul>
 * <li>The capture thread calls {@link #request} for each new flow with a local endpoint: six longs into a
 *     preallocated single-producer ring ({@link RequestRing}; full = dropped and counted), plus an
 *     {@code unpark} only when the resolver is asleep (above 1,000 requests/s it polls the queue instead,
 *     so the capture thread pays no wake-up per flow). Nothing is allocated, nothing waits.</li>
 * <li>The resolver thread (this class) owns every cache and does all the slow work: the netlink
 *     sock_diag lookup of the tuple (-> inode, uid), the inode -> pid search over /proc/PID/fd
 *     ({@link InodeOwners}: new pids first, then recently owning pids, then a rate-limited full rescan;
 *     a miss that must wait for the rate limit is retried for up to {@code retryNanos}), and pid ->
 *     process info ({@link ProcessCache}). It allocates freely (it is not the packet path).</li>
 * <li>Results are published to {@link AttributionResults}, read by the capture thread without locks or
 *     allocation when it writes OPEN/END and DNS records ({@link AttributingHandler}).</li>
 * <li>Recently resolved sockets stay in a recent-sockets table for {@code graceNanos} (2 min) after they
 *     were last seen, so a request that arrives after its socket closed (queue backlog, capture delay)
 *     still resolves; full rescans also dump every TCP/UDP socket into it.</li>
 * </ul>
 * The SYN (or first datagram) is seen while even a short-lived client still exists, which is why the
 * lookup starts at the first packet rather than when the record is written (Packetbeat's weakness).
 */
public final class SocketOwnerResolver implements AutoCloseable {
    static final int TCP = 6;
    private static final long PARK_NANOS = 50_000_000L;
    /**
     * At high request rates (at least {@link #BUSY_REQUESTS} in a {@link #RATE_WINDOW_NANOS} window, i.e.
     * 1,000/s) the resolver polls the queue every {@link #POLL_NANOS} instead of sleeping until unparked: an
     * unpark per request costs the capture thread a futex syscall and a cross-core wake per new flow,
     * whereas polling costs only the resolver's own core and batches requests. The added lookup latency (at
     * most POLL_NANOS) is far below the record hold time (0.5 s). Below that rate every request still wakes
     * the resolver at once (the first lookup of a short-lived client is as fast as it can be).
     */
    private static final long POLL_NANOS = 500_000L, RATE_WINDOW_NANOS = 10_000_000L;
    private static final int BUSY_REQUESTS = 10;
    private static final int MAX_RECENT = 65_536;
    /** NETSENSOR_ATTRIBUTION_DEBUG=1 prints one stderr line per lookup (latency, outcome). */
    private static final boolean DEBUG = System.getenv("NETSENSOR_ATTRIBUTION_DEBUG") != null;

    private final RequestRing ring;
    private final AttributionResults results;
    private final SockDiag diag;
    private final InodeOwners owners;
    private final ProcessCache processes;
    private final long graceNanos, retryNanos;
    private final String privilegeWarning;
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ArrayDeque<long[]> retries = new ArrayDeque<>();
    private final LinkedHashMap<Tuple, Recent> recent = new LinkedHashMap<>(1024, 0.75f, true);
    private final long[] req = new long[RequestRing.WORDS];
    private final ArrayDeque<long[]> batch = new ArrayDeque<>();
    private volatile boolean running = true;
    private volatile Thread thread;

    // counters, written by the resolver thread, read (racily, monotonic) for metrics
    /** Capture thread's wake-ups of a sleeping resolver (racy read for metrics). */
    private long unparks;
    private volatile long lookups, resolved, graceHits, retried, noSocket, noProcess, noPermission;

    SocketOwnerResolver(ProcFs fs, Path passwd, SockDiag diag, long clockTicksPerSecond, Options o) {
        this.ring = new RequestRing(o.queueCapacity);
        this.results = new AttributionResults(o.resultEntries);
        this.diag = diag;
        this.owners = new InodeOwners(fs, o.minFullScanNanos);
        this.processes = new ProcessCache(fs, new Users(passwd), clockTicksPerSecond, o.maxProcesses);
        this.graceNanos = o.graceNanos;
        this.retryNanos = o.retryNanos;
        this.privilegeWarning = Privileges.warning(fs);
    }

    /** Tunables; the defaults suit a host with up to tens of thousands of new connections per second. */
    public static final class Options {
        public int queueCapacity = 8192;
        public int resultEntries = 131_072;
        public int maxProcesses = 16_384;
        public long minFullScanNanos = 100_000_000L;
        public long retryNanos = 1_000_000_000L;
        public long graceNanos = 120_000_000_000L;
    }

    /** Opens sock_diag and procfs of this host and starts the resolver thread. */
    public static SocketOwnerResolver start(Options o) throws IOException {
        SocketOwnerResolver r = new SocketOwnerResolver(ProcFs.system(), Path.of("/etc/passwd"), SockDiag.open(),
                ClockTicks.perSecond(), o);
        r.startThread();
        return r;
    }

    void startThread() {
        Thread t = new Thread(this::loop, "netsensor-attribution");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** One stderr line naming what this process cannot see, or null when it can read every process. */
    public String privilegeWarning() {
        return privilegeWarning;
    }

    // ---- capture thread

    /**
     * Capture thread: asks for the owner of the socket (local endpoint, remote endpoint). With
     * {@code listener}, the TCP socket looked up is the one listening on the local endpoint (an inbound
     * SYN arrives before the accepted socket exists). False when the queue was full (dropped, counted).
     */
    public boolean request(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long tsNanos) {
        long w0 = (proto & 0xFF) | (listener ? 0x100L : 0) | (long) (lPort & 0xFFFF) << 16 | (long) (rPort & 0xFFFF) << 32;
        boolean ok = ring.offer(w0, lHi, lLo, rHi, rLo, tsNanos);
        if (ok && sleeping.get() && sleeping.compareAndSet(true, false)) {
            Thread t = thread;
            if (t != null) {
                unparks++;
                LockSupport.unpark(t);
            }
        }
        return ok;
    }

    AttributionResults results() {
        return results;
    }

    /** This resolver as the capture thread's {@link OwnerSource} (one per resolver: it keeps the last find). */
    public OwnerSource source() {
        return source;
    }

    private final OwnerSource source = new OwnerSource() {
        private ProcessInfo found;

        @Override
        public boolean request(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long tsNanos) {
            return SocketOwnerResolver.this.request(proto, lHi, lLo, lPort, rHi, rLo, rPort, listener, tsNanos);
        }

        @Override
        public Attribution find(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, boolean listener, long flowStartNanos) {
            AttributionResults.Entry r = results.find(proto, lHi, lLo, lPort, rHi, rLo, rPort);
            found = r == null ? null : r.process;
            return r == null ? Attribution.PENDING : r.status;
        }

        @Override
        public ProcessInfo process() {
            return found;
        }

        @Override
        public long version() {
            return results.version();
        }
    };

    // ---- resolver thread

    private void loop() {
        warmUp();
        long windowStart = System.nanoTime();
        int windowRequests = 0;
        boolean busy = false;
        while (running) {
            boolean worked = false;
            // Two phases: every queued socket is looked up first (microseconds each, and the socket may close
            // soon), then owners are searched (the slow /proc part, for which the process must still live).
            while (ring.poll(req)) {
                long inode = lookupSocket(req, System.nanoTime());
                if (inode > 0) {
                    long[] w = java.util.Arrays.copyOf(req, RequestRing.WORDS + 2);
                    w[RequestRing.WORDS] = inode;
                    batch.add(w);
                }
                windowRequests++;
                worked = true;
            }
            for (long[] w; (w = batch.poll()) != null; ) {
                resolveOwner(w, w[RequestRing.WORDS], System.nanoTime());
            }
            long now = System.nanoTime();
            worked |= retryDue(now);
            if (now - windowStart >= RATE_WINDOW_NANOS) {
                busy = windowRequests >= BUSY_REQUESTS;
                windowStart = now;
                windowRequests = 0;
            }
            if (worked) continue;
            if (busy) {
                LockSupport.parkNanos(this, POLL_NANOS); // the capture thread does not wake us
            } else {
                sleeping.set(true);
                if (ring.isEmpty()) LockSupport.parkNanos(this, retries.isEmpty() ? PARK_NANOS : 5_000_000L);
                sleeping.set(false);
            }
        }
    }

    /**
     * Fills the caches before the first request (every current process and socket) and runs the lookup
     * path a few times, so the first short-lived client is not lost to a cold start.
     */
    private void warmUp() {
        long now = System.nanoTime();
        fullScan(now);
        for (int i = 0; i < 200; i++) {
            owners.findQuick(-1, now);
            if (diag != null) diag.lookup(TCP, 0, 0x0000_FFFF_7F00_0001L, 1, 0, 0x0000_FFFF_7F00_0001L, 1);
        }
    }

    /** Resolves one request (words as posted), both phases; for tests. */
    void resolve(long[] w, long now) {
        long inode = lookupSocket(w, now);
        if (inode > 0) resolveOwner(w, inode, now);
    }

    /** Phase 1: the socket's inode, or -1 after publishing the outcome (no socket, or from the recent table). */
    private long lookupSocket(long[] w, long now) {
        lookups++;
        int proto = (int) (w[0] & 0xFF);
        boolean listener = (w[0] & 0x100) != 0;
        int lPort = (int) (w[0] >>> 16) & 0xFFFF, rPort = (int) (w[0] >>> 32) & 0xFFFF;
        boolean found = diag != null && (listener && proto == TCP
                ? diag.lookup(proto, w[1], w[2], lPort, 0, 0, 0)
                : diag.lookup(proto, w[1], w[2], lPort, w[3], w[4], rPort));
        if (DEBUG) System.err.println("attribution: lookup age_ms=" + (System.currentTimeMillis() - w[5] / 1_000_000) + " found=" + found + " inode=" + (diag == null ? -1 : diag.inode()) + " state=" + (diag == null ? -1 : diag.state()) + " ports " + lPort + "/" + rPort + " listener=" + listener);
        if (found && diag.inode() == 0 && proto == TCP && !listener) {
            found = false; // a time-wait socket: no owner any more
        }
        if (!found) {
            Recent r = recent.get(new Tuple(proto, w[1], w[2], lPort, w[3], w[4], rPort));
            if (r != null && now - r.lastSeen <= graceNanos) {
                graceHits++;
                publish(w, Attribution.RESOLVED, r.process, now);
            } else {
                noSocket++;
                publish(w, Attribution.NO_SOCKET, null, now);
            }
            return -1;
        }
        return diag.inode();
    }

    /** Phase 2: the owner of the inode (published now, or queued for a retry after the next full rescan). */
    private void resolveOwner(long[] w, long inode, long now) {
        int pid = owners.cached(inode);
        if (pid == 0) pid = owners.findQuick(inode, now);
        if (pid == 0) {
            if (owners.fullScanAllowed(now)) {
                fullScan(now);
                pid = owners.cached(inode);
            } else {
                long[] copy = java.util.Arrays.copyOf(w, RequestRing.WORDS + 2);
                copy[RequestRing.WORDS] = inode;
                copy[RequestRing.WORDS + 1] = now;
                retries.add(copy);
                return;
            }
        }
        finish(w, pid, now);
    }

    private boolean retryDue(long now) {
        if (retries.isEmpty() || !owners.fullScanAllowed(now)) return false;
        fullScan(now);
        for (int n = retries.size(); n > 0; n--) {
            long[] w = retries.poll();
            int pid = owners.cached(w[RequestRing.WORDS]);
            if (pid == 0 && now - w[RequestRing.WORDS + 1] < retryNanos) {
                retries.add(w); // the socket's owner may show up in a later scan (fd passed, slow exec)
                continue;
            }
            retried++;
            finish(w, pid, now);
        }
        return true;
    }

    private void fullScan(long now) {
        owners.fullScan(now);
        if (diag == null) return;
        SockDiag.SocketSink sink = (proto, state, lHi, lLo, lPort, rHi, rLo, rPort, uid, inode) -> {
            int pid = inode == 0 ? 0 : owners.cached(inode);
            if (pid == 0) return;
            ProcessInfo p = processes.get(pid, now);
            if (p != null) remember(new Tuple(proto, lHi, lLo, lPort, rHi, rLo, rPort), p, now);
        };
        diag.dump(SockDiag.TCP, false, sink);
        diag.dump(SockDiag.TCP, true, sink);
        diag.dump(SockDiag.UDP, false, sink);
        diag.dump(SockDiag.UDP, true, sink);
    }

    private void finish(long[] w, int pid, long now) {
        ProcessInfo p = pid == 0 ? null : processes.get(pid, now);
        if (p == null) {
            boolean denied = owners.deniedSeen();
            if (denied) noPermission++; else noProcess++;
            publish(w, denied ? Attribution.NO_PERMISSION : Attribution.NO_PROCESS, null, now);
            return;
        }
        resolved++;
        owners.noteOwner(pid);
        int lPort = (int) (w[0] >>> 16) & 0xFFFF, rPort = (int) (w[0] >>> 32) & 0xFFFF;
        remember(new Tuple((int) (w[0] & 0xFF), w[1], w[2], lPort, w[3], w[4], rPort), p, now);
        publish(w, Attribution.RESOLVED, p, now);
    }

    private void remember(Tuple t, ProcessInfo p, long now) {
        Recent r = recent.get(t);
        if (r == null) recent.put(t, new Recent(p, now)); else { r.process = p; r.lastSeen = now; }
        var it = recent.entrySet().iterator();
        while (it.hasNext()) {
            Recent eldest = it.next().getValue();
            if (recent.size() <= MAX_RECENT && now - eldest.lastSeen <= graceNanos) break;
            it.remove();
        }
    }

    private void publish(long[] w, Attribution status, ProcessInfo p, long now) {
        int lPort = (int) (w[0] >>> 16) & 0xFFFF, rPort = (int) (w[0] >>> 32) & 0xFFFF;
        results.publish(new AttributionResults.Entry((int) (w[0] & 0xFF), w[1], w[2], lPort, w[3], w[4], rPort,
                status, p, now));
    }

    /**
     * Registers {@code attribution.resolver.*}: lookups and their outcomes, queue drops and size, wake-ups,
     * /proc scans, netlink calls, cache sizes and result overwrites. The resolver thread's fields are read
     * when the registry is read (a racy but whole snapshot, as before: for the stop line and the bench).
     */
    public void register(Metrics m) {
        m.count("attribution.resolver.lookups", () -> lookups);
        m.count("attribution.resolver.resolved", () -> resolved);
        m.count("attribution.resolver.resolved_from_recent", () -> graceHits);
        m.count("attribution.resolver.resolved_after_retry", () -> retried);
        m.count("attribution.resolver.no_socket", () -> noSocket);
        m.count("attribution.resolver.no_process", () -> noProcess);
        m.count("attribution.resolver.no_permission", () -> noPermission);
        m.count("attribution.resolver.queue_drops", ring::drops);
        m.gauge("attribution.resolver.queue_size", ring::size);
        m.count("attribution.resolver.wakeups", () -> unparks);
        m.count("attribution.resolver.full_rescans", owners::fullScans);
        m.count("attribution.resolver.quick_scans", owners::quickScans);
        m.count("attribution.resolver.pids_scanned", owners::pidsScanned);
        m.count("attribution.resolver.fd_dirs_denied", owners::deniedScans);
        m.count("attribution.resolver.netlink_calls", () -> diag == null ? 0 : diag.calls());
        m.count("attribution.resolver.netlink_errors", () -> diag == null ? 0 : diag.errors());
        m.gauge("attribution.resolver.inode_cache", owners::size);
        m.gauge("attribution.resolver.process_cache", processes::size);
        m.gauge("attribution.resolver.recent_sockets", recent::size);
        m.count("attribution.resolver.result_overwrites", results::overwrites);
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (diag != null) diag.close();
    }

    /** A socket tuple as a map key (resolver thread only). */
    private static final class Tuple {
        final int proto, lPort, rPort;
        final long lHi, lLo, rHi, rLo;

        Tuple(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
            this.proto = proto; this.lHi = lHi; this.lLo = lLo; this.lPort = lPort;
            this.rHi = rHi; this.rLo = rLo; this.rPort = rPort;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Tuple)) return false;
            Tuple t = (Tuple) o;
            return proto == t.proto && lPort == t.lPort && rPort == t.rPort && lHi == t.lHi && lLo == t.lLo
                    && rHi == t.rHi && rLo == t.rLo;
        }

        @Override
        public int hashCode() {
            return AttributionResults.hash(proto, lHi, lLo, lPort, rHi, rLo, rPort);
        }
    }

    private static final class Recent {
        ProcessInfo process;
        long lastSeen;

        Recent(ProcessInfo process, long lastSeen) {
            this.process = Objects.requireNonNull(process);
            this.lastSeen = lastSeen;
        }
    }
}
