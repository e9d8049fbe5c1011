package io.netsensor.capture.source;

/**
 * One pcapng Interface Description Block: link type, snap length and how to turn its timestamps into
 * epoch nanoseconds (if_tsresol: 10^-n or 2^-n seconds per unit, default microseconds; if_tsoffset:
 * seconds to add).
 */
final class PcapNgInterface {
    final int linkType;
    final int snapLen;
    private final long offsetNanos;
    // exactly one of these conversions applies
    private final long multiplier; // units finer than or equal to 1 ns: ts * multiplier
    private final long divisor;    // decimal units finer than 1 ns: ts / divisor
    private final int shift;       // binary units: 2^-shift seconds

    private PcapNgInterface(int linkType, int snapLen, long offsetSeconds, long multiplier, long divisor, int shift) {
        this.linkType = linkType;
        this.snapLen = snapLen;
        this.offsetNanos = offsetSeconds * 1_000_000_000L;
        this.multiplier = multiplier;
        this.divisor = divisor;
        this.shift = shift;
    }

    /** @return null when the resolution cannot be represented (2^-64 or finer, 10^-19 or finer). */
    static PcapNgInterface of(int linkType, int snapLen, int tsresol, long offsetSeconds) {
        int exp = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            if (exp > 63) return null;
            return new PcapNgInterface(linkType, snapLen, offsetSeconds, 0, 0, exp);
        }
        if (exp > 18) return null;
        if (exp <= 9) return new PcapNgInterface(linkType, snapLen, offsetSeconds, pow10(9 - exp), 0, 0);
        return new PcapNgInterface(linkType, snapLen, offsetSeconds, 0, pow10(exp - 9), 0);
    }

    static final int DEFAULT_TSRESOL = 6;

    long toNanos(long ts) {
        long ns;
        if (multiplier != 0) {
            ns = ts * multiplier;
        } else if (divisor != 0) {
            ns = Long.divideUnsigned(ts, divisor);
        } else {
            long seconds = ts >>> shift;
            long frac = ts & ((1L << shift) - 1);
            // frac * 1e9 >> shift in 128-bit arithmetic: frac < 2^shift, so the product may exceed 64 bits
            long lo = frac * 1_000_000_000L;
            long hi = Math.multiplyHigh(frac, 1_000_000_000L);
            long fracNanos = shift == 0 ? 0 : (lo >>> shift) | (hi << (64 - shift));
            ns = seconds * 1_000_000_000L + fracNanos;
        }
        return ns + offsetNanos;
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) v *= 10;
        return v;
    }
}
