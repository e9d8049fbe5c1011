package io.netsensor.testkit.events;

import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;

/**
 * Builds DNS transaction records for detector tests: {@code Queries.from("192.168.1.23").at(t).name("x.example").rcode(3).build()}.
 * Defaults: an A query, asked and answered (rcode 0), at {@link Times#T0}; no server, ports or answers.
 */
public final class Queries {
    private final DnsEvent e = new DnsEvent();

    private Queries(String client) {
        long[] c = Ip.parse(client);
        e.clientIpHi = c[0];
        e.clientIpLo = c[1];
        e.tsNanos = Times.T0;
        e.qtype = 1;
        e.rcode = 0;
        e.queried = e.responded = true;
    }

    /** A query from this client. */
    public static Queries from(String client) {
        return new Queries(client);
    }

    public Queries at(long t) {
        e.tsNanos = t;
        return this;
    }

    public Queries name(String qname) {
        e.setQname(qname);
        return this;
    }

    public Queries qtype(int qtype) {
        e.qtype = qtype;
        return this;
    }

    public Queries rcode(int rcode) {
        e.rcode = rcode;
        return this;
    }

    public DnsEvent build() {
        DnsEvent c = new DnsEvent();
        c.copyFrom(e);
        return c;
    }
}
