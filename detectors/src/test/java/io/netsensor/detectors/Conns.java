package io.netsensor.detectors;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;
import java.util.ArrayList;
import java.util.List;

/** Builds ConnEvents for detector tests; times in nanoseconds. */
public final class Conns {
    public static final long SEC = 1_000_000_000L, MIN = 60 * SEC, HOUR = 60 * MIN;
    /** 2024-01-01T00:00:00Z, so event times look like real epoch times. */
    public static final long T0 = 1_704_067_200L * SEC;

    private final ConnEvent e = new ConnEvent();
    private static long nextFlow = 1;

    private Conns(Direction d, String orig, int origPort, String resp, int respPort) {
        long[] o = Ip.parse(orig), r = Ip.parse(resp);
        e.flowId = nextFlow++;
        e.direction = d;
        e.origIpHi = o[0]; e.origIpLo = o[1]; e.origPort = origPort;
        e.respIpHi = r[0]; e.respIpLo = r[1]; e.respPort = respPort;
        e.state = ConnState.SF;
        e.phase = ConnEvent.Phase.END;
        e.origBytes = 200;
        e.respBytes = 1000;
    }

    /** Local host connecting out to an external peer. */
    public static Conns out(String local, String remote, int port) {
        return new Conns(Direction.OUTBOUND, local, 40000 + (int) (nextFlow % 20000), remote, port);
    }

    /** External peer connecting in to a local port. */
    public static Conns in(String remote, String local, int port) {
        return new Conns(Direction.INBOUND, remote, 40000 + (int) (nextFlow % 20000), local, port);
    }

    public static Conns internal(String local, String peer, int port) {
        return new Conns(Direction.INTERNAL, local, 40000 + (int) (nextFlow % 20000), peer, port);
    }

    public Conns at(long t) {
        e.startNanos = t;
        e.endNanos = t + SEC / 10;
        return this;
    }

    public Conns udp() {
        e.transport = Transport.UDP;
        return this;
    }

    public Conns state(ConnState s) {
        e.state = s;
        return this;
    }

    public Conns bytes(long orig) {
        e.origBytes = orig;
        return this;
    }

    public Conns mac(long mac) {
        if (e.direction == Direction.INBOUND) e.respMac = mac; else e.origMac = mac;
        return this;
    }

    public Conns open() {
        e.phase = ConnEvent.Phase.OPEN;
        e.endNanos = e.startNanos;
        e.state = ConnState.S1;
        return this;
    }

    public ConnEvent build() {
        ConnEvent c = new ConnEvent();
        c.copyFrom(e);
        return c;
    }

    /** Collects alerts. */
    public static final class Sink implements AlertSink {
        public final List<Alert> alerts = new ArrayList<>();

        @Override
        public void onAlert(Alert alert) {
            alerts.add(alert);
        }

        public Alert last() {
            return alerts.get(alerts.size() - 1);
        }
    }
}
