package io.netsensor.capture.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only random access to a file through a sliding memory-mapped window, because a single
 * MappedByteBuffer is limited to 2 GiB. Reads are absolute file positions; {@link #require} must
 * succeed for a range before it is read. A replaced window, and the last one at close, is unmapped at once
 * rather than when the GC finds its buffer: until then its pages count in the process's RSS (a replay of a
 * 2 GiB file held every 64 MiB window it had passed), and a deleted file stays allocated while mapped. Safe
 * because no buffer of a window leaves this class: reads copy out ({@link #copy}).
 */
final class MappedFile implements Closeable {
    static final int DEFAULT_WINDOW = 64 << 20;

    private final FileChannel channel;
    private final long size;
    private final int window;
    private MappedByteBuffer map;
    private long base;
    private int mapLen;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;

    MappedFile(Path path, int window) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        this.window = window;
    }

    long size() {
        return size;
    }

    void order(ByteOrder order) {
        this.order = order;
        if (map != null) map.order(order);
    }

    ByteOrder order() {
        return order;
    }

    /** Maps [pos, pos + len) if needed; false when that range runs past the end of the file. */
    boolean require(long pos, int len) throws IOException {
        if (pos < 0 || len < 0 || pos + len > size) return false;
        if (map == null || pos < base || pos + len > base + mapLen) {
            int n = (int) Math.min(size - pos, Math.max(window, len));
            unmap();
            map = channel.map(FileChannel.MapMode.READ_ONLY, pos, n);
            map.order(order);
            base = pos;
            mapLen = n;
        }
        return true;
    }

    int i32(long pos) {
        return map.getInt((int) (pos - base));
    }

    long u32(long pos) {
        return i32(pos) & 0xFFFF_FFFFL;
    }

    int u16(long pos) {
        return map.getShort((int) (pos - base)) & 0xFFFF;
    }

    int u8(long pos) {
        return map.get((int) (pos - base)) & 0xFF;
    }

    long i64(long pos) {
        return map.getLong((int) (pos - base));
    }

    void copy(long pos, byte[] dst, int len) {
        map.get((int) (pos - base), dst, 0, len);
    }

    @Override
    public void close() throws IOException {
        unmap();
        channel.close();
    }

    private void unmap() {
        MappedByteBuffer old = map;
        map = null;
        if (old != null) Unmapper.unmap(old);
    }
}
