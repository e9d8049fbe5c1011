package io.netsensor.capture.track;

/**
 * Ports that are probably the server side of a flow, used to orient flows whose first packet is not a
 * SYN. Approximates Zeek's likely_server_ports (the ports its default analyzers register for); a bitmap
 * per protocol so the lookup is one array read.
 */
final class LikelyServerPorts {
    private static final long[] TCP = bits(
            21, 22, 23, 25, 53, 80, 81, 88, 110, 135, 139, 143, 389, 443, 445, 465, 502, 563, 585, 587, 614,
            631, 636, 989, 990, 992, 993, 995, 1080, 1433, 1723, 1883, 2811, 3128, 3306, 3389, 5060, 5223,
            5432, 5900, 5901, 5902, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8443, 8888, 20000);
    private static final long[] UDP = bits(
            53, 67, 68, 69, 88, 123, 137, 161, 162, 500, 514, 1812, 1813, 2123, 2152, 3544, 4500, 4789,
            5060, 5353, 5355, 6081);

    private LikelyServerPorts() {}

    static boolean tcp(int port) {
        return has(TCP, port);
    }

    static boolean udp(int port) {
        return has(UDP, port);
    }

    private static boolean has(long[] set, int port) {
        return (set[(port >>> 6) & 1023] & (1L << port)) != 0;
    }

    private static long[] bits(int... ports) {
        long[] set = new long[1024];
        for (int p : ports) set[p >>> 6] |= 1L << p;
        return set;
    }
}
