package io.netsensor.agent.detect;

import io.netsensor.testkit.pcap.Traffic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * An implant checking in over HTTPS every 60 s with ±30 % uniform jitter for 2 h 10 min (the seed's
 * Critical needs > 100 connections over > 120 min), with a little size variation per check-in.
 */
final class LongBeacon {
    static final String HOST = "10.0.0.5", C2 = "198.51.100.20";
    static final int CHECKINS = 131;

    private LongBeacon() {}

    static Path write(Path file) throws IOException {
        return traffic().write(file);
    }

    /** The beacon's conversations, to which a test may add others before writing. */
    static Traffic traffic() {
        Random rnd = new Random(42);
        Traffic t = new Traffic();
        double time = 0;
        for (int i = 0; i < CHECKINS; i++) {
            t.tcpSession(time, HOST, C2, 443, 310 + rnd.nextInt(24), 180 + rnd.nextInt(40), 0.3);
            time += 60 * (0.7 + 0.6 * rnd.nextDouble());
        }
        return t;
    }
}
