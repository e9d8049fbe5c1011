package io.netsensor.metrics;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The JVM's and the process's own figures as metrics: heap, GC, threads, resident memory (what the OOM
 * killer and a small gateway care about), CPU and open files. Read when the registry is read, from the
 * JDK's management beans and /proc/self (Linux); on another OS the /proc figures read -1.
 */
public final class JvmMetrics {
    private JvmMetrics() {}

    public static void register(Metrics m) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        m.gauge("jvm.memory.heap_used_bytes", () -> mem.getHeapMemoryUsage().getUsed());
        m.gauge("jvm.memory.heap_committed_bytes", () -> mem.getHeapMemoryUsage().getCommitted());
        m.gauge("jvm.memory.heap_max_bytes", () -> mem.getHeapMemoryUsage().getMax());
        m.gauge("jvm.memory.nonheap_used_bytes", () -> mem.getNonHeapMemoryUsage().getUsed());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            m.count(Metrics.name("jvm.gc.collections", "gc", name), () -> Math.max(0, gc.getCollectionCount()));
            m.count(Metrics.name("jvm.gc.time_ms", "gc", name), () -> Math.max(0, gc.getCollectionTime()));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        m.gauge("jvm.threads", threads::getThreadCount);
        m.gauge("process.rss_bytes", JvmMetrics::residentBytes);
        m.count("process.cpu_ms", JvmMetrics::cpuMillis);
        m.gauge("process.open_fds", JvmMetrics::openFiles);
        long start = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;
        m.gauge("process.start_time_seconds", () -> start);
    }

    /** VmRSS of /proc/self/status, in bytes; -1 when there is none. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long cpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime() / 1_000_000);
        }
        return 0;
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
