package io.netsensor.telemetry;

/**
 * An answered address as two longs (IPv4 v4-mapped, as {@link io.netsensor.events.Ip} holds them), the key of
 * the names remembered per local key. Mutable for probing without allocation; {@link #copy} is what a map keeps.
 * An A answer and the v4-mapped AAAA of the same address are one key, as their text was.
 */
final class Address {
    long hi, lo;

    Address set(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
        return this;
    }

    Address copy() {
        return new Address().set(hi, lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && a.lo == lo && a.hi == hi;
    }

    @Override
    public int hashCode() {
        long h = lo * 0x9E3779B97F4A7C15L + hi;
        return (int) (h ^ (h >>> 32));
    }
}
