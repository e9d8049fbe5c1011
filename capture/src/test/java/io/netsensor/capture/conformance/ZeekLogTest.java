package io.netsensor.capture.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZeekLogTest {
    private static final List<String> LOG = List.of(
            "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
            "#fields\tts\tquery\trcode\tanswers\tTTLs",
            "#types\ttime\tstring\tcount\tvector[string]\tvector[interval]",
            "XXXXXXXXXX.XXXXXX\ta\\x09b\\\\c.example\t-\tTXT 3 x\\x2cy,10.0.0.1\t60.000000,5.000000",
            "XXXXXXXXXX.XXXXXX\tq.example\t0\t(empty)\t-");

    @Test
    void readsFieldsUnsetEmptySetsAndEscapes() {
        ZeekLog log = ZeekLog.parse(LOG);
        assertThat(log.fields).containsExactly("ts", "query", "rcode", "answers", "TTLs");
        Map<String, String> r = log.rows.get(0);
        assertThat(ZeekLog.scalar(r, "query")).isEqualTo("a\tb\\c.example");
        assertThat(ZeekLog.scalar(r, "rcode")).isNull();
        assertThat(ZeekLog.list(r, "answers")).containsExactly("TXT 3 x,y", "10.0.0.1");
        assertThat(ZeekLog.list(log.rows.get(1), "answers")).isEmpty();
        assertThat(ZeekLog.list(log.rows.get(1), "TTLs")).isEmpty();
    }

    @Test
    void zeekCutOutputUsesItsFirstLineAsHeader() {
        ZeekLog log = ZeekLog.parse(List.of("### btest banner", "uid\tquery", "C1\twww.bbc.com"));
        assertThat(ZeekLog.scalar(log.rows.get(0), "query")).isEqualTo("www.bbc.com");
    }

    @Test
    void rowsWithTheWrongColumnCountAreRejected() {
        assertThatThrownBy(() -> ZeekLog.parse(List.of("#fields\ta\tb", "1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
