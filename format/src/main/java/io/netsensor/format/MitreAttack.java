package io.netsensor.format;

import io.netsensor.events.DetectorKind;
import java.util.List;

/**
 * The MITRE ATT&CK mapping of each detector, shared by every output shape: the seed rule's umbrella, T1583.005
 * Botnet (Resource Development), and the technique the detector observes. Beacon, c2_port, dga and relay watch
 * command-and-control traffic (TA0011): T1071 Application Layer Protocol (periodic sessions over whatever
 * protocol), T1571 Non-Standard Port, T1568.002 Domain Generation Algorithms, T1090 Proxy (the host relays
 * inbound to outbound). Fanout sees a host contacting many peers on one service port, a bot scanning for its
 * next victims: T1046 Network Service Discovery (Discovery). Not T1210 Exploitation of Remote Services:
 * connection counts show the search for services, not an exploit. dns_tunnel sees data carried in DNS names
 * and answers: T1071.004 Application Layer Protocol: DNS (C2 over DNS; a tunnel's transport); scan (one host
 * probing many ports of one peer) is T1046 as fanout.
 */
public final class MitreAttack {
    /** One tactic/technique pair; subId and subName are null when the technique has no sub-technique here. */
    public record Technique(String tacticId, String tactic, String id, String name, String subId, String subName) {}

    public static final Technique BOTNET = new Technique("TA0042", "Resource Development", "T1583", "Acquire Infrastructure",
            "T1583.005", "Botnet");

    private MitreAttack() {}

    /** What the detector observes, or null for a detector without a mapping yet (the umbrella alone). */
    public static Technique observed(DetectorKind d) {
        switch (d) {
            case BEACON: return new Technique("TA0011", "Command and Control", "T1071", "Application Layer Protocol", null, null);
            case C2_PORT: return new Technique("TA0011", "Command and Control", "T1571", "Non-Standard Port", null, null);
            case DGA: return new Technique("TA0011", "Command and Control", "T1568", "Dynamic Resolution", "T1568.002", "Domain Generation Algorithms");
            case RELAY: return new Technique("TA0011", "Command and Control", "T1090", "Proxy", null, null);
            case FANOUT: return new Technique("TA0007", "Discovery", "T1046", "Network Service Discovery", null, null);
            case DNS_TUNNEL: return new Technique("TA0011", "Command and Control", "T1071", "Application Layer Protocol", "T1071.004", "DNS");
            case SCAN: return new Technique("TA0007", "Discovery", "T1046", "Network Service Discovery", null, null);
            default: return null;
        }
    }

    /** The umbrella first, then what the detector observes (when mapped). */
    public static List<Technique> of(DetectorKind d) {
        Technique t = observed(d);
        return t == null ? List.of(BOTNET) : List.of(BOTNET, t);
    }
}
