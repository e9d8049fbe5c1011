package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Live capture end to end: the real agent captures with libpcap on a veth interface while real clients
 * (nc, dig) talk to real servers (nc listener, dnsmasq) in a network namespace this test creates.
 */
class LiveCaptureIT {

    @Test
    void capturesConnectionsAndDnsFromRealTraffic() throws Exception {
        String why = TestNet.unavailableReason();
        assumeTrue(why == null, why);
        for (String tool : new String[] {"nc", "dig", "dnsmasq"}) {
            assumeTrue(Sh.available(tool), tool + " not installed (apt-get install netcat-openbsd dnsutils dnsmasq-base); skipped");
        }
        try (TestNet net = TestNet.create()) {
            net.startTcpListener(8080);
            net.startInNs("nc", "-6", "-lk", TestNet.SERVER_IP6, "8080");
            net.startDns("/beacon.test/198.51.100.7", "/beacon.test/2001:db8::7");
            net.awaitListening(8080, false);
            net.awaitListening(TestNet.SERVER_IP6, 8080, false);
            net.awaitListening(53, true);
            Path data = Files.createTempDirectory("live-journal");
            try (AgentProcess agent = AgentProcess.start(net.workDir(), "run", "--interface", net.hostIf,
                    "--data-dir", data.toString(), "--events", "--no-detect")) {
                agent.awaitStderr("capturing on", 60);

                for (int i = 0; i < 3; i++) Sh.run("nc", "-z", "-w", "2", TestNet.SERVER_IP, "8080");
                Sh.exec(10, "nc", "-z", "-w", "2", TestNet.SERVER_IP, "8081"); // refused
                Sh.exec(10, "nc", "-z", "-w", "1", TestNet.SILENT_IP, "8080"); // no answer
                Sh.run("nc", "-6", "-z", "-w", "2", TestNet.SERVER_IP6, "8080");
                String a = Sh.run("dig", "@" + TestNet.SERVER_IP, "a.beacon.test", "A", "+time=2", "+tries=1", "+short");
                assertThat(a.trim()).isEqualTo("198.51.100.7");
                Sh.exec(10, "dig", "@" + TestNet.SERVER_IP, "missing.test", "A", "+time=2", "+tries=1");
                Sh.run("dig", "+tcp", "@" + TestNet.SERVER_IP, "tcp.beacon.test", "AAAA", "+time=2", "+tries=1");
                Thread.sleep(500);

                assertThat(agent.terminate(30)).as("clean exit on SIGTERM:\n" + agent.stderrText()).isEqualTo(0);
                List<JsonNode> events = agent.jsonLines();
                List<JsonNode> conns = events.stream().filter(e -> e.at("/event/dataset").asText().equals("netsensor.conn")
                        && e.at("/netsensor/phase").asText().equals("end")).collect(Collectors.toList());
                List<JsonNode> dns = events.stream().filter(e -> e.at("/event/dataset").asText().equals("netsensor.dns"))
                        .collect(Collectors.toList());

                assertThat(conns.stream().filter(c -> to(c, TestNet.SERVER_IP, 8080)
                        && c.at("/source/ip").asText().equals(TestNet.HOST_IP)
                        && c.at("/netsensor/outcome").asText().equals("established")))
                        .as("3 established connects in %s", conns).hasSize(3);
                JsonNode refused = one(conns, TestNet.SERVER_IP, 8081);
                assertThat(refused.at("/netsensor/conn_state").asText()).isEqualTo("REJ");
                assertThat(refused.at("/netsensor/outcome").asText()).isEqualTo("rejected");
                JsonNode silent = one(conns, TestNet.SILENT_IP, 8080);
                assertThat(silent.at("/netsensor/conn_state").asText()).isEqualTo("S0");
                assertThat(silent.at("/netsensor/outcome").asText()).isEqualTo("no_answer");
                assertThat(silent.at("/source/packets").asLong()).isGreaterThanOrEqualTo(1);
                JsonNode v6 = one(conns, TestNet.SERVER_IP6, 8080);
                assertThat(v6.at("/network/type").asText()).isEqualTo("ipv6");
                assertThat(v6.at("/netsensor/outcome").asText()).isEqualTo("established");

                JsonNode aq = dnsFor(dns, "a.beacon.test");
                assertThat(aq.at("/dns/response_code").asText()).isEqualTo("NOERROR");
                assertThat(aq.at("/dns/answers/0/data").asText()).isEqualTo("198.51.100.7");
                assertThat(aq.at("/network/transport").asText()).isEqualTo("udp");
                assertThat(aq.at("/netsensor/dns/rtt_ms").asDouble()).isGreaterThan(0);
                assertThat(dnsFor(dns, "missing.test").at("/dns/response_code").asText()).isEqualTo("NXDOMAIN");
                JsonNode tcp = dnsFor(dns, "tcp.beacon.test");
                assertThat(tcp.at("/network/transport").asText()).isEqualTo("tcp");
                assertThat(tcp.at("/dns/question/type").asText()).isEqualTo("AAAA");
                assertThat(tcp.at("/dns/answers/0/data").asText()).isEqualTo("2001:db8::7");

                // The journal outlives the process: `netsensor events` prints the same records.
                try (AgentProcess reader = AgentProcess.start(Files.createTempDirectory("reader"), "events",
                        "--data-dir", data.toString())) {
                    assertThat(reader.waitFor(60)).as(reader.stderrText()).isEqualTo(0);
                    assertThat(reader.jsonLines()).hasSize(events.stream()
                            .filter(e -> e.at("/event/dataset").asText().startsWith("netsensor.")
                                    && !e.at("/event/kind").asText().equals("alert")).toArray().length);
                }
            }
        }
    }

    private static boolean to(JsonNode c, String ip, int port) {
        return c.at("/destination/ip").asText().equals(ip) && c.at("/destination/port").asInt() == port;
    }

    private static JsonNode one(List<JsonNode> conns, String ip, int port) {
        List<JsonNode> m = conns.stream().filter(c -> to(c, ip, port)).collect(Collectors.toList());
        assertThat(m).as("one connection to %s:%d in %s", ip, port, conns).hasSize(1);
        return m.get(0);
    }

    private static JsonNode dnsFor(List<JsonNode> dns, String name) {
        return dns.stream().filter(d -> d.at("/dns/question/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no DNS event for " + name + " in " + dns));
    }
}
