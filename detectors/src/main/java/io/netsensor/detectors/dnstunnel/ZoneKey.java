package io.netsensor.detectors.dnstunnel;

import io.netsensor.detectors.HostKey;

/** A local endpoint and a zone (hash of its registered domain, or of the server asked): a reusable probe. */
final class ZoneKey {
    final HostKey host = new HostKey();
    long zone;

    ZoneKey copy() {
        ZoneKey k = new ZoneKey();
        k.host.copyFrom(host);
        k.zone = zone;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZoneKey && ((ZoneKey) o).zone == zone && ((ZoneKey) o).host.sameAs(host);
    }

    @Override
    public int hashCode() {
        long h = host.hash() * 0x9E3779B97F4A7C15L ^ zone;
        return (int) (h ^ (h >>> 32));
    }
}
