package io.netsensor.fleet;

import io.netsensor.agent.Main;
import io.netsensor.testkit.pcap.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One sensor of a simulated fleet: the real agent replays a generated capture and forwards its alerts and
 * telemetry through its real Kafka sink (host_id = the agent's name), as `netsensor replay --data-dir` does.
 * Replays into the same data directory continue its journal, and the sink resumes at its stored position.
 */
final class SimulatedAgent {
    private SimulatedAgent() {}

    /** Replays the traffic (its alerts print on stdout, as the replay command's do). */
    static void replay(Path work, String hostId, Path dataDir, String bootstrap, String telemetryTopic, String alertsTopic, Traffic traffic)
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
        // in-process, so several agents replay at once (each its own data dir); their alerts print on stdout
        int rc = Main.commandLine().execute("replay", "--config", cfg.toString(), "--data-dir", dataDir.toString(), pcap.toString());
        if (rc != 0) throw new AssertionError("replay of " + hostId + " exited " + rc);
    }
}
