package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Process attribution end to end: the real agent captures on the veth of a test namespace while real
 * clients this test starts (curl, nc, dig, short-lived bash processes) talk to servers in the namespace;
 * the records must name the pid, executable and user the test itself started. Also an inbound accept
 * (listener in the root namespace) and the hit rate over 500 connections from 20 short-lived processes.
 */
class AttributionIT {

    @Test
    void recordsNameTheProcessesThatOwnTheirSockets() throws Exception {
        String why = TestNet.unavailableReason();
        assumeTrue(why == null, why);
        for (String tool : new String[] {"nc", "dig", "dnsmasq", "curl", "bash"}) {
            assumeTrue(Sh.available(tool), tool + " not installed; skipped");
        }
        try (TestNet net = TestNet.create()) {
            net.startTcpAcceptor(8080);
            net.startDns("/app.test/198.51.100.7");
            net.awaitListening(8080, false);
            net.awaitListening(53, true);
            Path data = Files.createTempDirectory("attr-journal");
            try (AgentProcess agent = AgentProcess.start(net.workDir(), "run", "--interface", net.hostIf,
                    "--data-dir", data.toString(), "--events", "--no-detect")) {
                agent.awaitStderr("capturing on", 60);
                Thread.sleep(1500); // the resolver primes its caches

                long curl = run("curl", "-s", "--max-time", "0.3", "http://" + TestNet.SERVER_IP + ":8080/");
                long nc = run("sh", "-c", "exec nc -w 1 " + TestNet.SERVER_IP + " 8080 < /dev/null");
                long dig = run("dig", "@" + TestNet.SERVER_IP, "app.test", "A", "+time=2", "+tries=1");
                // a short-lived shell making one DNS query on a UDP socket it keeps for 30 ms, then exiting
                long dnsShell = run("bash", "-c", "exec 3<>/dev/udp/" + TestNet.SERVER_IP + "/53; "
                        + "printf '\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00"
                        + "\\x05shell\\x04test\\x00\\x00\\x01\\x00\\x01' >&3; sleep 0.03; exit 0");
                // a short-lived shell: one connection, exits within 50 ms
                long shortLived = run("bash", "-c", "exec 3<>/dev/tcp/" + TestNet.SERVER_IP + "/8080; sleep 0.03; exit 0");

                // inbound: a listener in the root namespace, a client in the test namespace
                Process listener = new ProcessBuilder("nc", "-l", TestNet.HOST_IP, "9090").redirectErrorStream(true).start();
                awaitRootListening(9090);
                Sh.run(Sh.inNs(net.ns, "sh", "-c", "exec nc -w 1 " + TestNet.HOST_IP + " 9090 < /dev/null").toArray(String[]::new));
                listener.waitFor(5, TimeUnit.SECONDS);

                // hit rate: 500 short-lived bash processes, each making 1 connection and exiting within ~50 ms
                // (10 at a time)
                List<Long> burstPids = new ArrayList<>();
                for (int round = 0; round < 50; round++) {
                    List<Process> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        batch.add(new ProcessBuilder("bash", "-c", "exec 3<>/dev/tcp/" + TestNet.SERVER_IP + "/8080; sleep 0.02")
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                    }
                    for (Process p : batch) {
                        p.waitFor(10, TimeUnit.SECONDS);
                        burstPids.add(p.pid());
                    }
                }
                Thread.sleep(1500);
                assertThat(agent.terminate(30)).as(agent.stderrText()).isEqualTo(0);
                String stopLine = agent.stderrText();
                System.out.println("agent stop line: " + stopLine.lines().filter(l -> l.contains("stopped")).findFirst().orElse(""));

                List<JsonNode> events = agent.jsonLines();
                List<JsonNode> ends = events.stream().filter(e -> e.at("/event/dataset").asText().equals("netsensor.conn")
                        && e.at("/netsensor/phase").asText().equals("end")).collect(Collectors.toList());
                String user = Sh.run("id", "-un").trim();

                assertAttributed(ends, curl, "/usr/bin/curl", user, "curl");
                assertAttributed(ends, nc, "/usr/bin/nc.openbsd", user, "nc");
                assertAttributed(ends, shortLived, "/usr/bin/bash", user, "short-lived bash");
                JsonNode shellQuery = events.stream().filter(e -> e.at("/dns/question/name").asText().equals("shell.test"))
                        .findFirst().orElseThrow(() -> new AssertionError("no DNS event for shell.test"));
                assertThat(shellQuery.at("/process/pid").asLong()).as("the shell's query: %s", shellQuery).isEqualTo(dnsShell);
                assertThat(shellQuery.at("/process/executable").asText()).isEqualTo("/usr/bin/bash");
                // dig closes its socket as soon as the answer arrives (0.3 ms here): attributed only when the
                // lookup wins that race, but never to another process
                JsonNode digQuery = events.stream().filter(e -> e.at("/dns/question/name").asText().equals("app.test"))
                        .findFirst().orElseThrow();
                System.out.println("dig's query attribution: " + digQuery.at("/netsensor/attribution").asText());
                if (digQuery.at("/netsensor/attribution").asText().equals("resolved")) {
                    assertThat(digQuery.at("/process/pid").asLong()).isEqualTo(dig);
                }

                JsonNode inbound = ends.stream().filter(e -> e.at("/destination/port").asInt() == 9090).findFirst().orElseThrow();
                assertThat(inbound.at("/network/direction").asText()).as("the host's view of its own traffic").isEqualTo("ingress");
                assertThat(inbound.at("/process/pid").asLong()).as("the listener: %s", inbound).isEqualTo(listener.pid());

                Set<Long> burst = new HashSet<>(burstPids);
                List<JsonNode> burstConns = ends.stream().filter(e -> e.at("/destination/port").asInt() == 8080
                        && !Set.of(curl, nc, shortLived).contains(e.at("/process/pid").asLong())
                        && e.at("/source/ip").asText().equals(TestNet.HOST_IP)).collect(Collectors.toList());
                long right = burstConns.stream().filter(e -> burst.contains(e.at("/process/pid").asLong())).count();
                long total = burstConns.size(); // the burst's, plus any unattributed single client (at most 3)
                double rate = 100.0 * right / Math.max(1, total);
                System.out.printf("attribution hit rate: %d of %d connections from %d short-lived processes = %.1f %%%n",
                        right, total, burst.size(), rate);
                assertThat(total).isGreaterThanOrEqualTo(500);
                assertThat(rate).isGreaterThanOrEqualTo(95.0);
            }
        }
    }

    private static void assertAttributed(List<JsonNode> ends, long pid, String exe, String user, String what) {
        List<JsonNode> mine = ends.stream().filter(e -> e.at("/process/pid").asLong() == pid).collect(Collectors.toList());
        assertThat(mine).as("%s (pid %d) has an attributed connection in %s", what, pid, ends.size() > 40 ? ends.subList(0, 40) : ends).isNotEmpty();
        JsonNode e = mine.get(0);
        String real = exe;
        try {
            real = Path.of(exe).toRealPath().toString();
        } catch (java.io.IOException ignored) {
            // keep the name
        }
        assertThat(e.at("/process/executable").asText()).isIn(exe, real);
        assertThat(e.at("/user/name").asText()).isEqualTo(user);
        assertThat(e.at("/process/entity_id").asText()).hasSize(16);
        assertThat(e.at("/host/name").asText()).isNotEmpty();
        assertThat(e.at("/netsensor/attribution").asText()).isEqualTo("resolved");
    }

    /** Runs a client to completion and returns its pid (the direct child: exec'd, not forked). */
    private static long run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        return p.pid();
    }

    private static void awaitRootListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (Sh.exec(5, "ss", "-ltn").output.contains(":" + port + " ")) return;
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("nothing listens on " + port);
    }
}
