package io.netsensor.sinks.syslog;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessEvent;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.encode.EcsJsonEncoder;
import io.netsensor.sinks.tls.TlsContexts;
import io.netsensor.format.CefEncoder;
import io.netsensor.format.EncoderContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Forwards records as RFC 5424 syslog messages to a collector (rsyslog, syslog-ng, QRadar, ArcSight).
 * TCP and TLS frame each message by octet counting (RFC 6587 3.4.1: {@code LEN SP MSG}), so a message may
 * hold newlines and any length the receiver accepts. A batch counts as delivered when it is written and
 * flushed, and the connection is still open right after (a collector that closed it may have dropped
 * what was in flight: the batch is then sent again, a duplicate the SIEM drops by {@code event.id}).
 * Syslog has no application-level acknowledgement, so a batch counts as delivered only when the
 * connection is still open {@link #confirmAfterNanos()} after it was written (found by a later write or
 * {@link #confirm()}); when the collector closed it, every batch since the last confirmed one is sent
 * again (duplicates the SIEM drops by {@code event.id}). A collector that dies without closing (power loss)
 * can still lose what it had buffered: RELP would close that gap. UDP sends and forgets: lossy by design, only when asked for.
 */
public final class SyslogSink implements Sink {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long CONFIRM_AFTER_NANOS = 250_000_000L;
    private final SyslogOptions options;
    private final EcsJsonEncoder encoder;
    /** The CEF body maker (ArcSight, QRadar) when the options ask for CEF, else null (ECS JSON). */
    private final CefEncoder cef;
    private final SyslogMessage message;
    private final List<byte[]> pending = new ArrayList<>();
    private final boolean alerts, events, bursts, telemetry;
    private SSLContext tls;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private DatagramSocket udp;
    private long sent, connects;

    public SyslogSink(SyslogOptions options) {
        this.options = options;
        this.encoder = new EcsJsonEncoder(options.hostName());
        this.cef = options.body() == SyslogOptions.Body.CEF ? new CefEncoder(EncoderContext.of(options.hostName())) : null;
        this.message = new SyslogMessage(options.facility(), options.hostName(), ProcessHandle.current().pid());
        this.alerts = options.kinds().contains(RecordKind.ALERT);
        this.events = options.kinds().contains(RecordKind.EVENT);
        this.bursts = options.kinds().contains(RecordKind.BURST);
        this.telemetry = options.kinds().contains(RecordKind.TELEMETRY);
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public Set<RecordKind> kinds() {
        return options.kinds();
    }

    @Override
    public int maxBatch() {
        return options.maxBatch();
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public void onConn(ConnEvent e) {
        if (!events) return;
        long t = e.phase == ConnEvent.Phase.END ? e.endNanos : e.startNanos;
        pending.add(message.build(t, "conn", SyslogMessage.info(), encoder.conn(e)));
    }

    @Override
    public void onDns(DnsEvent e) {
        if (!events) return;
        pending.add(message.build(e.tsNanos, "dns", SyslogMessage.info(), encoder.dns(e)));
    }

    @Override
    public void onBurst(BurstEvent e) {
        if (!bursts) return;
        pending.add(message.build(e.startNanos, "burst", SyslogMessage.info(), encoder.burst(e)));
    }

    @Override
    public void onProcess(ProcessEvent e) {
        encoder.process(e);
        if (cef != null) cef.process(e);
    }

    @Override
    public void onAlert(Alert a) {
        if (!alerts) return;
        pending.add(message.build(a.lastSeenNanos, "alert", SyslogMessage.severityOf(a.severity),
                cef != null ? cef.alert(a).getBytes(StandardCharsets.UTF_8) : encoder.alert(a)));
    }

    @Override
    public void onTelemetry(io.netsensor.events.TelemetryRow r) {
        if (!telemetry) return;
        pending.add(message.build(r.intervalEndNanos, "telemetry", SyslogMessage.info(),
                cef != null ? cef.telemetry(r).getBytes(StandardCharsets.UTF_8) : encoder.telemetry(r)));
    }

    @Override
    public void flush() throws IOException {
        if (pending.isEmpty()) return;
        try {
            if (options.transport() == SyslogOptions.Transport.UDP) {
                sendDatagrams();
            } else {
                sendStream();
            }
        } catch (IOException e) {
            disconnect();
            throw new IOException(options.name() + ": " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        sent += pending.size();
        pending.clear();
    }

    private void sendStream() throws IOException {
        if (socket == null) {
            connect();
        } else if (peerClosed()) {
            // the collector went away since the last batch: what it had not read yet is lost, so the
            // runner re-sends every unconfirmed batch on a new connection
            throw new IOException("the collector closed the connection");
        }
        for (byte[] m : pending) {
            out.write(Integer.toString(m.length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.write(m);
        }
        out.flush();
        if (peerClosed()) throw new IOException("the collector closed the connection during the batch");
    }

    private void connect() throws IOException {
        InetSocketAddress addr = new InetSocketAddress(options.host(), options.port());
        if (addr.isUnresolved()) throw new IOException("cannot resolve " + options.host());
        Socket s = new Socket();
        try {
            s.connect(addr, CONNECT_TIMEOUT_MILLIS);
            s.setKeepAlive(true);
            s.setTcpNoDelay(false);
            if (options.transport() == SyslogOptions.Transport.TLS) {
                if (tls == null) tls = TlsContexts.client(options.caFile(), options.clientCert(), options.clientKey());
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, options.serverName(), options.port(), true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 5425 5.2: the certificate must name the collector
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                s = ssl;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        in = s.getInputStream();
        connects++;
    }

    /** A collector never writes to us: end of stream (or an error) on a short read means it closed. */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void sendDatagrams() throws IOException {
        if (udp == null) {
            udp = new DatagramSocket();
            udp.connect(new InetSocketAddress(options.host(), options.port()));
        }
        for (byte[] m : pending) {
            // RFC 5426 3.2: one message per datagram; IPv4 carries at most 65,507 bytes of payload
            udp.send(new DatagramPacket(m, Math.min(m.length, 65_507)));
        }
    }

    private void disconnect() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // closing a broken connection
        }
        socket = null;
        out = null;
        in = null;
    }

    /**
     * Syslog has no acknowledgement: a batch counts as read once the connection is still open this long
     * after it was written (rsyslog reads a socket within milliseconds; a collector that stops closes it).
     */
    @Override
    public long confirmAfterNanos() {
        return options.transport() == SyslogOptions.Transport.UDP ? 0 : CONFIRM_AFTER_NANOS;
    }

    @Override
    public void confirm() throws IOException {
        if (options.transport() == SyslogOptions.Transport.UDP) return;
        if (socket == null || peerClosed()) {
            disconnect();
            throw new IOException(options.name() + ": " + options.host() + ":" + options.port()
                    + ": the collector closed the connection");
        }
    }

    @Override
    public void discardPending() {
        pending.clear();
    }

    /** Messages handed to the transport. */
    public long sent() {
        return sent;
    }

    /** Connections opened (1 plus reconnects). */
    public long connects() {
        return connects;
    }

    @Override
    public void close() {
        disconnect();
        if (udp != null) udp.close();
    }
}
