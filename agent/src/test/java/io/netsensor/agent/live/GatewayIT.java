package io.netsensor.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Gateway mode: a router namespace forwards between a LAN client namespace and a server namespace; the
 * agent runs inside the router (as on a SOHO gateway) and captures on its LAN veth. Forwarded flows have
 * no local process (not_local) and are keyed by the LAN client's address and MAC, in events and alerts.
 */
class GatewayIT {
    private static final String CLIENT = "192.168.77.2", ROUTER_LAN = "192.168.77.1";
    private static final String SERVER = "203.0.113.2", ROUTER_WAN = "203.0.113.1";

    @Test
    void forwardedFlowsAreKeyedByTheLanClientsAddressAndMac() throws Exception {
        String why = TestNet.unavailableReason();
        assumeTrue(why == null, why);
        assumeTrue(Sh.available("nc"), "nc not installed; skipped");
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        String cl = "gwc-" + tag, rt = "gwr-" + tag, sv = "gws-" + tag;
        List<Process> started = new ArrayList<>();
        try {
            for (String ns : new String[] {cl, rt, sv}) Sh.run("ip", "netns", "add", ns);
            Sh.run("ip", "link", "add", "gc" + tag, "netns", cl, "type", "veth", "peer", "name", "gl" + tag, "netns", rt);
            Sh.run("ip", "link", "add", "gs" + tag, "netns", sv, "type", "veth", "peer", "name", "gw" + tag, "netns", rt);
            in(cl, "ip", "addr", "add", CLIENT + "/24", "dev", "gc" + tag);
            in(rt, "ip", "addr", "add", ROUTER_LAN + "/24", "dev", "gl" + tag);
            in(rt, "ip", "addr", "add", ROUTER_WAN + "/24", "dev", "gw" + tag);
            in(sv, "ip", "addr", "add", SERVER + "/24", "dev", "gs" + tag);
            for (String[] l : new String[][] {{cl, "gc" + tag}, {rt, "gl" + tag}, {rt, "gw" + tag}, {sv, "gs" + tag}}) {
                in(l[0], "ip", "link", "set", l[1], "up");
                in(l[0], "ip", "link", "set", "lo", "up");
            }
            in(cl, "ip", "route", "add", "default", "via", ROUTER_LAN);
            in(sv, "ip", "route", "add", "default", "via", ROUTER_WAN);
            in(rt, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            String clientMac = in(cl, "cat", "/sys/class/net/gc" + tag + "/address").trim();

            started.add(new ProcessBuilder(Sh.inNs(sv, "nc", "-lk", SERVER, "4444")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            for (int i = 0; i < 100 && !Sh.exec(5, Sh.inNs(sv, "ss", "-ltn").toArray(String[]::new)).output.contains(":4444 "); i++) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            Path work = Files.createTempDirectory("gateway");
            // the agent runs inside the router namespace, like the gateway's own service
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", rt, AgentProcess.repoRoot().resolve("netsensor").toString(),
                    "run", "--interface", "gl" + tag, "--data-dir", work.resolve("data").toString(), "--events"));
            Process agent = new ProcessBuilder(cmd).redirectOutput(work.resolve("out").toFile())
                    .redirectError(work.resolve("err").toFile()).start();
            started.add(agent);
            for (int i = 0; i < 1200 && !(Files.exists(work.resolve("err")) && Files.readString(work.resolve("err")).contains("capturing on")); i++) {
                assertThat(agent.isAlive()).as(Files.exists(work.resolve("err")) ? Files.readString(work.resolve("err")) : "").isTrue();
                TimeUnit.MILLISECONDS.sleep(50);
            }
            for (int i = 0; i < 3; i++) in(cl, "nc", "-z", "-w", "2", SERVER, "4444");
            TimeUnit.MILLISECONDS.sleep(700);
            agent.destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(work.resolve("err"));
            assertThat(agent.exitValue()).as(err).isZero();

            List<JsonNode> lines = new ArrayList<>();
            for (String l : Files.readAllLines(work.resolve("out"))) {
                if (!l.isBlank()) lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l));
            }
            String ecsMac = clientMac.toUpperCase(Locale.ROOT).replace(':', '-');
            List<JsonNode> forwarded = new ArrayList<>();
            for (JsonNode e : lines) {
                if (e.at("/event/dataset").asText().equals("netsensor.conn") && e.at("/destination/port").asInt() == 4444) forwarded.add(e);
            }
            assertThat(forwarded).as("forwarded flows in %s\n%s", lines, err).isNotEmpty();
            for (JsonNode e : forwarded) {
                assertThat(e.at("/source/ip").asText()).isEqualTo(CLIENT);
                assertThat(e.at("/source/mac").asText()).isEqualTo(ecsMac);
                assertThat(e.at("/netsensor/attribution").asText()).as("no local process on a gateway: %s", e).isEqualTo("not_local");
                assertThat(e.has("process")).isFalse();
                // forwarded traffic has the network (home_net) view, not the host's ingress/egress
                assertThat(e.at("/network/direction").asText()).isEqualTo("outbound");
            }
            JsonNode alert = lines.stream().filter(e -> e.at("/rule/id").asText().equals("c2_port")).findFirst()
                    .orElseThrow(() -> new AssertionError("no c2_port alert in " + lines));
            assertThat(alert.at("/host/ip").asText()).isEqualTo(CLIENT);
            assertThat(alert.at("/host/mac").asText()).as("same ECS form as the events").isEqualTo(ecsMac);
            assertThat(alert.has("process")).as("no process field when unattributed").isFalse();
            assertThat(alert.at("/source/ip").asText()).isEqualTo(CLIENT);
            assertThat(alert.at("/destination/ip").asText()).isEqualTo(SERVER);
        } finally {
            for (Process p : started) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            for (String ns : new String[] {cl, rt, sv}) Sh.exec(10, "ip", "netns", "del", ns);
        }
    }

    private static String in(String ns, String... cmd) {
        return Sh.run(Sh.inNs(ns, cmd).toArray(String[]::new));
    }
}
