package io.netsensor.capture.conformance;

import io.netsensor.testkit.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The third-party corpus beside the repository (read-only, never copied into it) and the (capture, Zeek
 * log) pairs it holds: each zeek-* directory has one capture and the baselines Zeek wrote for it (see its
 * ORIGIN.txt); zeek-dns-all lists its pairs in MANIFEST.tsv, one sub-directory per Zeek test.
 */
final class Corpus {
    /** A capture and one Zeek baseline for it; name is what the summary and exception table call it. */
    record Pair(String name, Path pcap, Path log) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Corpus() {}

    static Path root() {
        return Shared.dir().resolve("corpus");
    }

    static Path requireRoot() {
        return Shared.require("corpus");
    }

    static List<Path> captures() throws IOException {
        try (Stream<Path> s = Files.walk(requireRoot())) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** Every pair whose baseline file name ends with suffix (e.g. "dns.log", "conn.log"). */
    static List<Pair> pairs(String logKind) throws IOException {
        Path root = requireRoot();
        List<Pair> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("zeek-")).sorted().collect(Collectors.toList())) {
                if (dir.getFileName().toString().equals("zeek-dns-all")) {
                    manifest(root, dir, logKind, out);
                } else {
                    singleCapture(root, dir, logKind, out);
                }
            }
        }
        return out;
    }

    private static void singleCapture(Path root, Path dir, String logKind, List<Pair> out) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().collect(Collectors.toList());
        }
        List<Path> pcaps = files.stream().filter(Corpus::isCapture).collect(Collectors.toList());
        for (Path log : files) {
            if (!isLog(log, logKind)) continue;
            if (pcaps.size() != 1) throw new IllegalStateException(dir + ": expected one capture for " + log);
            out.add(new Pair(root.relativize(log).toString(), pcaps.get(0), log));
        }
    }

    /** MANIFEST.tsv: test name, trace path, baseline path (both relative to Zeek's testing/btest). */
    private static void manifest(Path root, Path dir, String logKind, List<Pair> out) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("MANIFEST.tsv"))) {
            if (line.isBlank()) continue;
            String[] c = line.split("\t");
            Path testDir = dir.resolve(c[0]);
            Path pcap = testDir.resolve(Paths.get(c[1]).getFileName());
            Path log = testDir.resolve(Paths.get(c[2]).getFileName());
            if (isLog(log, logKind)) out.add(new Pair(root.relativize(log).toString(), pcap, log));
        }
    }

    private static boolean isCapture(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".pcap") || n.endsWith(".pcapng");
    }

    private static boolean isLog(Path p, String logKind) {
        String n = p.getFileName().toString();
        return n.endsWith(logKind) || n.endsWith(logKind + ".cut") || n.endsWith(logKind + ".ctu");
    }
}
