package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Ip;
import io.netsensor.testkit.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Community ID v1 against Zeek's own baselines (../shared/corpus/zeek-communityid: one line per connection
 * of Zeek's test captures, its conn_id and the hash with seed 0). TCP, UDP, IPv6 and SCTP lines; the ICMP
 * ones are left out because netsensor hashes no ICMP flows (ICMP's type/code mapping is not implemented).
 */
class CommunityIdTest {
    private static final Pattern LINE = Pattern.compile(
            "\\[orig_h=([^,]+), orig_p=(\\d+)/\\w+, resp_h=([^,]+), resp_p=(\\d+)/\\w+, proto=(\\d+), ctx=\\[\\]\\], (1:\\S+)");

    record Expected(String orig, int origPort, String resp, int respPort, int proto, String id) {}

    static List<Expected> baseline(String pcap) throws Exception {
        Path f = Shared.require("corpus/zeek-communityid/expected." + pcap + ".out");
        List<Expected> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                out.add(new Expected(m.group(1), Integer.parseInt(m.group(2)), m.group(3), Integer.parseInt(m.group(4)),
                        Integer.parseInt(m.group(5)), m.group(6)));
            }
        }
        return out;
    }

    @Test
    void matchesZeeksBaselinesForTcpUdpIpv6AndSctp() throws Exception {
        int checked = 0;
        for (String pcap : List.of("tcp.pcap", "udp.pcap", "ipv6.pcap", "sctp.pcap")) {
            List<Expected> lines = baseline(pcap);
            assertThat(lines).as(pcap).isNotEmpty();
            for (Expected e : lines) {
                long[] o = Ip.parse(e.orig()), r = Ip.parse(e.resp());
                assertThat(CommunityId.v1(o[0], o[1], e.origPort(), r[0], r[1], e.respPort(), e.proto())).as("%s %s", pcap, e).isEqualTo(e.id());
                // the same flow seen from the other end hashes alike
                assertThat(CommunityId.v1(r[0], r[1], e.respPort(), o[0], o[1], e.origPort(), e.proto())).as("reversed %s", e).isEqualTo(e.id());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theSeedAndThePortsChangeTheHash() {
        long[] a = Ip.parse("192.168.1.52"), b = Ip.parse("8.8.8.8");
        String base = CommunityId.v1(a[0], a[1], 54585, b[0], b[1], 53, 17);
        assertThat(base).isEqualTo("1:d/FP5EW3wiY1vCndhwleRRKHowQ="); // udp.pcap's
        assertThat(CommunityId.v1(1, a[0], a[1], 54585, b[0], b[1], 53, 17)).isNotEqualTo(base);
        assertThat(CommunityId.v1(a[0], a[1], 54586, b[0], b[1], 53, 17)).isNotEqualTo(base);
        assertThat(CommunityId.v1(a[0], a[1], 54585, b[0], b[1], 53, 6)).isNotEqualTo(base);
        // same address both ends: the lower port goes first
        assertThat(CommunityId.v1(a[0], a[1], 80, a[0], a[1], 1234, 6)).isEqualTo(CommunityId.v1(a[0], a[1], 1234, a[0], a[1], 80, 6));
    }
}
