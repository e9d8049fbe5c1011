package io.netsensor.capture.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.DnsEvent;
import io.netsensor.format.DnsAnswerText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Every answer of every corpus capture whose text format writes in dnsjava's presentation form (types
 * without a Zeek summary) reads exactly as dnsjava 3.6.3 wrote it, which the output used before format
 * dropped dnsjava; format's DnsPresentationTest covers generated and mutated records of every type.
 */
class CorpusAnswerTextTest {
    /** Types DnsAnswerText writes as Zeek's summaries (and addresses and names, parsed to their own encodings). */
    private static final int[] ZEEK_SUMMARIES = {6, 11, 16, 29, 33, 35, 43, 44, 46, 47, 48, 50, 51, 99, 65534};

    @Test
    void everyPresentationAnswerInTheCorpusReadsAsDnsjavaWroteIt() throws Exception {
        Path root = Corpus.requireRoot();
        Map<String, Integer> byType = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Path p : Corpus.captures()) {
            for (DnsEvent e : ZeekConformanceTest.replay(p).dns) {
                for (int i = 0; i < e.answerCount; i++) {
                    if (e.answerEncoding[i] != DnsEvent.RDATA_RAW || isZeekSummary(e.answerType[i])) continue;
                    byte[] rdata = java.util.Arrays.copyOfRange(e.answerData, e.answerOffset[i], e.answerOffset[i] + e.answerLength[i]);
                    String want = dnsjava(e.answerType[i], e.answerClass[i], e.answerTtl[i], rdata);
                    String got = DnsAnswerText.render(e, i);
                    byType.merge(Type.string(e.answerType[i]), 1, Integer::sum);
                    if (!got.equals(want)) wrong.add(root.relativize(p) + ": " + want + " but " + got);
                }
            }
        }
        System.out.println("corpus answers in presentation form, by type: " + byType);
        assertThat(wrong).isEmpty();
        assertThat(byType).as("the corpus has such answers").isNotEmpty();
    }

    /** The text written with dnsjava: its presentation form, or the RFC 3597 form where it rejected the rdata. */
    private static String dnsjava(int type, int dclass, long ttl, byte[] rdata) {
        try {
            return Type.string(type) + " " + Record.newRecord(Name.root, type, dclass, ttl, rdata.length, rdata).rdataToString();
        } catch (RuntimeException rejected) {
            StringBuilder sb = new StringBuilder(Type.string(type)).append(" \\# ").append(rdata.length);
            if (rdata.length > 0) sb.append(' ');
            for (byte b : rdata) sb.append(String.format("%02x", b & 0xFF));
            return sb.toString();
        }
    }

    private static boolean isZeekSummary(int type) {
        for (int t : ZEEK_SUMMARIES) if (t == type) return true;
        return false;
    }
}
