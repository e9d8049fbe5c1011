package io.netsensor.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Runs the fleet topology as one Kafka Streams instance: exactly-once (v2) processing, state in RocksDB under
 * the state directory. Instances with the same application id share the input partitions; when one dies,
 * the others take its tasks over and restore their stores from the changelogs.
 */
public final class FleetApp implements AutoCloseable {
    private final FleetSettings cfg;
    private final String bootstrap;
    private final FleetMetrics metrics = new FleetMetrics();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable fatal;
    private KafkaStreams streams;

    public FleetApp(FleetSettings cfg, String bootstrap) {
        this.cfg = cfg;
        this.bootstrap = bootstrap;
    }

    Properties properties() {
        Properties p = new Properties();
        p.putAll(cfg.streamsProperties);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, cfg.stateDir);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, cfg.threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, cfg.commitInterval.toMillis());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, cfg.replication);
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // KIP-714 client metrics push: the fleet reports to no one it was not told to
        // (Booleans, not text: Streams reads these originals uncoerced)
        p.putIfAbsent("enable.metrics.push", Boolean.FALSE);
        p.putIfAbsent(StreamsConfig.mainConsumerPrefix("enable.metrics.push"), Boolean.FALSE);
        p.putIfAbsent(StreamsConfig.producerPrefix("enable.metrics.push"), Boolean.FALSE);
        p.putIfAbsent(StreamsConfig.adminClientPrefix("enable.metrics.push"), Boolean.FALSE);
        return p;
    }

    /** Checks the input topics, creates the output topics when missing, and starts processing. */
    public void start() throws FleetException, InterruptedException {
        try {
            Files.createDirectories(Path.of(cfg.stateDir));
        } catch (java.io.IOException e) {
            throw new FleetException("cannot create the state directory " + cfg.stateDir + ": " + e.getMessage());
        }
        prepareTopics();
        streams = new KafkaStreams(FleetTopology.build(cfg, metrics), properties());
        streams.setUncaughtExceptionHandler(e -> {
            fatal = e;
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) stopped.countDown();
        });
        streams.start();
    }

    private void prepareTopics() throws FleetException, InterruptedException {
        Properties a = new Properties();
        a.putAll(cfg.streamsProperties);
        a.keySet().removeIf(k -> !AdminClientConfig.configNames().contains(k.toString()));
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        a.put("enable.metrics.push", "false");
        try (Admin admin = Admin.create(a)) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String in : List.of(cfg.topics.telemetry, cfg.topics.alerts)) {
                if (!names.contains(in))
                    throw new FleetException("input topic " + in + " does not exist on " + bootstrap
                            + ": create it (or start an agent whose kafka sink writes it) and run again");
            }
            Map<String, TopicDescription> in = admin.describeTopics(List.of(cfg.topics.telemetry)).allTopicNames().get(30, TimeUnit.SECONDS);
            int partitions = in.get(cfg.topics.telemetry).partitions().size();
            Optional<Short> rf = cfg.replication < 0 ? Optional.empty() : Optional.of((short) cfg.replication);
            List<NewTopic> create = new ArrayList<>();
            if (!names.contains(cfg.topics.prevalence))
                create.add(new NewTopic(cfg.topics.prevalence, Optional.of(partitions), rf)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            if (!names.contains(cfg.topics.fleetAlerts)) create.add(new NewTopic(cfg.topics.fleetAlerts, Optional.of(partitions), rf));
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // another instance starting at the same time made them: fine
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) throw e;
                }
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new FleetException("cannot reach Kafka at " + bootstrap + ": " + c.getClass().getSimpleName()
                    + (c.getMessage() != null ? ": " + c.getMessage().split("\n")[0] : ""));
        }
    }

    /** Waits until the instance stops (closed, or a fatal error); returns the error, or null. */
    public Throwable awaitStop() throws InterruptedException {
        stopped.await();
        return fatal;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    public String summary() {
        return metrics.summary();
    }

    FleetMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (streams != null) streams.close(java.time.Duration.ofSeconds(30));
        stopped.countDown();
    }

    /** A failure to report to the user as one line. */
    public static final class FleetException extends Exception {
        public FleetException(String message) {
            super(message);
        }
    }
}
