package io.netsensor.agent;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Signal;

/**
 * What signals do to `replay`. SIGTERM and SIGINT stop it as tcpdump and Zeek stop on them: the rest of the
 * input is not read, open flows and pending DNS queries are flushed as events, detection and the outputs
 * drain, the summary is printed and the exit code is 0 (tcpdump's cleanup handler exits with success, Zeek
 * finishes its scripts and exits 0). A second TERM or INT during that stop exits at once, with 128 + the
 * signal's number (130, 143). SIGHUP, SIGUSR1 and SIGUSR2 are ignored with a line (a replay has nothing to
 * reload; the JVM's default for them is to die without a word). Temporary files (the journal of a replay
 * without --data-dir, the copy of standard input) are deleted on every exit, a signal's included.
 *
 * <p>sun.misc.Signal (jdk.unsupported) is the JDK's only way to handle these; a handler replaces the JVM's
 * default, so the first TERM or INT does not start the JVM's shutdown.
 */
public final class ReplaySignals {
    private static final Set<Path> TEMPORARY = ConcurrentHashMap.newKeySet();
    private static volatile ReplaySignals installed;

    private final PrintStream log;
    private volatile String received;
    private volatile Runnable onStop;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ReplaySignals::deleteTemporary, "netsensor-replay-cleanup"));
    }

    private ReplaySignals(PrintStream log) {
        this.log = log;
    }

    /** Installs the handlers, first thing in the command, so no signal finds the JVM's defaults. */
    public static ReplaySignals install(PrintStream log) {
        ReplaySignals s = new ReplaySignals(log);
        installed = s;
        for (String name : new String[] {"TERM", "INT"}) handle(name, sig -> s.stopSignal(sig));
        for (String name : new String[] {"HUP", "USR1", "USR2"}) {
            handle(name, sig -> log.println("netsensor replay: SIG" + sig.getName() + " ignored (TERM or INT stops the replay)"));
        }
        return s;
    }

    /** The handlers of the running replay command, or null outside one (tests that run Replay directly). */
    static ReplaySignals current() {
        return installed;
    }

    private static void handle(String name, sun.misc.SignalHandler h) {
        try {
            Signal.handle(new Signal(name), h);
        } catch (IllegalArgumentException e) {
            // a signal the VM keeps for itself here: its default stays
        }
    }

    private void stopSignal(Signal sig) {
        if (received != null) {
            log.println("netsensor replay: SIG" + sig.getName() + " again: stopping at once");
            System.exit(128 + sig.getNumber()); // the shutdown hook deletes the temporary files
        }
        received = sig.getName();
        Runnable r = onStop;
        if (r == null) {
            log.println("netsensor replay: SIG" + sig.getName() + " before the replay began: nothing replayed");
            System.exit(0);
        }
        log.println("netsensor replay: SIG" + sig.getName() + ": stopping: open flows are flushed, then the summary (again to stop at once)");
        r.run();
    }

    /** What to do on the first TERM or INT once the replay runs; runs at once if one came already. */
    void onStop(Runnable stop) {
        this.onStop = stop;
        if (received != null) stop.run();
    }

    /** The name of the signal that stopped the replay ("TERM", "INT"), or null. */
    public String received() {
        return received;
    }

    /** Deleted when the JVM exits, whatever the path (as well as by its owner when done with it). */
    public static void deleteOnExit(Path p) {
        TEMPORARY.add(p);
    }

    public static void forget(Path p) {
        TEMPORARY.remove(p);
    }

    private static void deleteTemporary() {
        for (Path p : TEMPORARY) FileTrees.deleteQuietly(p);
    }
}
