package io.netsensor.agent;

import io.netsensor.capture.attrib.KernelAttribution;
import io.netsensor.capture.attrib.OwnerSource;
import io.netsensor.capture.attrib.SocketOwnerResolver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Picks how `run` attributes records to processes: from the kernel (eBPF) where it loads, else the
 * user-space resolver (sock_diag + /proc), which races short-lived processes on a busy host. Says which,
 * and why, in one line. Attribution is best effort: a failure of both is said once and capture goes on.
 */
public final class AttributionStart implements AutoCloseable {
    public final OwnerSource source;
    final KernelAttribution kernel;
    final SocketOwnerResolver resolver;
    /** "kernel" or "user space". */
    final String mode;

    private AttributionStart(OwnerSource source, KernelAttribution kernel, SocketOwnerResolver resolver, String mode) {
        this.source = source;
        this.kernel = kernel;
        this.resolver = resolver;
        this.mode = mode;
    }

    /** Null when neither can run (said on stderr). */
    public static AttributionStart start() {
        String why = KernelAttribution.disabledReason();
        if (why == null) {
            try {
                KernelAttribution k = KernelAttribution.start(TimeUnit.SECONDS.toNanos(20));
                String notes = String.join("; ", k.notes());
                System.err.println("netsensor: attribution: kernel (eBPF: connect, listen, UDP send, exec/fork/exit, sockets open at start)"
                        + (notes.isEmpty() ? "" : "; " + notes));
                return new AttributionStart(k, k, null, "kernel");
            } catch (IOException | RuntimeException | LinkageError e) {
                why = "eBPF unavailable: " + e.getMessage();
            }
        }
        try {
            SocketOwnerResolver r = SocketOwnerResolver.start(new SocketOwnerResolver.Options());
            System.err.println("netsensor: attribution: user space (sock_diag + /proc; may miss short-lived processes), " + why);
            if (r.privilegeWarning() != null) System.err.println(r.privilegeWarning());
            return new AttributionStart(r.source(), null, r, "user space");
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("netsensor: attribution: off, " + why + "; cannot query sockets either (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * Registers the active mode's metrics: the resolver's ({@code attribution.resolver.*}), or the kernel
     * loader's ({@code attribution.kernel.*}, read from its counters when the registry is read).
     */
    public void register(io.netsensor.metrics.Metrics m) {
        if (resolver != null) resolver.register(m);
        if (kernel != null) {
            for (String key : kernel.stats().keySet()) {
                m.count("attribution.kernel." + key, () -> kernel.stats().getOrDefault(key, 0L));
            }
        }
    }

    @Override
    public void close() {
        if (kernel != null) kernel.close();
        if (resolver != null) resolver.close();
    }
}
