package io.netsensor.fleet;

import io.netsensor.detectors.dga.DgaModel;
import io.netsensor.events.Ip;
import io.netsensor.events.IpRanges;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per destination (the stream is partitioned by it): counts the hosts that contact it, publishes its
 * prevalence, and raises the fleet rules that need every host's view of one destination. Event time
 * throughout: "now" is the latest event time this task has seen, kept in the store with the time of its
 * first record (so "new to the fleet" survives a fail-over). A wall-clock punctuator forgets destinations
 * silent past the retention and tombstones their prevalence.
 */
final class DestinationProcessor implements Processor<String, Observation, String, FleetOutput> {
    static final String STORE = "destinations";
    /** The task's clock: first and latest event time seen; not a destination (no prefix is empty). */
    private static final String CLOCK = "";

    private final FleetSettings cfg;
    private final FleetMetrics metrics;
    private final IpRanges allowCidrs;
    private final List<String> allowDomains;
    private final double minDgaScore;
    private final DgaModel.Scorer scorer;
    private ProcessorContext<String, FleetOutput> context;
    private KeyValueStore<String, DestinationState> store;
    private long sinceMs = Long.MAX_VALUE, nowMs = Long.MIN_VALUE;

    DestinationProcessor(FleetSettings cfg, FleetMetrics metrics) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.allowCidrs = IpRanges.of(cfg.allowlist.cidrs);
        this.allowDomains = cfg.allowlist.domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        DgaModel model = DgaModel.bundled();
        this.minDgaScore = cfg.sharedNames.minScore >= 0 ? cfg.sharedNames.minScore : model.threshold01pct;
        this.scorer = model.newScorer();
    }

    @Override
    public void init(ProcessorContext<String, FleetOutput> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        DestinationState clock = store.get(CLOCK);
        if (clock != null) {
            sinceMs = clock.firstSeenMs;
            nowMs = clock.lastSeenMs;
        }
        context.schedule(cfg.prevalence.purgeInterval, PunctuationType.WALL_CLOCK_TIME, t -> purge());
    }

    @Override
    public void process(Record<String, Observation> record) {
        Observation o = record.value();
        String key = record.key();
        if (o == null || key == null || key.isEmpty()) return;
        metrics.observations.inc();
        // a CONN row's first connection may be up to an interval before the row's end
        long first = Math.min(o.timeMs(), o.firstSeenMs());
        tick(o.timeMs());
        DestinationState s = store.get(key);
        if (s == null) s = new DestinationState(first);
        s.firstSeenMs = Math.min(s.firstSeenMs, first);
        s.lastSeenMs = Math.max(s.lastSeenMs, o.timeMs());
        s.contacts++;
        s.connections += o.source() == Observation.Source.CONN_ROW ? o.connections() : 0;
        s.cdn |= o.cdn();
        HostContact h = s.host(o.host(), o.timeMs(), cfg.prevalence.maxHostsPerDestination, cfg.prevalence.retention.toMillis());
        if (h == null) {
            s.overflowContacts++;
            metrics.overflow.inc();
        } else {
            h.seen(first);
            h.seen(o.timeMs());
            switch (o.source()) {
                case CONN_ROW -> {
                    if (o.beaconCandidate()) h.connRow(o.intervalStartMs(), o.connections(), o.firstSeenMs(), o.lastSeenMs());
                }
                case DNS_ROW -> h.nxdomains += o.nxdomains();
                case BEACON_ALERT -> h.agentPeriodS = o.value();
                case DGA_ALERT -> h.dgaFlagged = true;
            }
            if (!allowed(key)) detect(key, s, h, record.timestamp());
        }
        store.put(key, s);
        context.forward(new Record<>(key, FleetOutput.prevalence(Prevalence.json(key, s, cfg.prevalence.maxHostsPerDestination)), record.timestamp()));
    }

    private void tick(long t) {
        boolean changed = false;
        if (t < sinceMs) {
            sinceMs = t;
            changed = true;
        }
        if (t > nowMs) {
            nowMs = t;
            changed = true;
        }
        if (changed) {
            DestinationState clock = new DestinationState(sinceMs);
            clock.lastSeenMs = nowMs;
            store.put(CLOCK, clock);
        }
    }

    /** New to the fleet: first seen after the learning period, and within the rule's window of now. */
    private boolean isNew(DestinationState s, Duration within) {
        return s.firstSeenMs >= sinceMs + cfg.learning.toMillis() && s.firstSeenMs >= nowMs - within.toMillis();
    }

    private void detect(String key, DestinationState s, HostContact h, long ts) {
        if (Observation.isIp(key)) {
            if (s.cdn) return; // shared edges: a new CDN address is neither rare nor spreading
            if (cfg.rare.enabled) rare(key, s, h, ts);
            if (cfg.botnet.enabled) botnet(key, s, ts);
            if (cfg.spreader.enabled) spreader(key, s, ts);
        } else if (cfg.sharedNames.enabled && !s.cdn) {
            sharedNames(key, s, ts);
        }
    }

    private void rare(String key, DestinationState s, HostContact h, long ts) {
        if (h.rareAlerted || !h.beaconLike(cfg.beacon) || !isNew(s, cfg.rare.newWithin)) return;
        int hosts = s.hostsWithin(nowMs, Prevalence.WEEK);
        if (hosts > cfg.rare.maxHosts || s.saturated(cfg.prevalence.maxHostsPerDestination)) return;
        h.rareAlerted = true;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("hosts_7d", hosts);
        ev.put("fleet_first_seen", Instant.ofEpochMilli(s.firstSeenMs).toString());
        ev.put("period_s", round(h.periodS()));
        ev.put("active_intervals", h.intervals);
        ev.put("connections", h.connections);
        ev.put("period_source", h.agentPeriodS > 0 ? "agent_beacon_alert" : "telemetry");
        String summary = String.format(Locale.ROOT, "%s beacons every ~%.0f s to %s, which %d host(s) of the fleet know, first seen %s",
                h.host, h.periodS(), Observation.subject(key), hosts, Instant.ofEpochMilli(s.firstSeenMs));
        raise(FleetRule.RARE_BEACON, key, h.host, h.beaconFirstMs == Long.MAX_VALUE ? h.firstMs : h.beaconFirstMs, h.lastMs,
                h.connections, summary, ev, ts);
    }

    private void botnet(String key, DestinationState s, long ts) {
        if ((s.alerted & DestinationState.BOTNET) != 0) return;
        List<HostContact> beaconing = new ArrayList<>();
        for (HostContact c : s.hosts.values()) if (c.beaconLike(cfg.beacon) && c.periodS() > 0) beaconing.add(c);
        if (beaconing.size() < cfg.botnet.minHosts) return;
        double[] periods = beaconing.stream().mapToDouble(HostContact::periodS).sorted().toArray();
        double median = periods[periods.length / 2];
        List<HostContact> alike = beaconing.stream()
                .filter(c -> Math.abs(c.periodS() - median) <= cfg.botnet.periodTolerance * median).toList();
        if (alike.size() < cfg.botnet.minHosts) return;
        s.alerted |= DestinationState.BOTNET;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("hosts", FleetAlerts.sorted(alike.stream().map(c -> c.host).toList()));
        ev.put("beaconing_hosts", alike.size());
        ev.put("period_median_s", round(median));
        Map<String, Object> periodsByHost = new LinkedHashMap<>();
        for (HostContact c : alike) periodsByHost.put(c.host, round(c.periodS()));
        ev.put("periods_s", periodsByHost);
        ev.put("hosts_7d", s.hostsWithin(nowMs, Prevalence.WEEK));
        ev.put("fleet_first_seen", Instant.ofEpochMilli(s.firstSeenMs).toString());
        long first = alike.stream().mapToLong(c -> c.firstMs).min().orElse(s.firstSeenMs);
        long conns = alike.stream().mapToLong(c -> c.connections).sum();
        String summary = String.format(Locale.ROOT, "%d hosts beacon to %s with the same period (~%.0f s): %s", alike.size(),
                Observation.subject(key), median, String.join(", ", FleetAlerts.sorted(alike.stream().map(c -> c.host).toList())));
        raise(FleetRule.BOTNET, key, null, first, nowMs, conns, summary, ev, ts);
    }

    private void spreader(String key, DestinationState s, long ts) {
        if ((s.alerted & DestinationState.SPREADER) != 0 || !isNew(s, cfg.rare.newWithin)) return;
        long until = s.firstSeenMs + cfg.spreader.window.toMillis();
        List<String> early = new ArrayList<>();
        for (HostContact c : s.hosts.values()) if (c.firstMs <= until) early.add(c.host);
        if (early.size() < cfg.spreader.minHosts) return;
        s.alerted |= DestinationState.SPREADER;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("hosts", FleetAlerts.sorted(early));
        ev.put("hosts_within_window", early.size());
        ev.put("window_s", cfg.spreader.window.toSeconds());
        ev.put("fleet_first_seen", Instant.ofEpochMilli(s.firstSeenMs).toString());
        String summary = String.format(Locale.ROOT, "%d hosts contacted %s, new to the fleet, within %d s of its first contact",
                early.size(), Observation.subject(key), cfg.spreader.window.toSeconds());
        raise(FleetRule.SPREADER, key, null, s.firstSeenMs, nowMs, early.size(), summary, ev, ts);
    }

    private void sharedNames(String key, DestinationState s, long ts) {
        if ((s.alerted & DestinationState.SHARED_NAMES) != 0) return;
        List<String> flagged = new ArrayList<>(), failing = new ArrayList<>();
        for (HostContact c : s.hosts.values()) {
            if (c.dgaFlagged) flagged.add(c.host);
            else if (c.nxdomains > 0) failing.add(c.host);
        }
        if (flagged.size() + failing.size() < cfg.sharedNames.minHosts) return;
        // failing alone is not enough (typos and retired names fail on many hosts): the name must look machine-made
        if (!failing.isEmpty() && Double.isNaN(s.dgaScore)) s.dgaScore = scorer.score(Observation.subject(key));
        List<String> hosts = new ArrayList<>(flagged);
        if (s.dgaScore >= minDgaScore) hosts.addAll(failing);
        if (hosts.size() < cfg.sharedNames.minHosts) return;
        s.alerted |= DestinationState.SHARED_NAMES;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("domain", Observation.subject(key));
        ev.put("hosts", FleetAlerts.sorted(hosts));
        ev.put("hosts_flagged_by_agent_dga", flagged.size());
        ev.put("hosts_nxdomain", s.hosts.values().stream().filter(c -> c.nxdomains > 0).count());
        ev.put("dga_score", Double.isNaN(s.dgaScore) ? null : round(s.dgaScore));
        ev.put("dga_score_threshold", round(minDgaScore));
        String summary = String.format(Locale.ROOT, "%d hosts look up the machine-made domain %s, which fails: %s",
                hosts.size(), Observation.subject(key), String.join(", ", FleetAlerts.sorted(hosts)));
        raise(FleetRule.SHARED_NAMES, key, null, s.firstSeenMs, nowMs, hosts.size(), summary, ev, ts);
    }

    private void raise(FleetRule rule, String key, String host, long first, long last, long count, String summary,
                       Map<String, Object> ev, long ts) {
        metrics.raised.get(rule).inc();
        context.forward(new Record<>(key, FleetOutput.alert(FleetAlerts.write(rule, key, host, first, last, count, summary, ev)), ts));
    }

    private boolean allowed(String key) {
        String subject = Observation.subject(key);
        if (Observation.isIp(key)) {
            if (allowCidrs.isEmpty()) return false;
            try {
                long[] ip = Ip.parse(subject);
                return allowCidrs.contains(ip[0], ip[1]);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        for (String d : allowDomains) if (subject.equals(d) || subject.endsWith("." + d)) return true;
        return false;
    }

    /** Forgets destinations no host contacted within the retention (event time) and tombstones their prevalence. */
    private void purge() {
        if (nowMs == Long.MIN_VALUE) return;
        long before = nowMs - cfg.prevalence.retention.toMillis();
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, DestinationState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, DestinationState> kv = it.next();
                if (!kv.key.isEmpty() && kv.value.lastSeenMs < before) gone.add(kv.key);
            }
        }
        for (String k : gone) {
            store.delete(k);
            context.forward(new Record<>(k, FleetOutput.prevalence(null), context.currentSystemTimeMs()));
        }
        metrics.purged.inc(gone.size());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
