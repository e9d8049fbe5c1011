package io.netsensor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpTest {
    @Test
    void roundTripsV4AndV6InZeekTextForm() {
        for (String s : new String[] {"192.0.2.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "fe80::1",
                "::1", "2001:db8:0:1:1:1:1:1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"}) {
            long[] a = Ip.parse(s);
            assertThat(Ip.toString(a[0], a[1])).isEqualTo(s);
        }
        long[] v4 = Ip.parse("198.51.100.7");
        assertThat(Ip.isV4(v4[0], v4[1])).isTrue();
        assertThat(Ip.isV4(Ip.parse("2001:db8::7")[0], Ip.parse("2001:db8::7")[1])).isFalse();
    }

    @Test
    void rejectsHostNames() {
        assertThatThrownBy(() -> Ip.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void homeNetMatchesPrivateRangesOnly() {
        IpRanges home = IpRanges.defaultHomeNet();
        for (String in : new String[] {"10.1.2.3", "172.31.255.255", "192.168.1.1", "100.64.0.1", "127.0.0.1",
                "169.254.9.9", "fd00::1", "fe80::abcd", "::1"}) {
            long[] a = Ip.parse(in);
            assertThat(home.contains(a[0], a[1])).as(in).isTrue();
        }
        for (String out : new String[] {"8.8.8.8", "172.32.0.1", "203.0.113.9", "2001:db8::1", "::2", "192.169.0.1"}) {
            long[] a = Ip.parse(out);
            assertThat(home.contains(a[0], a[1])).as(out).isFalse();
        }
    }

    @Test
    void prefixLengthsAreExact() {
        IpRanges r = IpRanges.of("203.0.113.128/25", "2001:db8:ab00::/40", "0.0.0.0/0");
        long[] a = Ip.parse("2001:db8:abff::1");
        assertThat(IpRanges.of("2001:db8:ab00::/40").contains(a[0], a[1])).isTrue();
        long[] b = Ip.parse("2001:db8:ac00::1");
        assertThat(IpRanges.of("2001:db8:ab00::/40").contains(b[0], b[1])).isFalse();
        long[] c = Ip.parse("203.0.113.127");
        assertThat(IpRanges.of("203.0.113.128/25").contains(c[0], c[1])).isFalse();
        assertThat(r.contains(c[0], c[1])).isTrue(); // 0.0.0.0/0 covers all IPv4
        assertThatThrownBy(() -> IpRanges.of("10.0.0.0/40")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void macsPrintInEcsFormAndZeroMeansNone() {
        assertThat(Mac.toString(0x02005E000099L)).isEqualTo("02-00-5E-00-00-99");
        assertThat(Mac.toString(0xFFFFFFFFFFFFL)).isEqualTo("FF-FF-FF-FF-FF-FF");
        assertThat(Mac.toString(0)).isNull();
    }
}
