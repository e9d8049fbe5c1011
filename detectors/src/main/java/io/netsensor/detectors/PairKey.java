package io.netsensor.detectors;

/**
 * A local endpoint plus a remote subject (remote IP and/or port): the key of per-destination state
 * (beacon series, C2-port hits, fan-out per port). Mutable probe like {@link HostKey}; copy before storing.
 */
public final class PairKey {
    public final HostKey host = new HostKey();
    public long remoteHi, remoteLo;
    public int remotePort;
    /** IANA protocol number (6 TCP, 17 UDP), so tcp/53 and udp/53 are distinct series. */
    public int protocol;
    /**
     * The remote's name when the series is keyed by name rather than address (then remoteHi/Lo are 0): a C2
     * name that rotates its addresses stays one series. Null: keyed by address.
     */
    public String name;

    public PairKey set(long remoteHi, long remoteLo, int remotePort, int protocol) {
        this.remoteHi = remoteHi;
        this.remoteLo = remoteLo;
        this.remotePort = remotePort;
        this.protocol = protocol;
        this.name = null;
        return this;
    }

    public PairKey copy() {
        PairKey k = new PairKey();
        k.host.copyFrom(host);
        k.remoteHi = remoteHi; k.remoteLo = remoteLo; k.remotePort = remotePort; k.protocol = protocol; k.name = name;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PairKey)) return false;
        PairKey k = (PairKey) o;
        return remoteHi == k.remoteHi && remoteLo == k.remoteLo && remotePort == k.remotePort
                && protocol == k.protocol && host.sameAs(k.host) && java.util.Objects.equals(name, k.name);
    }

    @Override
    public int hashCode() {
        long h = host.hash() * 0x9E3779B97F4A7C15L ^ remoteHi;
        h = h * 0x9E3779B97F4A7C15L ^ remoteLo;
        h = h * 0x9E3779B97F4A7C15L ^ ((long) remotePort << 8 | protocol);
        if (name != null) h = h * 0x9E3779B97F4A7C15L ^ name.hashCode();
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    public String remoteIpText() {
        return remoteHi == 0 && remoteLo == 0 ? null : io.netsensor.events.Ip.toString(remoteHi, remoteLo);
    }

    @Override
    public String toString() {
        return host + " -> " + (name != null ? name : remoteIpText()) + ":" + remotePort;
    }
}
