package io.netsensor.testkit.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a fuzz target writes each input to (the code under test reads files). In memory (/dev/shm)
 * where there is one, and replaced rather than rewritten: truncating a file costs a forced block allocation
 * on ext4, and on tmpfs a file some reader still has mapped (the capture reader maps its file; the mapping
 * goes only when the GC collects it) is slow to truncate; together 15-20 times the cost of the parse.
 */
public final class ScratchFile {
    private final Path path;

    private ScratchFile(Path path) {
        this.path = path;
    }

    public static ScratchFile create(String suffix) {
        try {
            Path shm = Path.of("/dev/shm");
            Path p = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempFile(shm, "netsensor-fuzz-", suffix) : Files.createTempFile("netsensor-fuzz-", suffix);
            p.toFile().deleteOnExit();
            return new ScratchFile(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    /** A new file of these bytes at {@link #path()}. */
    public Path write(byte[] content) throws IOException {
        Files.deleteIfExists(path);
        Files.write(path, content);
        return path;
    }
}
