package io.netsensor.agent.cli;

import io.netsensor.capture.source.PcapHandleSource;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `netsensor interfaces` (and `run -D`): what libpcap can capture on, numbered as tcpdump -D numbers them. */
@Command(name = "interfaces", mixinStandardHelpOptions = true,
        header = "List the interfaces libpcap can capture on (as tcpdump -D).",
        description = {"List the interfaces libpcap can capture on, with their flags and addresses (as tcpdump -D).",
                "Pass a name to run --interface; 'any' captures on all of them (Linux cooked link type)."})
final class InterfacesCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        return print(System.out);
    }

    static int print(PrintStream out) throws IOException {
        List<String> lines = PcapHandleSource.interfaces();
        if (lines.isEmpty()) {
            System.err.println("netsensor: libpcap lists no interfaces (listing some needs root or CAP_NET_RAW)");
            return 1;
        }
        lines.forEach(out::println);
        out.flush();
        return 0;
    }
}
