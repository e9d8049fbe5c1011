package io.netsensor.config;

import java.util.List;

/**
 * Configuration problems, each one line with the file, line and column (or the environment variable) and
 * the reason, so the agent can fail fast and say where. A file is checked whole: {@link #problems()} lists
 * every problem found; the message is the first (and how many more).
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** @param problems one line each, at least one */
    public ConfigException(List<String> problems) {
        super(problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each, in the order of the file. */
    public List<String> problems() {
        return problems;
    }
}
