package io.netsensor.fleet;

import io.netsensor.agent.Main;
import io.netsensor.testkit.pcap.Traffic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One sensor of a simulated fleet: the real agent replays a generated capture and forwards its alerts and
 * telemetry through its real Kafka sink (host_id = the agent's name), as `netsensor replay --data-dir` does.
 * Replays into the same data directory continue its journal, and the sink resumes at its stored position.
 */
final class SimulatedAgent {
    private SimulatedAgent() {}

    /** Replays the traffic; returns what the replay printed on stdout (its alerts). */
    static String replay(Path work, String hostId, Path dataDir, String bootstrap, String telemetryTopic, String alertsTopic, Traffic traffic)
            throws Exception {
        Path dir = Files.createDirectories(work.resolve(hostId));
        Path pcap = traffic.write(dir.resolve(hostId + ".pcap"));
        Path cfg = dir.resolve("netsensor.yaml");
        Files.writeString(cfg, String.join("\n",
                "telemetry:",
                "  interval: 60s",
                "alerts_on_stderr: false",
                "sinks:",
                "  - name: fleet",
                "    type: kafka",
                "    bootstrap_servers: [" + bootstrap + "]",
                "    host_id: " + hostId,
                "    kinds: [alerts, telemetry]",
                "    telemetry_topic: " + telemetryTopic,
                "    alerts_topic: " + alertsTopic,
                "    linger: 5ms",
                ""));
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int rc;
        synchronized (SimulatedAgent.class) {
            System.setOut(new PrintStream(printed, true));
            try {
                rc = Main.commandLine().execute("replay", "--config", cfg.toString(), "--data-dir", dataDir.toString(), pcap.toString());
            } finally {
                System.setOut(out);
            }
        }
        if (rc != 0) throw new AssertionError("replay of " + hostId + " exited " + rc);
        return printed.toString();
    }
}
