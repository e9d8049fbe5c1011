package io.netsensor.detectors.dga;

import java.util.Collection;

/**
 * An immutable open-addressing set of 64-bit name hashes. Suffix rules are looked up by the hash of
 * the name's suffix (see {@link DomainName}), so a lookup touches no String and allocates nothing.
 * A false match needs a 64-bit collision with one of ~10k rules: negligible (about 1e-15 per lookup).
 */
public final class HashSet64 {
    private static final long EMPTY = 0L;
    private final long[] slots;
    private final int mask;
    private final int size;

    public HashSet64(Collection<String> names) {
        int cap = Integer.highestOneBit(Math.max(4, names.size() * 2 - 1)) << 1;
        slots = new long[cap];
        mask = cap - 1;
        int n = 0;
        for (String s : names) {
            long h = DomainName.hashOf(s);
            int i = (int) h & mask;
            while (slots[i] != EMPTY && slots[i] != h) i = (i + 1) & mask;
            if (slots[i] == EMPTY) n++;
            slots[i] = h;
        }
        size = n;
    }

    public boolean contains(long h) {
        int i = (int) h & mask;
        while (true) {
            long v = slots[i];
            if (v == h) return true;
            if (v == EMPTY) return false;
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }
}
