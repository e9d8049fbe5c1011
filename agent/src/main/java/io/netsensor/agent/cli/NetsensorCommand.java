package io.netsensor.agent.cli;

import io.netsensor.agent.Main;
import io.netsensor.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The `netsensor` command and its error handling. Exit codes: 0 success, 1 I/O failure (or a bug),
 * 2 usage or configuration error. Every failure is one line on stderr; a stack trace only with
 * NETSENSOR_DEBUG=1, since a trace tells a user nothing they can act on.
 */
@Command(name = "netsensor", mixinStandardHelpOptions = true, versionProvider = NetsensorCommand.Version.class,
        description = "On-host network sensor: captures connections and DNS, journals them, detects botnet C2.",
        subcommands = {RunCommand.class, ReplayCommand.class, EventsCommand.class, AlertsCommand.class, ConfigCommand.class, BenchCommand.class,
                StatusCommand.class, InterfacesCommand.class, AtomicCommand.class,
                CommandLine.HelpCommand.class})
public final class NetsensorCommand implements Callable<Integer> {
    static final int IO_FAILURE = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No command given: the usage, and a usage error's exit code. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new NetsensorCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli lets an Error (a missing libpcap is an UnsatisfiedLinkError) escape execute(); as a
        // cause of an ExecutionException it reaches the handler below like any other failure.
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (Error e) {
                java.util.List<CommandLine> commands = parsed.asCommandLineList();
                throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), e.toString(), e);
            }
        });
        cl.setParameterExceptionHandler(NetsensorCommand::usageError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd.getErr()));
        return cl;
    }

    /** A bad option or argument: one line (picocli's default also prints the whole usage). */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(oneLine(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
        }
        line.append("; see '").append(name).append(" --help'");
        cmd.getErr().println(line);
        cmd.getErr().flush();
        return USAGE;
    }

    /** What a command threw, as one line and an exit code. */
    static int failure(Exception thrown, PrintWriter err) {
        Throwable ex = thrown instanceof CommandLine.ExecutionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (ex instanceof UncheckedIOException u) ex = u.getCause();
        int code;
        if (ex instanceof ConfigException c) {
            for (String problem : c.problems()) err.println("netsensor: config error: " + oneLine(problem));
            code = USAGE;
        } else if (ex instanceof UserError) {
            err.println("netsensor: " + oneLine(ex.getMessage()));
            code = USAGE;
        } else if (ex instanceof IOException io) {
            err.println("netsensor: " + describe(io));
            code = IO_FAILURE;
        } else {
            StackTraceElement[] at = ex.getStackTrace();
            err.println("netsensor: internal error: " + oneLine(ex.toString())
                    + (at.length > 0 ? " at " + at[0] : "") + (debug() ? "" : " (NETSENSOR_DEBUG=1 prints the stack trace)"));
            code = IO_FAILURE;
        }
        if (debug()) ex.printStackTrace(err);
        err.flush();
        return code;
    }

    private static boolean debug() {
        return "1".equals(System.getenv("NETSENSOR_DEBUG"));
    }

    /**
     * An I/O failure in words: the JDK's file exceptions carry only the path in their message
     * ("/x: /x"), and the reason in their type.
     */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String reason = f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason;
        }
        return oneLine(e.getMessage() != null ? e.getMessage() : e.toString());
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"netsensor " + io.netsensor.agent.ops.AgentVersion.get(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
