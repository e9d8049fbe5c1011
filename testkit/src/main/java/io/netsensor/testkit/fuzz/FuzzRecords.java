package io.netsensor.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The input layout of the fuzz targets that take several records (frames, journal documents): each record
 * is a 2-byte big-endian length and that many bytes; a length running past the end takes what is left.
 * A plain layout rather than Jazzer's FuzzedDataProvider (which reads numbers from the end of the input)
 * so seeds are easy to build from real records and a finding is easy to read in a hex dump.
 */
public final class FuzzRecords {
    private FuzzRecords() {}

    /** The records of {@code input} from {@code from}, at most {@code max} (the last takes the rest). */
    public static List<byte[]> split(byte[] input, int from, int max) {
        List<byte[]> out = new ArrayList<>();
        int p = from;
        while (p < input.length && out.size() < max) {
            int len = p + 1 < input.length ? ((input[p] & 0xFF) << 8) | (input[p + 1] & 0xFF) : 0;
            p = Math.min(p + 2, input.length);
            int n = out.size() == max - 1 ? input.length - p : Math.min(len, input.length - p);
            byte[] r = new byte[n];
            System.arraycopy(input, p, r, 0, n);
            out.add(r);
            p += n;
        }
        return out;
    }

    /** The input holding {@code prefix} and then these records (each at most 65,535 bytes). */
    public static byte[] join(byte[] prefix, List<byte[]> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(prefix);
        for (byte[] r : records) {
            if (r.length > 0xFFFF) throw new IllegalArgumentException("record of " + r.length + " bytes");
            b.write(r.length >>> 8);
            b.write(r.length & 0xFF);
            b.writeBytes(r);
        }
        return b.toByteArray();
    }

    /**
     * Writes seed files named {@code name} into {@code dir} (Jazzer's inputs directory of a target), or,
     * else returns the names whose committed content differs from {@code seed}.
     */
    public static List<String> writeOrCheck(Path dir, boolean write, java.util.Map<String, byte[]> seeds) {
        List<String> differing = new ArrayList<>();
        try {
            if (write) Files.createDirectories(dir);
            for (var e : seeds.entrySet()) {
                Path f = dir.resolve(e.getKey());
                if (write) {
                    Files.write(f, e.getValue());
                } else if (!Files.exists(f) || !java.util.Arrays.equals(Files.readAllBytes(f), e.getValue())) {
                    differing.add(f + (Files.exists(f) ? " differs" : " is missing"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return differing;
    }
}
