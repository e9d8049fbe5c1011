package io.netsensor.telemetry;

import static io.netsensor.telemetry.RollupsTest.conn;
import static io.netsensor.telemetry.RollupsTest.dns;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.DnsEvent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rollups run on the detection thread once per record: a key seen again must cost no allocation (the
 * project rule for the per-event path). Strings are built only when an interval's rows are emitted.
 */
class RollupsAllocationTest {
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final int EVENTS = 1_000_000;

    /** A few keys as a busy host repeats them: connections (OPEN and END, one attributed) and lookups with answers. */
    private static Object[] mix() {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            l.add(conn("10.0.0.5", "198.51.100." + (7 + i), 443, T0 + i, ConnEvent.Phase.OPEN, ConnState.S1));
            l.add(conn("10.0.0.5", "198.51.100." + (7 + i), 443, T0 + i, ConnEvent.Phase.END, ConnState.SF));
        }
        ConnEvent v6 = conn("2001:db8::5", "2001:db8:1::7", 53, T0, ConnEvent.Phase.END, ConnState.REJ);
        v6.attribution = Attribution.RESOLVED;
        v6.pid = 4242;
        v6.processEntityId = 77;
        v6.origMac = 0x02005E000099L;
        l.add(v6);
        l.add(dns("10.0.0.5", "Api.Example.COM", 0, T0, "198.51.100.7"));
        l.add(dns("10.0.0.5", "cdn.example.com", 0, T0, "198.51.100.8"));
        l.add(dns("10.0.0.5", "x1.bad.co.uk", 3, T0, null));
        DnsEvent aaaa = dns("10.0.0.5", "www.example.org.", 0, T0, "198.51.100.9");
        aaaa.qtype = 28;
        aaaa.queryCount = 200; // counts past the boxed-Long cache
        l.add(aaaa);
        return l.toArray();
    }

    private static void run(Rollups r, Object[] mix, int n) {
        for (int i = 0; i < n; i++) {
            Object e = mix[i % mix.length];
            if (e instanceof ConnEvent c) r.onConn(c);
            else r.onDns((DnsEvent) e);
        }
    }

    @Test
    void aWarmRollupAllocatesNothingPerEvent() {
        List<io.netsensor.events.TelemetryRow> rows = new ArrayList<>();
        Rollups r = new Rollups(RollupSettings.defaults(), rows::add);
        Object[] mix = mix();
        run(r, mix, 2_000_000); // warm-up: keys inserted, the JIT's final code in place (events stay in one interval)
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        long t = System.nanoTime();
        run(r, mix, EVENTS);
        long nanos = System.nanoTime() - t;
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        // a figure for the record, not a timed assertion (a shared machine's timing is noise)
        System.out.printf("Rollups steady state: %.0f events/s, %.1f bytes/event (%d events, %d keys)%n",
                EVENTS / (nanos / 1e9), allocated / (double) EVENTS, EVENTS, mix.length);
        r.finish();
        assertThat(rows).as("the rows still come out").hasSize(5 + 3); // 4 v4 + 1 v6 connection keys; example.com, bad.co.uk, example.org;
        assertThat(allocated / (double) EVENTS).as("bytes allocated per event on a warm Rollups").isLessThan(8);
    }
}
