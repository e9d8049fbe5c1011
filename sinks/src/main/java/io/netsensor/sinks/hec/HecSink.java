package io.netsensor.sinks.hec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessEvent;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.encode.EcsJsonEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards records to an HTTP Event Collector (CrowdStrike LogScale or Splunk): each record becomes one HEC
 * event object around its ECS document ({@link HecEnvelope}), and {@link #flush()} posts the pending events as
 * concatenated objects, at most {@link HecOptions#maxBatchEvents()} events and
 * {@link HecOptions#maxBatchBytes()} uncompressed bytes per request, gzip-compressed, over TLS with
 * certificate and host-name verification.
 *
 * <p>Delivery: a request counts when the collector answers 2xx; with Splunk indexer acknowledgement on,
 * only once {@code /services/collector/ack} reports its {@code ackId} true (polled every
 * {@link HecOptions#ackPollInterval()}; after {@link HecOptions#ackTimeout()} the batch is sent again).
 * Requests that were taken leave the pending batch even when a later one fails, so a retry re-sends only
 * what was not taken.
 *
 * <p>Failures all throw from {@code flush} (the runner retries with backoff; nothing is ever dropped):
 * <ul>
 *   <li>429 and 503 are back-pressure; a {@code Retry-After} (seconds or HTTP date, honoured up to 5 min)
 *       holds every further attempt until it has passed.
 *   <li>Other 4xx (400 malformed, 401/403 token refused, 404 wrong URL or flavor) will not heal by resending
 *       the same batch, but dropping it would lose alerts. The sink reports them as errors, one line naming
 *       the sink and the status, and keeps retrying with the runner's backoff (at most a minute apart), so the
 *       batch goes through as soon as an operator fixes the token or the collector. After 401/403 the token file is re-read before
 *       the next attempt (a rotated token heals without a restart). 413 halves the request size.
 *   <li>5xx and transport errors (refused, timeout, TLS) are transient.
 * </ul>
 * Log lines are rate-limited: a repeated failure is logged once a minute, and the recovery once.
 */
public final class HecSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(HecSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A longer Retry-After is taken as this: a misconfigured proxy must not silence the sink for hours. */
    static final long MAX_RETRY_AFTER_SECONDS = 300;
    private static final long LOG_REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final HecOptions options;
    private final String who;
    private final HecToken token;
    private final HttpClient http;
    private final URI eventUri, ackUri;
    /** Splunk's request channel: one GUID per sink instance, so acks of this sink's requests are its own. */
    private final String channel;
    private final EcsJsonEncoder encoder;
    private final HecEnvelope envelope;

    private final ArrayList<byte[]> pending = new ArrayList<>();
    private long pendingBytes;
    private int maxEvents, maxBytes;
    private boolean holding;
    private long holdUntilNanos;
    private boolean reloadToken;

    private String lastLogged;
    private long lastLoggedAt;
    private int failuresSinceSuccess;

    private long deliveredEvents, requests, wireBytes, ackQueries;

    public HecSink(HecOptions options) throws IOException {
        this.options = options;
        this.who = "hec sink '" + options.name() + "': ";
        this.token = HecToken.read(options.name(), options.tokenFile());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // what HEC speaks; no h2c upgrade dance on http://
                .connectTimeout(options.connectTimeout())
                .sslContext(Tls.context(options.name(), options.caFile()))
                // a redirect would take the Authorization header somewhere the config never named
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.eventUri = options.eventUri();
        this.ackUri = options.ackUri();
        this.channel = UUID.randomUUID().toString();
        String host = options.host() != null ? options.host() : localHostName();
        this.encoder = new EcsJsonEncoder(host);
        this.envelope = new HecEnvelope(host, options.sourcetype(), options.index());
        this.maxEvents = options.maxBatchEvents();
        this.maxBytes = options.maxBatchBytes();
    }

    /**
     * Checks a token file as the sink will read it (exists, a file, not readable by group or others, one
     * token): for the config check, which reports the reason at the key. The token itself is not returned.
     *
     * @throws IOException the reason, starting with the path, never with the token
     */
    public static void checkTokenFile(Path file) throws IOException {
        HecToken.check(file);
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public Set<RecordKind> kinds() {
        return options.kinds();
    }

    /** Events per request; once the pending bytes reach a request's worth, as many as are pending (flush now). */
    @Override
    public int maxBatch() {
        return pendingBytes >= maxBytes ? Math.max(1, pending.size()) : maxEvents;
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public void onConn(ConnEvent e) {
        long t = e.phase == ConnEvent.Phase.END ? e.endNanos : e.startNanos;
        add(envelope.wrap(encoder.conn(e), t, "kind", "event", "dataset", "netsensor.conn"));
    }

    @Override
    public void onDns(DnsEvent e) {
        add(envelope.wrap(encoder.dns(e), e.tsNanos, "kind", "event", "dataset", "netsensor.dns"));
    }

    @Override
    public void onBurst(BurstEvent e) {
        add(envelope.wrap(encoder.burst(e), e.startNanos, "kind", "event", "dataset", "netsensor.burst"));
    }

    @Override
    public void onProcess(ProcessEvent e) {
        encoder.process(e);
    }

    @Override
    public void onAlert(Alert a) {
        add(envelope.wrap(encoder.alert(a), a.lastSeenNanos, "kind", "alert", "dataset", "netsensor.alert",
                "detector", a.detector.label, "severity", a.severity.label, "alert_id", a.id));
    }

    @Override
    public void onTelemetry(io.netsensor.events.TelemetryRow r) {
        add(envelope.wrap(encoder.telemetry(r), r.intervalEndNanos, "kind", "metric", "dataset",
                r.kind == io.netsensor.events.TelemetryRow.Kind.CONN ? "netsensor.telemetry.conn" : "netsensor.telemetry.dns"));
    }

    private void add(byte[] event) {
        pending.add(event);
        pendingBytes += event.length;
    }

    @Override
    public void flush() throws IOException {
        if (pending.isEmpty()) return;
        if (holding) {
            long left = holdUntilNanos - System.nanoTime();
            if (left > 0)
                throw new IOException(who + "holding back " + TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999)
                        + " s more, as the collector's Retry-After asked");
            holding = false;
        }
        if (reloadToken) {
            token.reload(); // a rotated token heals a 401/403 without a restart; a broken file throws (one line)
            reloadToken = false;
        }
        BitSet taken = new BitSet(pending.size());
        List<long[]> awaiting = new ArrayList<>(); // {from, to, ackId}
        try {
            for (int from = 0; from < pending.size(); ) {
                int to = chunkEnd(from);
                JsonNode reply = post(from, to);
                if (options.ack()) {
                    JsonNode id = reply == null ? null : reply.get("ackId");
                    if (id == null || !id.canConvertToLong())
                        throw fail(true, "ack is on but " + eventUri + " returned no ackId: enable indexer"
                                + " acknowledgement on the token, or turn ack off");
                    awaiting.add(new long[] {from, to, id.asLong()});
                } else {
                    taken.set(from, to);
                }
                from = to;
            }
            if (!awaiting.isEmpty()) awaitAcks(awaiting, taken);
        } finally {
            compact(taken);
        }
        if (failuresSinceSuccess > 0) {
            log.info("{}delivering again after {} failure(s)", who, failuresSinceSuccess);
            failuresSinceSuccess = 0;
            lastLogged = null;
        }
    }

    /** End (exclusive) of the request that starts at {@code from}: within both limits, at least one event. */
    private int chunkEnd(int from) {
        int to = from;
        long bytes = 0;
        while (to < pending.size() && to - from < maxEvents) {
            int n = pending.get(to).length;
            if (to > from && bytes + n > maxBytes) break;
            bytes += n;
            to++;
        }
        return to;
    }

    /** Posts events [from, to); returns the parsed 2xx reply (null when it is not JSON) or throws. */
    private JsonNode post(int from, int to) throws IOException {
        byte[] body = body(from, to);
        HttpRequest.Builder rb = request(eventUri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (options.gzip()) rb.header("Content-Encoding", "gzip");
        HttpResponse<byte[]> r = send(rb.build(), eventUri);
        wireBytes += body.length;
        int status = r.statusCode();
        if (status / 100 == 2) {
            requests++;
            if (!options.ack()) deliveredEvents += to - from;
            return parse(r.body());
        }
        throw statusFailure(r, eventUri);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(options.requestTimeout())
                .header("Authorization", token.authorization(options.flavor()))
                .header("Content-Type", "application/json")
                .header("User-Agent", "netsensor");
        if (options.flavor() == HecFlavor.SPLUNK) b.header("X-Splunk-Request-Channel", channel);
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest req, URI uri) throws IOException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(who + "interrupted while talking to " + uri);
        } catch (IOException | RuntimeException e) {
            // RuntimeException: the client's own refusals (e.g. a bad header) are failures of this attempt too
            throw fail(false, "cannot deliver to " + uri + ": " + describe(e));
        }
    }

    private byte[] body(int from, int to) throws IOException {
        long size = 0;
        for (int i = from; i < to; i++) size += pending.get(i).length;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (options.gzip() ? size / 6 + 64 : size));
        if (options.gzip()) {
            // Fastest level: JSON still shrinks ~8x, and a sensor's two cores have better things to do.
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            }) {
                for (int i = from; i < to; i++) gz.write(pending.get(i));
            }
        } else {
            for (int i = from; i < to; i++) out.write(pending.get(i));
        }
        return out.toByteArray();
    }

    /**
     * Polls the ack endpoint until every request's ackId is true, marking its events taken; throws once
     * {@code ackTimeout} passed since the last request was sent, so the runner sends the rest again.
     */
    private void awaitAcks(List<long[]> awaiting, BitSet taken) throws IOException {
        long deadline = System.nanoTime() + options.ackTimeout().toNanos();
        long interval = options.ackPollInterval().toNanos();
        Map<Long, long[]> open = new LinkedHashMap<>();
        for (long[] a : awaiting) open.put(a[2], a);
        String lastProblem = null;
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                long events = 0;
                for (long[] a : open.values()) events += a[1] - a[0];
                throw fail(false, events + " event(s) not acknowledged by the indexer within "
                        + human(options.ackTimeout()) + (lastProblem == null ? "" : " (last ack query: " + lastProblem + ")")
                        + "; sending them again");
            }
            sleepNanos(Math.min(interval, deadline - now));
            ObjectNode q = JSON.createObjectNode();
            ArrayNode ids = q.putArray("acks");
            for (Long id : open.keySet()) ids.add(id);
            HttpRequest req = request(ackUri).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(q))).build();
            HttpResponse<byte[]> r;
            try {
                r = send(req, ackUri);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                String m = e.getMessage(); // transient: keep asking until the deadline
                lastProblem = m.startsWith(who) ? m.substring(who.length()) : m;
                continue;
            }
            ackQueries++;
            int status = r.statusCode();
            if (status / 100 != 2) {
                if (status / 100 == 4 && status != 429) throw statusFailure(r, ackUri); // e.g. ack disabled on the token
                lastProblem = "HTTP " + status;
                continue;
            }
            JsonNode acks = parse(r.body());
            acks = acks == null ? null : acks.get("acks");
            if (acks == null || !acks.isObject()) {
                lastProblem = "a reply without an acks object";
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = acks.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().asBoolean(false)) continue;
                long[] a;
                try {
                    a = open.remove(Long.parseLong(e.getKey()));
                } catch (NumberFormatException nfe) {
                    continue;
                }
                if (a == null) continue;
                taken.set((int) a[0], (int) a[1]);
                deliveredEvents += a[1] - a[0];
            }
            if (open.isEmpty()) return;
        }
    }

    /** Drops the taken events from the pending batch, keeping the rest in order. */
    private void compact(BitSet taken) {
        if (taken.isEmpty()) return;
        int w = 0;
        long bytes = 0;
        for (int i = 0; i < pending.size(); i++) {
            if (taken.get(i)) continue;
            byte[] b = pending.get(i);
            pending.set(w++, b);
            bytes += b.length;
        }
        pending.subList(w, pending.size()).clear();
        pendingBytes = bytes;
    }

    /** The exception for a non-2xx reply, after acting on it (hold for Retry-After, shrink, re-read token). */
    private IOException statusFailure(HttpResponse<byte[]> r, URI uri) {
        int s = r.statusCode();
        String text = serverText(r.body());
        String head = "HTTP " + s + " from " + uri + (text.isEmpty() ? "" : " (" + text + ")") + ": ";
        if (s == 429 || s == 503) {
            long wait = retryAfterSeconds(r.headers().firstValue("Retry-After").orElse(null));
            if (wait > 0) {
                holding = true;
                holdUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
            }
            return fail(false, head + "the collector is busy (back-pressure); retrying" + (wait > 0 ? " after " + wait + " s" : ""));
        }
        if (s == 401 || s == 403) {
            reloadToken = true;
            return fail(true, head + "the token was refused; fix token_file (it is re-read before each retry)."
                    + " This does not heal by itself: retrying meanwhile, nothing is dropped");
        }
        if (s == 413) {
            maxBytes = Math.max(HecOptions.MIN_BYTES_PER_REQUEST, maxBytes / 2);
            maxEvents = Math.max(1, maxEvents / 2);
            return fail(true, head + "the request was too large for the collector; retrying with at most "
                    + maxEvents + " events / " + maxBytes + " bytes per request");
        }
        if (s / 100 == 4) {
            String hint = s == 404 ? "check url and flavor" : s == 400 ? "the collector refused the batch as malformed" : "the collector refused the batch";
            return fail(true, head + hint + ". This does not heal by resending the same batch: retrying meanwhile,"
                    + " nothing is dropped");
        }
        if (s / 100 == 3) {
            return fail(true, head + "redirected to " + r.headers().firstValue("Location").orElse("?")
                    + "; point url at the collector itself");
        }
        return fail(false, head + "collector error; retrying");
    }

    /** Logs (rate-limited) and returns the one-line exception for {@code flush} to throw. */
    private IOException fail(boolean needsOperator, String what) {
        String msg = token.redact(who + what);
        failuresSinceSuccess++;
        long now = System.nanoTime();
        if (!msg.equals(lastLogged) || now - lastLoggedAt >= LOG_REPEAT_NANOS) {
            if (needsOperator) log.error("{}", msg); else log.warn("{}", msg);
            lastLogged = msg;
            lastLoggedAt = now;
        }
        return new IOException(msg);
    }

    /** The collector's own explanation: HEC's {"text":..,"code":..}, or the start of the body; one line, redacted. */
    private String serverText(byte[] body) {
        if (body == null || body.length == 0) return "";
        JsonNode n = parse(body);
        String t;
        if (n != null && n.hasNonNull("text")) {
            t = n.get("text").asText() + (n.hasNonNull("code") ? ", code " + n.get("code").asText() : "");
        } else {
            t = new String(body, 0, Math.min(body.length, 400), java.nio.charset.StandardCharsets.UTF_8);
        }
        return token.redact(oneLine(t, 200));
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** Retry-After as seconds (delta-seconds or an HTTP date), capped; 0 when absent or unreadable. */
    static long retryAfterSeconds(String v) {
        if (v == null || v.isBlank()) return 0;
        v = v.trim();
        long s;
        try {
            s = Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                s = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toSeconds() + 1;
            } catch (DateTimeParseException e2) {
                return 0;
            }
        }
        return Math.max(0, Math.min(s, MAX_RETRY_AFTER_SECONDS));
    }

    /** An exception as one line: its type and message, and its root cause's when that says more. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = e.getMessage();
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (msg != null && !msg.isBlank()) b.append(": ").append(msg);
        if (root != e) {
            String rm = root.getMessage();
            if (rm != null && !rm.isBlank() && (msg == null || !msg.contains(rm))) {
                b.append(" (").append(root.getClass().getSimpleName()).append(": ").append(rm).append(')');
            } else if (msg == null || msg.isBlank()) {
                b.append(" (").append(root.getClass().getSimpleName()).append(')');
            }
        }
        return oneLine(b.toString(), 300);
    }

    private static String oneLine(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        if (s.length() > max) b.append("...");
        return b.toString().strip();
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        if (s == 0) return d.toMillis() + " ms";
        return s % 60 == 0 ? s / 60 + " min" : s + " s";
    }

    private void sleepNanos(long nanos) throws InterruptedIOException {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(who + "interrupted while waiting for acks");
        }
    }

    /** This machine's name, as the agent names it (the kernel's, else the resolver's). */
    static String localHostName() {
        try {
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!n.isEmpty()) return n;
        } catch (IOException | RuntimeException ignored) {
            // not Linux: ask the JDK
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Events the collector took (acknowledged, with ack on). */
    public long deliveredEvents() {
        return deliveredEvents;
    }

    /** Event requests answered 2xx. */
    public long requests() {
        return requests;
    }

    /** Request body bytes sent (compressed, when gzip is on). */
    public long wireBytes() {
        return wireBytes;
    }

    public long ackQueries() {
        return ackQueries;
    }

    /** The channel GUID sent to Splunk. */
    public String channel() {
        return channel;
    }

    public HecOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "HecSink[" + options.name() + ", " + options.flavor() + ", " + eventUri + "]";
    }
}
