package io.netsensor.detectors;
import io.netsensor.events.ProcessInfo;

import io.netsensor.events.Alert;
import io.netsensor.detectors.beacon.BeaconDetector;
import io.netsensor.detectors.c2port.C2PortDetector;
import io.netsensor.detectors.fanout.FanoutDetector;
import io.netsensor.detectors.relay.RelayDetector;
import io.netsensor.events.Attribution;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.Ip;
import io.netsensor.events.ProcessLookup;
import io.netsensor.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds every event to each detector after the allowlist, and passes their alerts through the process
 * allowlist and the {@link AlertGate} to the sink. A detector that throws on an event is counted and
 * skipped for that event: one bad record must not stop detection.
 */
public final class DetectorEngine implements EventHandler {
    private final Detector[] detectors;
    private final long[] errors;
    /** Replaceable at run time (config reload): read on the detector thread only. */
    private Allowlist allowlist;
    private final AlertGate gate;
    private final AlertSink downstream;
    private final AlertSink gated = this::route;
    private final io.netsensor.detectors.baseline.DeviceBaseline baseline;
    private long connEvents, dnsEvents, burstEvents, allowlistedEvents, allowlistedAlerts;
    /** Of allowlistedEvents: connections and bursts dropped for the name of the server they reached. */
    private long allowlistedByName;
    private io.netsensor.events.BurstEvent currentBurst;
    private io.netsensor.events.IpRanges infrastructure = io.netsensor.events.IpRanges.of();
    private long infrastructureEvents;
    private ProcessLookup processes = id -> null;
    /** The record being handled: alerts it raises about its local endpoint get its process. */
    private ConnEvent currentConn;
    private DnsEvent currentDns;

    public DetectorEngine(List<Detector> detectors, Allowlist allowlist, AlertGate gate, AlertSink sink) {
        this(detectors, allowlist, gate, sink, disabledBaseline());
    }

    private static io.netsensor.detectors.baseline.DeviceBaseline disabledBaseline() {
        DetectorSettings.Baseline off = new DetectorSettings.Baseline();
        off.enabled = false;
        off.maxKeys = 1;
        return new io.netsensor.detectors.baseline.DeviceBaseline(off);
    }

    /** With a device baseline that ranks appliances' own vendor polling low (see DeviceBaseline). */
    public DetectorEngine(List<Detector> detectors, Allowlist allowlist, AlertGate gate, AlertSink sink,
                          io.netsensor.detectors.baseline.DeviceBaseline baseline) {
        this.baseline = baseline;
        this.detectors = detectors.toArray(new Detector[0]);
        this.errors = new long[this.detectors.length];
        this.allowlist = allowlist;
        this.gate = gate;
        this.downstream = sink;
    }

    /** The network detectors enabled in {@code s}, plus {@code extra} ones (e.g. DGA) built elsewhere. */
    public static DetectorEngine standard(DetectorSettings s, AlertSink sink, Detector... extra) {
        List<Detector> list = new ArrayList<>();
        if (s.beacon.enabled) list.add(new BeaconDetector(s.beacon));
        if (s.relay.enabled) list.add(new RelayDetector(s.relay));
        if (s.fanout.enabled) list.add(new FanoutDetector(s.fanout));
        if (s.c2Port.enabled) list.add(new C2PortDetector(s.c2Port));
        if (s.scan.enabled) list.add(new io.netsensor.detectors.fanout.PortScanDetector(s.scan));
        if (s.dnsTunnel.enabled) list.add(new io.netsensor.detectors.dnstunnel.DnsTunnelDetector(s.dnsTunnel));
        list.addAll(List.of(extra));
        DetectorEngine engine = new DetectorEngine(list, new Allowlist(s.allowlist), new AlertGate(s.gate), sink,
                new io.netsensor.detectors.baseline.DeviceBaseline(s.baseline));
        engine.setKnownInfrastructure(io.netsensor.events.IpRanges.of(s.knownInfrastructure));
        return engine;
    }

    /** Remote addresses of cloud platform services whose connections no detector sees ({@link DetectorSettings#knownInfrastructure}). */
    public void setKnownInfrastructure(io.netsensor.events.IpRanges ranges) {
        this.infrastructure = ranges;
    }

    /** Sets where alerts' process details come from (default: none, alerts carry pid and start only). */
    public void setProcessLookup(ProcessLookup lookup) {
        this.processes = lookup;
        for (Detector d : detectors) d.setProcessLookup(lookup);
    }

    @Override
    public void onBurst(io.netsensor.events.BurstEvent event) {
        burstEvents++;
        if (allowlist.allowsBurst(event)) {
            allowlistedEvents++;
            return;
        }
        if (allowlist.allowsBurstName(event)) {
            allowlistedEvents++;
            allowlistedByName++;
            return;
        }
        boolean localOrig = event.direction != io.netsensor.events.Direction.INBOUND;
        if (infrastructure.contains(localOrig ? event.respIpHi : event.origIpHi, localOrig ? event.respIpLo : event.origIpLo)) {
            infrastructureEvents++;
            return;
        }
        currentBurst = event;
        for (int i = 0; i < detectors.length; i++) {
            try {
                detectors[i].onBurst(event, gated);
            } catch (RuntimeException e) {
                errors[i]++;
            }
        }
        currentBurst = null;
    }

    /** End of input: detectors bring their open alerts up to date (see {@link Detector#finish}). */
    public void finish() {
        for (int i = 0; i < detectors.length; i++) {
            try {
                detectors[i].finish(gated);
            } catch (RuntimeException e) {
                errors[i]++;
            }
        }
    }

    @Override
    public void onConn(ConnEvent event) {
        connEvents++;
        if (allowlist.allowsConn(event)) {
            allowlistedEvents++;
            return;
        }
        if (allowlist.allowsConnName(event)) {
            allowlistedEvents++;
            allowlistedByName++;
            return;
        }
        if (infrastructure.contains(ConnView.remoteHi(event), ConnView.remoteLo(event))) {
            infrastructureEvents++;
            return;
        }
        currentConn = event;
        baseline.observe(event);
        for (int i = 0; i < detectors.length; i++) {
            try {
                detectors[i].onConn(event, gated);
            } catch (RuntimeException e) {
                errors[i]++;
            }
        }
        currentConn = null;
    }

    @Override
    public void onDns(DnsEvent event) {
        dnsEvents++;
        if (allowlist.allowsDns(event)) {
            allowlistedEvents++;
            return;
        }
        currentDns = event;
        for (int i = 0; i < detectors.length; i++) {
            try {
                detectors[i].onDns(event, gated);
            } catch (RuntimeException e) {
                errors[i]++;
            }
        }
        currentDns = null;
    }

    private void route(Alert raised) {
        Alert a = baseline.adjust(raised);
        if (a.process == null) {
            ProcessInfo p = processOf(a);
            if (p != null) a = a.withProcess(p);
        }
        if (a.id == null) a = a.withId(AlertIds.of(a));
        if (allowlist.allowsAlert(a)) {
            allowlistedAlerts++;
            return;
        }
        if (gate.admit(a)) downstream.onAlert(a);
    }

    /** Learns an alert raised before a restart (read back from the journal), see {@link AlertGate#remember}. */
    public void remember(Alert journaled) {
        if (journaled.id != null) gate.remember(journaled);
    }

    /**
     * Applies a new allowlist to live state: later events are filtered by it, and alerts from state built
     * before the change (an allowlisted remote, port or process) are suppressed. Call on the detector thread.
     */
    public void setAllowlist(Allowlist allowlist) {
        this.allowlist = allowlist;
    }

    /**
     * The process of the record that raised the alert, when the alert is about that record's local
     * endpoint and the record was attributed (detectors key attributed records by process, so it is the
     * process whose activity the alert describes). Runs before the allowlist so process rules apply.
     */
    private ProcessInfo processOf(Alert a) {
        int pid;
        long start, entity;
        String localIp;
        if (currentConn != null && currentConn.attribution == Attribution.RESOLVED) {
            ConnEvent e = currentConn;
            boolean orig = ConnView.localIsOriginator(e);
            localIp = orig ? Ip.toString(e.origIpHi, e.origIpLo) : Ip.toString(e.respIpHi, e.respIpLo);
            pid = e.pid;
            start = e.processStartNanos;
            entity = e.processEntityId;
        } else if (currentBurst != null && currentBurst.attribution == Attribution.RESOLVED) {
            io.netsensor.events.BurstEvent e = currentBurst;
            boolean orig = e.direction != io.netsensor.events.Direction.INBOUND;
            localIp = orig ? Ip.toString(e.origIpHi, e.origIpLo) : Ip.toString(e.respIpHi, e.respIpLo);
            pid = e.pid;
            start = e.processStartNanos;
            entity = e.processEntityId;
        } else if (currentDns != null && currentDns.attribution == Attribution.RESOLVED) {
            DnsEvent e = currentDns;
            localIp = Ip.toString(e.clientIpHi, e.clientIpLo);
            pid = e.pid;
            start = e.processStartNanos;
            entity = e.processEntityId;
        } else {
            return null;
        }
        if (!localIp.equals(a.hostIp)) return null;
        ProcessInfo known = processes.find(entity);
        return known != null ? known : ProcessInfo.identityOnly(entity, pid, start);
    }

    public List<Detector> detectors() {
        return List.of(detectors);
    }

    /**
     * Registers the engine's metrics and every detector's ({@link Detector#register}): events in
     * ({@code detector.engine.conn_events}, {@code .dns_events}), allowlisted events and alerts
     * ({@code detector.engine.allowlisted_events}, {@code .allowlisted_alerts}; {@code .allowlisted_by_name}:
     * the connections and bursts among those events dropped for their server's name), the alert gate
     * ({@code detector.gate.passed}, {@code .suppressed}, {@code .evictions}) and each detector's errors
     * ({@code detector.errors{detector=...}}). All read the engine's own fields (detector thread).
     */
    public void register(Metrics m) {
        m.count("detector.engine.conn_events", () -> connEvents);
        m.count("detector.engine.dns_events", () -> dnsEvents);
        m.count("detector.engine.burst_events", () -> burstEvents);
        m.count("detector.engine.infrastructure_events", () -> infrastructureEvents);
        m.count("detector.engine.allowlisted_events", () -> allowlistedEvents);
        m.count("detector.engine.allowlisted_alerts", () -> allowlistedAlerts);
        m.count("detector.engine.allowlisted_by_name", () -> allowlistedByName);
        m.count("detector.gate.passed", gate::passed);
        m.count("detector.gate.suppressed", gate::suppressed);
        m.count("detector.gate.evictions", gate::evictions);
        baseline.register(m);
        for (int i = 0; i < detectors.length; i++) {
            int d = i;
            m.count(Detector.metric("errors", detectors[i].kind()), () -> errors[d]);
            detectors[i].register(m);
        }
    }
}
