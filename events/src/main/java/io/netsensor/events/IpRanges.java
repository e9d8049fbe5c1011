package io.netsensor.events;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of CIDR ranges (IPv4 and IPv6) tested without allocation. Linear scan: home_net and
 * allowlists hold tens of entries, where a scan beats a trie on cache behaviour and stays obvious.
 */
public final class IpRanges {
    /** The default home_net: RFC 1918, CGNAT, loopback, link-local, ULA, IPv6 link-local and loopback. */
    public static final List<String> DEFAULT_HOME_NET = List.of(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128");

    private final long[] netHi, netLo, maskHi, maskLo;
    private final List<String> text;

    private IpRanges(List<String> cidrs) {
        int n = cidrs.size();
        netHi = new long[n]; netLo = new long[n]; maskHi = new long[n]; maskLo = new long[n];
        text = List.copyOf(cidrs);
        for (int i = 0; i < n; i++) {
            String c = cidrs.get(i).trim();
            int slash = c.indexOf('/');
            String addr = slash < 0 ? c : c.substring(0, slash);
            long[] a = Ip.parse(addr);
            boolean v4 = addr.indexOf(':') < 0;
            int bits;
            try {
                bits = slash < 0 ? (v4 ? 32 : 128) : Integer.parseInt(c.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in CIDR: " + c);
            }
            if (bits < 0 || bits > (v4 ? 32 : 128)) {
                throw new IllegalArgumentException("bad prefix length in CIDR: " + c);
            }
            int bits128 = v4 ? bits + 96 : bits;
            maskHi[i] = bits128 >= 64 ? -1L : (bits128 == 0 ? 0 : -1L << (64 - bits128));
            maskLo[i] = bits128 <= 64 ? 0 : (bits128 == 128 ? -1L : -1L << (128 - bits128));
            netHi[i] = a[0] & maskHi[i];
            netLo[i] = a[1] & maskLo[i];
        }
    }

    public static IpRanges of(List<String> cidrs) {
        return new IpRanges(new ArrayList<>(cidrs));
    }

    public static IpRanges of(String... cidrs) {
        return new IpRanges(List.of(cidrs));
    }

    public static IpRanges defaultHomeNet() {
        return of(DEFAULT_HOME_NET);
    }

    public boolean contains(long hi, long lo) {
        for (int i = 0; i < netHi.length; i++) {
            if ((hi & maskHi[i]) == netHi[i] && (lo & maskLo[i]) == netLo[i]) return true;
        }
        return false;
    }

    public boolean isEmpty() {
        return netHi.length == 0;
    }

    public List<String> cidrs() {
        return text;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
