package io.netsensor.journal;

import com.sun.jna.Function;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes a file really occupies on disk. Chronicle cycle files are sparse and preallocated (80 MiB+
 * apparent size even when nearly empty), so retention by size must not use {@code Files.size}.
 * Java 17's "unix" attribute view has no block count, hence a direct libc {@code stat(2)} through JNA
 * (already a capture dependency). The struct layout is the Linux one shared by x86_64 and aarch64
 * (st_size at 48, st_blocks in 512-byte units at 64); every call cross-checks st_size against
 * {@code Files.size} so a layout mismatch is detected and reported as "unknown" (-1) instead of
 * producing wrong numbers. Callers fall back to the cycle's written length then.
 */
final class DiskUsage {
    private static final int STAT_SIZE_OFFSET = 48, STAT_BLOCKS_OFFSET = 64, STAT_BUF = 256;

    private final Function stat;

    private DiskUsage(Function stat) {
        this.stat = stat;
    }

    /** The libc-backed measure when the platform supports it, else one that always answers -1. */
    static DiskUsage detect() {
        Function fn = null;
        try {
            if (Platform.isLinux() && Platform.is64Bit() && (Platform.isIntel() || Platform.isARM())) {
                fn = Function.getFunction("c", "stat");
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            fn = null; // old glibc exports only __xstat, or no JNA native: use the fallback
        }
        return new DiskUsage(fn);
    }

    static DiskUsage unavailable() {
        return new DiskUsage(null);
    }

    boolean available() {
        return stat != null;
    }

    /** Allocated bytes of the file, or -1 when they cannot be measured. Allocates: rare calls only. */
    long allocatedBytes(Path file) {
        if (stat == null) return -1;
        try {
            byte[] buf = new byte[STAT_BUF];
            int rc = stat.invokeInt(new Object[] {file.toString(), buf});
            if (rc != 0) return -1;
            ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
            if (b.getLong(STAT_SIZE_OFFSET) != Files.size(file)) return -1;
            return b.getLong(STAT_BLOCKS_OFFSET) * 512L;
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            return -1;
        }
    }
}
