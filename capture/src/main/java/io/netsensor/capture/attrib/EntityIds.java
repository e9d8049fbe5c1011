package io.netsensor.capture.attrib;

import java.nio.charset.StandardCharsets;

/**
 * Process entity ids, like Falcon's UPID: a 64-bit hash of (boot id, pid, start time in clock ticks), so a
 * reused pid (a new start time) or a reboot (a new boot id) never yields the same id, while every record
 * of one process does. Never 0 (0 means unattributed).
 */
public final class EntityIds {
    private EntityIds() {}

    public static long of(String bootId, int pid, long startTicks) {
        long h = 0xCBF29CE484222325L; // FNV-1a over the boot id, then two SplitMix rounds over pid and start
        for (byte b : bootId.getBytes(StandardCharsets.US_ASCII)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        h = mix(h ^ (pid & 0xFFFF_FFFFL));
        h = mix(h ^ startTicks);
        return h == 0 ? 1 : h;
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
