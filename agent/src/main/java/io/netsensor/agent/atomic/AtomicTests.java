package io.netsensor.agent.atomic;

import java.util.ArrayList;
import java.util.List;

/** The catalogue of atomic tests, in the order they are listed and reported. */
public final class AtomicTests {
    private AtomicTests() {}

    /**
     * Every test: the seed's four (T1583.005 botnet), by seed test number, then the detection-depth
     * behaviours the seed has none for (check-ins inside one connection, a DNS tunnel, a new process per
     * check-in).
     */
    public static List<AtomicTest> all() {
        return List.of(new BeaconTest(), new RelayTest(), new IrcPortTest(), new SpreaderTest(),
                new InConnectionBeaconTest(), new DnsTunnelTest(), new NewProcessBeaconTest());
    }

    /** The tests of these names, in catalogue order; an unknown name is an error naming the known ones. */
    public static List<AtomicTest> named(List<String> names) {
        List<AtomicTest> all = all(), out = new ArrayList<>();
        for (String n : names) {
            if (all.stream().noneMatch(t -> t.name.equals(n))) {
                throw new IllegalArgumentException("unknown atomic test '" + n + "' (tests: "
                        + String.join(", ", all.stream().map(t -> t.name).toList()) + ")");
            }
        }
        for (AtomicTest t : all) if (names.contains(t.name)) out.add(t);
        return out;
    }
}
