package io.netsensor.capture.attrib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Reads what attribution needs from procfs, under a configurable root so tests run on fixture trees.
 * Used on the resolver thread only (allocation is fine there). Every method tolerates a process that
 * exits mid-read: it reports "gone" rather than throwing.
 */
final class ProcFs {
    /** Outcome of scanning a process's fds. */
    static final int SCANNED = 0, GONE = 1, DENIED = 2;

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    Path root() {
        return root;
    }

    /** Fields of /proc/PID/stat that attribution uses. */
    static final class Stat {
        final int pid, ppid;
        final String comm;
        /** Field 22: start time in clock ticks since boot. */
        final long startTicks;

        Stat(int pid, int ppid, String comm, long startTicks) {
            this.pid = pid;
            this.ppid = ppid;
            this.comm = comm;
            this.startTicks = startTicks;
        }
    }

    /**
     * Parses a /proc/PID/stat line. comm sits in parentheses and may itself hold spaces and ')' (a process
     * can name itself anything), so fields are counted from the LAST ')'. Returns null when malformed.
     */
    static Stat parseStat(String line) {
        int open = line.indexOf('('), close = line.lastIndexOf(')');
        if (open < 1 || close < open) return null;
        try {
            int pid = Integer.parseInt(line.substring(0, open).trim());
            String comm = line.substring(open + 1, close);
            String[] f = line.substring(close + 1).trim().split(" ");
            // f[0] is field 3 (state): field n is f[n - 3]
            if (f.length < 20) return null;
            return new Stat(pid, Integer.parseInt(f[1]), comm, Long.parseLong(f[19]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The stat of a process, null when it is gone or unreadable. */
    Stat stat(int pid) {
        String s = read(root.resolve(Integer.toString(pid)).resolve("stat"));
        return s == null ? null : parseStat(s);
    }

    /** Real uid from /proc/PID/status ("Uid:\treal\teffective\tsaved\tfs"), -1 when unknown. */
    int uid(int pid) {
        String s = read(root.resolve(Integer.toString(pid)).resolve("status"));
        return s == null ? -1 : parseUid(s);
    }

    static int parseUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                try {
                    return Integer.parseInt(f[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** Arguments joined by spaces (NUL-separated in procfs), "" for kernel threads or a zombie. */
    String cmdline(int pid) {
        try {
            return parseCmdline(Files.readAllBytes(root.resolve(Integer.toString(pid)).resolve("cmdline")));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    static String parseCmdline(byte[] raw) {
        int n = raw.length;
        while (n > 0 && raw[n - 1] == 0) n--;
        byte[] b = java.util.Arrays.copyOf(raw, n);
        for (int i = 0; i < n; i++) if (b[i] == 0) b[i] = ' ';
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Executable path (the exe link), without the kernel's " (deleted)" suffix; null when unreadable. */
    String exe(int pid) {
        try {
            String s = Files.readSymbolicLink(root.resolve(Integer.toString(pid)).resolve("exe")).toString();
            return s.endsWith(" (deleted)") ? s.substring(0, s.length() - 10) : s;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** btime from /proc/stat: boot time in seconds since the epoch, -1 when absent. */
    long bootTimeSeconds() {
        String s = read(root.resolve("stat"));
        if (s == null) return -1;
        for (String line : s.split("\n")) {
            if (line.startsWith("btime ")) {
                try {
                    return Long.parseLong(line.substring(6).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The kernel's random boot id (differs per boot), "" when absent. */
    String bootId() {
        String s = read(root.resolve("sys/kernel/random/boot_id"));
        return s == null ? "" : s.trim();
    }

    /** Calls {@code sink} with every pid (numeric directory) under the root. */
    void pids(java.util.function.IntConsumer sink) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                int pid = parsePid(p.getFileName().toString());
                if (pid > 0) sink.accept(pid);
            }
        } catch (IOException | SecurityException e) {
            // procfs unreadable: nothing to scan
        }
    }

    static int parsePid(String name) {
        int n = name.length();
        if (n == 0 || n > 9) return -1;
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Calls {@code sink} with the inode of every socket the process holds; returns SCANNED, GONE or DENIED. */
    int socketInodes(int pid, LongConsumer sink) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(Integer.toString(pid)).resolve("fd"))) {
            for (Path fd : ds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while we looked
                }
                long inode = socketInode(target);
                if (inode > 0) sink.accept(inode);
            }
            return SCANNED;
        } catch (AccessDeniedException e) {
            return DENIED;
        } catch (NoSuchFileException e) {
            return GONE;
        } catch (IOException | SecurityException e) {
            return GONE;
        }
    }

    /** The inode of an fd link target "socket:[12345]", -1 for anything else. */
    static long socketInode(String target) {
        if (!target.startsWith("socket:[") || !target.endsWith("]")) return -1;
        try {
            return Long.parseLong(target, 8, target.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
