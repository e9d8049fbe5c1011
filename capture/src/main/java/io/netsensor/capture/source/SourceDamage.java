package io.netsensor.capture.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a capture file reader could not read, and where: counts by kind and the first few places (byte
 * offset, what was wrong, where reading resumed), for the replay summary. Recorded on the damage path
 * only, never per good record.
 */
public final class SourceDamage {
    /** How many places are described; the rest are only counted. */
    public static final int DESCRIBED = 5;

    public enum Kind {
        /** A record larger than libpcap's largest snap length (262,144 bytes): skipped, as libpcap refuses it. */
        OVERSIZED,
        /** A record header or block that contradicts itself: skipped up to the next record that reads. */
        DAMAGED,
        /** The file ends inside a record or block (a capture cut short). */
        TRUNCATED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final long[] counts = new long[Kind.values().length];
    private final List<String> described = new ArrayList<>();

    void add(Kind kind, String description) {
        counts[kind.ordinal()]++;
        if (described.size() < DESCRIBED) described.add(description);
    }

    /** True while another description would still be kept (callers skip formatting one otherwise). */
    boolean describing() {
        return described.size() < DESCRIBED;
    }

    public long count(Kind kind) {
        return counts[kind.ordinal()];
    }

    public long total() {
        long t = 0;
        for (long c : counts) t += c;
        return t;
    }

    /** The first {@value #DESCRIBED} places, e.g. "byte 1234: enhanced packet block: ...; resumed at byte 1400". */
    public List<String> described() {
        return List.copyOf(described);
    }

    /** e.g. "1 damaged, 2 oversized"; only non-zero kinds; empty when nothing happened. */
    public String counts() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            if (count(k) == 0) continue;
            if (b.length() > 0) b.append(", ");
            b.append(count(k)).append(' ').append(k.label());
        }
        return b.toString();
    }
}
