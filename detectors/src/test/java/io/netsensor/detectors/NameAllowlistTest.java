package io.netsensor.detectors;

import static io.netsensor.testkit.events.Times.SEC;
import static io.netsensor.testkit.events.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnNames;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.testkit.events.Conns;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** detectors.allowlist.domain_suffixes against the names connections carry (resolved DNS name, SNI, HTTP Host). */
class NameAllowlistTest {
    static final String HOST = "10.0.0.5";
    final CollectingSink sink = new CollectingSink();

    static DetectorEngine engine(CollectingSink sink, String... suffixes) {
        DetectorSettings s = DetectorSettings.defaults();
        for (String d : suffixes) s.allowlist.domains.add(d);
        return DetectorEngine.standard(s, sink);
    }

    /** An hourly-ish beacon every minute to one name whose address rotates over 12 addresses. */
    static void rotatingBeacon(DetectorEngine engine, int which, String name) {
        for (int i = 0; i < 90; i++) {
            engine.onConn(Conns.out(HOST, "198.51.100." + (10 + i % 12), 443).at(T0 + i * 60 * SEC).bytes(900, 4000)
                    .name(which, name).build());
        }
    }

    @Test
    void aBeaconToAnAllowlistedSniOnRotatingAddressesIsNotAlertedAndIsCounted() {
        DetectorEngine engine = engine(sink, "crowdstrike.com");
        rotatingBeacon(engine, ConnNames.SNI, "ts01-b.cloudsink.crowdstrike.com");
        assertThat(sink.alerts).isEmpty();
        var m = Registered.of(engine);
        assertThat(m.value("detector.engine.allowlisted_by_name")).isEqualTo(90);
        assertThat(m.value("detector.engine.allowlisted_events")).isEqualTo(90);
    }

    @Test
    void theSameBeaconToANameNotListedIsAlerted() {
        DetectorEngine engine = engine(sink, "crowdstrike.com");
        rotatingBeacon(engine, ConnNames.SNI, "ts01-b.cloudsink.evilcrowdstrike.com");
        assertThat(sink.alerts).extracting(a -> a.detector).contains(DetectorKind.BEACON);
        assertThat(sink.alerts.get(0).evidence.get("remote_name")).isEqualTo("ts01-b.cloudsink.evilcrowdstrike.com");
        assertThat(Registered.of(engine).value("detector.engine.allowlisted_by_name")).isZero();
    }

    @Test
    void theResolvedNameAndTheHttpHostCountToo() {
        rotatingBeacon(engine(sink, "crowdstrike.com"), ConnNames.DNS, "falcon.us-2.CrowdStrike.com.");
        rotatingBeacon(engine(sink, "crowdstrike.com"), ConnNames.HTTP_HOST, "crowdstrike.com:8080");
        assertThat(sink.alerts).isEmpty();
        // the User-Agent is what the client says it is, not where it connects (one address: no server name to group by)
        DetectorEngine e = engine(sink, "crowdstrike.com");
        for (int i = 0; i < 90; i++) {
            e.onConn(Conns.out(HOST, "198.51.100.10", 443).at(T0 + i * 60 * SEC).name(ConnNames.USER_AGENT, "crowdstrike.com").build());
        }
        assertThat(sink.alerts).isNotEmpty();
    }

    @Test
    void suffixesMatchOnLabelBoundariesWhateverTheCaseAndTrailingDot() {
        DetectorSettings.AllowlistSettings s = new DetectorSettings.AllowlistSettings();
        s.domains.add("CrowdStrike.com.");
        Allowlist allow = new Allowlist(s);
        for (String yes : new String[] {"crowdstrike.com", "x.crowdstrike.com", "A.B.CROWDSTRIKE.COM", "x.crowdstrike.com.",
                "crowdstrike.com..", "x.crowdstrike.com:443"}) {
            assertThat(allow.allowsConnName(Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.HTTP_HOST, yes).build())).as(yes).isTrue();
        }
        for (String no : new String[] {"evilcrowdstrike.com", "crowdstrike.com.evil.net", "crowdstrike.co", "rowdstrike.com",
                "com", ".", "x.crowdstrike.com:https", "[::1]:443"}) {
            assertThat(allow.allowsConnName(Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.HTTP_HOST, no).build())).as(no).isFalse();
            assertThat(allow.allowsConnName(Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.SNI, no).build())).as(no).isFalse();
        }
        assertThat(allow.allowsConnName(Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.SNI, "x.crowdstrike.com.").build())).isTrue();
        assertThat(allow.allowsConnName(Conns.out(HOST, "198.51.100.7", 443).build())).as("no names").isFalse();
        // inbound: the names are this host's own server's, allowlisting them would hide what reaches it
        assertThat(allow.allowsConnName(Conns.in("198.51.100.7", HOST, 443).name(ConnNames.SNI, "www.crowdstrike.com").build())).isFalse();
        assertThat(Allowlist.empty().allowsConnName(Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.SNI, "crowdstrike.com").build())).isFalse();
    }

    @Test
    void aBeaconInsideOneConnectionToAnAllowlistedNameIsNotAlerted() {
        for (String name : new String[] {"edr.crowdstrike.com", "edr.notcrowdstrike.com"}) {
            CollectingSink out = new CollectingSink();
            DetectorEngine engine = engine(out, "crowdstrike.com");
            long[] host = Ip.parse(HOST), c2 = Ip.parse("198.51.100.9");
            for (int i = 1; i <= 80; i++) {
                BurstEvent b = new BurstEvent();
                b.flowId = 5;
                b.flowStartNanos = T0;
                b.startNanos = T0 + i * 30 * SEC;
                b.endNanos = b.startNanos + SEC / 10;
                b.origIpHi = host[0]; b.origIpLo = host[1]; b.respIpHi = c2[0]; b.respIpLo = c2[1];
                b.origPort = 50000; b.respPort = 8443;
                b.direction = Direction.OUTBOUND;
                b.origBytes = 120; b.respBytes = 300;
                b.index = i;
                b.names.set(ConnNames.SNI, name);
                engine.onBurst(b);
            }
            engine.finish();
            if (name.startsWith("edr.crowdstrike")) {
                assertThat(out.alerts).as(name).isEmpty();
                assertThat(Registered.of(engine).value("detector.engine.allowlisted_by_name")).isEqualTo(80);
            } else {
                assertThat(out.alerts).as(name).isNotEmpty();
            }
        }
    }

    @Test
    void anAllowlistChangeSuppressesTheAlertsOfASeriesByNameBuiltBeforeIt() {
        DetectorEngine engine = engine(sink);
        for (int i = 0; i < 40; i++) {
            engine.onConn(Conns.out(HOST, "198.51.100." + (10 + i % 5), 8443).at(T0 + i * 60 * SEC).name(ConnNames.SNI, "c.crowdstrike.com").build());
        }
        int before = sink.alerts.size();
        assertThat(before).isPositive();
        DetectorSettings changed = DetectorSettings.defaults();
        changed.allowlist.domains.add("crowdstrike.com");
        engine.setAllowlist(new Allowlist(changed.allowlist));
        engine.finish(); // the series' final count would be restated: the alert now names an allowlisted server
        assertThat(sink.alerts).hasSize(before);
        assertThat(Registered.of(engine).value("detector.engine.allowlisted_alerts")).isPositive();
    }

    @Test
    void matchingNamesAllocatesNothing() {
        DetectorSettings.AllowlistSettings s = new DetectorSettings.AllowlistSettings();
        s.domains.add("crowdstrike.com");
        s.domains.add("example.org");
        Allowlist allow = new Allowlist(s);
        ConnEvent hit = Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.HTTP_HOST, "a.crowdstrike.com:8080").build();
        ConnEvent miss = Conns.out(HOST, "198.51.100.7", 443).name(ConnNames.DNS, "a.evil.net").name(ConnNames.SNI, "b.evil.net")
                .name(ConnNames.HTTP_HOST, "c.evil.net:80").build();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int hits = 0;
        for (int i = 0; i < 20_000; i++) hits += (allow.allowsConnName(hit) ? 1 : 0) + (allow.allowsConnName(miss) ? 1 : 0); // warm-up
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 20_000; i++) hits += (allow.allowsConnName(hit) ? 1 : 0) + (allow.allowsConnName(miss) ? 1 : 0);
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(hits).isEqualTo(40_000);
        assertThat(allocated).as("bytes allocated by 40k name checks").isLessThan(1_000);
    }
}
