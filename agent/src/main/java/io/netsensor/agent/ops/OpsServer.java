package io.netsensor.agent.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netsensor.metrics.Metrics;
import io.netsensor.metrics.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoint: {@code GET /metrics} (the registry as Prometheus text) and {@code GET /health}
 * (JSON; 200 when healthy, 503 when not, so a plain HTTP check works). The JDK's own server on one daemon
 * thread: a scrape every few seconds needs no more, and it adds no dependency to the agent.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    /** A /health answer: the document, and whether the agent is healthy. */
    public record HealthAnswer(byte[] json, boolean healthy) {}

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds now (a port in use fails the start, in one line) and serves on its own thread. */
    public static OpsServer start(InetSocketAddress address, Metrics metrics, Supplier<HealthAnswer> health) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new IOException("cannot serve metrics on " + text(address) + ": " + e.getMessage()
                    + " (metrics.listen in the config)", e);
        }
        server.createContext("/metrics", ex -> serve(ex, () -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64 * 1024);
            PrometheusText.write(metrics, b);
            return new Answer(200, PrometheusText.CONTENT_TYPE, b.toByteArray());
        }));
        server.createContext("/health", ex -> serve(ex, () -> {
            HealthAnswer h = health.get();
            return new Answer(h.healthy() ? 200 : 503, "application/json", h.json());
        }));
        server.createContext("/", ex -> serve(ex, () -> ex.getRequestURI().getPath().equals("/")
                ? new Answer(200, "text/plain; charset=utf-8", "netsensor: /metrics (Prometheus text), /health (JSON)\n".getBytes(StandardCharsets.UTF_8))
                : new Answer(404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n".getBytes(StandardCharsets.UTF_8))));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netsensor-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new OpsServer(server, executor);
    }

    /** The bound address (port 0 in the config picks a free one). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** "http://127.0.0.1:9464". */
    public String baseUrl() {
        return "http://" + text(address());
    }

    static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private record Answer(int status, String type, byte[] body) {}

    private interface Body {
        Answer get() throws IOException;
    }

    private static void serve(HttpExchange ex, Body body) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Answer a;
            try {
                a = body.get();
            } catch (IOException | RuntimeException e) { // a scrape must not take the agent down, nor hang
                a = new Answer(500, "text/plain; charset=utf-8", ("error: " + e + "\n").getBytes(StandardCharsets.UTF_8));
            }
            ex.getResponseHeaders().set("Content-Type", a.type());
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(a.status(), -1);
                return;
            }
            ex.sendResponseHeaders(a.status(), a.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
