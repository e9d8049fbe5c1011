package io.netsensor.sinks.hec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The ingest token, read from its file. The token is a credential: it appears only in the Authorization
 * header, never in {@link #toString()}, a log line or an exception message ({@link #redact} scrubs text that
 * comes back from a server, in case one echoes it). The file must not be readable by group or others, as
 * ssh refuses a private key that is: a token any local user can read is a token any local user can use.
 */
final class HecToken {
    private static final String REDACTED = "[redacted]";
    private final Path file;
    private final String sink;
    private volatile String value;

    private HecToken(String sink, Path file, String value) {
        this.sink = sink;
        this.file = file;
        this.value = value;
    }

    static HecToken read(String sink, Path file) throws IOException {
        return new HecToken(sink, file, load(sink, file));
    }

    /** Reads the file again (after a 401/403: the token may have been rotated); keeps the old one if the file is unusable. */
    void reload() throws IOException {
        value = load(sink, file);
    }

    /** The header value: scheme and token. */
    String authorization(HecFlavor flavor) {
        return flavor.authScheme + " " + value;
    }

    /** The text with every occurrence of the token replaced. */
    String redact(String text) {
        if (text == null) return null;
        String v = value;
        return v.isEmpty() ? text : text.replace(v, REDACTED);
    }

    private static String load(String sink, Path file) throws IOException {
        try {
            return check(file);
        } catch (IOException e) {
            throw new IOException("hec sink '" + sink + "': token_file " + e.getMessage());
        }
    }

    /**
     * Reads and checks the token file; the message of a failure starts with the path and never holds the
     * token (a config check reports it as it is, the sink with its name in front).
     */
    static String check(Path file) throws IOException {
        String who = file.toString();
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new IOException(who + " does not exist");
        } catch (UnsupportedOperationException e) {
            perms = Set.of(); // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new IOException(who + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (!Files.isRegularFile(file)) throw new IOException(who + " is not a file");
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ))
            throw new IOException(who + " is readable by group or others; restrict it (chmod 600) and restart");
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(who + " cannot be read: " + e.getClass().getSimpleName());
        }
        String t = new String(raw, StandardCharsets.UTF_8).strip();
        if (t.isEmpty()) throw new IOException(who + " is empty");
        // Visible ASCII only: anything else (a second line, a control character) would corrupt the header,
        // and the HTTP client's own complaint about a bad header value could quote it.
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x21 || c > 0x7e)
                throw new IOException(who + " must hold one token of visible ASCII characters (no spaces or second line)");
        }
        return t;
    }

    @Override
    public String toString() {
        return "HecToken[" + file + ", " + REDACTED + "]";
    }
}
