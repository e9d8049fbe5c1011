package io.netsensor.capture.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netsensor.events.DnsEvent;

/**
 * Jazzer target for {@link DnsMessageParser} (coverage-guided, next to {@link DnsMessageParserFuzzTest}'s
 * differential check against dnsjava). Contract: never throws; every outcome is one of the counted reasons,
 * and OK means the whole message was read; what reaches the event stays within its bounds (query name as
 * escaped printable ASCII, at most {@link DnsEvent#MAX_ANSWERS} answers). The input's first byte picks
 * NetBIOS name decoding, the rest is the message. Seeds: {@code FuzzSeeds}; the seeds run in every build,
 * fuzzing with {@code JAZZER_FUZZ=1} (README, Fuzzing).
 */
class DnsParserFuzzTest {
    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsEvent ev = new DnsEvent();

    @FuzzTest
    void parse(byte[] input) {
        if (input.length == 0) return;
        boolean netbios = (input[0] & 1) != 0;
        // the message at an offset inside a larger buffer, as it sits in a frame
        int r = parser.parse(input, 1, input.length - 1, ev, netbios);
        assertThat(r).isBetween(DnsMessageParser.OK, DnsMessageParser.REASON_COUNT - 1).isEqualTo(parser.status);
        assertThat(DnsMessageParser.reasonName(r)).isNotEqualTo("unknown");
        assertThat(parser.section).isBetween(DnsMessageParser.SECTION_HEADER, DnsMessageParser.SECTION_END);
        assertThat(r == DnsMessageParser.OK).as("OK exactly when the whole message was read")
                .isEqualTo(parser.section == DnsMessageParser.SECTION_END);
        assertThat(ev.qnameLen).isBetween(0, DnsEvent.MAX_NAME);
        for (int i = 0; i < ev.qnameLen; i++) {
            assertThat(ev.qname[i] & 0xFF).as("escaped query name byte %d", i).isBetween(0x20, 0x7e);
        }
        assertThat(ev.answerCount).isBetween(0, DnsEvent.MAX_ANSWERS);
        if (parser.usable()) ev.qnameString(); // what the tracker reports
    }
}
