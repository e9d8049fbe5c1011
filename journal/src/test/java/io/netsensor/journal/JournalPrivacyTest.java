package io.netsensor.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A sensor must not phone home nor advertise: no Chronicle analytics, no announcer banner. */
class JournalPrivacyTest {
    /** Text of Chronicle's startup announcement (logged via SLF4J when not disabled). */
    private static final List<String> BANNER = List.of("InternalAnnouncer", "chronicle.software", "Leave your e-mail",
            "Running under", "Process id:");

    @TempDir
    Path tmp;

    @Test
    void analyticsIsNotOnTheClasspath() {
        assertThat(System.getProperty("java.class.path")).doesNotContain("chronicle-analytics");
        assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void openingAJournalLeavesNoAnalyticsFileAndPrintsNoBanner() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        String output = runChild(home, List.of());
        assertThat(output).contains("journal-ok 100");
        assertThat(BANNER).allSatisfy(text -> assertThat(output).doesNotContain(text));
        assertThat(filesUnder(home)).noneMatch(p -> p.getFileName().toString().startsWith(".chronicle.analytics"));
    }

    @Test
    void theBannerCheckWouldSeeTheAnnouncementIfItWereEnabled() throws Exception {
        // control: re-enabling the announcer (later -D wins) makes the banner appear in the same output
        Path home = Files.createDirectories(tmp.resolve("home2"));
        String output = runChild(home, List.of("-Dchronicle.announcer.disable=false"));
        assertThat(output).contains("journal-ok 100");
        assertThat(BANNER).anySatisfy(text -> assertThat(output).contains(text));
    }

    private String runChild(Path home, List<String> extra) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(extra);
        jvm.add("-Duser.home=" + home);
        Process p = ChildJvm.command(jvm, OpenQueueMain.class, tmp.resolve("q" + home.getFileName()).toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.collect(Collectors.toList());
        }
    }
}
