package io.netsensor.agent.cli;

import io.netsensor.agent.atomic.AtomicReport;
import io.netsensor.agent.atomic.AtomicRun;
import io.netsensor.agent.atomic.AtomicSetupException;
import io.netsensor.agent.atomic.AtomicTest;
import io.netsensor.agent.atomic.AtomicTests;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `netsensor atomic`: proves the detectors fire on real traffic, the seed's atomic tests and the detection-depth
 * ones (in-connection beacon, DNS tunnel, a new process per check-in) in a private test network.
 */
@Command(name = "atomic", mixinStandardHelpOptions = true,
        header = "Run atomic detection tests: real traffic in test namespaces, the real agent capturing live.",
        description = {"Creates two network namespaces joined by a veth pair (a victim host and a fake internet holding",
                "the seed's addresses, 203.0.113.0/24 and 8.8.8.8; no route out), runs the agent in the victim namespace",
                "under the short-window profile, and makes each test's traffic from a real process (bash, perl, nc): the seed's",
                "four (beacon, relay, IRC port, spreader), check-ins inside one connection, a DNS tunnel, and a beacon",
                "made by a new process per check-in.",
                "Each test passes when its detector alerts at its severity, attributed to that process.",
                "Needs root. Exit 0 when every test passes, 1 when one fails, 2 on a usage or setup error."})
public final class AtomicCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TEST", arity = "0..*", description = "Tests to run (default: all; see --list).")
    List<String> names;

    @Option(names = "--list", description = "List the tests and exit.")
    boolean list;

    @Option(names = "--json", description = "Print the report as one JSON document (schema netsensor.atomic/1, see README).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<AtomicTest> tests;
        try {
            tests = names == null || names.isEmpty() ? AtomicTests.all() : AtomicTests.named(names);
        } catch (IllegalArgumentException e) {
            throw new UserError("atomic: " + e.getMessage());
        }
        if (list) {
            System.out.print(AtomicReport.list(tests));
            return 0;
        }
        AtomicRun.Outcome outcome;
        try {
            outcome = AtomicRun.run(tests, System.err);
        } catch (AtomicSetupException e) {
            throw new UserError("atomic: " + e.getMessage());
        }
        System.out.print(json ? AtomicReport.json(outcome) + "\n" : AtomicReport.text(outcome));
        System.out.flush();
        return outcome.passed() ? 0 : 1;
    }
}
