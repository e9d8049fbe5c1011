package io.netsensor.capture.conformance;

import io.netsensor.format.DnsAnswerText;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Our events printed as the Zeek fields they correspond to (the same rules as Zeek's ASCII writer). */
final class OurRows {
    private OurRows() {}

    static Row dns(DnsEvent e, List<String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("id.orig_h", Ip.toString(e.clientIpHi, e.clientIpLo));
        all.put("id.orig_p", Integer.toString(e.clientPort));
        all.put("id.resp_h", Ip.toString(e.serverIpHi, e.serverIpLo));
        all.put("id.resp_p", Integer.toString(e.serverPort));
        all.put("proto", e.transport.ecsName);
        all.put("trans_id", Integer.toString(e.transId));
        // Zeek lower-cases DNS names but prints decoded NetBIOS names (udp/137) as they are
        boolean netbios = e.serverPort == 137 || e.clientPort == 137;
        all.put("query", e.qnameLen == 0 ? ZeekLog.UNSET : ZeekLog.unescape(netbios ? e.qnameString() : e.qnameLower()));
        all.put("qtype", Integer.toString(e.qtype));
        all.put("qtype_name", DnsAnswerText.typeName(e.qtype));
        all.put("rcode", e.rcode < 0 ? ZeekLog.UNSET : Integer.toString(e.rcode));
        List<String> answers = new ArrayList<>(), ttls = new ArrayList<>();
        for (int i = 0; i < e.answerCount; i++) {
            if (!DnsAnswerText.loggedByZeek(e.answerType[i])) continue;
            answers.add(ZeekLog.unescape(DnsAnswerText.render(e, i)));
            ttls.add(String.format(Locale.ROOT, "%d.000000", e.answerTtl[i]));
        }
        all.put("answers", Row.join(answers));
        all.put("TTLs", Row.join(ttls));
        return new Row(select(all, fields), e, null, null);
    }

    static Row conn(ConnEvent e, List<String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("id.orig_h", Ip.toString(e.origIpHi, e.origIpLo));
        all.put("id.orig_p", Integer.toString(e.origPort));
        all.put("id.resp_h", Ip.toString(e.respIpHi, e.respIpLo));
        all.put("id.resp_p", Integer.toString(e.respPort));
        all.put("proto", e.transport.ecsName);
        all.put("conn_state", e.state.name());
        all.put("history", e.historyLen == 0 ? ZeekLog.UNSET : e.historyString());
        all.put("orig_pkts", Long.toString(e.origPkts));
        all.put("orig_ip_bytes", Long.toString(e.origIpBytes));
        all.put("resp_pkts", Long.toString(e.respPkts));
        all.put("resp_ip_bytes", Long.toString(e.respIpBytes));
        // Zeek's conn.log leaves duration and the payload sizes unset for a connection of zero duration.
        boolean timed = e.durationNanos() > 0;
        all.put("orig_bytes", timed ? Long.toString(e.origBytes) : ZeekLog.UNSET);
        all.put("resp_bytes", timed ? Long.toString(e.respBytes) : ZeekLog.UNSET);
        return new Row(select(all, fields), null, e, null);
    }

    private static Map<String, String> select(Map<String, String> all, List<String> fields) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : fields) v.put(f, all.get(f));
        return v;
    }
}
