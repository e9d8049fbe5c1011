package io.netsensor.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's typed settings, bound from YAML (snake_case keys). Unknown keys are errors, so a typo
 * fails fast instead of silently running with a default. Every field has a working default.
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
    public String dataDir = "/var/lib/netsensor";
    /** Ranges treated as local/inside; the host's own addresses are always local. */
    public List<String> homeNet = new ArrayList<>(List.of(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"));
    public Journal journal = new Journal();
    public Conntrack conntrack = new Conntrack();
    public Dns dns = new Dns();
    public Detectors detectors = new Detectors();

    public static final class Journal {
        /** hourly | daily | five-minutely (cycle files roll at this period; retention deletes whole cycles). */
        public String rollCycle = "hourly";
        /** Cap on real disk bytes of the journal; oldest cycles are deleted first. */
        public String maxBytes = "2GiB";
        /** Cycles older than this are deleted. */
        public String maxAge = "7d";
    }

    public static final class Conntrack {
        /** ~314 bytes per flow slot, preallocated: 65536 slots = ~20 MiB. Raise on busy gateways. */
        public int maxFlows = 65_536;
        public String tcpInactivity = "5m";
        public String udpInactivity = "1m";
        /** How long a closed (FIN/RST) TCP flow lingers to absorb its last packets, as Zeek's tcp_close_delay. */
        public String tcpCloseDelay = "5s";
    }

    public static final class Dns {
        /** A query with no response after this much event time is reported as unanswered. */
        public String timeout = "10s";
        public int maxPending = 65_536;
    }

    public static final class Detectors {
        /** default | short-window (for captures of minutes rather than hours). */
        public String profile = "default";
        public boolean enabled = true;
        /** On start, detectors re-read this much of the journal so state (e.g. a beacon) survives a restart. */
        public String rebuildWindow = "2h";
        public Allowlist allowlist = new Allowlist();
        /** Ports treated as botnet C2 channels by the c2_port detector; null = built-in list. */
        public List<Integer> c2Ports;
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
}
