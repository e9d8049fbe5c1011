package io.netsensor.detectors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tunables of the network detectors, as plain mutable fields so a config layer can map YAML onto them.
 * Defaults are the seed rule's values (T1583.005 LogScale queries) where it has one; choices the seed
 * does not make are explained where they are declared.
 */
public final class DetectorSettings {
    public Beacon beacon = new Beacon();
    public Relay relay = new Relay();
    public Fanout fanout = new Fanout();
    public C2Port c2Port = new C2Port();
    public Gate gate = new Gate();
    public AllowlistSettings allowlist = new AllowlistSettings();
    /**
     * Cloud platform endpoints every VM polls on a timer and talks to on odd ports (never C2, never a relay
     * leg): Azure WireServer 168.63.129.16 (:80, :32526), the instance metadata service 169.254.169.254
     * (AWS, Azure, GCP's metadata.google.internal, OpenStack), AWS's IPv6 IMDS fd00:ec2::254, the AWS ECS
     * task metadata 169.254.170.2 and Amazon Time Sync 169.254.169.123. Connections to them reach no
     * network detector (counted as detector.engine.infrastructure_events). DNS is not affected.
     */
    public List<String> knownInfrastructure = new ArrayList<>(List.of("168.63.129.16/32", "169.254.169.254/32",
            "fd00:ec2::254/128", "169.254.170.2/32", "169.254.169.123/32"));
    public DnsTunnel dnsTunnel = new DnsTunnel();
    public Scan scan = new Scan();
    public Baseline baseline = new Baseline();
    /** The DGA detector's tunables (its window and thresholds are documented in DgaDetector and DGA.md). */
    public io.netsensor.detectors.dga.DgaDetector.Config dga = new io.netsensor.detectors.dga.DgaDetector.Config();

    /**
     * Keys per detector by default: sized for a server or a small gateway (a few hundred local hosts or processes
     * talk at once), not for a core router. Memory at the cap with these defaults, measured by
     * {@code benchmarks/.../DetectorMemory}: ~32 MiB for all detectors together (README, "Detectors").
     */
    public static final int DEFAULT_MAX_KEYS = 2048;

    public DetectorSettings() {
        maxKeys(DEFAULT_MAX_KEYS);
    }

    /**
     * Sizes every detector's state from one number, the local keys (hosts, or processes where attribution
     * exists) each detector follows at once; the least recently active key is evicted past it (counted per
     * detector as {@code detector.evictions}). Series are pairs of a key and a remote, so the beacon detector
     * follows 8 per key (a busy server reaches thousands of remotes in the 3 h idle expiry); the DGA detector's window is ~30 KiB per key (a domain window and a history), so it
     * follows one key in 8 (at least 64); the slow fan-out buckets (~1.1 KiB per host and port with failures)
     * half; the alert gate 8 alert ids per key.
     */
    public DetectorSettings maxKeys(int keys) {
        if (keys < 16) throw new IllegalArgumentException("max_keys must be at least 16");
        beacon.maxKeys = 8 * keys;
        relay.maxKeys = keys;
        fanout.maxKeys = keys;
        fanout.slowMaxKeys = Math.max(16, keys / 2);
        c2Port.maxKeys = keys;
        scan.maxKeys = keys;
        baseline.maxKeys = keys;
        dnsTunnel.maxKeys = keys;
        dga.maxKeys = Math.max(64, keys / 8);
        gate.maxEntries = 8 * keys;
        return this;
    }

    public static DetectorSettings defaults() {
        return new DetectorSettings();
    }

    /**
     * The config's profile "short-window" (profiles are named in the config module, which maps them here).
     * For captures of minutes (demos, replayed pcaps): beacons need 5 minutes and 20 connections, and a
     * fast series (faster than the seed's 120/h) 20 connections over 1 minute (a C2 loop sleeping 2-3.6 s
     * shows 22 in its 65 s SLIPS capture).
     */
    public static DetectorSettings shortWindow() {
        DetectorSettings s = new DetectorSettings();
        s.beacon.minDuration = Duration.ofMinutes(5);
        s.beacon.minConnections = 20;
        s.beacon.fastMinConnections = 20;
        s.beacon.fastMinDuration = Duration.ofMinutes(1);
        s.beacon.idleExpiry = Duration.ofMinutes(10);
        s.baseline.enabled = false; // minutes of capture cannot tell a device's start from a C2 loop's
        return s;
    }

    /** Seed query 1 plus a regularity score. */
    public static final class Beacon {
        public boolean enabled = true;
        /** Seed: connection_count >= 12, duration >= 30 min, 4..120 connections per hour. */
        public int minConnections = 12;
        public Duration minDuration = Duration.ofMinutes(30);
        public double minPerHour = 4;
        public double maxPerHour = 120;
        /** Regularity (0..1) a series needs to alert; the seed has none, which is its main FP source. */
        public double minScore = 0.70;
        /**
         * The seed drops 80/443 outright; real C2 uses 443, so web ports stay in but need a stricter
         * score (browsers, update checkers and push channels poll them regularly).
         */
        public List<Integer> webPorts = new ArrayList<>(List.of(80, 443));
        public double webMinScore = 0.90;
        /**
         * Series faster than maxPerHour (seed atomic test 1: every 10 s) still alert, at Low/Medium, when
         * they are this regular with this many connections over this span.
         */
        public double fastMinScore = 0.85;
        public int fastMinConnections = 24;
        public Duration fastMinDuration = Duration.ofMinutes(2);
        /**
         * Series slower than minPerHour (an implant sleeping an hour or more) alert too, at Low/Medium,
         * when they are this regular with this many check-ins over this span (12 hourly check-ins: half a day).
         */
        public double slowMinScore = 0.85;
        public int slowMinConnections = 12;
        public Duration slowMinDuration = Duration.ofHours(6);
        /**
         * Infrastructure polling that never alerts: NTP, DNS to the resolver ("udp/123", "53" = both), and DHCP
         * lease renewals (udp/67 to the server, DHCPv6 udp/547), periodic by design (a lease's T1 timer).
         */
        public List<String> ignoredServices = new ArrayList<>(List.of("udp/123", "53", "udp/67", "udp/547"));
        /** Connections starting this close to the previous one are one beacon event (parallel connects). */
        public Duration mergeWithin = Duration.ofSeconds(1);
        /** Timestamps and sizes kept per series; regularity is judged over this many latest events. */
        public int ringSize = 128;
        public int maxKeys = 20_000;
        /**
         * A series idle this long is forgotten (>= the slowest interval of interest: sleeps of up to ~2 h with
         * jitter; the seed's 4/h floor alone would need 15 min).
         */
        public Duration idleExpiry = Duration.ofHours(3);
    }

    /** Seed query 3 (ORB relay) and atomic test 2. */
    public static final class Relay {
        public boolean enabled = true;
        public Duration window = Duration.ofMinutes(5);
        /** Seed: outbound_count >= 3 on non-standard ports (one suffices when it closely follows an inbound leg). */
        public int minOutbound = 3;
        /** Outbound ports that are not relay legs (seed: 80, 443, 53; 53 is handled by ignoreUdpDns). */
        public List<Integer> standardPorts = new ArrayList<>(List.of(80, 443));
        /**
         * The seed excludes port 53 yet its atomic test relays to 8.8.8.8:53. Ordinary resolution is UDP,
         * so udp/53 is excluded and tcp/53 (rare for ordinary clients) counts as a non-standard leg.
         */
        public boolean ignoreUdpDns = true;
        /** An outbound leg this soon after an inbound accept scores higher and suffices alone. */
        public Duration followWithin = Duration.ofSeconds(60);
        public int legsPerHost = 64;
        public int maxKeys = 10_000;
        /**
         * Tight pairing on any port (443 too): an outbound connection that starts this soon after an inbound
         * one (a relay connects on as soon as it has accepted: ms to 100s of ms; a person at a jump host
         * takes seconds), confirmed when both legs end with the same bytes both ways.
         */
        public Duration pairWithin = Duration.ofSeconds(1);
        /** Confirmed pairs needed when the outbound port is a standard one (80, 443); one elsewhere. */
        public int minPairs = 3;
        /**
         * Services whose servers open the same service outwards by design: SMTP (a mail server accepts and
         * delivers: store and forward), SSH (a jump host). Outbound legs to one of these, from a host that
         * accepts it in the window, are no relay legs, paired or not.
         */
        public List<Integer> forwardingServices = new ArrayList<>(List.of(22, 25, 465, 587));
    }

    /** Seed atomic test 4: one host reaching many external addresses on one port. */
    public static final class Fanout {
        public boolean enabled = true;
        public Duration window = Duration.ofMinutes(5);
        public int minUnique = 30;
        /** Ports where many distinct peers are normal (DNS, web, NTP, DoT) need busyMinUnique instead. */
        public List<Integer> busyPorts = new ArrayList<>(List.of(53, 80, 443, 123, 853));
        public int busyMinUnique = 300;
        public int maxKeys = 10_000;
        /**
         * Slow spreading: distinct external peers that failed (refused, unanswered) on one port over this
         * long window, counted in hourly buckets (a few attempts a minute is 100+ per hour). Busy ports are
         * left out (browsers meet thousands of peers on 443 over hours); 0 turns the slow path off.
         */
        public Duration slowWindow = Duration.ofHours(6);
        public int slowMinUnique = 100;
        public int slowMaxKeys = 4096;
        /**
         * IoT worm ports (Mirai and its kin scan telnet): a fan-out there whose attempts mostly fail
         * ({@code wormFailShare}) is raised one severity higher, at least High.
         */
        public List<Integer> wormPorts = new ArrayList<>(List.of(23, 2323));
        public double wormFailShare = 0.8;
    }

    /**
     * Device baseline (see detectors.baseline.DeviceBaseline): a beacon to an endpoint an appliance has
     * polled since it appeared is ranked Low when the host never talked to more than maxEndpoints.
     */
    public static final class Baseline {
        public boolean enabled = true;
        public int maxEndpoints = 8;
        /** The host must have been seen this long (the beacon's own minimum duration). */
        public Duration minObserved = Duration.ofMinutes(30);
        /** Endpoints first contacted this soon after the host was first seen are part of its start. */
        public Duration startSlack = Duration.ofMinutes(10);
        public Duration idleExpiry = Duration.ofHours(24);
        public int maxKeys = 10_000;
    }

    /**
     * A vertical port scan (scan): one host probing many ports of one external peer. Reconnaissance of a
     * target, not spreading: Low, Medium at 4x the threshold, never higher. Most attempts must fail
     * (passive FTP, RTP and NodePort clients reach many ports of one server, and get answers).
     */
    public static final class Scan {
        public boolean enabled = true;
        public Duration window = Duration.ofMinutes(5);
        public int minPorts = 50;
        public double minFailShare = 0.5;
        public int maxKeys = 10_000;
    }

    /** Seed atomic test 3: connections to ports known for botnet C2. */
    public static final class C2Port {
        public boolean enabled = true;
        /**
         * IRC (6660-6669, 6697 TLS) is the classic botnet channel; 4444 Metasploit's default handler;
         * 31337 Back Orifice; 1177 and 5552 njRAT defaults; 1604 DarkComet; 3460 Poison Ivy. Ports with
         * common legitimate use (7000 AirPlay/Cassandra, 8080, 8443, 8000, 1337) are left out on purpose.
         */
        public List<String> ports = new ArrayList<>(List.of("6660-6669", "6697", "4444", "31337", "1177",
                "5552", "1604", "3460"));
        /** IRC and the RAT defaults are TCP; UDP to these ports is mostly noise (ephemeral collisions). */
        public boolean tcpOnly = true;
        /** The seed excludes private and loopback peers; loopback never counts, internal only on request. */
        public boolean includeInternal = false;
        /** One alert per host and destination per window (unless severity rises). */
        public Duration window = Duration.ofHours(1);
        public int maxKeys = 10_000;
    }

    public static final class Gate {
        public int maxEntries = 100_000;
        /** The same alert (same id and severity) may repeat after this much event time. */
        public Duration realertAfter = Duration.ofHours(24);
    }

    public static final class AllowlistSettings {
        /** Process name ("backup-agent") or executable path glob ("/opt/falcon/**"). */
        public List<String> processes = new ArrayList<>();
        /** Remote address ranges (CIDR, IPv4 or IPv6). */
        public List<String> cidrs = new ArrayList<>();
        /** Domain suffixes, matched on label boundaries ("example.com" matches "a.example.com"). */
        public List<String> domains = new ArrayList<>();
        /** Remote (service) ports. */
        public List<Integer> ports = new ArrayList<>();
    }

    /**
     * C2 over DNS and DNS tunnels (dns_tunnel): per host and zone (registered domain, or the server asked
     * when the name has no known TLD), over the last one to two windows.
     */
    public static final class DnsTunnel {
        public boolean enabled = true;
        public Duration window = Duration.ofMinutes(10);
        /** Distinct names under one zone a host must ask for (tunnels make every query name new). */
        public int minUniqueNames = 30;
        /** A label this long that switches between letters and digits this often is encoded data. */
        public int encodedLabelLength = 16;
        public double encodedSwitchRate = 0.2;
        /** Share of a zone's queries with encoded labels, and with TXT/NULL/CNAME/MX/private types. */
        public double encodedShare = 0.5;
        public double tunnelTypeShare = 0.5;
        /** NULL and private-use (65280-65534) queries: iodine's; almost nothing else asks for them. */
        public int minRareTypes = 5;
        /** Mean bytes of the names in front of the zone that make them payload-sized. */
        public int longNameBytes = 30;
        /** Mean answer bytes (tunnel types) that make the answers payload-sized. */
        public int largeAnswerBytes = 100;
        /** Distinct TXT answers carrying encoded data (a stager's chunks, changing commands). */
        public int minEncodedTxt = 8;
        public int encodedTxtLength = 24;
        public int maxKeys = 4096;
    }
}
