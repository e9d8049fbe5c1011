package io.netsensor.capture.attrib;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process can read other users' /proc/PID/fd, which inode -> pid resolution needs: root with
 * CAP_SYS_PTRACE, or CAP_DAC_READ_SEARCH (the kernel checks ptrace read access for fd links).
 */
final class Privileges {
    static final int CAP_DAC_READ_SEARCH = 2, CAP_SYS_PTRACE = 19;

    private Privileges() {}

    /** The one stderr line to print when something cannot be seen, or null. */
    static String warning(ProcFs fs) {
        String status;
        try {
            status = Files.readString(fs.root().resolve("self/status"), StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            return "netsensor: attribution: cannot read " + fs.root() + "/self/status; connections may not be attributed to processes";
        }
        long caps = capEff(status);
        if ((caps & (1L << CAP_SYS_PTRACE)) != 0 || (caps & (1L << CAP_DAC_READ_SEARCH)) != 0) return null;
        return "netsensor: attribution: no CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH: sockets of processes of other users"
                + " cannot be attributed (counted as no_permission); only this user's processes are";
    }

    /** CapEff from /proc/PID/status (hex), 0 when absent. */
    static long capEff(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
