package io.netsensor.testkit.pcap;

/**
 * Link types of capture files ({@code LINKTYPE_} values of tcpdump.org/linktypes.html, as a pcap header or
 * a pcapng interface carries them) that {@link Frames} can frame for. The same numbers as capture's
 * {@code LinkTypes}, written out here because the test kit cannot depend on capture.
 */
public final class LinkType {
    public static final int NULL = 0;        // BSD loopback, host-order 4-byte family
    public static final int ETHERNET = 1;
    public static final int DLT_RAW_12 = 12; // DLT_RAW on some platforms
    public static final int DLT_RAW_14 = 14; // DLT_RAW on OpenBSD
    public static final int RAW = 101;       // raw IPv4/IPv6
    public static final int LOOP = 108;      // OpenBSD loopback, network-order family
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}
}
