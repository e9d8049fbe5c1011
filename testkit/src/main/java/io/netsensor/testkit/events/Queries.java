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

    /** The server asked (default: none, 0.0.0.0). */
    public Queries server(String ip) {
        long[] a = Ip.parse(ip);
        e.serverIpHi = a[0];
        e.serverIpLo = a[1];
        e.serverPort = 53;
        return this;
    }

    /** Adds a TXT answer holding {@code text} as character-strings of up to 255 bytes (wire rdata). */
    public Queries txt(String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] rdata = new byte[t.length + (t.length + 254) / 255];
        int o = 0;
        for (int i = 0; i < t.length; i += 255) {
            int n = Math.min(255, t.length - i);
            rdata[o++] = (byte) n;
            System.arraycopy(t, i, rdata, o, n);
            o += n;
        }
        e.addAnswer(16, 1, 60, DnsEvent.RDATA_RAW, rdata, 0, o);
        return this;
    }

    /** Adds an answer of {@code type} with {@code bytes} of raw rdata (e.g. a NULL record's payload). */
    public Queries rawAnswer(int type, int bytes) {
        e.addAnswer(type, 1, 0, DnsEvent.RDATA_RAW, new byte[bytes], 0, bytes);
        return this;
    }

    /** Attributed to a process (pid and start time). */
    public Queries process(int pid, long startNanos) {
        e.pid = pid;
        e.processStartNanos = startNanos;
        e.attribution = io.netsensor.events.Attribution.RESOLVED;
        return this;
    }

    public DnsEvent build() {
        DnsEvent c = new DnsEvent();
        c.copyFrom(e);
        return c;
    }
}
