package io.netsensor.sinks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A sink's durable position: the journal index of the next record to deliver, written after each
 * acknowledged batch. A file of its own (not Chronicle's named tailer, whose position moves as records
 * are read, before the destination has them): 8-byte index + CRC32, written to a temporary file and
 * renamed over the old one, so a crash leaves either the old or the new position, never a torn one.
 */
public final class SinkCursor {
    public static final long NONE = -1;
    private final Path file;
    private final Path tmp;
    private final ByteBuffer buf = ByteBuffer.allocate(12);

    public SinkCursor(Path dir, String sinkName) {
        this.file = dir.resolve(sinkName + ".pos");
        this.tmp = dir.resolve(sinkName + ".pos.tmp");
    }

    /** The stored position, {@link #NONE} when there is none yet or the file is damaged (reported by the caller). */
    public long load() throws IOException {
        if (!Files.exists(file)) return NONE;
        byte[] b = Files.readAllBytes(file);
        if (b.length != 12) return NONE;
        ByteBuffer bb = ByteBuffer.wrap(b);
        long index = bb.getLong();
        int crc = bb.getInt();
        return crc == crc(index) ? index : NONE;
    }

    /** Stores the position of the next record to deliver. */
    public void store(long nextIndex) throws IOException {
        Files.createDirectories(file.getParent());
        buf.clear();
        buf.putLong(nextIndex).putInt(crc(nextIndex)).flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) ch.write(buf);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Path file() {
        return file;
    }

    private static int crc(long index) {
        CRC32 c = new CRC32();
        for (int i = 56; i >= 0; i -= 8) c.update((int) (index >>> i) & 0xFF);
        return (int) c.getValue();
    }
}
