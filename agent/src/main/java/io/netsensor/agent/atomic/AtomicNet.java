package io.netsensor.agent.atomic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The atomic tests' private network: two network namespaces joined by a veth pair, nothing in the root
 * namespace. The "victim" namespace is the host under test (the agent captures on its veth, the traffic
 * generators run there); the "internet" namespace plays every external host: its loopback takes the
 * seed's addresses (203.0.113.0/24, 8.8.8.8) as local (Linux "AnyIP" routes), so one namespace answers
 * for all of them. Neither end of the veth is in the root namespace and the victim's only route is the
 * veth, so no test packet can reach the root namespace's routing or eth0. Everything is removed by close().
 *
 * <p>10.211.0.0/24 sits in home_net (RFC 1918) and exists only inside these namespaces, clear of the live
 * tests' 198.51.100.0/24 and this machine's 192.0.2.0/24.
 */
public final class AtomicNet implements AutoCloseable {
    public static final String VICTIM_IP = "10.211.0.2";
    public static final String GATEWAY_IP = "10.211.0.1";
    /** The external ranges the internet namespace answers for. */
    public static final List<String> EXTERNAL = List.of("203.0.113.0/24", "8.8.8.8/32");
    /** Namespace names start with this (for cleanup of an interrupted run). */
    public static final String NS_PREFIX = "nsatk-";

    public final String victimNs, internetNs, victimIf, internetIf;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();

    private AtomicNet(String tag, Path workDir) {
        this.victimNs = NS_PREFIX + "v-" + tag;
        this.internetNs = NS_PREFIX + "i-" + tag;
        this.victimIf = "atv" + tag;
        this.internetIf = "ati" + tag;
        this.workDir = workDir;
    }

    public static AtomicNet create(Path workDir) {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        AtomicNet net = new AtomicNet(tag, workDir);
        try {
            net.build();
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private void build() {
        Commands.run("ip", "netns", "add", victimNs);
        Commands.run("ip", "netns", "add", internetNs);
        // Created inside the victim namespace and its peer moved straight on: the pair never exists in the root one.
        Commands.run("ip", "-n", victimNs, "link", "add", victimIf, "type", "veth", "peer", "name", internetIf, "netns", internetNs);
        Commands.run("ip", "-n", victimNs, "addr", "add", VICTIM_IP + "/24", "dev", victimIf);
        Commands.run("ip", "-n", victimNs, "link", "set", victimIf, "up");
        Commands.run("ip", "-n", victimNs, "link", "set", "lo", "up");
        Commands.run("ip", "-n", victimNs, "route", "add", "default", "via", GATEWAY_IP, "dev", victimIf);
        Commands.run("ip", "-n", internetNs, "addr", "add", GATEWAY_IP + "/24", "dev", internetIf);
        Commands.run("ip", "-n", internetNs, "link", "set", internetIf, "up");
        Commands.run("ip", "-n", internetNs, "link", "set", "lo", "up");
        for (String cidr : EXTERNAL) Commands.run("ip", "-n", internetNs, "route", "add", "local", cidr, "dev", "lo");
        checkConfined();
    }

    /** Every route of the victim namespace (all tables, IPv4 and IPv6) leads to its veth or its loopback. */
    private void checkConfined() {
        for (String family : new String[] {"-4", "-6"}) {
            for (String route : Commands.run("ip", family, "-n", victimNs, "route", "show", "table", "all").split("\n")) {
                if (!route.isBlank() && !route.contains(" dev " + victimIf) && !route.contains(" dev lo")) {
                    throw new AtomicSetupException("namespace " + victimNs + " has a route off the test network: " + route.strip());
                }
            }
        }
    }

    /** Starts a process in the victim namespace; killed by close() if still running. */
    public Process inVictim(String name, String... cmd) throws IOException {
        return start(victimNs, name, cmd);
    }

    /** Starts a process in the internet namespace; killed by close() if still running. */
    public Process inInternet(String name, String... cmd) throws IOException {
        return start(internetNs, name, cmd);
    }

    private synchronized Process start(String ns, String name, String... cmd) throws IOException {
        // ip netns exec execs the command, so the Process is the tool itself (its pid is the one attributed).
        Process p = new ProcessBuilder(Commands.inNs(ns, cmd)).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    /** A process started elsewhere inside one of the namespaces (the agent): stopped by close() too. */
    public synchronized void adopt(Process p) {
        processes.add(p);
    }

    /** Waits (bounded) until something listens on address:port in namespace ns, TCP. */
    public void awaitListening(String ns, String address, int port) throws InterruptedException {
        awaitSocket(ns, address, port, "-ltnH", "tcp");
    }

    /** Waits (bounded) until a UDP socket is bound to address:port in namespace ns. */
    public void awaitBoundUdp(String ns, String address, int port) throws InterruptedException {
        awaitSocket(ns, address, port, "-lunH", "udp");
    }

    private void awaitSocket(String ns, String address, int port, String ssFlags, String transport) throws InterruptedException {
        String needle = address + ":" + port + " ";
        for (int i = 0; i < 100; i++) {
            if (Commands.exec(5, Commands.inNs(ns, "ss", ssFlags)).output().contains(needle)) return;
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AtomicSetupException("nothing listens on " + address + ":" + port + " (" + transport + ") in namespace " + ns);
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public synchronized void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Deleting a namespace deletes the veth end in it, and with it the pair.
        Commands.exec(10, List.of("ip", "netns", "del", victimNs));
        Commands.exec(10, List.of("ip", "netns", "del", internetNs));
    }
}
