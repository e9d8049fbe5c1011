package io.netsensor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.DnsEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The primitive parts Rollups keys by give what the Strings and maps they replace gave. */
class RollupPartsTest {
    @Test
    void typeCountsKeepEveryTypePastTheirGrowth() {
        TypeCounts c = new TypeCounts();
        Map<String, Long> expected = new HashMap<>();
        for (int t = 0; t < 1000; t++) {
            int type = t * 65; // spread over the 16-bit range
            for (int k = 0; k <= t % 3; k++) c.add(type);
            expected.put(Integer.toString(type), (long) (t % 3 + 1));
        }
        assertThat(c.toMap()).isEqualTo(expected);
    }

    @Test
    void queryNamesPastTheirSlotsAreMadeAgainTheSame() {
        QueryNames names = new QueryNames();
        DnsEvent e = new DnsEvent();
        e.setQname("WWW.Bad.Co.UK");
        QueryNames.Name first = names.of(e);
        assertThat(first.text).isEqualTo("www.bad.co.uk");
        assertThat(first.domain).isEqualTo("bad.co.uk");
        assertThat(names.of(e)).as("found again by its bytes, not made again").isSameAs(first);
        for (int i = 0; i < 4 * QueryNames.SLOTS; i++) { // every slot taken over, most more than once
            e.setQname("n" + i + ".example.com");
            assertThat(names.of(e).domain).isEqualTo("example.com");
        }
        e.setQname("www.bad.co.uk.");
        assertThat(names.of(e).text).as("a trailing dot is part of the name's text").isEqualTo("www.bad.co.uk.");
        assertThat(names.of(e).domain).isEqualTo("bad.co.uk");
        e.setQname("");
        assertThat(names.of(e).domain).isEqualTo(".");
        e.setQname("www.bad.co.uk");
        assertThat(names.of(e).text).isEqualTo(first.text);
        assertThat(names.of(e).domain).isEqualTo(first.domain);
    }
}
