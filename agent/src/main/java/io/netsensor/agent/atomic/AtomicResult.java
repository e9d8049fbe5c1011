package io.netsensor.agent.atomic;

import java.util.List;

/**
 * One test's outcome: the pid of its traffic process, the connection records that belong to it, the
 * best alert that fits it (detector, remote, attributed to that pid; highest severity), and the verdict.
 */
public record AtomicResult(AtomicTest test, long pid, List<Observed.Conn> connections, Observed.AlertSeen alert,
                           boolean passed, String reason) {}
