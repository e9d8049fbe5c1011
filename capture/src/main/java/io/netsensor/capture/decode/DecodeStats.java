package io.netsensor.capture.decode;

import io.netsensor.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts decode outcomes per {@link DecodeResult}, one count per decoded layer (a tunnelled packet
 * counts its outer and its inner layer). Single-threaded like the decoder that feeds it; the counts are
 * plain longs (the per-packet path), published through {@link #register} as counts read on demand.
 *
 * <p>Metrics: {@code capture.decode.decoded{result=ok|ip_only}}, {@code capture.decode.not_decoded{reason=...}}
 * and {@code capture.decode.malformed{reason=...}} (reason: the {@link DecodeResult} in lower case), and
 * {@code capture.decode.tunnel_layers}.
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

    /** Registers one count per outcome and the tunnel layers. */
    public void register(Metrics m) {
        for (DecodeResult r : DecodeResult.VALUES) {
            int i = r.ordinal();
            m.count(metricName(r), () -> counts[i]);
        }
        m.count("capture.decode.tunnel_layers", () -> tunnelLayers);
    }

    /** The metric of one outcome, e.g. {@code capture.decode.malformed{reason=truncated_ip}}. */
    public static String metricName(DecodeResult r) {
        return Metrics.name(base(r.kind()), r.kind() == DecodeResult.Kind.DECODED ? "result" : "reason",
                r.name().toLowerCase(Locale.ROOT));
    }

    private static String base(DecodeResult.Kind kind) {
        return "capture.decode." + kind.name().toLowerCase(Locale.ROOT);
    }

    /** All outcomes of a kind, from the registry. */
    public static long total(Metrics m, DecodeResult.Kind kind) {
        return m.sum(base(kind));
    }

    /** Non-zero counts of the given kind by outcome name, in enum order, from the registry (summary lines). */
    public static Map<String, Long> byReason(Metrics m, DecodeResult.Kind kind) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DecodeResult r : DecodeResult.VALUES) {
            if (r.kind() != kind) continue;
            long c = m.value(metricName(r));
            if (c > 0) out.put(r.name(), c);
        }
        return out;
    }

    /**
     * One-line summary from the registry, e.g. {@code decoded=120 (ok=100 ip_only=20) tunnel_layers=0
     * not_decoded=3 {NON_IP=3} malformed=1 {TRUNCATED_TCP=1}} (the run stop line).
     */
    public static String summary(Metrics m) {
        return "decoded=" + total(m, DecodeResult.Kind.DECODED)
                + " (ok=" + m.value(metricName(DecodeResult.OK)) + " ip_only=" + m.value(metricName(DecodeResult.IP_ONLY)) + ")"
                + " tunnel_layers=" + m.value("capture.decode.tunnel_layers")
                + " not_decoded=" + total(m, DecodeResult.Kind.NOT_DECODED) + " " + byReason(m, DecodeResult.Kind.NOT_DECODED)
                + " malformed=" + total(m, DecodeResult.Kind.MALFORMED) + " " + byReason(m, DecodeResult.Kind.MALFORMED);
    }
}
