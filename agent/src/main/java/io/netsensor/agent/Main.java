package io.netsensor.agent;

import io.netsensor.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the `netsensor` command. */
@Command(name = "netsensor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "On-host network sensor: captures connections and DNS, journals them, detects botnet C2.",
        subcommands = {RunCommand.class, ReplayCommand.class, EventsCommand.class, BenchCommand.class, 
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static {
        // Logs go to stderr (stdout carries JSON). Chronicle is chatty at INFO; warnings still show.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }


    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof ConfigException) {
                cmd.getErr().println("netsensor: config error: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof UserError) {
                cmd.getErr().println("netsensor: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof java.io.IOException) {
                cmd.getErr().println("netsensor: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    /** A mistake the user can fix (bad argument, missing file): printed without a stack trace. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"netsensor " + (v == null ? "dev" : v)};
        }
    }
}
