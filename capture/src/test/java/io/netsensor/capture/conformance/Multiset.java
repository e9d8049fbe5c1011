package io.netsensor.capture.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Compares two lists of rows as multisets of their keys. */
final class Multiset {
    final int matched;
    final List<Row> onlyZeek = new ArrayList<>(), onlyOurs = new ArrayList<>();

    Multiset(List<Row> zeek, List<Row> ours) {
        Map<String, List<Row>> pool = new HashMap<>();
        for (Row r : ours) pool.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        int m = 0;
        for (Row z : zeek) {
            List<Row> same = pool.get(z.key());
            if (same != null && !same.isEmpty()) {
                same.remove(same.size() - 1);
                m++;
            } else {
                onlyZeek.add(z);
            }
        }
        pool.values().forEach(onlyOurs::addAll);
        matched = m;
    }

    boolean same() {
        return onlyZeek.isEmpty() && onlyOurs.isEmpty();
    }
}
