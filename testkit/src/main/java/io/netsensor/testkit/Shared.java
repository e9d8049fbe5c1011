package io.netsensor.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one lookup of the read-only third-party data directory beside the repository ({@code ../shared}:
 * corpus, real C2 captures, DGA lists, schemas). A test that needs it calls {@link #require}: absent, the
 * test is skipped with a message on a developer's machine, and fails in CI ({@code CI=true}), so a
 * missing corpus can never turn the suite green.
 */
public final class Shared {
    private Shared() {}

    /** $NETSENSOR_SHARED, else the first {@code shared} directory beside this directory or one of its parents. */
    public static Path dir() {
        String env = System.getenv("NETSENSOR_SHARED");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("corpus")) || Files.isDirectory(candidate.resolve("dga"))) return candidate;
        }
        return here.resolveSibling("shared");
    }

    /** The path of {@code relative} under the shared directory; skips (or, in CI, fails) the test when absent. */
    public static Path require(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.exists(p)) {
            String message = "shared data not found at " + p + " (set NETSENSOR_SHARED to the shared data directory)";
            if (inCi()) fail(message + ": CI must have it");
            assumeTrue(false, message + "; skipping");
        }
        return p;
    }

    /** The shared directory itself, once {@code relative} is known to exist under it (as {@link #require}). */
    public static Path dirWith(String relative) {
        require(relative);
        return dir();
    }

    /** Whether this run is CI's (CI=true, as GitHub Actions, GitLab and .ci/run set it). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
