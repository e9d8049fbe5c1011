package io.netsensor.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet application's settings (YAML, snake_case keys; see README, Fleet view). Every field has its
 * documented default here; {@link FleetSettingsLoader} binds a file over them and checks ranges.
 */
public final class FleetSettings {
    /** Kafka Streams application.id: instances with the same id share the partitions (and the state). */
    public String applicationId = "netsensor-fleet";
    /** Where RocksDB keeps the state stores; one directory per instance on a machine. */
    public String stateDir = "/var/lib/netsensor/fleet";
    public int threads = 1;
    /** Replication of the changelog, repartition and output topics Streams creates; -1: the broker's default. */
    public int replication = -1;
    /** Exactly-once commits every this often: output becomes visible to read_committed consumers then. */
    public Duration commitInterval = Duration.ofMillis(200);
    public Topics topics = new Topics();
    public Prevalence prevalence = new Prevalence();
    /** Destinations first seen within this much event time of the fleet's first record are "established", never new. */
    public Duration learning = Duration.ofHours(24);
    public Beacon beacon = new Beacon();
    public Rare rare = new Rare();
    public Botnet botnet = new Botnet();
    public SharedNames sharedNames = new SharedNames();
    public Spreader spreader = new Spreader();
    public Allowlist allowlist = new Allowlist();
    /** How often a summary line (records, alerts, overflow) goes to stderr; 0 turns it off. */
    public Duration logSummaryInterval = Duration.ofMinutes(1);
    /** Extra Kafka Streams (and client) properties, passed as they are (TLS, SASL, ...); the guarantees cannot be overridden. */
    public Map<String, String> streamsProperties = new LinkedHashMap<>();

    public static final class Topics {
        /** What the agents' Kafka sinks write (KafkaOptions' defaults). */
        public String telemetry = "netsensor.telemetry";
        public String alerts = "netsensor.alerts";
        /** Compacted, key = destination ("ip:ADDRESS" or "domain:REGISTERED"): the latest prevalence of each. */
        public String prevalence = "netsensor.fleet.prevalence";
        /** Fleet alerts, in the agents' ECS alert shape. */
        public String fleetAlerts = "netsensor.fleet.alerts";
    }

    public static final class Prevalence {
        /**
         * Hosts kept exactly per destination; past it, new hosts are counted (overflow_contacts) but not kept,
         * and the counts say saturated. Every decision is made far below it (rare: a few hosts).
         */
        public int maxHostsPerDestination = 256;
        /** A destination no host contacted for this long is forgotten (its key tombstoned); the longest window. */
        public Duration retention = Duration.ofDays(7);
        /** How often (wall clock) destinations past retention are purged. */
        public Duration purgeInterval = Duration.ofMinutes(10);
    }

    /** When a host's telemetry to one address looks like a beacon (from 1-interval rollups). */
    public static final class Beacon {
        /** Telemetry intervals with connections needed before judging. */
        public int minIntervals = 8;
        /** Most coefficient of variation of the gaps between active intervals. */
        public double maxGapCv = 0.35;
        /** Most coefficient of variation of the connections per active interval. */
        public double maxCountCv = 0.5;
        /** Services whose polling is infrastructure, never a beacon ("udp/123", "53" = both transports). */
        public List<String> ignoredServices = new ArrayList<>(List.of("udp/123", "53"));
    }

    /** fleet_rare_beacon: a beacon to a destination few hosts know, first seen recently. */
    public static final class Rare {
        public boolean enabled = true;
        public int maxHosts = 2;
        /** "Never seen before the window": the destination's fleet first-seen is at most this old. */
        public Duration newWithin = Duration.ofDays(7);
    }

    /** fleet_botnet: several hosts beaconing to one destination with similar periods. */
    public static final class Botnet {
        public boolean enabled = true;
        public int minHosts = 3;
        /** Periods within this fraction of their median count as the same. */
        public double periodTolerance = 0.2;
    }

    /** fleet_shared_names: the same NXDOMAIN, DGA-scored (or agent DGA-flagged) domain on several hosts. */
    public static final class SharedNames {
        public boolean enabled = true;
        public int minHosts = 3;
        /** Score of the bundled DGA model a failing domain needs; -1: the model's 0.1 % false-positive threshold. */
        public double minScore = -1;
    }

    /** fleet_spreader: a destination new to the fleet that many hosts contact at once. */
    public static final class Spreader {
        public boolean enabled = true;
        public int minHosts = 5;
        /** Hosts whose first contact is within this of the destination's fleet first-seen. */
        public Duration window = Duration.ofMinutes(10);
    }

    /** Destinations no fleet detection alerts on (prevalence is still counted). */
    public static final class Allowlist {
        /** CIDR ranges of addresses. */
        public List<String> cidrs = new ArrayList<>();
        /** Domain suffixes, matched on label boundaries. */
        public List<String> domains = new ArrayList<>();
    }
}
