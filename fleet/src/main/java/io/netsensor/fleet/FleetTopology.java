package io.netsensor.fleet;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's Kafka Streams topology:
 * <pre>
 * telemetry ─ read ─┐
 *                   ├─ merge ─ repartition by destination ─ destinations (RocksDB) ─┬─ alerts ─────────────────► fleet alerts
 * alerts ─── read ──┘                                                               ├─ prevalence ─ latest (cache) ─► prevalence (compacted)
 *                                                                                   └─ tombstones ─────────────► prevalence
 * </pre>
 * The latest-per-key cache keeps only each destination's last prevalence between commits, so the compacted
 * topic gets one record per destination and commit rather than one per telemetry row.
 */
public final class FleetTopology {
    private static final Logger log = LoggerFactory.getLogger(FleetTopology.class);

    private FleetTopology() {}

    public static Topology build(FleetSettings cfg) {
        return build(cfg, new FleetMetrics());
    }

    static Topology build(FleetSettings cfg, FleetMetrics metrics) {
        return build(cfg, metrics, true);
    }

    /**
     * @param rocksDb false: the destination store in memory (the rules' unit tests, where the test driver
     *                commits, so flushes RocksDB, after every record)
     */
    static Topology build(FleetSettings cfg, FleetMetrics metrics, boolean rocksDb) {
        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.keyValueStoreBuilder(rocksDb ? Stores.persistentKeyValueStore(DestinationProcessor.STORE)
                : Stores.inMemoryKeyValueStore(DestinationProcessor.STORE), Serdes.String(), DestinationState.serde())
                // a busy destination is rewritten per row: the cache sends RocksDB and the changelog its last state per commit
                .withCachingEnabled());
        // the parser holds scratch buffers: one per stream thread
        ThreadLocal<AgentRecords> parsers = ThreadLocal.withInitial(() -> new AgentRecords(cfg.beacon.ignoredServices));
        KStream<String, Observation> telemetry = b.stream(cfg.topics.telemetry, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("telemetry"))
                .flatMap((k, v) -> {
                    metrics.telemetry.inc();
                    return keyed(() -> parsers.get().telemetry(k, v), metrics, cfg.topics.telemetry);
                }, Named.as("read-telemetry"));
        KStream<String, Observation> alerts = b.stream(cfg.topics.alerts, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("alerts"))
                .flatMap((k, v) -> {
                    metrics.alerts.inc();
                    return keyed(() -> parsers.get().alert(k, v), metrics, cfg.topics.alerts);
                }, Named.as("read-alerts"));
        telemetry.merge(alerts, Named.as("observations"))
                .repartition(Repartitioned.with(Serdes.String(), Observation.serde()).withName("by-destination"))
                .process(() -> new DestinationProcessor(cfg, metrics), Named.as("destinations"), DestinationProcessor.STORE)
                .split(Named.as("out-"))
                .branch((k, v) -> v.alert(), Branched.withConsumer(s -> s.mapValues(FleetOutput::value)
                        .to(cfg.topics.fleetAlerts, Produced.with(Serdes.String(), Serdes.ByteArray())), "alerts"))
                .branch((k, v) -> v.value() == null, Branched.withConsumer(s -> s.mapValues(FleetOutput::value)
                        .to(cfg.topics.prevalence, Produced.with(Serdes.String(), Serdes.ByteArray())), "tombstones"))
                .defaultBranch(Branched.withConsumer(s -> s.mapValues(FleetOutput::value)
                        .toTable(Named.as("prevalence-latest"), (rocksDb ? Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as("prevalence-latest")
                                : Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore("prevalence-latest")))
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()).withLoggingDisabled())
                        .toStream(Named.as("prevalence-changes"))
                        .to(cfg.topics.prevalence, Produced.with(Serdes.String(), Serdes.ByteArray())), "prevalence"));
        return b.build();
    }

    interface Parse {
        List<Observation> run() throws AgentRecords.BadRecord;
    }

    /** The observations keyed by destination; a record that cannot be read is counted and logged (rate-limited), not fatal. */
    private static List<KeyValue<String, Observation>> keyed(Parse p, FleetMetrics metrics, String topic) {
        List<Observation> obs;
        try {
            obs = p.run();
        } catch (AgentRecords.BadRecord | RuntimeException e) {
            // a document this build cannot read must not stop the fleet: counted, logged (1..10, then powers of two)
            long n = metrics.badRecords.getCount();
            metrics.badRecords.inc();
            String why = e instanceof AgentRecords.BadRecord ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (n < 10 || Long.bitCount(n) == 1) log.warn("netsensor fleet: skipping a record of {}: {} ({} skipped so far)", topic, why, n + 1);
            return List.of();
        }
        List<KeyValue<String, Observation>> out = new ArrayList<>(obs.size());
        for (Observation o : obs) out.add(KeyValue.pair(o.destination(), o));
        return out;
    }
}
