package io.netsensor.testkit.events;

import static io.netsensor.testkit.events.Times.SEC;

import io.netsensor.events.ConnEvent;
import io.netsensor.events.ConnState;
import io.netsensor.events.Direction;
import io.netsensor.events.Ip;
import io.netsensor.events.Transport;

/**
 * Builds connection records for detector and pipeline tests: {@code Conns.out(host, peer, 443).at(T0 + 5 * SEC).build()}.
 * Times in nanoseconds, from {@link Times#T0}. Defaults: a finished (END) TCP flow in state SF, 200 bytes
 * out, 1000 back, lasting 100 ms; flow ids and client ports count up across all builders.
 */
public final class Conns {
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

    /** Payload bytes both ways: from the originator, and back from the responder. */
    public Conns bytes(long orig, long resp) {
        e.origBytes = orig;
        e.respBytes = resp;
        return this;
    }

    /** Ends this long after its start (set {@link #at} first). */
    public Conns lasting(long nanos) {
        e.endNanos = e.startNanos + nanos;
        return this;
    }

    /** The flow id of the connection this record belongs to (an END record after its OPEN shares it). */
    public Conns flow(long flowId) {
        e.flowId = flowId;
        return this;
    }

    public Conns mac(long mac) {
        if (e.direction == Direction.INBOUND) e.respMac = mac; else e.origMac = mac;
        return this;
    }

    /** A name the connection is known by: {@code name(ConnNames.SNI, "c2.example.net")}. */
    public Conns name(int which, String value) {
        e.names.set(which, value);
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
}
