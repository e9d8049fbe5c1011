package io.netsensor.detectors;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.IpRanges;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * What the operator declared benign. Connection rules (remote CIDR, remote port, and the name a
 * connection was made to: resolved DNS name, TLS SNI, HTTP Host, under a domain suffix) and DNS rules
 * (query name suffix) drop events before any detector sees them, without allocating. Process rules match
 * alerts, because events carry no process identity yet; once they do, the same rules apply unchanged.
 */
public final class Allowlist {
    private final IpRanges cidrs;
    private final BitSet ports = new BitSet(65536);
    /** Lower-case suffixes without a trailing dot, as bytes for allocation-free matching. */
    private final byte[][] domainSuffixes;
    private final List<PathMatcher> executableGlobs = new ArrayList<>();
    private final List<PathMatcher> nameGlobs = new ArrayList<>();

    public Allowlist(DetectorSettings.AllowlistSettings s) {
        cidrs = IpRanges.of(s.cidrs);
        for (Integer p : s.ports) {
            if (p == null || p < 0 || p > 65535) throw new IllegalArgumentException("bad allowlist port: " + p);
            ports.set(p);
        }
        domainSuffixes = new byte[s.domains.size()][];
        for (int i = 0; i < s.domains.size(); i++) {
            String d = s.domains.get(i).trim().toLowerCase(Locale.ROOT);
            while (d.startsWith(".")) d = d.substring(1);
            while (d.endsWith(".")) d = d.substring(0, d.length() - 1);
            if (d.isEmpty()) throw new IllegalArgumentException("empty allowlist domain");
            domainSuffixes[i] = d.getBytes(StandardCharsets.ISO_8859_1);
        }
        for (String p : s.processes) {
            // Java's glob matcher rather than a hand-written one: it handles *, **, ?, {a,b} and [..].
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            if (p.indexOf('/') >= 0 || p.indexOf('\\') >= 0) executableGlobs.add(m);
            else nameGlobs.add(m);
        }
    }

    public static Allowlist empty() {
        return new Allowlist(new DetectorSettings.AllowlistSettings());
    }

    /** True when the connection's remote address or remote port is allowlisted. */
    public boolean allowsConn(ConnEvent e) {
        if (ports.get(ConnView.remotePort(e) & 0xFFFF)) return true;
        return !cidrs.isEmpty() && cidrs.contains(ConnView.remoteHi(e), ConnView.remoteLo(e));
    }

    /** As {@link #allowsConn} for a burst inside a connection. */
    public boolean allowsBurst(io.netsensor.events.BurstEvent e) {
        boolean localOrig = e.direction != io.netsensor.events.Direction.INBOUND;
        if (ports.get((localOrig ? e.respPort : e.origPort) & 0xFFFF)) return true;
        return !cidrs.isEmpty() && (localOrig ? cidrs.contains(e.respIpHi, e.respIpLo) : cidrs.contains(e.origIpHi, e.origIpLo));
    }

    /** True when the query name is an allowlisted domain or below one (case-insensitive). */
    public boolean allowsDns(DnsEvent e) {
        return allowsName(e.qname, e.qnameLen);
    }

    /**
     * True when the local side opened the connection and one of the names of the server it reached (the
     * DNS name it resolved for the address, the TLS SNI, the HTTP Host without its port) is an
     * allowlisted domain or below one. Not for INBOUND: there the names are this host's own server's, and
     * allowlisting them would hide what reaches it from outside.
     */
    public boolean allowsConnName(ConnEvent e) {
        return e.direction != Direction.INBOUND && allowsNames(e.names);
    }

    /** As {@link #allowsConnName} for a burst inside a connection. */
    public boolean allowsBurstName(BurstEvent e) {
        return e.direction != Direction.INBOUND && allowsNames(e.names);
    }

    private boolean allowsNames(ConnNames n) {
        if (domainSuffixes.length == 0) return false;
        return allowsName(n.bytes(ConnNames.DNS), n.length(ConnNames.DNS))
                || allowsName(n.bytes(ConnNames.SNI), n.length(ConnNames.SNI))
                || allowsName(n.bytes(ConnNames.HTTP_HOST), withoutPort(n.bytes(ConnNames.HTTP_HOST), n.length(ConnNames.HTTP_HOST)));
    }

    private boolean allowsName(byte[] name, int len) {
        while (len > 0 && name[len - 1] == '.') len--;
        if (len == 0) return false;
        for (byte[] suffix : domainSuffixes) {
            if (endsWithLabel(name, len, suffix)) return true;
        }
        return false;
    }

    /** The length of a Host header value without a ":port" (one colon, digits after it; IPv6 literals kept). */
    private static int withoutPort(byte[] host, int len) {
        int colon = -1;
        for (int i = 0; i < len; i++) {
            if (host[i] != ':') continue;
            if (colon >= 0) return len; // a second colon: an IPv6 literal, no name to match anyway
            colon = i;
        }
        if (colon < 0) return len;
        for (int i = colon + 1; i < len; i++) {
            if (host[i] < '0' || host[i] > '9') return len;
        }
        return colon;
    }

    private static boolean endsWithLabel(byte[] name, int len, byte[] suffix) {
        int n = suffix.length;
        if (len < n) return false;
        int off = len - n;
        if (off > 0 && name[off - 1] != '.') return false;
        for (int i = 0; i < n; i++) {
            byte c = name[off + i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != suffix[i]) return false;
        }
        return true;
    }

    /** True when the process (by name or executable path) is allowlisted; null fields never match. */
    public boolean allowsProcess(String name, String executable) {
        return matches(nameGlobs, name) || matches(executableGlobs, executable)
                || (name == null && executable != null && matches(nameGlobs, baseName(executable)));
    }

    /**
     * True when the alert's process, remote port, remote address or remote names (the beacon's evidence)
     * are allowlisted. Events are filtered before detectors see them; this catches state built before an
     * allowlist change (alerts are rare, so parsing the address text and names here is fine).
     */
    public boolean allowsAlert(Alert a) {
        if (a.process != null && allowsProcess(a.process.name, a.process.executable)) return true;
        if (a.remotePort != null && ports.get(a.remotePort & 0xFFFF)) return true;
        if (domainSuffixes.length > 0) {
            for (String key : NAME_EVIDENCE) {
                if (a.evidence.get(key) instanceof String name && allowsNameText(key.equals("http_host") ? hostOnly(name) : name)) {
                    return true;
                }
            }
        }
        if (a.remoteIp != null && !cidrs.isEmpty()) {
            try {
                long[] ip = io.netsensor.events.Ip.parse(a.remoteIp);
                return cidrs.contains(ip[0], ip[1]);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** Alert evidence keys that name the remote (see BeaconDetector). */
    private static final String[] NAME_EVIDENCE = {"remote_name", "destination_domain", "tls_server_name", "http_host"};

    private boolean allowsNameText(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return allowsName(b, b.length);
    }

    private static String hostOnly(String host) {
        byte[] b = host.getBytes(StandardCharsets.UTF_8);
        return new String(b, 0, withoutPort(b, b.length), StandardCharsets.UTF_8);
    }

    private static String baseName(String path) {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(i + 1);
    }

    private static boolean matches(List<PathMatcher> globs, String s) {
        if (s == null || globs.isEmpty()) return false;
        try {
            Path p = Path.of(s);
            for (PathMatcher m : globs) {
                if (m.matches(p)) return true;
            }
        } catch (InvalidPathException e) {
            return false;
        }
        return false;
    }
}
