package io.netsensor.telemetry;

import io.netsensor.events.Ip;
import io.netsensor.events.Mac;
import io.netsensor.events.Transport;

/**
 * The key of a rollup row (and of the names remembered per local key) as primitive fields, so that looking a
 * record up costs no String: one mutable instance per map is filled from each record and probes it, and
 * {@link #copy} makes the immutable key stored when a row is new. Text is made from the fields when rows are
 * emitted. A key in a map is never changed after insertion.
 *
 * <p>Fields hold the same identity as the text keys did: IPs as two longs (the text form is one-to-one), the MAC
 * as its 48 bits with bit 48 set (Mac's text shows only those bits; 0 stays "no MAC"). Unused fields stay 0/null:
 * a local key has no remote, a CONN key no domain, a DNS key no remote.
 */
final class RowKey {
    private static final long MAC_BITS = 0xFFFF_FFFF_FFFFL, MAC_PRESENT = 1L << 48;

    long ipHi, ipLo, mac, entityId;
    int pid;
    long remoteHi, remoteLo;
    int remotePort;
    Transport transport;
    /** Registered domain of a DNS row: a String the caller keeps per distinct name, not one per record. */
    String domain;

    /** A local key (remote and domain cleared): entity id and pid only where attribution resolved. */
    RowKey local(long hi, long lo, long mac, boolean attributed, long entityId, int pid) {
        this.ipHi = hi;
        this.ipLo = lo;
        this.mac = mac == 0 ? 0 : (mac & MAC_BITS) | MAC_PRESENT;
        this.entityId = attributed ? entityId : 0;
        this.pid = attributed ? pid : 0;
        remoteHi = remoteLo = 0;
        remotePort = 0;
        transport = null;
        domain = null;
        return this;
    }

    /** A local key only (the key of the names it resolved): k's local part, no remote, no domain. */
    RowKey localOf(RowKey k) {
        ipHi = k.ipHi;
        ipLo = k.ipLo;
        mac = k.mac;
        entityId = k.entityId;
        pid = k.pid;
        remoteHi = remoteLo = 0;
        remotePort = 0;
        transport = null;
        domain = null;
        return this;
    }

    RowKey copy() {
        RowKey k = new RowKey();
        k.ipHi = ipHi;
        k.ipLo = ipLo;
        k.mac = mac;
        k.entityId = entityId;
        k.pid = pid;
        k.remoteHi = remoteHi;
        k.remoteLo = remoteLo;
        k.remotePort = remotePort;
        k.transport = transport;
        k.domain = domain;
        return k;
    }

    String ipText() {
        return Ip.toString(ipHi, ipLo);
    }

    String macText() {
        return Mac.toString(mac);
    }

    String remoteText() {
        return Ip.toString(remoteHi, remoteLo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowKey k && ipLo == k.ipLo && remoteLo == k.remoteLo && remotePort == k.remotePort
                && ipHi == k.ipHi && remoteHi == k.remoteHi && mac == k.mac && entityId == k.entityId && pid == k.pid
                && transport == k.transport && (domain == null ? k.domain == null : domain.equals(k.domain));
    }

    @Override
    public int hashCode() {
        long h = ipLo * 0x9E3779B97F4A7C15L + ipHi;
        h = h * 0x9E3779B97F4A7C15L + remoteLo;
        h = h * 0x9E3779B97F4A7C15L + remoteHi;
        h = h * 0x9E3779B97F4A7C15L + mac;
        h = h * 0x9E3779B97F4A7C15L + entityId;
        h = h * 0x9E3779B97F4A7C15L + (((long) pid << 32) | (remotePort & 0xFFFF_FFFFL));
        h = h * 0x9E3779B97F4A7C15L + (transport == null ? 0 : transport.ordinal() + 1);
        if (domain != null) h = h * 0x9E3779B97F4A7C15L + domain.hashCode(); // a String's hash is cached in it
        return (int) (h ^ (h >>> 32));
    }
}
