package io.netsensor.capture.attrib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsensor.events.Attribution;
import io.netsensor.events.Ip;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kernel interfaces, on sockets this JVM opens itself (no root needed: sock_diag and our own
 * /proc/self/fd are readable by any user): lookups find them and the resolver names this process.
 */
class LiveSocketsTest {
    private static final int TCP = 6, UDP = 17;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux procfs; skipped");
        try {
            SockDiag.open().close();
        } catch (IOException e) {
            assumeTrue(false, "no netlink sock_diag here (" + e.getMessage() + "); skipped");
        }
    }

    @Test
    void ipv4TrafficOnDualStackSocketsIsFound() throws Exception {
        InetAddress any6;
        try {
            any6 = InetAddress.getByName("::");
            new ServerSocket(0, 1, any6).close();
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 sockets here (" + e.getMessage() + "); skipped");
            return;
        }
        try (ServerSocket server = new ServerSocket(0, 50, any6); // AF_INET6, not v6-only
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept();
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(any6, 0));
             SockDiag diag = SockDiag.open()) {
            long[] lo = Ip.parse("127.0.0.1");
            assertThat(diag.lookup(TCP, lo[0], lo[1], server.getLocalPort(), 0, 0, 0)).as("[::] listener, IPv4 SYN").isTrue();
            assertThat(ownInodes()).contains(diag.inode());
            assertThat(diag.lookup(TCP, lo[0], lo[1], server.getLocalPort(), lo[0], lo[1], client.getLocalPort()))
                    .as("accepted on [::]").isTrue();
            assertThat(ownInodes()).contains(diag.inode());
            assertThat(diag.lookup(UDP, lo[0], lo[1], udp.getLocalPort(), lo[0], lo[1], 5353)).as("udp on [::]").isTrue();
            assertThat(ownInodes()).contains(diag.inode());
        }
    }

    @Test
    void sockDiagFindsConnectedListeningAndUdpSocketsWithTheirInodes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept();
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SockDiag diag = SockDiag.open()) {
            long[] lo = Ip.parse("127.0.0.1");
            assertThat(diag.lookup(TCP, lo[0], lo[1], client.getLocalPort(), lo[0], lo[1], server.getLocalPort())).isTrue();
            long clientInode = diag.inode();
            assertThat(clientInode).isPositive();
            assertThat(ownInodes()).contains(clientInode);

            assertThat(diag.lookup(TCP, lo[0], lo[1], server.getLocalPort(), 0, 0, 0)).as("listener").isTrue();
            assertThat(diag.state()).isEqualTo(10); // TCP_LISTEN
            assertThat(ownInodes()).contains(diag.inode());

            assertThat(diag.lookup(UDP, lo[0], lo[1], udp.getLocalPort(), lo[0], lo[1], 5353)).as("udp bound").isTrue();
            assertThat(ownInodes()).contains(diag.inode());

            assertThat(diag.lookup(TCP, lo[0], lo[1], 1, lo[0], lo[1], 2)).as("no such socket").isFalse();
        }
    }

    @Test
    void resolverNamesThisProcessForItsOwnConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            SocketOwnerResolver r = new SocketOwnerResolver(ProcFs.system(), Path.of("/etc/passwd"), SockDiag.open(),
                    ClockTicks.perSecond(), new SocketOwnerResolver.Options());
            long[] lo = Ip.parse("127.0.0.1");
            long[] w = {TCP | (long) client.getLocalPort() << 16 | (long) server.getLocalPort() << 32, lo[0], lo[1], lo[0], lo[1], 0};
            r.resolve(w, System.nanoTime());
            AttributionResults.Entry e = r.results().find(TCP, lo[0], lo[1], client.getLocalPort(), lo[0], lo[1], server.getLocalPort());
            assertThat(e).isNotNull();
            assertThat(e.status).isEqualTo(Attribution.RESOLVED);
            assertThat(e.process.pid).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(e.process.executable).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
            assertThat(e.process.user).isEqualTo(System.getProperty("user.name"));
            assertThat(e.process.startNanos / 1_000_000_000L)
                    .isCloseTo(ProcessHandle.current().info().startInstant().orElseThrow().getEpochSecond(), org.assertj.core.data.Offset.offset(2L));

            // inbound: the listener's owner, looked up at the SYN, before accept
            long[] w2 = {TCP | 0x100 | (long) server.getLocalPort() << 16 | (long) 40000 << 32, lo[0], lo[1], lo[0], lo[1], 0};
            r.resolve(w2, System.nanoTime());
            assertThat(r.results().find(TCP, lo[0], lo[1], server.getLocalPort(), lo[0], lo[1], 40000).process.pid)
                    .isEqualTo((int) ProcessHandle.current().pid());
            r.close();
        }
    }

    private static java.util.Set<Long> ownInodes() {
        java.util.Set<Long> s = new java.util.HashSet<>();
        ProcFs.system().socketInodes((int) ProcessHandle.current().pid(), s::add);
        return s;
    }
}
