package io.netsensor.capture.dns;
import io.netsensor.format.DnsAnswerText;

import io.netsensor.events.DnsEvent;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.netsensor.capture.dns.DnsMessageParser.*;
import static io.netsensor.testkit.dns.DnsMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

class DnsMessageParserTest {
    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsEvent ev = new DnsEvent();

    @Test
    void everyCorpusMessageMatchesDnsjavasView() throws Exception {
        for (byte[] wire : corpus()) {
            assertThat(parser.parse(wire, 0, wire.length, ev)).as("status").isEqualTo(OK);
            DnsjavaView.assertSame(new Message(wire), parser, ev);
        }
    }

    @Test
    void cnameChainWithMixedCaseKeepsCaseAndDecompressesNames() throws Exception {
        byte[] wire = response(2, "WwW.ExAmple.COM", Type.A, cname("WwW.ExAmple.COM", "edge.example.net"),
                cname("edge.example.net", "e1.cdn.example.net"), a("e1.cdn.example.net", "192.0.2.7")).toWire();
        assertThat(containsPointer(wire)).as("dnsjava compressed the owner names").isTrue();
        parser.parse(wire, 0, wire.length, ev);
        assertThat(ev.qnameString()).isEqualTo("WwW.ExAmple.COM");
        assertThat(ev.answerCount).isEqualTo(3);
        assertThat(ev.answerEncoding[0]).isEqualTo(DnsEvent.RDATA_NAME);
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("edge.example.net");
        assertThat(DnsAnswerText.render(ev, 1)).isEqualTo("e1.cdn.example.net");
        assertThat(DnsAnswerText.render(ev, 2)).isEqualTo("192.0.2.7");
        assertThat(ev.answerTtl).startsWith(3600L, 3600L, 300L);
    }

    @Test
    void responseWithoutQuestionTakesTheFirstAnswersOwnerAsQuery() {
        // mDNS announcements carry no question; Zeek logs the first answer's owner name as the query
        Message m = new Message(0);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(a("Host-A.local", "192.168.0.2"), Section.ANSWER);
        byte[] wire = m.toWire();
        assertThat(parser.parse(wire, 0, wire.length, ev)).isEqualTo(OK);
        assertThat(parser.qdcount).isZero();
        assertThat(ev.qnameString()).isEqualTo("Host-A.local");
        assertThat(ev.qtype).isZero();
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("192.168.0.2");

        byte[] query = new Message(0).toWire(); // neither question nor answer: no name to log
        assertThat(parser.parse(query, 0, query.length, ev)).isEqualTo(OK);
        assertThat(ev.qnameLen).isZero();
    }

    @Test
    void mxTxtAaaaAndSoaRenderLikeZeek() {
        byte[] mxWire = response(3, "example.com", Type.MX, mx("example.com", 10, "mail.example.com")).toWire();
        parser.parse(mxWire, 0, mxWire.length, ev);
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("mail.example.com");
        assertThat(DnsAnswerText.mxPreference(ev, 0)).isEqualTo(10);

        byte[] txtWire = response(4, "t.example.com", Type.TXT, txt("t.example.com", "v=spf1 -all", "two")).toWire();
        parser.parse(txtWire, 0, txtWire.length, ev);
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("TXT 11 v=spf1 -all TXT 3 two");

        byte[] v6 = response(5, "v6.example.com", Type.AAAA, aaaa("v6.example.com", "2001:db8::53")).toWire();
        parser.parse(v6, 0, v6.length, ev);
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("2001:db8::53");

        byte[] soaWire = response(6, "example.org", Type.SOA, soa("example.org")).toWire();
        parser.parse(soaWire, 0, soaWire.length, ev);
        assertThat(DnsAnswerText.render(ev, 0)).isEqualTo("ns1.example.org");
    }

    @Test
    void compressedSoaIsStoredAsSelfContainedRdata() throws Exception {
        SOARecord soa = (SOARecord) soa("example.org");
        byte[] wire = response(6, "example.org", Type.SOA, soa).toWire();
        parser.parse(wire, 0, wire.length, ev);
        byte[] rdata = Arrays.copyOfRange(ev.answerData, ev.answerOffset[0], ev.answerOffset[0] + ev.answerLength[0]);
        Record back = Record.newRecord(Name.root, Type.SOA, DClass.IN, 0, rdata);
        assertThat(back.rdataToString()).isEqualTo(soa.rdataToString());
    }

    @Test
    void nxdomainWithSoaInAuthorityHasNoAnswers() {
        byte[] wire = corpus().get(6);
        assertThat(parser.parse(wire, 0, wire.length, ev)).isEqualTo(OK);
        assertThat(ev.rcode).isEqualTo(3);
        assertThat(ev.answerCount).isZero();
        assertThat(ev.nscount).isEqualTo(1);
    }

    @Test
    void ednsExtendsTheRcodeWithTheOptUpperBits() {
        byte[] wire = corpus().get(7);
        parser.parse(wire, 0, wire.length, ev);
        assertThat(parser.hasOpt).isTrue();
        assertThat(parser.headerRcode).isZero();
        assertThat(ev.rcode).isEqualTo(16);
    }

    @Test
    void headerFlagsAndOpcodeAreDecoded() {
        Message m = response(9, "example.com", Type.A);
        m.getHeader().setFlag(Flags.AA);
        m.getHeader().setFlag(Flags.TC);
        m.getHeader().setFlag(Flags.AD);
        m.getHeader().setFlag(Flags.CD);
        m.getHeader().setOpcode(4);
        byte[] wire = m.toWire();
        parser.parse(wire, 0, wire.length, ev);
        assertThat(parser.response).isTrue();
        assertThat(ev.opcode).isEqualTo(4);
        assertThat(ev.flags).isEqualTo(DnsEvent.FLAG_AA | DnsEvent.FLAG_TC | DnsEvent.FLAG_RD | DnsEvent.FLAG_RA
                | DnsEvent.FLAG_AD | DnsEvent.FLAG_CD);
        assertThat(ev.transId).isEqualTo(9);
    }

    @Test
    void nonPrintableLabelBytesAreEscapedAsZeekDoes() {
        byte[] label = {'J', (byte) 0xE4, 'g', 0, '\\', ' ', '.', 'x'};
        byte[] wire = message(new byte[][] {label, "pirate".getBytes(), "sea".getBytes()});
        assertThat(parser.parse(wire, 0, wire.length, ev)).isEqualTo(OK);
        assertThat(ev.qnameString()).isEqualTo("J\\xe4g\\x00\\\\ .x.pirate.sea");
    }

    @Test
    void netbiosNamesAreDecodedOnlyWhenAsked() {
        byte[] wire = message(new byte[][] {netbiosEncode("BRWC0CB383D1F42", 0x00)});
        parser.parse(wire, 0, wire.length, ev, true);
        assertThat(ev.qnameString()).isEqualTo("BRWC0CB383D1F42");
        byte[] group = message(new byte[][] {netbiosEncode("WORKGROUP", 0x1e)});
        parser.parse(group, 0, group.length, ev, true);
        assertThat(ev.qnameString()).isEqualTo("WORKGROUP");
        parser.parse(group, 0, group.length, ev, false);
        assertThat(ev.qnameString()).hasSize(32);
    }

    // --- hostile input

    @Test
    void pointerToItselfIsAForwardPointer() {
        assertThat(parseQuestion(0xC0, 12)).isEqualTo(FORWARD_POINTER);
    }

    @Test
    void pointerBackIntoTheNameBeingReadIsALoop() {
        // "a" then a pointer back to the "a": backwards, but it would repeat forever
        assertThat(parseQuestion(1, 'a', 0xC0, 12)).isEqualTo(POINTER_LOOP);
    }

    @Test
    void twoNamesPointingAtEachOtherAreRejected() {
        // answer owner at 19 points to 21, which points back to 19: any cycle needs a forward step
        byte[] wire = withHeader(1, 1, 0, 1, 'a', 0, 0, 1, 0, 1, 0xC0, 21, 0xC0, 19);
        assertThat(parser.parse(wire, 0, wire.length, ev)).isEqualTo(FORWARD_POINTER);
        assertThat(parser.section).isEqualTo(SECTION_ANSWER);
        assertThat(parser.usable()).isTrue();
        assertThat(ev.qnameString()).isEqualTo("a");
    }

    @Test
    void forwardAndOutOfRangePointersAreRejected() {
        assertThat(parseQuestion(0xC0, 20, 0, 0, 1, 0, 1, 1, 'a', 0)).isEqualTo(FORWARD_POINTER);
        assertThat(parseQuestion(0xFF, 0xFF)).isEqualTo(POINTER_OUT_OF_RANGE);
    }

    @Test
    void labelLongerThanTheBufferIsTruncated() {
        assertThat(parseQuestion(63, 'a', 'b', 'c')).isEqualTo(TRUNCATED_NAME);
    }

    @Test
    void reservedLabelTypesAreRejected() {
        assertThat(parseQuestion(0x40, 'a', 0)).isEqualTo(RESERVED_LABEL_TYPE);
        assertThat(parseQuestion(0x80, 'a', 0)).isEqualTo(RESERVED_LABEL_TYPE);
    }

    @Test
    void namesAreLimitedTo255OctetsOnTheWire() throws Exception {
        byte[] ok = message(labelsOfTotalWireLength(255));
        assertThat(parser.parse(ok, 0, ok.length, ev)).isEqualTo(OK);
        assertThat(new Message(ok).getQuestion().getName().length()).isEqualTo((short) 255);
        byte[] tooLong = message(labelsOfTotalWireLength(256));
        assertThat(parser.parse(tooLong, 0, tooLong.length, ev)).isEqualTo(NAME_TOO_LONG);
        assertThat(parser.usable()).isFalse();
    }

    @Test
    void truncationAtEveryByteIsReportedNeverThrown() {
        byte[] wire = response(2, "WwW.ExAmple.COM", Type.A, cname("WwW.ExAmple.COM", "edge.example.net"),
                mx("WwW.ExAmple.COM", 5, "mx.example.net"), a("edge.example.net", "192.0.2.7")).toWire();
        Map<String, Integer> reasons = new TreeMap<>();
        for (int n = 0; n < wire.length; n++) {
            int r = parser.parse(wire, 0, n, ev);
            assertThat(r).as("prefix of %d bytes", n).isNotEqualTo(OK);
            assertThat(ev.answerCount).isLessThan(3);
            reasons.merge(reasonName(r), 1, Integer::sum);
        }
        assertThat(reasons).containsOnlyKeys("short_header", "truncated_name", "truncated_question", "truncated_record");
        assertThat(reasons.get("short_header")).isEqualTo(12);
    }

    @Test
    void bufferWindowIsRespected() {
        byte[] wire = corpus().get(1);
        byte[] framed = new byte[wire.length + 20];
        Arrays.fill(framed, (byte) 0xC0);
        System.arraycopy(wire, 0, framed, 7, wire.length);
        assertThat(parser.parse(framed, 7, wire.length, ev)).isEqualTo(OK);
        assertThat(ev.answerCount).isEqualTo(4);
        assertThat(parser.parse(framed, framed.length - 5, 10, ev)).isEqualTo(SHORT_HEADER);
    }

    // --- helpers

    private int parseQuestion(int... nameBytes) {
        byte[] wire = withHeader(1, 0, 0, nameBytes);
        return parser.parse(wire, 0, wire.length, ev);
    }

    /** Header with the given qd/an/ns counts, then raw bytes. */
    static byte[] withHeader(int qd, int an, int ns, int... body) {
        byte[] b = new byte[12 + body.length];
        b[0] = 0x12;
        b[1] = 0x34;
        b[2] = (byte) 0x81;
        b[5] = (byte) qd;
        b[7] = (byte) an;
        b[9] = (byte) ns;
        for (int i = 0; i < body.length; i++) b[12 + i] = (byte) body[i];
        return b;
    }

    /** A query whose name has exactly these raw labels, type A class IN. */
    static byte[] message(byte[][] labels) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (byte[] l : labels) {
            o.write(l.length);
            o.writeBytes(l);
        }
        o.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return o.toByteArray();
    }

    private static byte[][] labelsOfTotalWireLength(int total) {
        int left = total - 1; // root
        List<byte[]> labels = new java.util.ArrayList<>();
        while (left > 0) {
            int len = Math.min(63, left - 1);
            byte[] l = new byte[len];
            Arrays.fill(l, (byte) 'a');
            labels.add(l);
            left -= len + 1;
        }
        return labels.toArray(new byte[0][]);
    }

    static byte[] netbiosEncode(String name, int suffix) {
        byte[] raw = new byte[16];
        Arrays.fill(raw, (byte) ' ');
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, raw, 0, n.length);
        raw[15] = (byte) suffix;
        byte[] enc = new byte[32];
        for (int i = 0; i < 16; i++) {
            enc[2 * i] = (byte) ('A' + ((raw[i] >> 4) & 0xF));
            enc[2 * i + 1] = (byte) ('A' + (raw[i] & 0xF));
        }
        return enc;
    }

    private static boolean containsPointer(byte[] wire) {
        for (int i = 12; i < wire.length - 1; i++) {
            if ((wire[i] & 0xC0) == 0xC0 && (wire[i + 1] & 0xFF) == 12) return true;
        }
        return false;
    }
}
