package io.netsensor.capture.attrib;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/** USER_HZ, the unit of /proc/PID/stat's start time: sysconf(_SC_CLK_TCK), 100 when it cannot be asked. */
final class ClockTicks {
    private static final int SC_CLK_TCK = 2;

    private ClockTicks() {}

    private static final class Libc {
        static {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
        }

        static native long sysconf(int name);
    }

    static long perSecond() {
        try {
            long v = Libc.sysconf(SC_CLK_TCK);
            return v > 0 ? v : 100;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return 100;
        }
    }
}
