package io.netsensor.telemetry;

import java.util.HashMap;
import java.util.Map;

/**
 * Queries per query type of one DNS row, counted in primitive arrays (open addressing) so that a record costs
 * no Integer.toString or boxed Long; the row's text map is made when the row is emitted. Grows with the
 * distinct types seen (at most 65,536, as the old map did).
 */
final class TypeCounts {
    private int[] types = new int[8];
    private long[] counts = new long[8]; // 0 marks an empty slot: a used one has counted at least once
    private int size;

    void add(int qtype) {
        int mask = types.length - 1;
        for (int i = slot(qtype, mask); ; i = (i + 1) & mask) {
            if (counts[i] == 0) {
                types[i] = qtype;
                counts[i] = 1;
                if (++size * 2 > types.length) grow();
                return;
            }
            if (types[i] == qtype) {
                counts[i]++;
                return;
            }
        }
    }

    private static int slot(int qtype, int mask) {
        int h = qtype * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private void grow() {
        int[] oldTypes = types;
        long[] oldCounts = counts;
        types = new int[oldTypes.length * 2];
        counts = new long[oldTypes.length * 2];
        int mask = types.length - 1;
        for (int j = 0; j < oldTypes.length; j++) {
            if (oldCounts[j] == 0) continue;
            int i = slot(oldTypes[j], mask);
            while (counts[i] != 0) i = (i + 1) & mask;
            types[i] = oldTypes[j];
            counts[i] = oldCounts[j];
        }
    }

    /** The row's form: type number as text -> queries (the row keeps no order). */
    Map<String, Long> toMap() {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i < types.length; i++) if (counts[i] != 0) m.put(Integer.toString(types[i]), counts[i]);
        return m;
    }
}
