package io.netsensor.capture.dns;
import io.netsensor.format.DnsAnswerText;

import io.netsensor.events.DnsEvent;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.SSHFPRecord;
import org.xbill.DNS.Type;

import java.time.Instant;

import static io.netsensor.testkit.dns.DnsMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Rendering of stored rdata in the forms seen in Zeek's dns.log baselines. */
class DnsAnswerTextTest {
    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsEvent ev = new DnsEvent();

    private String renderOnly(Record r) {
        byte[] wire = response(1, r.getName().toString(), r.getType(), r).toWire();
        assertThat(parser.parse(wire, 0, wire.length, ev)).isEqualTo(DnsMessageParser.OK);
        return DnsAnswerText.render(ev, 0);
    }

    @Test
    void dnssecAndSshfpSummariesFollowZeek() {
        byte[] fp = {(byte) 0xa6, (byte) 0xb9, 0x5f, (byte) 0x9e};
        assertThat(renderOnly(new SSHFPRecord(name("mon.lbl.gov"), DClass.IN, 60, 1, 1, fp))).isEqualTo("SSHFP: a6b95f9e");
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertThat(renderOnly(new RRSIGRecord(name("www.cmu.edu"), DClass.IN, 5, Type.CNAME, 5, 86400,
                now.plusSeconds(86400), now, 1234, name("cmu.edu"), new byte[] {1, 2, 3}))).isEqualTo("RRSIG 5 cmu.edu");
        assertThat(renderOnly(new DSRecord(name("upenn.edu"), DClass.IN, 5, 4711, 5, 2, new byte[32]))).isEqualTo("DS 5 2");
    }

    @Test
    void typesWithoutZeekSummaryUseDnsjavaPresentation() {
        String text = renderOnly(new HINFORecord(name("h.example"), DClass.IN, 60, "x86", "Linux"));
        assertThat(text).isEqualTo("HINFO \"x86\" \"Linux\"");
        assertThat(DnsAnswerText.loggedByZeek(Type.HINFO)).isFalse();
        assertThat(DnsAnswerText.loggedByZeek(Type.TXT)).isTrue();
    }

    @Test
    void namesInAnswersAreLowerCasedAsInZeekButTextKeepsItsCase() {
        // Zeek's duplicate-responses baseline prints the server's WWW-CMU.ANDREW.cmu.edu as www-cmu.andrew.cmu.edu
        assertThat(renderOnly(cname("www.cmu.edu", "WWW-CMU.ANDREW.cmu.edu"))).isEqualTo("www-cmu.andrew.cmu.edu");
        assertThat(renderOnly(mx("cmu.edu", 10, "MX.CMU.edu"))).isEqualTo("mx.cmu.edu");
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertThat(renderOnly(new RRSIGRecord(name("x.CMU.edu"), DClass.IN, 5, Type.A, 5, 86400,
                now.plusSeconds(86400), now, 1234, name("CMU.edu"), new byte[] {1, 2, 3}))).isEqualTo("RRSIG 1 cmu.edu");
        assertThat(renderOnly(txt("t.example", "MiXed"))).isEqualTo("TXT 5 MiXed");
    }

    @Test
    void wksAnswersAreNotInZeeksLog() {
        // scripts.base.protocols.dns.wks baseline: a NOERROR response with two WKS records logs no answers
        assertThat(DnsAnswerText.loggedByZeek(Type.WKS)).isFalse();
        assertThat(DnsAnswerText.loggedByZeek(Type.A)).isTrue();
    }

    @Test
    void txtWithNonPrintableBytesIsEscaped() {
        assertThat(renderOnly(txt("t.example", "a\tb\\\\c"))) // dnsjava unescapes \\ to one backslash
               .isEqualTo("TXT 5 a\\x09b\\\\c");
    }

    @Test
    void malformedRawRdataFallsBackToGenericForm() {
        ev.clear();
        ev.addAnswer(Type.DNSKEY, 1, 60, DnsEvent.RDATA_RAW, new byte[] {1, 2}, 0, 2);
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("DNSKEY \\# 2 0102");
    }
}
