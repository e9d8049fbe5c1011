package io.netsensor.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The single-writer guard of a data directory: an OS lock ({@code fcntl} through {@link FileChannel#tryLock})
 * on {@code DATA_DIR/writer.lock}, which holds the owner's pid for the message a second writer gets. The
 * kernel drops the lock when its process dies, however it dies ({@code kill -9} included), so a stale file
 * never blocks a restart; the pid in it is only informative. Readers ({@code events}, {@code alerts},
 * {@code status}) never take it.
 *
 * <p>Re-entrant within one process (counted): fcntl locks belong to the process, and the JDK refuses a
 * second lock on the same file from the same JVM, so `run` can take it early (before opening the capture)
 * and the sensor again when it opens the journal.
 */
public final class WriterLock implements AutoCloseable {
    public static final String FILE = "writer.lock";
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private boolean closed;

    private WriterLock(Path key) {
        this.key = key;
    }

    /** Another process holds the data dir's writer lock. */
    public static final class HeldElsewhere extends IOException {
        private final long pid;

        HeldElsewhere(Path dir, long pid) {
            super("another netsensor (" + (pid > 0 ? "pid " + pid : "pid unknown") + ") is writing to " + dir
                    + ": one writer per data dir (stop it, or give another --data-dir; events, alerts and status may read it meanwhile)");
            this.pid = pid;
        }

        /** The pid the lock file names, -1 when it names none. */
        public long pid() {
            return pid;
        }
    }

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int count;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /**
     * Takes the writer lock of {@code dataDir} (created if missing) or fails at once.
     *
     * @throws HeldElsewhere another live process holds it (its pid in the message)
     * @throws IOException   the lock file cannot be created or locked
     */
    public static WriterLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path key = dataDir.toRealPath();
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h == null) {
                h = lock(key);
                HELD.put(key, h);
            }
            h.count++;
        }
        return new WriterLock(key);
    }

    private static Held lock(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM outside this class: as good as another writer
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            long pid = readPid(ch);
            ch.close();
            throw new HeldElsewhere(dir, pid);
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            // the pid is only for the message: a full disk must not stop the writer that holds the lock
        }
        return new Held(ch, lock);
    }

    private static long readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return Long.parseLong(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            Held h = HELD.get(key);
            if (h == null || --h.count > 0) return;
            HELD.remove(key);
            try {
                h.lock.release();
                h.channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel or the process anyway
            }
        }
    }
}
