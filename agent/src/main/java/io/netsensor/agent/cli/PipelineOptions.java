package io.netsensor.agent.cli;

import io.netsensor.config.Settings;
import picocli.CommandLine.Option;

/** What run and replay share about the pipeline (a picocli mixin): output, detection and the capture filter. */
public final class PipelineOptions {
    @Option(names = "--events", description = "Print every connection, DNS and burst event as a JSON line.")
    boolean events;

    @Option(names = "--telemetry", description = "Print the summarized telemetry rows (one per key, remote and interval) as JSON lines.")
    boolean telemetry;

    @Option(names = "--no-detect", description = "Only capture (or read), decode and journal; run no detectors (as detectors.enabled: false).")
    boolean noDetect;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF",
            description = "BPF filter (libpcap syntax); replay then reads the files through libpcap.")
    String filter;

    /** Whether to run the detectors: neither --no-detect nor detectors.enabled: false. */
    boolean detect(Settings settings) {
        return !noDetect && settings.detectors.enabled;
    }

    /** Says on stderr when the config turned detection off, which a user expecting alerts may not remember. */
    boolean detectNoting(Settings settings, String command) {
        if (!noDetect && !settings.detectors.enabled) {
            System.err.println("netsensor " + command + ": detection off (detectors.enabled: false in the config)");
        }
        return detect(settings);
    }
}
