package io.netsensor.capture.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the interface of the default route from the kernel's routing tables (Linux /proc). */
public final class DefaultRoute {
    private DefaultRoute() {}

    public static Optional<String> interfaceName() {
        return fromIpv4(Path.of("/proc/net/route")).or(() -> fromIpv6(Path.of("/proc/net/ipv6_route")));
    }

    /** /proc/net/route: Iface Destination Gateway Flags ... Mask; default route has destination and mask 0. */
    static Optional<String> fromIpv4(Path table) {
        for (String line : lines(table)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000") && !f[0].equals("Iface")) {
                return Optional.of(f[0]);
            }
        }
        return Optional.empty();
    }

    /** /proc/net/ipv6_route: dest(32 hex) plen ... iface last; default route is ::/0 not via lo. */
    static Optional<String> fromIpv6(Path table) {
        for (String line : lines(table)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 10 && f[0].matches("0{32}") && f[1].equals("00") && !f[9].equals("lo")) {
                return Optional.of(f[9]);
            }
        }
        return Optional.empty();
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
