package io.netsensor.capture.source;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.netsensor.metrics.Metrics;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Live capture from the kernel's TPACKET_V3 ring (Linux): an AF_PACKET socket whose receive ring of blocks
 * is memory-mapped into the agent; the kernel fills a block with many frames and hands it over whole, so the
 * capture thread wakes once per block (or per {@link #BLOCK_TIMEOUT_MS} on a slow wire) instead of once per
 * packet. This is what libpcap does inside; it is written here, with the kernel's own calls through JNA,
 * because libpcap's per-packet callback through pcap4j costs a JNA up-call, a new byte[] and a
 * java.sql.Timestamp per packet, and in immediate mode a wake-up per packet.
 *
 * <p>Each block is copied in one bulk copy into a reused array and given back to the kernel at once (the
 * ring is free for more traffic while we decode); frames are then decoded in place in that array, so
 * nothing is allocated per packet or per block. The decoder takes a byte[], hence the one copy. VLAN tags
 * the kernel stripped into the frame's metadata are put back in the frame, as libpcap does, so both sources
 * deliver the same bytes. The filter is compiled by libpcap (pcap_compile, same syntax and optimiser as
 * tcpdump) and attached with SO_ATTACH_FILTER before the socket is bound, so no unfiltered frame gets in;
 * its return value also applies the snap length in the kernel.
 *
 * <p>Only for Ethernet-like interfaces (ARPHRD_ETHER and loopback, both DLT_EN10MB as libpcap reports
 * them); {@link #supports} says when, and the caller falls back to libpcap otherwise.
 */
public final class RingSource implements LiveSource {
    private static final int AF_PACKET = 17, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, ETH_P_ALL_BE = 0x0300;
    private static final int SOL_SOCKET = 1, SO_ATTACH_FILTER = 26, SOL_PACKET = 263;
    private static final int PACKET_ADD_MEMBERSHIP = 1, PACKET_MR_PROMISC = 1, PACKET_RX_RING = 5;
    private static final int PACKET_STATISTICS = 6, PACKET_VERSION = 10, TPACKET_V3 = 2;
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, POLLIN = 1, POLLERR = 8, EINTR = 4;
    private static final int TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_VLAN_VALID = 0x10, TP_STATUS_VLAN_TPID_VALID = 0x40;
    private static final int PACKET_OUTGOING = 4, DLT_EN10MB = 1, ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772;
    /** Offset of the sockaddr_ll after each tpacket3_hdr: TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) = 48. */
    private static final int SLL_OFFSET = 48;
    /**
     * Small enough that a slow wire does not use up the ring: the kernel hands over a block at the latest every
     * BLOCK_TIMEOUT_MS however few packets it holds, so the ring bridges (blocks x timeout) of a descheduled
     * capture thread, 1.6 s for 8 MiB; large enough for ~700 packets of the gateway mix per wake-up.
     */
    static final int BLOCK_BYTES = 256 << 10;
    /** A block that is not full is handed over after this long: the most a packet waits on a slow wire. */
    static final int BLOCK_TIMEOUT_MS = 50;
    /** How long one poll() sleeps on a quiet wire: the pipeline's idle tick, as the libpcap source's read timeout. */
    private static final int POLL_MS = 100;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private static final class Libc {
        static {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        static native int socket(int domain, int type, int protocol);

        static native int setsockopt(int fd, int level, int name, Pointer value, int len);

        static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len);

        static native int bind(int fd, Pointer addr, int len);

        static native Pointer mmap(Pointer addr, long len, int prot, int flags, int fd, long offset);

        static native int munmap(Pointer addr, long len);

        static native int poll(Pointer fds, long nfds, int timeoutMs);

        static native int close(int fd);

        static native int if_nametoindex(String name);

        static native String strerror(int errno);
    }

    /** libpcap's compiler only: a "dead" handle of the link type and snap length, as tcpdump -d uses. */
    private static final class Pcap {
        static {
            Native.register(Pcap.class, System.getProperty("org.pcap4j.core.pcapLibName", "pcap"));
        }

        static native Pointer pcap_open_dead(int linkType, int snaplen);

        static native int pcap_compile(Pointer p, Pointer program, String expr, int optimize, int netmask);

        static native String pcap_geterr(Pointer p);

        static native void pcap_freecode(Pointer program);

        static native void pcap_close(Pointer p);
    }

    private final String iface;
    private final int fd;
    private final Pointer ring;
    private final long ringBytes;
    private final int blocks;
    private final ByteBuffer map;
    private final byte[] block = new byte[BLOCK_BYTES];
    private final ByteBuffer blockBuf = ByteBuffer.wrap(block).order(ByteOrder.nativeOrder());
    private final Memory pollFd = new Memory(8);
    private final Memory stats = new Memory(12), statsLen = new Memory(4);
    private final boolean loopback;
    private final int snaplen;
    private volatile boolean stopped;
    /** run() is reading the ring: close() must not unmap it under the capture thread. */
    private boolean running;
    private boolean closed;
    private int current;
    private long statsReadAtNanos;
    /** Running totals: PACKET_STATISTICS resets the kernel's counters on every read. */
    private volatile long received, dropped, freezes;
    private long delivered;

    private RingSource(String iface, int fd, Pointer ring, long ringBytes, int blocks, boolean loopback, int snaplen) {
        this.iface = iface;
        this.fd = fd;
        this.ring = ring;
        this.ringBytes = ringBytes;
        this.blocks = blocks;
        this.map = ring.getByteBuffer(0, ringBytes).order(ByteOrder.nativeOrder());
        this.loopback = loopback;
        this.snaplen = snaplen;
        pollFd.setInt(0, fd);
        pollFd.setShort(4, (short) (POLLIN | POLLERR));
    }

    /**
     * Null when the ring can be used on this interface, else why not (not Linux, an interface that is not
     * Ethernet-like, "any"), for the start line when the libpcap source is used instead.
     */
    public static String unsupportedReason(String iface) {
        if (!Platform.isLinux()) return "not Linux";
        if ("any".equals(iface)) return "'any' has no single link layer";
        try {
            int type = Integer.parseInt(Files.readString(Path.of("/sys/class/net", iface, "type")).trim());
            if (type != ARPHRD_ETHER && type != ARPHRD_LOOPBACK) return iface + " is not an Ethernet interface (ARPHRD " + type + ")";
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
            return "cannot read the link type of " + iface;
        }
        return null;
    }

    /**
     * Opens the ring on {@code iface}. Needs CAP_NET_RAW (and CAP_IPC_LOCK is not needed: the ring is the
     * kernel's memory).
     *
     * @param ringBytes the ring's size, rounded down to whole blocks (at least 2)
     */
    public static RingSource open(String iface, int snaplen, boolean promiscuous, String bpf, long ringBytes) throws IOException {
        int index = Libc.if_nametoindex(iface);
        if (index == 0) throw new IOException("cannot capture on " + iface + ": no such interface");
        // Protocol 0: the socket receives nothing until bind() below, after the filter is in place.
        int fd = Libc.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd < 0) throw failure(iface, "socket(AF_PACKET)", " (capture needs root or CAP_NET_RAW)");
        Pointer ring = null;
        int blocks = (int) Math.max(2, Math.min(1 << 14, ringBytes / BLOCK_BYTES));
        long bytes = (long) blocks * BLOCK_BYTES;
        try (Memory m = new Memory(32)) {
            m.setInt(0, TPACKET_V3);
            check(Libc.setsockopt(fd, SOL_PACKET, PACKET_VERSION, m, 4), iface, "PACKET_VERSION");
            attachFilter(fd, iface, bpf, snaplen);
            // struct tpacket_req3: block size, block count, frame size, frame count, block timeout (ms), priv, features
            int frameSize = 2048;
            m.clear();
            m.setInt(0, BLOCK_BYTES);
            m.setInt(4, blocks);
            m.setInt(8, frameSize);
            m.setInt(12, (int) (bytes / frameSize));
            m.setInt(16, BLOCK_TIMEOUT_MS);
            check(Libc.setsockopt(fd, SOL_PACKET, PACKET_RX_RING, m, 28), iface, "PACKET_RX_RING");
            ring = Libc.mmap(null, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (ring == null || Pointer.nativeValue(ring) == -1L) {
                ring = null;
                throw failure(iface, "mmap of the " + (bytes >> 20) + " MiB ring", "");
            }
            if (promiscuous) {
                // struct packet_mreq: ifindex, type, address length, address
                m.clear();
                m.setInt(0, index);
                m.setShort(4, (short) PACKET_MR_PROMISC);
                check(Libc.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, m, 16), iface, "promiscuous mode");
            }
            // struct sockaddr_ll: family, protocol (network order), ifindex, ...
            m.clear();
            m.setShort(0, (short) AF_PACKET);
            m.setShort(2, (short) ETH_P_ALL_BE);
            m.setInt(4, index);
            check(Libc.bind(fd, m, 20), iface, "bind");
            boolean lo = Files.readString(Path.of("/sys/class/net", iface, "type")).trim().equals(String.valueOf(ARPHRD_LOOPBACK));
            return new RingSource(iface, fd, ring, bytes, blocks, lo, snaplen);
        } catch (IOException | RuntimeException e) {
            if (ring != null) Libc.munmap(ring, bytes);
            Libc.close(fd);
            throw e;
        }
    }

    /** Compiles the filter (empty: take everything, cut at the snap length) with libpcap and attaches it. */
    private static void attachFilter(int fd, String iface, String bpf, int snaplen) throws IOException {
        Pointer dead = Pcap.pcap_open_dead(DLT_EN10MB, snaplen);
        if (dead == null) throw new IOException("cannot capture on " + iface + ": libpcap could not compile filters");
        try (Memory program = new Memory(16); Memory fprog = new Memory(16)) {
            program.clear();
            String expr = bpf == null ? "" : bpf;
            // 0xffffffff = PCAP_NETMASK_UNKNOWN: "ip broadcast" is refused, as with the libpcap source
            if (Pcap.pcap_compile(dead, program, expr, 1, 0xFFFF_FFFF) != 0) {
                throw new IOException("bad BPF filter '" + expr + "': " + Pcap.pcap_geterr(dead));
            }
            try {
                // struct bpf_program {u_int len; insns*} -> struct sock_fprog {u16 len; insns*}: same instruction layout
                fprog.clear();
                fprog.setShort(0, (short) program.getInt(0));
                fprog.setPointer(8, program.getPointer(8));
                check(Libc.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16), iface, "SO_ATTACH_FILTER");
            } finally {
                Pcap.pcap_freecode(program);
            }
        } finally {
            Pcap.pcap_close(dead);
        }
    }

    private static void check(int rc, String iface, String what) throws IOException {
        if (rc != 0) throw failure(iface, what, "");
    }

    private static IOException failure(String iface, String what, String hint) {
        int errno = Native.getLastError();
        return new IOException("cannot capture on " + iface + ": " + what + ": " + Libc.strerror(errno) + hint);
    }

    @Override
    public int linkType() {
        return DLT_EN10MB;
    }

    @Override
    public long run(FrameHandler handler) throws IOException {
        synchronized (this) {
            if (closed) return 0;
            running = true;
        }
        try {
            loop(handler);
            drain(handler);
        } finally {
            synchronized (this) {
                running = false;
                notifyAll();
            }
        }
        return delivered;
    }

    private void loop(FrameHandler handler) throws IOException {
        while (!stopped) {
            int base = current * BLOCK_BYTES;
            int status = (int) INT.getAcquire(map, base + 8); // tpacket_hdr_v1.block_status
            if ((status & TP_STATUS_USER) == 0) {
                int rc = Libc.poll(pollFd, 1, POLL_MS);
                if (rc < 0 && Native.getLastError() != EINTR) throw failure(iface, "poll", "");
                if (rc == 0) handler.onIdle(System.currentTimeMillis() * 1_000_000L);
                readStatsEverySecond();
                continue;
            }
            takeBlock(handler);
            handler.onIdle(System.currentTimeMillis() * 1_000_000L);
            readStatsEverySecond();
        }
    }

    /** After stop(): the blocks the kernel has already handed over are delivered too, not lost uncounted. */
    private void drain(FrameHandler handler) {
        for (int i = 0; i < blocks && !closed && (((int) INT.getAcquire(map, current * BLOCK_BYTES + 8)) & TP_STATUS_USER) != 0; i++) {
            takeBlock(handler);
        }
    }

    /** Copies the current block, gives it back to the kernel and delivers its frames. */
    private void takeBlock(FrameHandler handler) {
        int base = current * BLOCK_BYTES;
        int frames = map.getInt(base + 12);
        int first = map.getInt(base + 16);
        int used = Math.min(map.getInt(base + 20), BLOCK_BYTES);
        map.get(base, block, 0, used);
        INT.setRelease(map, base + 8, TP_STATUS_KERNEL); // the kernel may refill it while we decode our copy
        current = (current + 1) % blocks;
        deliver(handler, first, frames, used);
    }

    /** Hands the block's frames to the handler, reading each tpacket3_hdr in our copy. */
    private void deliver(FrameHandler handler, int first, int frames, int used) {
        ByteBuffer b = blockBuf;
        int off = first;
        for (int i = 0; i < frames && off > 0 && off + SLL_OFFSET + 12 <= used; i++) {
            int next = b.getInt(off);
            long ts = (b.getInt(off + 4) & 0xFFFF_FFFFL) * 1_000_000_000L + (b.getInt(off + 8) & 0xFFFF_FFFFL);
            int capLen = b.getInt(off + 12), wireLen = b.getInt(off + 16), status = b.getInt(off + 20);
            int mac = off + (b.getShort(off + 24) & 0xFFFF);
            boolean skip = loopback && (block[off + SLL_OFFSET + 10] & 0xFF) == PACKET_OUTGOING; // lo: seen twice, as libpcap
            if (!skip && mac + capLen <= used) {
                int tci = b.getInt(off + 32);
                if (((status & TP_STATUS_VLAN_VALID) != 0 || tci != 0) && capLen >= 12 && mac - 4 >= off + SLL_OFFSET + 20) {
                    // Put the tag back after the two MAC addresses: shift them 4 bytes into the header room before the frame.
                    int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? b.getShort(off + 36) & 0xFFFF : 0x8100;
                    System.arraycopy(block, mac, block, mac - 4, 12);
                    mac -= 4;
                    block[mac + 12] = (byte) (tpid >> 8);
                    block[mac + 13] = (byte) tpid;
                    block[mac + 14] = (byte) (tci >> 8);
                    block[mac + 15] = (byte) tci;
                    capLen = Math.min(capLen + 4, snaplen);
                    wireLen += 4;
                }
                handler.onFrame(ts, DLT_EN10MB, block, mac, capLen, wireLen);
                delivered++;
            }
            if (next == 0) break;
            off += next;
        }
    }

    private void readStatsEverySecond() {
        long now = System.nanoTime();
        if (now - statsReadAtNanos < 1_000_000_000L) return;
        statsReadAtNanos = now;
        readStats();
    }

    private synchronized void readStats() {
        if (closed) return;
        statsLen.setInt(0, 12);
        if (Libc.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, statsLen) != 0) return;
        // tpacket_stats_v3: tp_packets counts every packet the socket saw, dropped ones included
        long packets = stats.getInt(0) & 0xFFFF_FFFFL, drops = stats.getInt(4) & 0xFFFF_FFFFL;
        received += packets - drops;
        dropped += drops;
        freezes += stats.getInt(8) & 0xFFFF_FFFFL;
    }

    @Override
    public void stop() {
        stopped = true; // poll() returns within POLL_MS
    }

    @Override
    public long sourceErrors() {
        return 0;
    }

    @Override
    public long droppedByKernel() {
        if (stopped) readStats(); // the capture loop has returned (or never ran): a final reading
        return dropped;
    }

    @Override
    public long receivedByKernel() {
        return received;
    }

    @Override
    public long droppedForBuffer() {
        return dropped;
    }

    @Override
    public long droppedByInterface() {
        return 0;
    }

    /** Times the ring was full and the kernel froze it (dropping until a block was handed back). */
    public long ringFreezes() {
        return freezes;
    }

    @Override
    public void register(Metrics m) {
        m.count("capture.ring.freezes", this::ringFreezes);
    }

    @Override
    public String reader() {
        return "TPACKET_V3 ring (" + blocks + " x " + (BLOCK_BYTES >> 10) + " KiB blocks)";
    }

    @Override
    public String describe() {
        return "interface " + iface;
    }

    @Override
    public synchronized void close() {
        stop();
        if (closed) return;
        closed = true;
        long deadline = System.nanoTime() + 2_000_000_000L;
        try {
            while (running && System.nanoTime() < deadline) wait(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Still running (a handler stuck past the deadline): leave the ring mapped rather than pull it from under the thread.
        if (!running) Libc.munmap(ring, ringBytes);
        Libc.close(fd);
    }
}
