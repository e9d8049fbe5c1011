package io.netsensor.capture.track;

import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;

import java.util.List;

/**
 * Local means inside home_net or one of this host's own addresses. The host addresses can change while
 * capturing (DHCP, VPN up/down): they live in an immutable snapshot that {@link #setHostAddresses} swaps
 * atomically, so the packet thread never sees a half-updated set and never takes a lock.
 */
public final class HomeNetLocality implements Locality {
    private final IpRanges homeNet;
    private volatile HostAddresses host;

    public HomeNetLocality(IpRanges homeNet) {
        this(homeNet, new long[0], new long[0]);
    }

    public HomeNetLocality(IpRanges homeNet, long[] hostHi, long[] hostLo) {
        this.homeNet = homeNet;
        this.host = new HostAddresses(hostHi, hostLo);
    }

    /** Replaces this host's addresses (copies the arrays). */
    public void setHostAddresses(long[] hi, long[] lo) {
        host = new HostAddresses(hi, lo);
    }

    /** Replaces this host's addresses from IPv4/IPv6 literals. */
    public void setHostAddresses(List<String> literals) {
        long[] hi = new long[literals.size()];
        long[] lo = new long[literals.size()];
        for (int i = 0; i < hi.length; i++) {
            long[] a = Ip.parse(literals.get(i));
            hi[i] = a[0];
            lo[i] = a[1];
        }
        host = new HostAddresses(hi, lo);
    }

    @Override
    public boolean isLocal(long hi, long lo) {
        return homeNet.contains(hi, lo) || host.contains(hi, lo);
    }

    /**
     * True for this host's own addresses and loopback (127/8, ::1), where a local process can own the
     * socket; home_net alone is not enough (a LAN client behind a gateway is local but has no process here).
     */
    public boolean isHostAddress(long hi, long lo) {
        return host.contains(hi, lo) || isLoopback(hi, lo);
    }

    static boolean isLoopback(long hi, long lo) {
        if (hi == 0 && lo == 1) return true; // ::1
        return hi == 0 && (lo >>> 32) == 0xFFFFL && ((lo >>> 24) & 0xFF) == 127;
    }

    /** Immutable pair of primitive arrays; a handful of entries, so a linear scan. */
    private static final class HostAddresses {
        private final long[] hi, lo;

        HostAddresses(long[] hi, long[] lo) {
            if (hi.length != lo.length) throw new IllegalArgumentException("hi/lo length mismatch");
            this.hi = hi.clone();
            this.lo = lo.clone();
        }

        boolean contains(long h, long l) {
            for (int i = 0; i < hi.length; i++) {
                if (hi[i] == h && lo[i] == l) return true;
            }
            return false;
        }
    }
}
