package io.netsensor.agent.cli;

/** A mistake the user can fix (bad argument, missing file): printed as one line, exit code 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
