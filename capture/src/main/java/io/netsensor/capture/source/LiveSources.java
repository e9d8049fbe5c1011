package io.netsensor.capture.source;

import io.netsensor.config.Settings.CaptureSource;
import java.io.IOException;
import java.util.regex.Pattern;

/** Picks and opens the live capture source: the TPACKET_V3 ring where it can be used, libpcap otherwise. */
public final class LiveSources {
    /**
     * libpcap compiles "vlan" for a live Linux handle with the kernel's VLAN-tag extensions (the kernel strips
     * tags before a packet socket's filter runs); compiled here for a plain Ethernet link it would look for tags
     * in the frame and never match, so such filters stay on libpcap.
     */
    private static final Pattern VLAN_FILTER = Pattern.compile("\\bvlan\\b");

    /** The source opened, and why it is not the ring when the choice was automatic (null when it is, or was forced). */
    public record Opened(LiveSource source, String fallbackReason) {}

    private LiveSources() {}

    /**
     * @param linkType the link type asked for (tcpdump -y), or -1: only libpcap can change it
     * @throws IOException one line: the interface cannot be captured on, or the forced source cannot be used here
     */
    public static Opened open(CaptureSource choice, String iface, int snaplen, boolean promiscuous, String bpf,
                              int linkType, long ringBytes) throws IOException {
        if (choice == CaptureSource.LIBPCAP) {
            return new Opened(PcapHandleSource.openLive(iface, snaplen, promiscuous, bpf, linkType), null);
        }
        String why = RingSource.unsupportedReason(iface);
        if (why == null && linkType >= 0) why = "a link type was asked for";
        if (why == null && bpf != null && VLAN_FILTER.matcher(bpf).find()) why = "the filter names VLANs";
        if (choice == CaptureSource.TPACKET_V3) {
            if (why != null) throw new IOException("cannot capture on " + iface + " with the TPACKET_V3 ring: " + why
                    + " (capture_source: libpcap or auto)");
            return new Opened(RingSource.open(iface, snaplen, promiscuous, bpf, ringBytes), null);
        }
        if (why == null) {
            try {
                return new Opened(RingSource.open(iface, snaplen, promiscuous, bpf, ringBytes), null);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("bad BPF filter")) throw e;
                why = e.getMessage();
            }
        }
        return new Opened(PcapHandleSource.openLive(iface, snaplen, promiscuous, bpf, linkType), why);
    }
}
