package io.netsensor.testkit.pcap;

import io.netsensor.testkit.dns.DnsMessages;
import io.netsensor.testkit.events.Times;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.xbill.DNS.Type;

/**
 * Floods as capture files, to show the trackers' state stays bounded (evictions counted) whatever the
 * traffic: a SYN flood from random sources, DNS queries of random names from one host or from many, and
 * very many local hosts each making a connection and a lookup. Deterministic (fixed seed), bounded by the
 * packet count, at a fixed packet rate in event time. Used by the flood test in capture and by
 * {@code benchmarks/floods.sh}, which runs {@link #main}:
 * <pre>{@code java -cp testkit.jar:... io.netsensor.testkit.pcap.Floods KIND FILE [PACKETS]}</pre>
 * with KIND {@code syn}, {@code dns-one}, {@code dns-many} (50,000 hosts) or {@code hosts} (300,000 local
 * hosts).
 */
public final class Floods {
    /** The flooded server, a local resolver, the internet side: test ranges only. */
    public static final String SERVER = "10.0.0.10", RESOLVER = "10.0.0.53", CLIENT = "10.0.0.5";
    public static final int MANY_DNS_HOSTS = 50_000, LOCAL_HOSTS = 300_000;
    /** Event-time spacing of the packets: 100,000 packets per second. */
    public static final long GAP_NANOS = 10_000L;

    public enum Kind {
        /** TCP SYNs to one local server from random (spoofed) public sources and ports: a new flow each. */
        SYN,
        /** DNS queries of random names from one local host (random source port and id): no answers. */
        DNS_ONE,
        /** DNS queries of random names from {@link #MANY_DNS_HOSTS} local hosts. */
        DNS_MANY,
        /** {@link #LOCAL_HOSTS} local hosts, each a TCP SYN out and a DNS query, round after round. */
        HOSTS;

        public static Kind parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private Floods() {}

    /** Writes {@code packets} packets of the flood as a classic Ethernet pcap; returns the file. */
    public static Path write(Kind kind, Path file, long packets) throws IOException {
        SplittableRandom rnd = new SplittableRandom(0xF100D);
        try (PcapWriter w = PcapWriter.pcap(file, LinkType.ETHERNET)) {
            long ts = Times.T0;
            for (long i = 0; i < packets; i++, ts += GAP_NANOS) {
                w.write(ts, frame(kind, i, rnd));
            }
        }
        return file;
    }

    static byte[] frame(Kind kind, long i, SplittableRandom rnd) {
        switch (kind) {
            case SYN:
                return Frames.ipv4(publicAddress(rnd), SERVER).tcp(1024 + rnd.nextInt(64_000), 80)
                        .flags(Frames.SYN).seq(rnd.nextInt() & 0xFFFF_FFFFL).build();
            case DNS_ONE:
                return query(CLIENT, rnd);
            case DNS_MANY:
                return query(localAddress(rnd.nextInt(MANY_DNS_HOSTS)), rnd);
            case HOSTS: {
                String host = localAddress((int) ((i / 2) % LOCAL_HOSTS));
                if (i % 2 == 1) return query(host, rnd);
                return Frames.ipv4(host, "198.51.100." + (1 + rnd.nextInt(250))).tcp(40_000 + rnd.nextInt(20_000), 443)
                        .flags(Frames.SYN).build();
            }
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    private static byte[] query(String client, SplittableRandom rnd) {
        byte[] msg = DnsMessages.query(rnd.nextInt(65_536), randomName(rnd), Type.A).toWire();
        return Frames.ipv4(client, RESOLVER).udp(1024 + rnd.nextInt(64_000), 53).payload(msg).build();
    }

    /** A random 12-letter label under a fixed domain: every query a new name. */
    private static String randomName(SplittableRandom rnd) {
        char[] c = new char[12];
        for (int k = 0; k < c.length; k++) c[k] = (char) ('a' + rnd.nextInt(26));
        return new String(c) + ".flood.example";
    }

    /** Local host n in 10.16.0.0/12 (10.16.0.1 upwards; the flooded server and resolver stay apart). */
    static String localAddress(int n) {
        int a = 0x0A10_0001 + n;
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    /** A random unicast address outside the home net, e.g. a spoofed source. */
    private static String publicAddress(SplittableRandom rnd) {
        int a;
        do {
            a = rnd.nextInt();
        } while (((a >>> 24) & 0xFF) == 10 || ((a >>> 24) & 0xFF) >= 224 || ((a >>> 24) & 0xFF) == 127
                || ((a >>> 24) & 0xFF) == 0 || (a >>> 20) == 0xAC1 || (a >>> 16) == 0xC0A8 || (a >>> 22) == (0x64400000 >>> 22)
                || (a >>> 16) == 0xA9FE);
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Floods syn|dns-one|dns-many|hosts FILE [PACKETS]");
            System.exit(2);
        }
        Kind kind = Kind.parse(args[0]);
        long packets = args.length == 3 ? Long.parseLong(args[2]) : 1_000_000L;
        write(kind, Path.of(args[1]), packets);
    }
}
