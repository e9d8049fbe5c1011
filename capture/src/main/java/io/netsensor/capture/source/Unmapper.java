package io.netsensor.capture.source;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a memory-mapped buffer now. The JDK has no public call for it (a mapping goes when the GC collects
 * its buffer); {@code sun.misc.Unsafe.invokeCleaner} (jdk.unsupported, what Chronicle and Netty use) runs
 * the buffer's cleaner. The caller must hold the only reference: reading the buffer afterwards faults. Where
 * the call is not available, the mapping is left to the GC as before.
 */
final class Unmapper {
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private Unmapper() {}

    static void unmap(MappedByteBuffer buffer) {
        if (UNSAFE == null) return;
        try {
            UNSAFE.invokeCleaner(buffer);
        } catch (RuntimeException e) {
            // a duplicate or slice has no cleaner of its own: nothing to do, the GC unmaps it
        }
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
