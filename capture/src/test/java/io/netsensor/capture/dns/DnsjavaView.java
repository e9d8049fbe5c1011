package io.netsensor.capture.dns;
import io.netsensor.format.DnsAnswerText;

import io.netsensor.events.DnsEvent;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares what our parser read with dnsjava's reading of the same bytes. */
final class DnsjavaView {
    private DnsjavaView() {}

    /** A dnsjava name in our text form (Zeek escaping of the raw label bytes). */
    static String text(Name n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n.labels(); i++) {
            byte[] l = n.getLabel(i);
            if (l.length <= 1) continue; // the root label
            if (sb.length() > 0) sb.append('.');
            byte[] out = new byte[l.length * 4];
            int len = DnsMessageParser.escape(l, 1, l.length - 1, out, 0);
            sb.append(new String(out, 0, len, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    static void assertSame(Message m, DnsMessageParser p, DnsEvent ev) {
        assertThat(ev.transId).isEqualTo(m.getHeader().getID());
        assertThat(p.response).isEqualTo(m.getHeader().getFlag(Flags.QR));
        assertThat(ev.opcode).isEqualTo(m.getHeader().getOpcode());
        assertThat(ev.rcode).isEqualTo(m.getRcode());
        assertThat((ev.flags & DnsEvent.FLAG_RD) != 0).isEqualTo(m.getHeader().getFlag(Flags.RD));
        assertThat((ev.flags & DnsEvent.FLAG_RA) != 0).isEqualTo(m.getHeader().getFlag(Flags.RA));
        assertThat((ev.flags & DnsEvent.FLAG_AA) != 0).isEqualTo(m.getHeader().getFlag(Flags.AA));
        assertThat(ev.ancount).isEqualTo(m.getHeader().getCount(Section.ANSWER));
        assertThat(ev.nscount).isEqualTo(m.getHeader().getCount(Section.AUTHORITY));
        Record q = m.getQuestion();
        if (q != null) {
            assertThat(ev.qnameString()).isEqualTo(text(q.getName()));
            assertThat(ev.qtype).isEqualTo(q.getType());
            assertThat(ev.qclass).isEqualTo(q.getDClass());
        }
        List<Record> answers = m.getSection(Section.ANSWER);
        assertThat(ev.answerCount).isEqualTo(Math.min(answers.size(), DnsEvent.MAX_ANSWERS));
        for (int i = 0; i < ev.answerCount; i++) {
            Record r = answers.get(i);
            assertThat(ev.answerType[i]).isEqualTo(r.getType());
            assertThat(ev.answerClass[i]).isEqualTo(r.getDClass());
            assertThat(ev.answerTtl[i]).isEqualTo(r.getTTL());
            assertThat(DnsAnswerText.render(ev, i)).as("answer %d", i).isEqualTo(expectedText(r));
        }
    }

    private static String expectedText(Record r) {
        if (r instanceof ARecord) return ((ARecord) r).getAddress().getHostAddress();
        if (r instanceof AAAARecord) return io.netsensor.events.Ip.toString(
                io.netsensor.events.Ip.readLong(((AAAARecord) r).getAddress().getAddress(), 0),
                io.netsensor.events.Ip.readLong(((AAAARecord) r).getAddress().getAddress(), 8));
        if (r instanceof CNAMERecord) return text(((CNAMERecord) r).getTarget());
        if (r instanceof MXRecord) return text(((MXRecord) r).getTarget());
        if (r instanceof TXTRecord) {
            StringBuilder sb = new StringBuilder();
            for (byte[] s : ((TXTRecord) r).getStringsAsByteArrays()) {
                if (sb.length() > 0) sb.append(' ');
                sb.append("TXT ").append(s.length).append(' ').append(new String(s, StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }
        if (r instanceof org.xbill.DNS.SOARecord) return text(((org.xbill.DNS.SOARecord) r).getHost());
        return null;
    }
}
