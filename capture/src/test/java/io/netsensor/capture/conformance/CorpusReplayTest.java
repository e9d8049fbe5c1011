package io.netsensor.capture.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every corpus capture goes through the whole pipeline (decode, connections, DNS) without an error. */
class CorpusReplayTest {
    @TestFactory
    Stream<DynamicTest> everyCaptureReplays() throws Exception {
        Path root = Corpus.requireRoot();
        return Corpus.captures().stream().map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> {
            Replay r = ZeekConformanceTest.replay(p);
            assertThat(r.frames).as("frames").isPositive();
            assertThat(r.sourceErrors).as("capture file errors").isZero();
            System.out.println("REPLAY " + root.relativize(p) + ": " + r.frames + " frames, " + r.conns.size()
                    + " conns, " + r.dns.size() + " dns");
        }));
    }
}
