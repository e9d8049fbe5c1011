package io.netsensor.agent.atomic;

import io.netsensor.events.Severity;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * One atomic test: real traffic from a real process in the victim namespace, and the alert the agent
 * must raise for it. A test is small on purpose: what it is (name, description, ATT&amp;CK technique, the
 * seed's expected signal), what it needs on the "internet" side (servers), the process that makes the
 * traffic, and the expected detector and minimum severity. The alert must be attributed to exactly that
 * process (its pid), which is what proves process attribution end to end. New tests are added to
 * {@link AtomicTests#all()}.
 */
public abstract class AtomicTest {
    public final String name;
    /** The seed's atomic test number (../shared/seed/T1583.005-botnet-logscale.txt), 0 when not from the seed. */
    public final int seedTest;
    public final String technique;
    public final String description;
    /** What should be seen, in the seed's words adapted to this network. */
    public final String expectedSignal;
    /** The detector that must alert (its label, as rule.id). */
    public final String detector;
    public final Severity minSeverity;
    /** The tool that makes the traffic, for people (the check is on its pid). */
    public final String tool;

    protected AtomicTest(String name, int seedTest, String technique, String description, String expectedSignal,
                         String detector, Severity minSeverity, String tool) {
        this.name = name;
        this.seedTest = seedTest;
        this.technique = technique;
        this.description = description;
        this.expectedSignal = expectedSignal;
        this.detector = detector;
        this.minSeverity = minSeverity;
        this.tool = tool;
    }

    /** Starts what the internet side needs (listeners) and waits until it is ready; before the agent sees traffic. */
    public abstract void prepare(AtomicNet net) throws IOException, InterruptedException;

    /** Starts the traffic; returns the process whose connections the alert must be attributed to. */
    public abstract Process start(AtomicNet net) throws IOException, InterruptedException;

    /** The traffic script or command line, as the report shows it. */
    public abstract String command();

    /** How long the traffic takes from start; the alert is awaited until this plus a grace period. */
    public abstract Duration trafficTime();

    /** Whether a connection record belongs to this test's traffic. */
    public abstract boolean observes(Observed.Conn c);

    /** Whether an alert is this test's (beyond the detector and pid, which the harness checks): e.g. its remote. */
    public boolean fits(Observed.AlertSeen a) {
        return true;
    }

    /**
     * The pids whose alerts count as this test's, asked once the traffic process has ended: that process
     * alone, unless the test makes each check-in from a new process it starts (then those processes').
     */
    public Set<Long> trafficPids(Process traffic) throws IOException {
        return Set.of(traffic.pid());
    }
}
