package io.netsensor.agent.atomic;

/** The harness could not set up its test network or agent (not root, a tool missing, ip failing): exit 2. */
public final class AtomicSetupException extends RuntimeException {
    public AtomicSetupException(String message) {
        super(message);
    }
}
