package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.live.AgentProcess;
import io.netsensor.testkit.events.Times;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.LinkType;
import io.netsensor.testkit.pcap.PcapWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data sharing: a checkout's agent starts with its classes mapped from the archive the
 * launcher trained beside the jar (the JVM logs each class's source), and NETSENSOR_CDS=0 starts without it
 * (the agent does not take the variable for a setting of its own).
 */
class LauncherCdsIT {
    @TempDir Path dir;

    @Test
    void agentClassesComeFromTheTrainedArchiveUnlessTurnedOff() throws Exception {
        Path capture = dir.resolve("small.pcap");
        try (PcapWriter w = PcapWriter.pcap(capture, LinkType.ETHERNET)) {
            w.write(Times.at(0), Frames.ipv4("10.0.0.9", "203.0.113.7").tcp(41000, 443).flags(Frames.SYN).seq(100).build());
        }
        String first = replay("on-1", Map.of(), capture); // trains the archive when the jar is newer than it
        assertThat(first).contains("io.netsensor.agent.Main source:");
        assertThat(AgentProcess.repoRoot().resolve("agent/target/netsensor-agent.jsa")).exists();

        String shared = replay("on-2", Map.of(), capture);
        assertThat(classSource(shared, "io.netsensor.agent.Main")).as("with CDS").startsWith("shared objects file");
        assertThat(classSource(shared, "io.netsensor.capture.decode.FrameDecoder")).startsWith("shared objects file");

        String off = replay("off", Map.of("NETSENSOR_CDS", "0"), capture);
        assertThat(classSource(off, "io.netsensor.agent.Main")).as("NETSENSOR_CDS=0").startsWith("file:");
    }

    private String replay(String name, Map<String, String> env, Path capture) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        Path log = work.resolve("classes.log");
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("NETSENSOR_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        AgentProcess p = AgentProcess.start(work, all, "replay", capture.toString());
        assertThat(p.waitFor(180)).as("replay exit; stderr: %s", p.stderrText()).isZero();
        assertThat(p.stderrText()).contains("1 packets").doesNotContain("NETSENSOR_CDS");
        return Files.readString(log);
    }

    /** What the class-load log gives as the class's source ("shared objects file (top)", "file:/...jar"). */
    private static String classSource(String log, String className) {
        for (String line : log.split("\n")) {
            int at = line.indexOf(" " + className + " source: ");
            if (at >= 0) return line.substring(at + className.length() + 10).trim();
        }
        throw new AssertionError(className + " not in the class-load log");
    }
}
