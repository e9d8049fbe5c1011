package io.netsensor.agent;

import java.util.Set;

/**
 * Loads, on a second core while the main thread builds the command line, what a capture-reading command is about
 * to need one after the other on its critical path: Chronicle's runtime (its {@code Jvm} and POSIX bindings
 * generate classes at start-up, ~0.25 s), the DGA model (~0.12 s) and the public suffix list (Guava's trie,
 * parsed on the first DNS event, ~0.11 s). Each of them is cached once loaded (class initialisation, or
 * {@code DgaModel.bundled()}'s holder), so the command's own code simply finds it ready; this only moves the
 * work earlier and never changes what it does. A failure here is ignored: the same call fails again on the
 * command's own path, where it is reported as usual.
 */
final class Warmup {
    /** The commands that open a journal and run the detectors. */
    private static final Set<String> COMMANDS = Set.of("run", "replay", "atomic", "bench");

    private Warmup() {}

    static void startFor(String[] args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) return;
        for (String a : args) if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) return;
        Thread t = new Thread(Warmup::load, "netsensor-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void load() {
        try {
            Class.forName("net.openhft.chronicle.core.Jvm", true, Warmup.class.getClassLoader());
            net.openhft.posix.PosixAPI.posix();
            io.netsensor.detectors.dga.DgaModel.bundled();
            io.netsensor.detectors.dga.PublicSuffixes.get();
        } catch (Throwable ignored) {
            // reported where the command itself needs it
        }
    }
}
