package io.netsensor.sinks.kafka;

import io.netsensor.events.Alert;
import io.netsensor.events.BurstEvent;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.ProcessEvent;
import io.netsensor.sinks.RecordKind;
import io.netsensor.sinks.Sink;
import io.netsensor.sinks.encode.EcsJsonEncoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards records to Kafka with an idempotent producer ({@code acks=all}, zstd or lz4): the value is the
 * record's ECS JSON document, the key the sensor's host id (so one sensor's records stay ordered in one
 * partition), the topic one per kind ({@link KafkaOptions#topic}).
 *
 * <p>Delivery: {@link #flush()} sends the pending records, flushes the producer and checks every send's
 * result; any failure throws, and the whole batch stays pending to be sent again on the runner's retry (the
 * only time duplicates arise: some of a failed batch may have landed). The producer itself retries
 * transient broker errors within {@link KafkaOptions#deliveryTimeout()}. It is created at the first flush,
 * so a broker name that does not resolve yet at start-up is one more retried failure, not a dead sink; a
 * producer that failed outside a record (not a per-record error) is closed and made anew for the retry.
 */
public final class KafkaSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);
    private static final long LOG_REPEAT_NANOS = 60_000_000_000L;

    private final KafkaOptions options;
    private final String who;
    private final Supplier<Producer<byte[], byte[]>> factory;
    private final byte[] key;
    private final EcsJsonEncoder encoder;
    private final ArrayList<ProducerRecord<byte[], byte[]>> pending = new ArrayList<>();
    private Producer<byte[], byte[]> producer;

    private String lastLogged;
    private long lastLoggedAt;
    private int failuresSinceSuccess;
    private long delivered, flushes;

    public KafkaSink(KafkaOptions options) {
        this(options, () -> new KafkaProducer<>(options.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** With another producer (tests: Kafka's MockProducer). */
    KafkaSink(KafkaOptions options, Supplier<Producer<byte[], byte[]>> factory) {
        this.options = options;
        this.who = "kafka sink '" + options.name() + "': ";
        this.factory = factory;
        String host = options.hostId() != null ? options.hostId() : localHostName();
        this.key = host.getBytes(StandardCharsets.UTF_8);
        this.encoder = new EcsJsonEncoder(host);
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
        add(RecordKind.EVENT, encoder.conn(e));
    }

    @Override
    public void onDns(DnsEvent e) {
        add(RecordKind.EVENT, encoder.dns(e));
    }

    @Override
    public void onBurst(BurstEvent e) {
        add(RecordKind.BURST, encoder.burst(e));
    }

    @Override
    public void onProcess(ProcessEvent e) {
        encoder.process(e);
    }

    @Override
    public void onAlert(Alert a) {
        add(RecordKind.ALERT, encoder.alert(a));
    }

    @Override
    public void onTelemetry(io.netsensor.events.TelemetryRow r) {
        add(RecordKind.TELEMETRY, encoder.telemetry(r));
    }

    private void add(RecordKind kind, byte[] value) {
        // No record timestamp: the broker stamps send time. Event time can be days old (replays, a backlog after
        // an outage), and the topic's time-based retention would delete such records as soon as they land.
        pending.add(new ProducerRecord<>(options.topic(kind), null, null, key, value));
    }

    @Override
    public void flush() throws IOException {
        if (pending.isEmpty()) return;
        List<Future<RecordMetadata>> sent = new ArrayList<>(pending.size());
        try {
            if (producer == null) producer = factory.get();
            for (ProducerRecord<byte[], byte[]> r : pending) {
                Future<RecordMetadata> f = producer.send(r);
                sent.add(f);
                // Done at once means failed at once (no metadata or buffer room within max.block.ms): each
                // further send would wait as long again, so the batch stops here and fails below.
                if (f.isDone() && failedNow(f)) break;
            }
            producer.flush();
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(who + "interrupted while sending");
        } catch (KafkaException | IllegalStateException e) {
            // Not a record's failure but the producer's (it could not be made, a send timed out waiting for
            // metadata or buffer room, it is in a fatal state): start from a fresh one on the retry.
            discardProducer();
            throw fail("cannot send to " + String.join(",", options.bootstrapServers()) + ": " + describe(e));
        }
        int failed = 0;
        Throwable first = null;
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(); // done: flush() returns only when every send has completed
            } catch (ExecutionException e) {
                failed++;
                if (first == null) first = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(who + "interrupted while sending");
            }
        }
        if (failed > 0 || sent.size() < pending.size())
            throw fail(failed + " of " + pending.size() + " record(s) not acknowledged" + (sent.size() < pending.size()
                    ? " (" + (pending.size() - sent.size()) + " not sent)" : "") + ": " + describe(first) + "; sending the batch again");
        delivered += pending.size();
        flushes++;
        pending.clear();
        if (failuresSinceSuccess > 0) {
            log.info("{}delivering again after {} failure(s)", who, failuresSinceSuccess);
            failuresSinceSuccess = 0;
            lastLogged = null;
        }
    }

    private static boolean failedNow(Future<RecordMetadata> f) {
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void discardProducer() {
        if (producer == null) return;
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // closing a broken producer may fail too; it is dropped either way
        }
        producer = null;
    }

    /** Logs (rate-limited: a repeat once a minute) and returns the one-line exception for {@code flush} to throw. */
    private IOException fail(String what) {
        String msg = who + what;
        failuresSinceSuccess++;
        long now = System.nanoTime();
        if (!msg.equals(lastLogged) || now - lastLoggedAt >= LOG_REPEAT_NANOS) {
            log.warn("{}", msg);
            lastLogged = msg;
            lastLoggedAt = now;
        }
        return new IOException(msg);
    }

    /** An exception as one line: its type and message, and its root cause's when that says more. */
    static String describe(Throwable e) {
        if (e == null) return "unknown error";
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = e.getMessage();
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (msg != null && !msg.isBlank()) b.append(": ").append(msg);
        if (root != e && root.getMessage() != null && (msg == null || !msg.contains(root.getMessage())))
            b.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        String s = b.toString().replaceAll("[\\r\\n\\t]+", " ");
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
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

    /** Records the brokers acknowledged. */
    public long delivered() {
        return delivered;
    }

    public long flushes() {
        return flushes;
    }

    public KafkaOptions options() {
        return options;
    }

    @Override
    public void close() {
        if (producer == null) return;
        try {
            // pending records were not acknowledged and are not stored as delivered: they are re-sent at the next start
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("{}closing the producer: {}", who, describe(e));
        }
        producer = null;
    }

    @Override
    public String toString() {
        return "KafkaSink[" + options.name() + ", " + options.bootstrapServers() + "]";
    }
}
