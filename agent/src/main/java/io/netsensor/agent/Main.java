package io.netsensor.agent;

import io.netsensor.agent.cli.NetsensorCommand;
import picocli.CommandLine;

/** Entry point of the `netsensor` command (the jar's Main-Class); the commands live in {@code io.netsensor.agent.cli}. */
public final class Main {
    static {
        // Set before any Chronicle or logging class loads, which is why they are here, in the main class.
        // Logs go to stderr (stdout carries JSON). Chronicle is chatty at INFO; warnings still show.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    private Main() {}

    private static volatile boolean standalone;

    /** True in the `netsensor` process (not when tests run commands in their own JVM): commands may install signal handlers. */
    public static boolean standalone() {
        return standalone;
    }

    public static void main(String[] args) {
        standalone = true;
        Warmup.startFor(args);
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling (tests run it in-process). */
    public static CommandLine commandLine() {
        return NetsensorCommand.commandLine();
    }
}
