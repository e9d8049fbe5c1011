package io.netsensor.capture.dns;

import io.netsensor.events.DnsEvent;
import io.netsensor.testkit.dns.DnsMessages;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential fuzz against dnsjava: random mutations of valid messages (fixed seed, bounded count). Our
 * parser must never throw, and whenever dnsjava reads a mutated message completely, our header, question
 * and answer count must agree with it.
 *
 * <p>Deliberate differences, excluded from the comparison: (1) we refuse a compression pointer that jumps
 * back into the label run being read (dnsjava only requires it to point before itself); such names are
 * loops or nonsense in practice. (2) We decode only answer rdata of a few types and skip authority and
 * additional rdata, so rdata dnsjava rejects may be fine for us; the reverse cannot happen for the types
 * we decode. (3) dnsjava accepts a partial message when the TC bit is set; only fully read messages count.
 */
class DnsMessageParserFuzzTest {
    private static final int ROUNDS = 30_000;

    @Test
    void mutatedMessagesNeverThrowAndAgreeWithDnsjava() {
        List<byte[]> corpus = DnsMessages.corpus();
        Random rnd = new Random(0x5EED);
        DnsMessageParser parser = new DnsMessageParser();
        DnsEvent ev = new DnsEvent();
        Map<String, Integer> outcomes = new TreeMap<>();
        int compared = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] wire = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            int r = parser.parse(wire, 0, wire.length, ev);
            outcomes.merge(DnsMessageParser.reasonName(r), 1, Integer::sum);
            Message m = dnsjavaFullParse(wire);
            if (m == null || r == DnsMessageParser.POINTER_LOOP) continue;
            compared++;
            assertThat(parser.usable()).as("round %d: dnsjava read it, we stopped with %s", round,
                    DnsMessageParser.reasonName(r)).isTrue();
            Record q = m.getQuestion();
            if (q != null) {
                assertThat(ev.qnameString()).as("round %d qname", round).isEqualTo(DnsjavaView.text(q.getName()));
                assertThat(ev.qtype).isEqualTo(q.getType());
            }
            if (r == DnsMessageParser.OK) {
                assertThat(ev.rcode).as("round %d rcode", round).isEqualTo(m.getRcode());
                assertThat(ev.answerCount).as("round %d answers", round)
                        .isEqualTo(Math.min(m.getSection(Section.ANSWER).size(), DnsEvent.MAX_ANSWERS));
            }
        }
        assertThat(compared).as("mutations dnsjava still reads, compared").isGreaterThan(ROUNDS / 10);
        assertThat(outcomes.keySet()).as("outcomes %s", outcomes).contains("ok", "truncated_record");
    }

    private static Message dnsjavaFullParse(byte[] wire) {
        try {
            Message m = new Message(wire);
            for (int s = 0; s < 4; s++) {
                if (m.getSection(s).size() != m.getHeader().getCount(s)) return null;
            }
            return m;
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }

    private static byte[] mutate(byte[] base, Random rnd) {
        byte[] b = base.clone();
        int kind = rnd.nextInt(5);
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int pos = rnd.nextInt(b.length);
            switch (kind) {
                case 0: b[pos] = (byte) rnd.nextInt(256); break;               // random byte
                case 1: b[pos] ^= (byte) (1 << rnd.nextInt(8)); break;          // bit flip
                case 2: b[pos] = (byte) (0xC0 | rnd.nextInt(4));               // plant a pointer
                        if (pos + 1 < b.length) b[pos + 1] = (byte) rnd.nextInt(b.length); break;
                case 3: if (pos >= 12) b[pos] = (byte) rnd.nextInt(64); break; // plausible label length
                default: b = java.util.Arrays.copyOf(b, Math.max(1, pos)); break; // truncate
            }
        }
        if (rnd.nextInt(4) == 0 && b.length > 11) b[7 - 2 * rnd.nextInt(2)] = (byte) rnd.nextInt(8); // counts
        return b;
    }
}
