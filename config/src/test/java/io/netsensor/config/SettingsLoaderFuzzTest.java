package io.netsensor.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.netsensor.testkit.fuzz.ScratchFile;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jazzer target for {@link SettingsLoader}: arbitrary bytes as the config file. Contract: the loader returns
 * valid settings or throws its own {@link ConfigException}, never another exception; the error is one line
 * naming the file (and, where it has one, a line and column inside the text) and a reason. Seeds:
 * {@code FuzzSeeds} (the config examples and mistakes of the tests); the seeds run in every build, fuzzing
 * with {@code JAZZER_FUZZ=1} (README, Fuzzing).
 */
class SettingsLoaderFuzzTest {
    private static final ScratchFile SCRATCH = ScratchFile.create(".yml");
    private static final Path FILE = SCRATCH.path();
    private static final Pattern WHERE = Pattern.compile(Pattern.quote(FILE.toString()) + "(?::(\\d+):(\\d+))?: (.+)");

    @FuzzTest
    void load(byte[] file) throws IOException {
        SCRATCH.write(file); // bytes, not text: a file need not be valid UTF-8
        String yaml = new String(file, StandardCharsets.UTF_8);
        Settings s;
        try {
            s = SettingsLoader.load(FILE);
        } catch (ConfigException e) {
            String msg = e.getMessage();
            assertThat(msg).as("one line").doesNotContain("\n").doesNotContain("\r");
            Matcher m = WHERE.matcher(msg);
            assertThat(m.matches()).as("file[:line:col]: reason, not %s", msg).isTrue();
            if (m.group(1) != null) {
                long lines = yaml.lines().count();
                assertThat(Long.parseLong(m.group(1))).as("line of %s", msg).isBetween(1L, lines + 1);
                assertThat(Long.parseLong(m.group(2))).as("column of %s", msg).isGreaterThanOrEqualTo(1L);
            }
            return;
        }
        assertThat(s).isNotNull();
        SettingsLoader.validated(s, "fuzz"); // what it returned is valid: checking it again passes
    }
}
