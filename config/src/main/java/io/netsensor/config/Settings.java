package io.netsensor.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.netsensor.events.IpRanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The agent's typed settings, bound from YAML (snake_case keys) by {@link SettingsLoader}. Durations are
 * {@link Duration}s and sizes are bytes, parsed once when the file is read, so a bad value is reported with
 * its line and column and no later code parses strings again. Unknown keys are errors, so a typo fails fast
 * instead of silently running with a default.
 *
 * <p>This class is the one place the defaults are written (but home_net's, see there): the README documents
 * these values, and the components' own settings ({@code ConnTrackerSettings}, {@code DnsTrackerSettings})
 * take theirs from here.
 */
public final class Settings {
    /** Interface to capture on; null = the interface of the default route. */
    @JsonProperty("interface")
    public String captureInterface;
    /** BPF filter applied in the kernel (libpcap syntax). */
    public String bpf = "";
    public int snaplen = 65535;
    /** Capture in promiscuous mode (needed on a gateway's bridge or a SPAN port). */
    public boolean promiscuous = false;
    /** How live capture reads the kernel: the TPACKET_V3 ring where it can (Linux, Ethernet), else libpcap. */
    public CaptureSource captureSource = CaptureSource.AUTO;
    /**
     * The kernel's capture buffer (the TPACKET_V3 ring, whole 256 KiB blocks): it absorbs bursts while the agent
     * is busy, and all of it is resident memory. 8 MiB holds ~70 ms at 1 Gbit/s.
     */
    @JsonDeserialize(using = Units.SizeDeserializer.class)
    public long captureBuffer = 8L << 20;
    public String dataDir = "/var/lib/netsensor";
    /** The Prometheus endpoint and /health (off by default). */
    public MetricsEndpoint metrics = new MetricsEndpoint();
    /** `run` logs a one-line summary on stderr this often; 0 = never. */
    public Duration logSummaryInterval = Duration.ofMinutes(5);
    /**
     * Ranges treated as local/inside; the host's own addresses are always local. The default list is the
     * events module's (RFC 1918, CGNAT, loopback, link-local, ULA), which code below config uses too.
     */
    public List<String> homeNet = new ArrayList<>(IpRanges.DEFAULT_HOME_NET);
    public Journal journal = new Journal();
    public Conntrack conntrack = new Conntrack();
    public Dns dns = new Dns();
    public Detectors detectors = new Detectors();
    public Telemetry telemetry = new Telemetry();
    /** Where alerts (and, per sink, telemetry and events) are forwarded; see {@link SinkSettings}. */
    public List<SinkSettings> sinks = new ArrayList<>();
    /**
     * One concise line per alert on stderr, which journald keeps under systemd: alerts stay visible on the
     * box whatever the forwarding does.
     */
    public boolean alertsOnStderr = true;
    /** Keys set by environment variables, and by which (not a setting: Jackson sees no private field). */
    private Map<String, String> environment = Map.of();

    /** The keys the environment set ("sinks[0].url") and the variable that set each, in the order applied. */
    public Map<String, String> environment() {
        return environment;
    }

    void environment(Map<String, String> origins) {
        this.environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(origins));
    }

    public static final class Journal {
        /** Cycle files roll at this period; retention deletes whole cycles. */
        public RollCycle rollCycle = RollCycle.HOURLY;
        /** Cap on real disk bytes of the journal; oldest cycles are deleted first. 0 = no cap. */
        @JsonDeserialize(using = Units.SizeDeserializer.class)
        public long maxBytes = 2L << 30;
        /** Cycles older than this are deleted. 0 = no age limit. */
        public Duration maxAge = Duration.ofDays(7);
    }

    public static final class Conntrack {
        /**
         * ~415 bytes per flow slot, preallocated (~314 for tracking, ~100 for bursts and names), plus 2.4 MiB
         * for the resolved-names table: 16384 slots = ~9 MiB, sized for a server (flows open at once, closed
         * ones linger tcp_close_delay); past it the least recently active flow is reported and evicted
         * (counted). Raise on busy gateways, with the heap.
         */
        public int maxFlows = 16_384;
        /** Zeek's tcp_inactivity_timeout. */
        public Duration tcpInactivity = Duration.ofMinutes(5);
        /** Zeek's udp_inactivity_timeout. */
        public Duration udpInactivity = Duration.ofMinutes(1);
        /** How long a closed (FIN/RST) TCP flow lingers to absorb its last packets, as Zeek's tcp_close_delay. */
        public Duration tcpCloseDelay = Duration.ofSeconds(5);
    }

    public static final class Dns {
        /**
         * A query with no response after this much event time is reported as unanswered: Zeek's
         * dns_session_timeout, and a stub resolver's whole budget (glibc: 5 s per try, 2 tries).
         */
        public Duration timeout = Duration.ofSeconds(10);
        /**
         * Queries awaiting a response, preallocated at ~1 KiB each (room for the longest escaped name): 4096 =
         * ~4.3 MiB, a server's resolver traffic many times over (answered queries free their slot at once). When
         * full, the oldest is reported unanswered (and counted).
         */
        public int maxPending = 4_096;
    }

    public static final class Telemetry {
        /** Length of one rollup interval in event time; a row per key and interval is journaled when it ends. */
        public Duration interval = Duration.ofSeconds(60);
    }

    public static final class Detectors {
        public DetectorProfile profile = DetectorProfile.DEFAULT;
        /** false = journal only, no detection (as --no-detect). */
        public boolean enabled = true;
        /**
         * Local keys (hosts, or processes where attribution exists) each detector follows at once; the least
         * recently active is evicted past it (counted). Sizes all the detectors' state together (DetectorSettings
         * .maxKeys in the detectors module): 2048 = ~32 MiB at the cap, a server's or a home gateway's need many
         * times over; raise it, with the heap, on a gateway of thousands of LAN clients.
         */
        public int maxKeys = 2048;
        /** On start, detectors re-read this much of the journal so state (e.g. a beacon) survives a restart. */
        public Duration rebuildWindow = Duration.ofHours(2);
        public Allowlist allowlist = new Allowlist();
        /** Ports treated as botnet C2 channels by the c2_port detector; null = built-in list. */
        public List<Integer> c2Ports;
        /**
         * Network detectors turned off, by name: beacon, relay, fanout, c2_port, dns_tunnel, scan (e.g. scan on
         * a vulnerability scanner's own host). Empty = all on.
         */
        public List<String> disabled = new ArrayList<>();
        /** The names detectors.disabled accepts. */
        public static final List<String> NETWORK_DETECTORS = List.of("beacon", "relay", "fanout", "c2_port", "dns_tunnel", "scan");
        public Beacon beacon = new Beacon();
        public Fanout fanout = new Fanout();
        public Relay relay = new Relay();
    }

    /*
     * Detector thresholds over the profile's: null = the profile's value (see DetectorSettings in the
     * detectors module, whose field names these are). The detectors read them at each decision, so a
     * reload (SIGHUP) applies them to live state.
     */

    /** detectors.beacon. */
    public static final class Beacon {
        /** Connections in a series before it is scored. */
        public Integer minConnections;
        /** Regularity score (0..1) from which a series is a beacon. */
        public Double minScore;
        /** The rate band of a beacon, connections per hour. */
        public Double minPerHour;
        public Double maxPerHour;
    }

    /** detectors.fanout. */
    public static final class Fanout {
        /** Distinct peers in the window from which a host is fanning out (a scan). */
        public Integer minUnique;
        /** The same on busy service ports (DNS, web, NTP). */
        public Integer busyMinUnique;
    }

    /** detectors.relay. */
    public static final class Relay {
        /** Outbound legs following an inbound one before a host is a relay. */
        public Integer minOutbound;
    }

    /** Events matching any entry never reach the detectors. */
    public static final class Allowlist {
        /** Process names or executable path globs, e.g. "chrome", "/usr/lib/firefox/*". */
        public List<String> processes = new ArrayList<>();
        /** Remote CIDRs, e.g. "198.51.100.0/24". */
        public List<String> remoteCidrs = new ArrayList<>();
        /** Domain suffixes, e.g. "windowsupdate.com". */
        public List<String> domainSuffixes = new ArrayList<>();
        /** Remote ports. */
        public List<Integer> ports = new ArrayList<>();
    }

    /** metrics.*: where the agent serves /metrics (Prometheus text) and /health (JSON). */
    public static final class MetricsEndpoint {
        /**
         * host:port to listen on, e.g. 127.0.0.1:9464 (Prometheus' registered port for this kind of exporter);
         * null = no endpoint. A loopback address keeps it off the wire; port 0 picks a free port (tests).
         */
        public String listen;
    }

    /** A value spelled in the config file (and on the command line) as {@link #configName()}. */
    public interface Named {
        String configName();
    }

    /** journal.roll_cycle. */
    public enum RollCycle implements Named {
        @JsonProperty("hourly") HOURLY("hourly"),
        @JsonProperty("daily") DAILY("daily"),
        @JsonProperty("five-minutely") FIVE_MINUTELY("five-minutely");

        private final String name;

        RollCycle(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }

    /** capture_source (and run --capture-source). */
    public enum CaptureSource implements Named {
        /** The ring on Linux Ethernet-like interfaces, libpcap elsewhere (and for filters naming VLANs). */
        @JsonProperty("auto") AUTO("auto"),
        @JsonProperty("tpacket_v3") TPACKET_V3("tpacket_v3"),
        @JsonProperty("libpcap") LIBPCAP("libpcap");

        private final String name;

        CaptureSource(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }

        /** By its config name; the exception's message lists the names, for a command-line error. */
        public static CaptureSource parse(String text) {
            return byName(CaptureSource.class, text);
        }
    }

    /** detectors.profile (and --profile). */
    public enum DetectorProfile implements Named {
        /** Thresholds of the seed rule: beacons over 30 minutes and more. */
        @JsonProperty("default") DEFAULT("default"),
        /** For captures of minutes rather than hours (demos, replayed pcaps). */
        @JsonProperty("short-window") SHORT_WINDOW("short-window");

        private final String name;

        DetectorProfile(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }

        /** By its config name; the exception's message lists the names, for a command-line error. */
        public static DetectorProfile parse(String text) {
            return byName(DetectorProfile.class, text);
        }
    }

    /** The constant of {@code type} whose config name is {@code text}. */
    static <E extends Enum<E> & Named> E byName(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.configName().equals(text)) return e;
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + names(type));
    }

    /** "a, b or c". */
    static String names(Class<?> enumType) {
        List<String> n = Arrays.stream(enumType.getEnumConstants())
                .map(e -> e instanceof Named named ? named.configName() : e.toString()).collect(Collectors.toList());
        return n.size() == 1 ? n.get(0) : String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
    }
}
