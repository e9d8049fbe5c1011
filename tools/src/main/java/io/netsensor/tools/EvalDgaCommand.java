package io.netsensor.tools;

import io.netsensor.detectors.dga.EvalDga;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates the bundled DGA model on the labelled lists in shared/dga (see tools/DGA.md). Lives in the tools
 * jar with the training code, outside the agent's runtime jar; {@code ./netsensor eval-dga} runs it.
 */
@Command(name = "eval-dga", mixinStandardHelpOptions = true,
        description = {"Evaluate the DGA lexical model: per-family detection at 0.1 %% and 1 %% false positives on",
                "benign lists not used for training, and AUC, from the labelled lists in SHARED/dga."})
public final class EvalDgaCommand implements Callable<Integer> {
    @Option(names = "--shared", paramLabel = "DIR",
            description = "The shared data directory holding dga/ (default: $NETSENSOR_SHARED, else ../shared).")
    Path shared;

    @Option(names = "--model", paramLabel = "FILE", description = "A model file to evaluate instead of the bundled one.")
    Path model;

    @Override
    public Integer call() throws Exception {
        Path dir = shared != null ? shared
                : System.getenv("NETSENSOR_SHARED") != null ? Path.of(System.getenv("NETSENSOR_SHARED")) : Path.of("../shared");
        if (!Files.isDirectory(dir.resolve("dga"))) {
            System.err.println("netsensor eval-dga: " + dir.toAbsolutePath() + ": no dga/ directory here; pass --shared DIR");
            return 2;
        }
        EvalDga.main(model == null ? new String[] {dir.toString()} : new String[] {dir.toString(), model.toString()});
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvalDgaCommand()).execute(args));
    }
}
