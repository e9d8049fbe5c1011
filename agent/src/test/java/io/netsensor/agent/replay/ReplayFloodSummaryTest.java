package io.netsensor.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.testkit.pcap.Floods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flood larger than the tables: the summary says how much state was evicted to stay within the caps. */
class ReplayFloodSummaryTest {
    private static final Pattern FLOWS = Pattern.compile("connection records \\((\\d+) flows\\)");
    private static final Pattern DNS = Pattern.compile("dns: (\\d+) queries");

    @TempDir
    Path dir;

    @Test
    void evictionsAreShownInTheSummary() throws Exception {
        Path pcap = Floods.write(Floods.Kind.DNS_ONE, dir.resolve("dns.pcap"), 3_000);
        Path cfg = Files.writeString(dir.resolve("small.yml"), "conntrack:\n  max_flows: 1024\ndns:\n  max_pending: 256\n");

        Replayed r = Replayed.run("replay", "--no-detect", "-c", cfg.toString(), pcap.toString()).assertSucceeded();

        long flows = group(FLOWS, r.stderr()), queries = group(DNS, r.stderr());
        assertThat(flows).isGreaterThan(2_000);
        assertThat(queries).isEqualTo(3_000);
        // within the flood's 30 ms nothing ends by itself: all but the tables' capacity was pushed out
        // (RobustnessCounts: only non-zero counts are named)
        assertThat(r.stderr()).contains(String.format("  evicted (tables full): %d connections, %d dns queries%n",
                flows - 1024, queries - 256));
    }

    private static long group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in%n%s", p, text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
