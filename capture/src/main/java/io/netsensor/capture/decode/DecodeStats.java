package io.netsensor.capture.decode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts decode outcomes per {@link DecodeResult}, one count per decoded layer (a tunnelled packet
 * counts its outer and its inner layer). Single-threaded like the decoder that feeds it.
 */
public final class DecodeStats {
    private final long[] counts = new long[DecodeResult.VALUES.length];
    private long tunnelLayers;

    void count(DecodeResult r) {
        counts[r.ordinal()]++;
    }

    void countTunnelLayer() {
        tunnelLayers++;
    }

    public long get(DecodeResult r) {
        return counts[r.ordinal()];
    }

    /** Inner packets reached through a tunnel (GRE, VXLAN, Teredo, GTP-U, IP-in-IP). */
    public long tunnelLayers() {
        return tunnelLayers;
    }

    public long total(DecodeResult.Kind kind) {
        long sum = 0;
        for (DecodeResult r : DecodeResult.VALUES) {
            if (r.kind() == kind) sum += counts[r.ordinal()];
        }
        return sum;
    }

    public long malformed() {
        return total(DecodeResult.Kind.MALFORMED);
    }

    /** Non-zero counts of the given kind, in enum order (for the replay summary). */
    public Map<String, Long> byReason(DecodeResult.Kind kind) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (DecodeResult r : DecodeResult.VALUES) {
            long c = counts[r.ordinal()];
            if (r.kind() == kind && c > 0) m.put(r.name(), c);
        }
        return m;
    }

    public Map<String, Long> malformedByReason() {
        return byReason(DecodeResult.Kind.MALFORMED);
    }

    /** One-line summary, e.g. {@code decoded=120 (ok=100 ip_only=20) not_decoded=3 {NON_IP=3} malformed=1 {TRUNCATED_TCP=1}}. */
    public String summary() {
        return "decoded=" + total(DecodeResult.Kind.DECODED)
                + " (ok=" + get(DecodeResult.OK) + " ip_only=" + get(DecodeResult.IP_ONLY) + ")"
                + " tunnel_layers=" + tunnelLayers
                + " not_decoded=" + total(DecodeResult.Kind.NOT_DECODED) + " " + byReason(DecodeResult.Kind.NOT_DECODED)
                + " malformed=" + malformed() + " " + malformedByReason();
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        tunnelLayers = 0;
    }

    @Override
    public String toString() {
        return summary();
    }
}
