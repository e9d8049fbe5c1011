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
        Settings.Allowlist a = settings.detectors.allowlist;
        d.allowlist.processes.addAll(a.processes);
        d.allowlist.cidrs.addAll(a.remoteCidrs);
        d.allowlist.domains.addAll(a.domainSuffixes);
        d.allowlist.ports.addAll(a.ports);
        if (settings.detectors.c2Ports != null) {
            d.c2Port.ports.clear();
            for (Integer p : settings.detectors.c2Ports) d.c2Port.ports.add(Integer.toString(p));
        }
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
}
