package io.netsensor.capture.attrib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * uid -> user name from /etc/passwd, re-read (at most every 10 s) when a uid is missing, so users added
 * while the agent runs appear. Hand-parsed rather than through NSS/JNA getpwuid: the agent must not load
 * NSS modules (LDAP, sssd) that may block the resolver thread; local accounts cover service users.
 */
final class Users {
    private static final long RELOAD_NANOS = 10_000_000_000L;
    private final Path passwd;
    private Map<Integer, String> names = Map.of();
    private long loadedAt = Long.MIN_VALUE;

    Users(Path passwd) {
        this.passwd = passwd;
    }

    /** The name of a uid, or the uid as text when unknown (as ps does); null for uid -1. */
    String name(int uid, long nowNanos) {
        if (uid < 0) return null;
        String n = names.get(uid);
        if (n == null && (loadedAt == Long.MIN_VALUE || nowNanos - loadedAt >= RELOAD_NANOS)) {
            loadedAt = nowNanos;
            names = parse(read());
            n = names.get(uid);
        }
        return n != null ? n : Integer.toString(uid);
    }

    private String read() {
        try {
            return Files.readString(passwd, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    static Map<Integer, String> parse(String text) {
        Map<Integer, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || f[0].isEmpty()) continue;
            try {
                m.putIfAbsent(Integer.parseInt(f[2]), f[0]);
            } catch (NumberFormatException ignored) {
                // a malformed line names nobody
            }
        }
        return m;
    }
}
