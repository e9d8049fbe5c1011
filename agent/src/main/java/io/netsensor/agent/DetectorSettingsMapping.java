package io.netsensor.agent;

import io.netsensor.config.Settings;
import io.netsensor.detectors.DetectorSettings;

/** The detectors' settings from the agent's config: profile, allowlist, C2 ports, detectors turned off. */
final class DetectorSettingsMapping {
    private DetectorSettingsMapping() {}

    static DetectorSettings of(Settings settings) {
        DetectorSettings d = switch (settings.detectors.profile) {
            case DEFAULT -> DetectorSettings.defaults();
            case SHORT_WINDOW -> DetectorSettings.shortWindow();
        };
        d.maxKeys(settings.detectors.maxKeys);
        Settings.Allowlist a = settings.detectors.allowlist;
        d.allowlist.processes.addAll(a.processes);
        d.allowlist.cidrs.addAll(a.remoteCidrs);
        d.allowlist.domains.addAll(a.domainSuffixes);
        d.allowlist.ports.addAll(a.ports);
        if (settings.detectors.c2Ports != null) {
            d.c2Port.ports.clear();
            for (Integer p : settings.detectors.c2Ports) d.c2Port.ports.add(Integer.toString(p));
        }
        thresholds(settings.detectors, d);
        for (String off : settings.detectors.disabled) {
            switch (off) {
                case "beacon" -> d.beacon.enabled = false;
                case "relay" -> d.relay.enabled = false;
                case "fanout" -> d.fanout.enabled = false;
                case "c2_port" -> d.c2Port.enabled = false;
                case "dns_tunnel" -> d.dnsTunnel.enabled = false;
                case "scan" -> d.scan.enabled = false;
                default -> throw new IllegalArgumentException("not a detector: " + off); // the loader checked
            }
        }
        return d;
    }

    /**
     * The config's thresholds over the profile's, on {@code d}. These are the values the detectors read
     * at each decision, so applying them to the running detectors' settings (on their thread) retunes
     * live state: {@link DetectionLoop#reload}.
     */
    static void thresholds(Settings.Detectors c, DetectorSettings d) {
        if (c.beacon.minConnections != null) d.beacon.minConnections = c.beacon.minConnections;
        if (c.beacon.minScore != null) d.beacon.minScore = c.beacon.minScore;
        if (c.beacon.minPerHour != null) d.beacon.minPerHour = c.beacon.minPerHour;
        if (c.beacon.maxPerHour != null) d.beacon.maxPerHour = c.beacon.maxPerHour;
        if (c.fanout.minUnique != null) d.fanout.minUnique = c.fanout.minUnique;
        if (c.fanout.busyMinUnique != null) d.fanout.busyMinUnique = c.fanout.busyMinUnique;
        if (c.relay.minOutbound != null) d.relay.minOutbound = c.relay.minOutbound;
    }

    /** Copies the thresholds {@link #thresholds} sets from {@code from} (a reloaded config's, profile included) to the running {@code to}. */
    static void copyThresholds(DetectorSettings from, DetectorSettings to) {
        to.beacon.minConnections = from.beacon.minConnections;
        to.beacon.minScore = from.beacon.minScore;
        to.beacon.minPerHour = from.beacon.minPerHour;
        to.beacon.maxPerHour = from.beacon.maxPerHour;
        to.fanout.minUnique = from.fanout.minUnique;
        to.fanout.busyMinUnique = from.fanout.busyMinUnique;
        to.relay.minOutbound = from.relay.minOutbound;
    }
}
