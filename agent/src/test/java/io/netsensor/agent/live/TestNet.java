package io.netsensor.agent.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private test network: a network namespace "server" joined to the root namespace by a veth pair, with
 * documentation-range addresses (RFC 5737 / 3849) and no route out. The agent captures on the root-side
 * veth; clients run in the root namespace; servers (a TCP listener, dnsmasq) run in the namespace.
 * Everything it creates is removed by close().
 */
public final class TestNet implements AutoCloseable {
    public static final String HOST_IP = "198.51.100.1";
    public static final String SERVER_IP = "198.51.100.2";
    /** No host answers here: a static neighbour entry sends SYNs onto the wire that nobody answers. */
    public static final String SILENT_IP = "198.51.100.3";
    public static final String HOST_IP6 = "2001:db8:51::1";
    public static final String SERVER_IP6 = "2001:db8:51::2";

    public final String ns;
    public final String hostIf;
    private final List<Process> servers = new ArrayList<>();
    private final Path workDir;

    private TestNet(String ns, String hostIf, Path workDir) {
        this.ns = ns;
        this.hostIf = hostIf;
        this.workDir = workDir;
    }

    /** Why live tests cannot run here, or null when they can. */
    public static String unavailableReason() {
        if (!Sh.isRoot()) return "live capture tests need root (network namespaces, CAP_NET_RAW); skipped";
        if (!Sh.available("ip")) return "iproute2 'ip' not installed; skipped";
        Sh.Result r = Sh.exec(10, "ip", "netns", "add", "ns-probe-" + ProcessHandle.current().pid());
        if (r.exit != 0) return "cannot create network namespaces here: " + r.output.trim();
        Sh.exec(10, "ip", "netns", "del", "ns-probe-" + ProcessHandle.current().pid());
        return null;
    }

    public static TestNet create() throws IOException {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        String ns = "nstest-" + tag;
        String hostIf = "vns" + tag;
        String peer = "vnp" + tag;
        TestNet net = new TestNet(ns, hostIf, Files.createTempDirectory("testnet-"));
        try {
            Sh.run("ip", "netns", "add", ns);
            Sh.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", peer);
            Sh.run("ip", "link", "set", peer, "netns", ns);
            Sh.run("ip", "addr", "add", HOST_IP + "/24", "dev", hostIf);
            Sh.run("ip", "-6", "addr", "add", HOST_IP6 + "/64", "dev", hostIf, "nodad");
            Sh.run("ip", "link", "set", hostIf, "up");
            Sh.run(Sh.inNs(ns, "ip", "addr", "add", SERVER_IP + "/24", "dev", peer).toArray(String[]::new));
            Sh.run(Sh.inNs(ns, "ip", "-6", "addr", "add", SERVER_IP6 + "/64", "dev", peer, "nodad").toArray(String[]::new));
            Sh.run(Sh.inNs(ns, "ip", "link", "set", peer, "up").toArray(String[]::new));
            Sh.run(Sh.inNs(ns, "ip", "link", "set", "lo", "up").toArray(String[]::new));
            Sh.run("ip", "neigh", "replace", SILENT_IP, "lladdr", "02:00:00:5e:00:99", "dev", hostIf, "nud", "permanent");
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** Starts a long-running server inside the namespace; stopped by close(). */
    public Process startInNs(String... cmd) throws IOException {
        Process p = new ProcessBuilder(Sh.inNs(ns, cmd)).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("server-" + servers.size() + ".log").toFile()).start();
        servers.add(p);
        return p;
    }

    /** A TCP listener (nc) on SERVER_IP:port that accepts connections one after another. */
    public void startTcpListener(int port) throws IOException {
        startInNs("nc", "-lk", SERVER_IP, Integer.toString(port));
    }

    /**
     * A TCP server on SERVER_IP:port that accepts any number of concurrent connections (backlog 512) and
     * keeps them open until the client closes or the server stops, never answering (so a client ends its
     * own connection); perl (always present on Debian) because nc serves one connection at a time.
     */
    public void startTcpAcceptor(int port) throws IOException {
        startInNs("perl", "-MIO::Socket::INET", "-e", "my $s = IO::Socket::INET->new(LocalAddr => '" + SERVER_IP
                + "', LocalPort => " + port + ", Listen => 512, ReuseAddr => 1) or die $!; my @open; while (my $c = $s->accept) { push @open, $c }");
    }

    /** dnsmasq answering *.test names from a host list, NXDOMAIN for other *.test names, over UDP and TCP. */
    public void startDns(String... hostEntries) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--listen-address=" + SERVER_IP, "--except-interface=lo", "--local=/test/",
                "--pid-file=" + workDir.resolve("dnsmasq.pid"), "--user=root", "--log-facility=-"));
        for (String e : hostEntries) cmd.add("--address=" + e);
        startInNs(cmd.toArray(String[]::new));
    }

    /**
     * Makes every address of {@code cidr} an address of the namespace (the host routes it over the veth, the
     * namespace takes it as local, Linux's "AnyIP"): connections to fresh addresses without one interface
     * address each. Nothing listens there, so a TCP connect is refused (RST) unless a server binds 0.0.0.0.
     */
    public void routeToNamespace(String cidr) {
        Sh.run("ip", "route", "replace", cidr, "via", SERVER_IP, "dev", hostIf);
        Sh.run(Sh.inNs(ns, "ip", "route", "replace", "local", cidr, "dev", "lo").toArray(String[]::new));
    }

    public Path workDir() {
        return workDir;
    }

    /** Waits until something listens on SERVER_IP:port inside the namespace (UDP or TCP). */
    public void awaitListening(int port, boolean udp) throws InterruptedException {
        awaitListening(SERVER_IP, port, udp);
    }

    /** Waits until something listens on address:port inside the namespace (as `ss` prints it). */
    public void awaitListening(String address, int port, boolean udp) throws InterruptedException {
        String needle = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port + " ";
        for (int i = 0; i < 100; i++) {
            String out = Sh.exec(5, Sh.inNs(ns, "ss", udp ? "-lun" : "-ltn").toArray(String[]::new)).output;
            if (out.contains(needle)) return;
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("nothing listens on " + needle.trim() + " in " + ns);
    }

    @Override
    public void close() {
        for (Process p : servers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Sh.exec(10, "ip", "link", "del", hostIf);
        Sh.exec(10, "ip", "netns", "pids", ns); // no-op; namespace processes were ours
        Sh.exec(10, "ip", "netns", "del", ns);
    }
}
