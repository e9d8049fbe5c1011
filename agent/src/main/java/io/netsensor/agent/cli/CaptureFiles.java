package io.netsensor.agent.cli;

import io.netsensor.capture.source.NotACaptureException;
import io.netsensor.capture.source.PcapFileSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The capture files of a replay: checked before anything runs, and put in time order. */
final class CaptureFiles {
    /** The first packet's time of a capture without packets. */
    static final long NO_PACKETS = Long.MIN_VALUE;

    private CaptureFiles() {}

    /**
     * Standard input (a capture piped from tcpdump -w -, ssh, zcat) copied to a temporary file: the reader
     * maps files, and replay reads its input twice (first packet, then the stream). The caller deletes it.
     */
    static Path copyOfStdin() throws IOException {
        Path tmp = java.nio.file.Files.createTempFile("netsensor-stdin-", ".pcap");
        io.netsensor.agent.ReplaySignals.deleteOnExit(tmp); // a signal during the copy must not leave it behind
        try (java.io.InputStream in = System.in) {
            java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            java.nio.file.Files.deleteIfExists(tmp);
            throw e;
        }
        if (java.nio.file.Files.size(tmp) == 0) {
            java.nio.file.Files.deleteIfExists(tmp);
            throw new UserError("replay: standard input is empty (expected a pcap or pcapng capture)");
        }
        return tmp;
    }

    /** A capture file and the event time of its first packet. */
    record Probed(Path path, long firstPacketNanos) {}

    /**
     * Opens the file and reads its first packet. A file that is missing, unreadable or not a capture is the
     * user's mistake ({@link UserError}, exit 2), found before the journal is opened; an I/O error while
     * reading is not (IOException, exit 1).
     */
    static Probed probe(Path file) throws IOException {
        try (PcapFileSource src = PcapFileSource.open(file)) {
            long[] first = {NO_PACKETS};
            src.run((ts, linkType, buf, off, capLen, wireLen) -> {
                first[0] = ts;
                src.stop();
            });
            return new Probed(file, first[0]);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(file + ": cannot read: permission denied");
        } catch (NotACaptureException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * The files ordered by their first packet, as a person expects of "replay these captures": a shell glob
     * of rotated files (trace-10.pcap before trace-9.pcap) or names given in any order would otherwise
     * replay later packets first and break every flow that spans two files. Files with equal times keep
     * the given order; files without packets keep their place (they contribute nothing to the stream).
     */
    static List<Path> inTimeOrder(List<Probed> files) {
        List<Integer> slots = new ArrayList<>();
        List<Probed> timed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).firstPacketNanos() != NO_PACKETS) {
                slots.add(i);
                timed.add(files.get(i));
            }
        }
        timed.sort(Comparator.comparingLong(Probed::firstPacketNanos)); // stable
        List<Path> out = new ArrayList<>();
        for (Probed p : files) out.add(p.path());
        for (int i = 0; i < slots.size(); i++) out.set(slots.get(i), timed.get(i).path());
        return out;
    }
}
