package io.netsensor.detectors.dga;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the DGA evaluation data under {@code shared/dga} (layout described in its SOURCES.md) and
 * defines the fixed, hash-based train/hold-out splits shared by {@link TrainDgaModel} and
 * {@link EvalDga}. Tools only: allocates freely.
 */
public final class DgaCorpus {
    /** Benign list the n-gram model and the regression learn from; every other benign list is held out. */
    public static final String BENIGN_TRAIN = "benign/alexa_top1m_less33.txt.gz";
    /** Benign popularity lists used only for evaluation. */
    public static final List<String> BENIGN_POPULAR = List.of("benign/tranco_top10k_2025-06.txt",
            "benign/umbrella_top10k_2021-03.txt", "benign/opendns_top10k_2014.txt");
    /**
     * The recent popularity lists alone: the 2014 OpenDNS top list holds hundreds of Conficker-style
     * look-ups (e.g. {@code rwqmopqgak.biz}, {@code wgeprggwv.ws}), because DGA traffic is heavy at a resolver.
     */
    public static final List<String> BENIGN_RECENT = List.of("benign/tranco_top10k_2025-06.txt",
            "benign/umbrella_top10k_2021-03.txt");
    /** All benign lists used only for evaluation: the popular ones plus a 2014 random sample of resolver traffic. */
    public static final List<String> BENIGN_EVAL = List.of("benign/tranco_top10k_2025-06.txt",
            "benign/umbrella_top10k_2021-03.txt", "benign/opendns_top10k_2014.txt", "benign/opendns_random10k_2014.txt");
    /** Of 10 hash buckets of a malicious domain, these go to training; the rest are held out. */
    static final int MALICIOUS_TRAIN_BUCKETS = 7;

    public enum Group {
        RANDOM_LETTERS("random letters"), RANDOM_ALNUM("random alnum/hex"), PRONOUNCEABLE("pronounceable"),
        DICTIONARY("dictionary");

        public final String label;

        Group(String label) {
            this.label = label;
        }

        public boolean randomCharacter() {
            return this == RANDOM_LETTERS || this == RANDOM_ALNUM;
        }
    }

    /** One family list: id is "source/family", e.g. "gen/necurs". */
    public record Family(String id, Group group, boolean fromFeed, List<String> domains) {}

    private static final Map<String, Group> GROUPS = Map.ofEntries(
            Map.entry("chrmor_netlab_sample/nymaim", Group.DICTIONARY), // nymaim2-style word pairs here
            Map.entry("necurs", Group.RANDOM_LETTERS), Map.entry("qakbot", Group.RANDOM_LETTERS),
            Map.entry("ramnit", Group.RANDOM_LETTERS), Map.entry("locky", Group.RANDOM_LETTERS),
            Map.entry("pykspa", Group.RANDOM_LETTERS), Map.entry("pykspa_v2_fake", Group.RANDOM_LETTERS),
            Map.entry("pykspa_v2_real", Group.RANDOM_LETTERS), Map.entry("tinba", Group.RANDOM_LETTERS),
            Map.entry("murofet", Group.RANDOM_LETTERS), Map.entry("cryptolocker", Group.RANDOM_LETTERS),
            Map.entry("conficker", Group.RANDOM_LETTERS), Map.entry("dircrypt", Group.RANDOM_LETTERS),
            Map.entry("emotet", Group.RANDOM_LETTERS), Map.entry("fobber", Group.RANDOM_LETTERS),
            Map.entry("kraken", Group.RANDOM_LETTERS), Map.entry("padcrypt", Group.RANDOM_LETTERS),
            Map.entry("ramdo", Group.RANDOM_LETTERS), Map.entry("ranbyus", Group.RANDOM_LETTERS),
            Map.entry("nymaim", Group.RANDOM_LETTERS),
            Map.entry("chinad", Group.RANDOM_ALNUM), Map.entry("corebot", Group.RANDOM_ALNUM),
            Map.entry("newgoz", Group.RANDOM_ALNUM), Map.entry("gameover", Group.RANDOM_ALNUM),
            Map.entry("post_tovar_goz", Group.RANDOM_ALNUM), Map.entry("qadars", Group.RANDOM_ALNUM),
            Map.entry("rovnix", Group.RANDOM_ALNUM), Map.entry("sharkbot_hex16", Group.RANDOM_ALNUM),
            Map.entry("verblecon_md5", Group.RANDOM_ALNUM), Map.entry("bamital", Group.RANDOM_ALNUM),
            Map.entry("madmax", Group.RANDOM_ALNUM),
            Map.entry("banjori", Group.PRONOUNCEABLE), Map.entry("simda", Group.PRONOUNCEABLE),
            Map.entry("pushdo", Group.PRONOUNCEABLE), Map.entry("symmi", Group.PRONOUNCEABLE),
            Map.entry("ngioweb", Group.PRONOUNCEABLE), Map.entry("vawtrak", Group.PRONOUNCEABLE),
            Map.entry("suppobox", Group.DICTIONARY), Map.entry("suppobox_w1", Group.DICTIONARY),
            Map.entry("suppobox_w2", Group.DICTIONARY), Map.entry("suppobox_w3", Group.DICTIONARY),
            Map.entry("gozi", Group.DICTIONARY), Map.entry("gozi_nasa", Group.DICTIONARY),
            Map.entry("gozi_luther", Group.DICTIONARY), Map.entry("gozi_gpl", Group.DICTIONARY),
            Map.entry("matsnu", Group.DICTIONARY), Map.entry("matsnu_andrewaeva", Group.DICTIONARY),
            Map.entry("nymaim2", Group.DICTIONARY));

    private final Path dga;

    public DgaCorpus(Path sharedDir) {
        this.dga = sharedDir.resolve("dga");
        if (!Files.isDirectory(dga)) throw new IllegalArgumentException("no dga data under " + sharedDir);
    }

    /** The shared directory: NETSENSOR_SHARED, else ../shared relative to the working directory (or its parent). */
    public static Path defaultShared() {
        String env = System.getenv("NETSENSOR_SHARED");
        if (env != null && !env.isBlank()) return Path.of(env);
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("dga"))) return candidate;
        }
        return here.resolveSibling("shared");
    }

    public List<String> read(String relative) throws IOException {
        Path p = dga.resolve(relative);
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(p);
                InputStream in = relative.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (!line.isEmpty() && line.charAt(0) != '#') out.add(line);
            }
        }
        return out;
    }

    /** Every family file under malicious/ (feeds, not ALL.txt) and gen/ (generated), in a stable order. */
    public List<Family> families() throws IOException {
        List<Family> out = new ArrayList<>();
        for (String dir : List.of("malicious", "gen")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(dga.resolve(dir))) {
                files = s.filter(p -> p.toString().endsWith(".txt") && !p.getFileName().toString().equals("ALL.txt"))
                        .sorted().toList();
            }
            for (Path f : files) {
                String rel = dga.relativize(f).toString();
                String name = f.getFileName().toString().replace(".txt", "");
                String parent = f.getParent().getFileName().toString();
                Group g = GROUPS.getOrDefault(parent + "/" + name, GROUPS.get(name));
                if (g == null) throw new IllegalStateException("no group for family " + rel);
                String source = dir.equals("gen") ? "gen" : parent;
                out.add(new Family(source + "/" + name, g, dir.equals("malicious"), read(rel)));
            }
        }
        return out;
    }

    /** Stable bucket 0..9 of a string (independent of JVM hash seeds). */
    public static int bucket(String s) {
        return (int) Long.remainderUnsigned(DomainName.hashOf(s), 10);
    }

    /**
     * Families never trained on, so the evaluation keeps measuring generalization to unseen generators:
     * one per random-character style without a feed counterpart (letters, base36, hex) and the two
     * generated pronounceable families whose names are near-copies of one seed (training on them would
     * only memorize). Dictionary families are never trained on either (see {@link #trainable}).
     */
    public static final Set<String> HELD_OUT_FAMILIES = Set.of("gen/qakbot", "gen/chinad", "gen/sharkbot_hex16",
            "gen/banjori", "gen/ngioweb");

    /**
     * Whether the regression may learn from (the training split of) a family: not dictionary families
     * (words look benign to a lexical model; teaching it otherwise only costs false positives, and the
     * detector catches them by behaviour) and not {@link #HELD_OUT_FAMILIES}.
     */
    public static boolean trainable(Family f) {
        return f.group() != Group.DICTIONARY && !HELD_OUT_FAMILIES.contains(f.id());
    }

    /**
     * True for malicious domains that training may use: hash buckets 0-6 of a trainable family. The
     * bucket is that of the registered label, which is what the model sees: some generators emit one
     * label under several TLDs (murofet, bamital), and those copies must all fall on the same side.
     */
    public static boolean trainSplit(Family f, String domain) {
        if (!trainable(f)) return false;
        String label = registeredLabel(new DomainName(), domain);
        return bucket(label == null ? domain : label) < MALICIOUS_TRAIN_BUCKETS;
    }

    /** The registered label (lower case) of a domain, or null when it has none. */
    public static String registeredLabel(DomainName d, String domain) {
        if (!d.parse(domain)) return null;
        int k = PublicSuffixes.get().registeredLabel(d);
        return k < 0 ? null : d.substring(d.labelStart(k), d.labelEnd(k));
    }

    /** The registered domain (label + public suffix), or null. */
    public static String registeredDomain(DomainName d, String domain) {
        if (!d.parse(domain)) return null;
        int k = PublicSuffixes.get().registeredLabel(d);
        return k < 0 ? null : d.substring(d.labelStart(k), d.length());
    }
}
