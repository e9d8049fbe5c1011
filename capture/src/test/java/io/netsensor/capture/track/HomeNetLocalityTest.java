package io.netsensor.capture.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import java.util.List;
import org.junit.jupiter.api.Test;

class HomeNetLocalityTest {
    private static boolean local(Locality l, String ip) {
        long[] a = Ip.parse(ip);
        return l.isLocal(a[0], a[1]);
    }

    @Test
    void homeNetAndHostAddressesAreLocal() {
        HomeNetLocality l = new HomeNetLocality(IpRanges.defaultHomeNet());
        assertThat(local(l, "192.168.1.10")).isTrue();
        assertThat(local(l, "fe80::1")).isTrue();
        assertThat(local(l, "203.0.113.5")).isFalse();

        l.setHostAddresses(List.of("203.0.113.5", "2001:db8::5"));
        assertThat(local(l, "203.0.113.5")).isTrue();
        assertThat(local(l, "2001:db8::5")).isTrue();
        assertThat(local(l, "203.0.113.6")).isFalse();

        l.setHostAddresses(List.of());
        assertThat(local(l, "203.0.113.5")).isFalse();
    }

    @Test
    void directionFollowsLocality() {
        HomeNetLocality l = new HomeNetLocality(IpRanges.of("10.0.0.0/8"));
        assertThat(Direction.of(local(l, "10.1.1.1"), local(l, "8.8.8.8"))).isEqualTo(Direction.OUTBOUND);
        assertThat(Direction.of(local(l, "8.8.8.8"), local(l, "10.1.1.1"))).isEqualTo(Direction.INBOUND);
        assertThat(Direction.of(local(l, "192.168.0.1"), local(l, "8.8.8.8"))).isEqualTo(Direction.EXTERNAL);
    }
}
