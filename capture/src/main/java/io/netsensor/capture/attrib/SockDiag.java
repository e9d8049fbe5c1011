package io.netsensor.capture.attrib;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Socket lookups through netlink sock_diag (NETLINK_SOCK_DIAG, inet_diag_req_v2), the interface `ss`
 * uses: an exact TCP lookup by tuple is a hash lookup in the kernel (no /proc/net/tcp text to parse, which
 * is O(sockets) per lookup), and it sees sockets in every state, including SYN_SENT. JNA (already a
 * dependency for pcap4j) calls socket/send/recv directly; requests and replies live in two native
 * buffers reused for every call, so lookups allocate nothing. One instance per thread.
 *
 * <p>Lookups run in the agent's network namespace: sockets of processes in other namespaces are not
 * found (NO_SOCKET), which is right for a capture of this namespace's interfaces.
 */
final class SockDiag implements AutoCloseable {
    static final int TCP = 6, UDP = 17;
    private static final int AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
    private static final int SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300;
    private static final int SOL_SOCKET = 1, SO_RCVTIMEO = 20;
    private static final int NL_HDR = 16, REQ_LEN = NL_HDR + 56, MSG_LEN = 72;
    private static final int RECV_BUF = 64 * 1024;

    /** Receives dumped sockets; addresses in io.netsensor.events.Ip layout (IPv4 v4-mapped). */
    interface SocketSink {
        void socket(int proto, int state, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort, int uid, long inode);
    }

    private static final class Libc {
        static {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        static native int socket(int domain, int type, int protocol);

        static native NativeLong send(int fd, Pointer buf, NativeLong len, int flags);

        static native NativeLong recv(int fd, Pointer buf, NativeLong len, int flags);

        static native int setsockopt(int fd, int level, int name, Pointer value, int len);

        static native int close(int fd);
    }

    /**
     * send/recv with size_t/ssize_t as plain longs, valid where C long is 64 bits (LP64 Linux): JNA converts
     * a NativeLong argument and return value through reflection (an allocation and a constructor call per
     * call), which was about a third of a lookup's CPU; the resolver's CPU competes with capture on small hosts.
     */
    private static final class Libc64 {
        static {
            Native.register(Libc64.class, Platform.C_LIBRARY_NAME);
        }

        static native long send(int fd, Pointer buf, long len, int flags);

        static native long recv(int fd, Pointer buf, long len, int flags);
    }

    private static final boolean LP64 = Native.LONG_SIZE == 8;

    private final int fd;
    private final Memory req = new Memory(REQ_LEN);
    private final Memory resp = new Memory(RECV_BUF);
    private final ByteBuffer reqBuf = req.getByteBuffer(0, REQ_LEN).order(ByteOrder.nativeOrder());
    private final ByteBuffer respBuf = resp.getByteBuffer(0, RECV_BUF).order(ByteOrder.nativeOrder());
    private int seq;
    private long inode;
    private int uid;
    private int state;
    private long calls, errors;

    private SockDiag(int fd) {
        this.fd = fd;
    }

    /** Opens the netlink socket; throws when the kernel or the platform has none. */
    static SockDiag open() throws IOException {
        if (!Platform.isLinux()) throw new IOException("sock_diag needs Linux");
        int fd;
        try {
            fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot call libc through JNA: " + e.getMessage(), e);
        }
        if (fd < 0) throw new IOException("socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed, errno " + Native.getLastError());
        Memory tv = new Memory(16); // struct timeval {1 s, 0}: never hang on a kernel that does not answer
        tv.clear();
        if (Native.LONG_SIZE == 8) tv.setLong(0, 1); else tv.setInt(0, 1);
        Libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, Native.LONG_SIZE * 2);
        return new SockDiag(fd);
    }

    /** Inode of the socket found by the last successful lookup (0 for time-wait and request sockets). */
    long inode() { return inode; }

    /** Owner uid of the socket found by the last successful lookup. */
    int uid() { return uid; }

    /** TCP state of the socket found by the last successful lookup (10 = LISTEN). */
    int state() { return state; }

    long calls() { return calls; }

    long errors() { return errors; }

    /**
     * Finds the socket with this local endpoint and remote endpoint (remote 0/0 finds a TCP listener;
     * for UDP an unconnected socket bound to the local port matches any remote).
     */
    boolean lookup(int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        boolean v4 = isV4(lHi, lLo) && (isV4(rHi, rLo) || (rHi == 0 && rLo == 0));
        // An AF_INET request runs the kernel's IPv4 socket lookup, the one that delivers IPv4 packets, so it
        // also finds dual-stack AF_INET6 sockets carrying IPv4 (v4-mapped); an AF_INET6 retry after an IPv4
        // miss would find nothing more and doubled the cost of every miss.
        return exact(v4 ? AF_INET : AF_INET6, proto, lHi, lLo, lPort, rHi, rLo, rPort);
    }

    private boolean exact(int family, int proto, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        ByteBuffer b = header(NLM_F_REQUEST, family, proto, 0xFFFF_FFFF);
        // TCP's lookup takes (src = local, dst = remote); udp_dump_one has them swapped (src = the packet's
        // source, i.e. the remote) "for historical reasons", as the kernel's own comment says.
        boolean swap = proto == UDP;
        putEndpoint(b, family, 24, 28, swap ? rHi : lHi, swap ? rLo : lLo, swap ? rPort : lPort);
        putEndpoint(b, family, 26, 44, swap ? lHi : rHi, swap ? lLo : rLo, swap ? lPort : rPort);
        if (!send()) return false;
        int n = receive();
        if (n < NL_HDR) return false;
        int len = respBuf.getInt(0), type = respBuf.getShort(4) & 0xFFFF;
        if (type != SOCK_DIAG_BY_FAMILY || len < NL_HDR + MSG_LEN || len > n) return false; // NLMSG_ERROR: ENOENT
        readMessage(NL_HDR);
        return true;
    }

    /** Dumps every socket of a protocol and family (4 or 6) to {@code sink}; false when the dump failed. */
    boolean dump(int proto, boolean v6, SocketSink sink) {
        int family = v6 ? AF_INET6 : AF_INET;
        header(NLM_F_REQUEST | NLM_F_DUMP, family, proto, 0xFFFF_FFFF);
        if (!send()) return false;
        while (true) {
            int n = receive();
            if (n <= 0) return false;
            int off = 0;
            while (off + NL_HDR <= n) {
                int len = respBuf.getInt(off), type = respBuf.getShort(off + 4) & 0xFFFF;
                if (len < NL_HDR || off + len > n) return false;
                if (type == NLMSG_DONE) return true;
                if (type == NLMSG_ERROR) {
                    errors++;
                    return false;
                }
                if (type == SOCK_DIAG_BY_FAMILY && len >= NL_HDR + MSG_LEN) {
                    int m = off + NL_HDR, fam = respBuf.get(m) & 0xFF;
                    readMessage(m);
                    long[] l = addr(fam, m + 8), r = addr(fam, m + 24);
                    sink.socket(proto, state, l[0], l[1], port(m + 4), r[0], r[1], port(m + 6), uid, inode);
                }
                off += (len + 3) & ~3;
            }
        }
    }

    private ByteBuffer header(int flags, int family, int proto, int states) {
        ByteBuffer b = reqBuf;
        for (int i = 0; i < REQ_LEN; i += 8) b.putLong(i, 0);
        b.putInt(0, REQ_LEN);
        b.putShort(4, (short) SOCK_DIAG_BY_FAMILY);
        b.putShort(6, (short) flags);
        b.putInt(8, ++seq);
        b.put(16, (byte) family);
        b.put(17, (byte) proto);
        b.putInt(20, states);
        b.putInt(NL_HDR + 48, -1); // cookie INET_DIAG_NOCOOKIE: do not check it
        b.putInt(NL_HDR + 52, -1);
        return b;
    }

    /** Writes port (big-endian) and address (network order) at absolute offsets of the request. */
    private void putEndpoint(ByteBuffer b, int family, int p, int a, long hi, long lo, int port) {
        b.put(p, (byte) (port >>> 8)).put(p + 1, (byte) port);
        if (family == AF_INET) {
            putBe(b, a, (int) lo);
        } else {
            putBe(b, a, (int) (hi >>> 32));
            putBe(b, a + 4, (int) hi);
            putBe(b, a + 8, (int) (lo >>> 32));
            putBe(b, a + 12, (int) lo);
        }
    }

    private static void putBe(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 24)).put(at + 1, (byte) (v >>> 16)).put(at + 2, (byte) (v >>> 8)).put(at + 3, (byte) v);
    }

    private int getBe(int at) {
        ByteBuffer b = respBuf;
        return (b.get(at) & 0xFF) << 24 | (b.get(at + 1) & 0xFF) << 16 | (b.get(at + 2) & 0xFF) << 8 | (b.get(at + 3) & 0xFF);
    }

    private int port(int at) {
        return (respBuf.get(at) & 0xFF) << 8 | (respBuf.get(at + 1) & 0xFF);
    }

    private long[] addr(int family, int at) {
        if (family == AF_INET) return new long[] {0, 0x0000_FFFF_0000_0000L | (getBe(at) & 0xFFFF_FFFFL)};
        long hi = (long) getBe(at) << 32 | (getBe(at + 4) & 0xFFFF_FFFFL);
        long lo = (long) getBe(at + 8) << 32 | (getBe(at + 12) & 0xFFFF_FFFFL);
        return new long[] {hi, lo};
    }

    private void readMessage(int m) {
        state = respBuf.get(m + 1) & 0xFF;
        uid = respBuf.getInt(m + 64);
        inode = respBuf.getInt(m + 68) & 0xFFFF_FFFFL;
    }

    private boolean send() {
        calls++;
        long n = LP64 ? Libc64.send(fd, req, REQ_LEN, 0) : Libc.send(fd, req, new NativeLong(REQ_LEN), 0).longValue();
        if (n != REQ_LEN) {
            errors++;
            return false;
        }
        return true;
    }

    private int receive() {
        long n = LP64 ? Libc64.recv(fd, resp, RECV_BUF, 0) : Libc.recv(fd, resp, new NativeLong(RECV_BUF), 0).longValue();
        if (n < 0) errors++;
        return (int) n;
    }

    private static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == 0x0000_FFFF_0000_0000L;
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
