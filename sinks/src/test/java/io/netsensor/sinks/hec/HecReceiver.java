package io.netsensor.sinks.hec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A HEC collector for tests, on 127.0.0.1 and an ephemeral port (plain or TLS): records every request
 * (path, headers, body as sent and decoded) and answers with a replaceable responder. By default an event
 * request gets {@code {"text":"Success","code":0}} (with an increasing {@code ackId} when the request has a
 * channel header) and an ack query gets every asked id as true.
 */
final class HecReceiver implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"text\":\"Success\",\"code\":0}".getBytes(StandardCharsets.US_ASCII);

    /** One request as received. */
    record Request(String method, String path, Headers headers, byte[] raw, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as the HEC objects it concatenates. */
        List<JsonNode> objects() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
                while (it.hasNext()) out.add(it.next());
            }
            return out;
        }
    }

    /** What to answer. */
    record Reply(int status, String body, Map<String, String> headers) {
        static Reply of(int status, String body) {
            return new Reply(status, body, Map.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Reply> responder = this::standard;
    /** False: count event requests only, neither decode nor keep them (throughput runs). */
    volatile boolean keep = true;
    final java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
    private long nextAckId;

    private HecReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static HecReceiver http() throws IOException {
        return new HecReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static HecReceiver https(SSLContext ctx) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        return new HecReceiver(s);
    }

    URI base() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    void respond(Function<Request, Reply> r) {
        responder = r;
    }

    /** The default answers (see the class comment). */
    synchronized Reply standard(Request r) {
        if (r.path().endsWith("/ack")) {
            try {
                StringBuilder b = new StringBuilder("{\"acks\":{");
                JsonNode ids = JSON.readTree(r.body()).get("acks");
                for (int i = 0; i < ids.size(); i++) b.append(i == 0 ? "" : ",").append('"').append(ids.get(i).asLong()).append("\":true");
                return Reply.of(200, b.append("}}").toString());
            } catch (IOException e) {
                return Reply.of(400, "{\"text\":\"Invalid data format\",\"code\":6}");
            }
        }
        if (r.header("X-Splunk-Request-Channel") != null)
            return Reply.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":" + nextAckId++ + "}");
        return Reply.of(200, "{\"text\":\"Success\",\"code\":0}");
    }

    /** Event requests only (not ack queries). */
    List<Request> events() {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) if (!r.path().endsWith("/ack")) out.add(r);
        return out;
    }

    List<Request> acks() {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) if (r.path().endsWith("/ack")) out.add(r);
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            counted.incrementAndGet();
            if (!keep) {
                ex.sendResponseHeaders(200, SUCCESS.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(SUCCESS);
                }
                return;
            }
            byte[] body = raw;
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    body = gz.readAllBytes();
                }
            }
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestHeaders(), raw, body);
            requests.add(req);
            Reply reply = responder.apply(req);
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
