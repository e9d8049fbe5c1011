package io.netsensor.sinks.file;

import io.netsensor.events.Alert;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.Sink;
import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * One concise line per alert on stderr, which journald keeps under systemd (`journalctl -u netsensor`),
 * so an operator sees alerts locally whatever the forwarding does:
 * {@code netsensor: ALERT High beacon 10.0.0.5 -> 198.51.100.7:8443 [curl 4242]: summary (id beacon-1a2b)}.
 */
public final class StderrAlertSink implements Sink {
    private final PrintStream err;
    private int pending;

    public StderrAlertSink(PrintStream err) {
        this.err = err;
    }

    /** The line for one alert. */
    public static String line(Alert a) {
        StringBuilder b = new StringBuilder("netsensor: ALERT ").append(a.severity.label).append(' ').append(a.detector.label)
                .append(' ').append(a.hostIp);
        if (a.remoteIp != null) {
            b.append(" -> ").append(a.remoteIp.indexOf(':') >= 0 ? "[" + a.remoteIp + "]" : a.remoteIp);
            if (a.remotePort != null) b.append(':').append(a.remotePort);
        }
        if (a.process != null) {
            String n = a.process.name != null && !a.process.name.isEmpty() ? a.process.name : "pid";
            b.append(" [").append(n).append(' ').append(a.process.pid).append(']');
        }
        return b.append(": ").append(a.summary).append(" (id ").append(a.id).append(')').toString();
    }

    @Override
    public String name() {
        return "stderr";
    }

    @Override
    public Set<RecordKind> kinds() {
        return EnumSet.of(RecordKind.ALERT);
    }

    @Override
    public int pending() {
        return pending;
    }

    @Override
    public void onConn(ConnEvent event) {}

    @Override
    public void onDns(DnsEvent event) {}

    @Override
    public void onAlert(Alert a) {
        err.println(line(a));
        pending++;
    }

    @Override
    public void flush() throws IOException {
        err.flush();
        pending = 0;
    }
}
