package io.netsensor.fleet;

import io.netsensor.events.Severity;
import io.netsensor.format.MitreAttack;
import java.util.List;

/** The fleet's cross-host rules: their rule.id in the alert, severity, score and ATT&CK mapping. */
enum FleetRule {
    /** One or two hosts beaconing to a destination the fleet never saw before the window. */
    RARE_BEACON("fleet_rare_beacon", Severity.MEDIUM, 0.65, c2()),
    /** Several hosts beaconing to one destination with the same period: one controller, many bots. */
    BOTNET("fleet_botnet", Severity.HIGH, 0.85, c2()),
    /** The same failing, machine-made domain on several hosts: one DGA seeded alike on each. */
    SHARED_NAMES("fleet_shared_names", Severity.HIGH, 0.8, List.of(MitreAttack.BOTNET, new MitreAttack.Technique("TA0011",
            "Command and Control", "T1568", "Dynamic Resolution", "T1568.002", "Domain Generation Algorithms"))),
    /** A destination new to the fleet that many hosts contact at once: a worm, or one payload pushed to all. */
    SPREADER("fleet_spreader", Severity.HIGH, 0.75, List.of(MitreAttack.BOTNET));

    final String id;
    final Severity severity;
    final double score;
    final List<MitreAttack.Technique> techniques;

    FleetRule(String id, Severity severity, double score, List<MitreAttack.Technique> techniques) {
        this.id = id;
        this.severity = severity;
        this.score = score;
        this.techniques = techniques;
    }

    private static List<MitreAttack.Technique> c2() {
        return List.of(MitreAttack.BOTNET, new MitreAttack.Technique("TA0011", "Command and Control", "T1071",
                "Application Layer Protocol", null, null));
    }
}
