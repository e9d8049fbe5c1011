package io.netsensor.agent.atomic;

import java.util.List;
import java.util.Set;

/**
 * One test's outcome: the pid of its traffic process and every pid whose alerts count as the test's (the
 * traffic process, and the check-in processes it started when each check-in is a new process), the
 * connection records that belong to it and the bursts and DNS transactions seen inside them, the best
 * alert that fits it (detector, remote, attributed to one of those pids; highest severity), and the verdict.
 */
public record AtomicResult(AtomicTest test, long pid, Set<Long> pids, List<Observed.Conn> connections,
                           List<Observed.Conn> bursts, List<Observed.Conn> dnsQueries, Observed.AlertSeen alert,
                           boolean passed, String reason) {}
