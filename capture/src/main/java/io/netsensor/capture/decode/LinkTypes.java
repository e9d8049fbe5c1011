package io.netsensor.capture.decode;

/** libpcap LINKTYPE_ values this sensor decodes (see tcpdump.org/linktypes.html). */
public final class LinkTypes {
    public static final int NULL = 0;        // BSD loopback, host-order 4-byte family
    public static final int ETHERNET = 1;
    public static final int RAW = 101;       // raw IPv4/IPv6
    public static final int DLT_RAW_12 = 12; // DLT_RAW on some platforms
    public static final int DLT_RAW_14 = 14; // DLT_RAW on OpenBSD
    public static final int LOOP = 108;      // OpenBSD loopback, network-order family
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {}

    /** The names tcpdump and libpcap use (pcap_datalink_val_to_name), for the types above. */
    private static final java.util.Map<Integer, String> NAMES = java.util.Map.of(
            NULL, "NULL", ETHERNET, "EN10MB", RAW, "RAW", DLT_RAW_12, "RAW", DLT_RAW_14, "RAW", LOOP, "LOOP",
            LINUX_SLL, "LINUX_SLL", IPV4, "IPV4", IPV6, "IPV6", LINUX_SLL2, "LINUX_SLL2");
    private static final java.util.Map<Integer, String> DESCRIPTIONS = java.util.Map.of(
            NULL, "BSD loopback", ETHERNET, "Ethernet", RAW, "raw IP", DLT_RAW_12, "raw IP", DLT_RAW_14, "raw IP",
            LOOP, "OpenBSD loopback", LINUX_SLL, "Linux cooked v1", IPV4, "raw IPv4", IPV6, "raw IPv6",
            LINUX_SLL2, "Linux cooked v2");

    /** "EN10MB (Ethernet)", or "linktype 147" for one this sensor does not decode. */
    public static String describe(int linkType) {
        String n = NAMES.get(linkType);
        return n == null ? "linktype " + linkType : n + " (" + DESCRIPTIONS.get(linkType) + ")";
    }

    /**
     * A link type by its libpcap name, any case ("EN10MB", "ethernet", "linux_sll", "SLL2", "raw"), or its
     * number; -1 when it is neither.
     */
    public static int byName(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.matches("\\d{1,5}")) return Integer.parseInt(t);
        switch (t) {
            case "ETHERNET", "ETHER", "EN10MB" -> { return ETHERNET; }
            case "SLL", "LINUX_SLL" -> { return LINUX_SLL; }
            case "SLL2", "LINUX_SLL2" -> { return LINUX_SLL2; }
            case "RAW" -> { return RAW; }
            case "NULL" -> { return NULL; }
            case "LOOP" -> { return LOOP; }
            case "IPV4" -> { return IPV4; }
            case "IPV6" -> { return IPV6; }
            default -> { return -1; }
        }
    }

    /** The names byName takes, for messages. */
    public static String names() {
        return "EN10MB (or ethernet), LINUX_SLL, LINUX_SLL2, RAW, NULL, LOOP, IPV4, IPV6, or a number";
    }
}
