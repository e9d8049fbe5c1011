package io.netsensor.sinks.file;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessEvent;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.encode.EcsJsonEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A local, rotating JSON-lines log (by default of alerts only): what an operator reads on a box that is
 * cut off from its SIEM. Bounded like logrotate's "size" + "rotate": when the file would pass
 * {@code maxBytes} it becomes {@code NAME.1} (older ones shift up, the one past {@code maxFiles} is
 * deleted). Delivery = written and forced to the device, so an acknowledged alert survives a crash.
 */
public final class FileSink implements Sink {
    /** Defaults of the config's max_bytes and max_files: 100 MiB a file, 5 rotated ones (600 MiB at most). */
    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    public static final int DEFAULT_MAX_FILES = 5;
    private final String name;
    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private final Set<RecordKind> kinds;
    private final EcsJsonEncoder encoder;
    private final List<byte[]> pending = new ArrayList<>();
    private FileChannel channel;
    private long size;
    private long rotations;

    /**
     * @param maxBytes largest size of one file (at least 4 KiB)
     * @param maxFiles rotated files kept besides the current one (0 = none)
     */
    public FileSink(String name, Path file, long maxBytes, int maxFiles, Set<RecordKind> kinds, String hostName) {
        if (maxBytes < 4096) throw new IllegalArgumentException("sink " + name + ": max_bytes must be at least 4 KiB");
        if (maxFiles < 0) throw new IllegalArgumentException("sink " + name + ": max_files must not be negative");
        this.name = name;
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.kinds = kinds == null || kinds.isEmpty() ? EnumSet.of(RecordKind.ALERT) : kinds;
        this.encoder = new EcsJsonEncoder(hostName);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<RecordKind> kinds() {
        return kinds;
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public void onConn(ConnEvent e) {
        if (kinds.contains(RecordKind.EVENT)) pending.add(encoder.conn(e));
    }

    @Override
    public void onDns(DnsEvent e) {
        if (kinds.contains(RecordKind.EVENT)) pending.add(encoder.dns(e));
    }

    @Override
    public void onBurst(BurstEvent e) {
        if (kinds.contains(RecordKind.BURST)) pending.add(encoder.burst(e));
    }

    @Override
    public void onProcess(ProcessEvent e) {
        encoder.process(e);
    }

    @Override
    public void onAlert(Alert a) {
        if (kinds.contains(RecordKind.ALERT)) pending.add(encoder.alert(a));
    }

    @Override
    public void onTelemetry(io.netsensor.events.TelemetryRow r) {
        if (kinds.contains(RecordKind.TELEMETRY)) pending.add(encoder.telemetry(r));
    }

    @Override
    public void flush() throws IOException {
        if (pending.isEmpty()) return;
        try {
            if (channel == null) open();
            for (byte[] doc : pending) {
                if (size > 0 && size + doc.length + 1 > maxBytes) rotate();
                ByteBuffer b = ByteBuffer.allocate(doc.length + 1).put(doc).put((byte) '\n').flip();
                while (b.hasRemaining()) size += channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            closeChannel();
            throw new IOException(name + ": " + file + ": " + e.getMessage(), e);
        }
        pending.clear();
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
    }

    private void rotate() throws IOException {
        closeChannel();
        if (maxFiles == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        rotations++;
        open();
    }

    private Path rotated(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // the file is being replaced or the disk failed: the next flush reopens
        }
        channel = null;
    }

    public long rotations() {
        return rotations;
    }

    @Override
    public void close() {
        closeChannel();
    }
}
