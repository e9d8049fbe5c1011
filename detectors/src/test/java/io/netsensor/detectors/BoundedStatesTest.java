package io.netsensor.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BoundedStates against the structure it replaced (a LinkedHashMap in access order with the same cap and
 * expiry rule): a long random run of lookups, stores, removals and expiry sweeps over keys whose hashes
 * collide on purpose must leave both with the same keys, values, order, evictions and expirations.
 */
class BoundedStatesTest {
    /** A key whose hashCode has few distinct values, so probe runs are long and removals shift them. */
    private record Key(int id) {
        @Override
        public int hashCode() {
            return id % 37;
        }
    }

    private static final class State {
        long last;

        State(long last) {
            this.last = last;
        }
    }

    private static final class Model {
        final int cap;
        long evictions, expirations;
        final LinkedHashMap<Key, State> map;

        Model(int cap) {
            this.cap = cap;
            this.map = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, State> eldest) {
                    if (size() > Model.this.cap) {
                        evictions++;
                        return true;
                    }
                    return false;
                }
            };
        }

        void expire(long cutoff) {
            Iterator<Map.Entry<Key, State>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                if (it.next().getValue().last >= cutoff) break;
                it.remove();
                expirations++;
            }
        }
    }

    @Test
    void behavesLikeAnAccessOrderedLinkedHashMapWithACap() {
        for (int cap : new int[] {1, 3, 16, 17, 100, 1000}) {
            SplittableRandom r = new SplittableRandom(cap);
            long idle = 5_000;
            BoundedStates<Key, State> states = new BoundedStates<>(cap, idle, s -> s.last);
            Model model = new Model(cap);
            long now = 0;
            long sweepEvery = Math.max(1, idle / 8), nextSweep = Long.MIN_VALUE;
            for (int step = 0; step < 200_000; step++) {
                now += r.nextInt(3);
                Key k = new Key(r.nextInt(cap * 3 + 5));
                int op = r.nextInt(10);
                if (op < 5) {
                    State got = states.get(k);
                    assertThat(got).as("get %s at step %d", k, step).isSameAs(model.map.get(k));
                    if (got != null) got.last = now;
                } else if (op < 8) {
                    State s = new State(now);
                    states.put(k, s);
                    model.map.put(k, s);
                } else if (op < 9) {
                    states.remove(k);
                    model.map.remove(k);
                } else {
                    states.expire(now);
                    if (now >= nextSweep) {
                        nextSweep = now + sweepEvery;
                        model.expire(now - idle);
                    }
                }
                assertThat(states.size()).isEqualTo(model.map.size());
            }
            List<Key> order = new ArrayList<>();
            for (Map.Entry<Key, State> e : states.entries()) {
                order.add(e.getKey());
                assertThat(e.getValue()).isSameAs(model.map.get(e.getKey()));
            }
            // (the model's get() above reordered nothing: it ran on the same keys in the same order)
            assertThat(order).as("LRU order, cap %d", cap).containsExactlyElementsOf(new ArrayList<>(model.map.keySet()));
            assertThat(states.evictions()).as("evictions, cap %d", cap).isEqualTo(model.evictions);
            assertThat(states.expirations()).as("expirations, cap %d", cap).isEqualTo(model.expirations);
            assertThat(states.evictions() + states.expirations()).as("cap %d exercised eviction or expiry", cap).isPositive();
        }
    }

    @Test
    void expiryTellsTheCallbackAboutEachKeyBeforeItGoes() {
        BoundedStates<Key, State> states = new BoundedStates<>(10, 100, s -> s.last);
        for (int i = 0; i < 5; i++) states.put(new Key(i), new State(i * 10));
        List<Integer> told = new ArrayList<>();
        states.expire(115, (k, s) -> told.add(k.id()));
        assertThat(told).containsExactly(0, 1); // last seen 0 and 10: idle for more than 100 at 115
        assertThat(states.size()).isEqualTo(3);
        assertThat(states.get(new Key(0))).isNull();
        assertThat(states.get(new Key(2))).isNotNull();
    }
}
