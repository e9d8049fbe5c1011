package io.netsensor.config;

/** A configuration problem, with the file, line and reason, so the agent can fail fast and say where. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
