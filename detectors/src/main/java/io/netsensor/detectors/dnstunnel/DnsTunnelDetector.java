package io.netsensor.detectors.dnstunnel;

import io.netsensor.detectors.AlertIds;
import io.netsensor.detectors.AlertSink;
import io.netsensor.detectors.BoundedStates;
import io.netsensor.detectors.Detector;
import io.netsensor.detectors.DetectorSettings;
import io.netsensor.detectors.dga.CdnSuffixes;
import io.netsensor.detectors.dga.DomainName;
import io.netsensor.detectors.dga.PublicSuffixes;
import io.netsensor.events.Alert;
import io.netsensor.events.Attribution;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.Direction;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.Ip;
import io.netsensor.events.Severity;
import io.netsensor.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * C2 over DNS and DNS tunnels (iodine, dns2tcp, dnscat2, TXT stagers): data carried in query names and
 * answers. Per local host (process, when attributed) and zone, over the last one to two windows (default
 * 10 min), it counts the distinct names asked, the names whose labels look encoded ({@link NameShape}),
 * the record types tunnels use (TXT, NULL, CNAME, MX, private-use), name and answer sizes, and the
 * distinct TXT answers that carry encoded data.
 *
 * <p>A zone alerts when a host asked for at least {@code minUniqueNames} distinct names under it and two
 * or more of these hold, one of them about content (encoded labels, tunnel types, NULL/private types):
 * encoded labels in half its names; tunnel types in half its queries; NULL/private queries; names
 * payload-sized (mean &gt;= 30 bytes in front of the zone); answers payload-sized (mean &gt;= 100 bytes);
 * four times the distinct names needed. Medium with two, High with three, Critical with four or more. A
 * TXT stager or command channel (few names, data in the answers) alerts Medium with
 * {@code minEncodedTxt} distinct encoded TXT answers.
 *
 * <p>Never counted: names under {@link CdnSuffixes} and {@link LookupZones} (block lists, anti-virus
 * and reputation look-ups, which encode a question in each name by design), reversed addresses in front
 * of any zone (block-list shape), underscored labels (DNS-SD, SRV, DKIM, DMARC, ACME), local names
 * (.local mDNS, .lan, .home, .arpa ...), PTR, single-label names, and queries a remote client sends to a
 * local server (INBOUND). A name under an unknown top-level label is grouped by the server asked, since
 * only that server can answer it (dnscat2's direct mode).
 *
 * <p>Memory per (host, zone): ~1 KB (two 200-byte generations, samples, key and map entry); at most
 * {@code maxKeys} keys (4096: ~4 MB), least recently used evicted first (counted), idle ones expired
 * after two windows.
 */
public final class DnsTunnelDetector implements Detector {
    private static final int QTYPE_CNAME = 5, QTYPE_NULL = 10, QTYPE_PTR = 12, QTYPE_MX = 15, QTYPE_TXT = 16;
    private static final String[] LOCAL_TLDS = {"arpa", "local", "localdomain", "lan", "home", "internal",
        "intranet", "corp", "localhost", "invalid", "test", "home.arpa"};
    private static final long BY_SERVER = 0x5EB7E3A11D0C0FFEL;

    private final DetectorSettings.DnsTunnel cfg;
    private final long windowNanos;
    private final DomainName name = new DomainName();
    private final BoundedStates<ZoneKey, ZoneActivity> states;
    private final ZoneKey probe = new ZoneKey();
    private long watermark = Long.MIN_VALUE;
    private long events, alerts, ignoredInbound, ignoredLocal, ignoredService, ignoredLookup, ignoredCdn, badNames;

    public DnsTunnelDetector(DetectorSettings.DnsTunnel cfg) {
        this.cfg = cfg;
        this.windowNanos = cfg.window.toNanos();
        this.states = new BoundedStates<>(cfg.maxKeys, 2 * windowNanos, z -> z.lastSeen);
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.DNS_TUNNEL;
    }

    @Override
    public void onDns(DnsEvent e, AlertSink out) {
        events++;
        if (e.direction == Direction.INBOUND) {
            ignoredInbound++;
            return;
        }
        DomainName d = name;
        if (!d.parse(e.qname, 0, e.qnameLen)) {
            badNames++;
            return;
        }
        if (d.labelCount() < 2 || e.qtype == QTYPE_PTR || isLocal(d)) {
            ignoredLocal++;
            return;
        }
        if (NameShape.underscored(d)) {
            ignoredService++;
            return;
        }
        if (CdnSuffixes.matches(d)) {
            ignoredCdn++;
            return;
        }
        if (LookupZones.matches(d)) {
            ignoredLookup++;
            return;
        }
        boolean known = PublicSuffixes.get().knownTopLevel(d);
        int reg = known ? PublicSuffixes.get().registeredLabel(d) : -1;
        if (known && reg < 0) { // the name is a public suffix itself
            ignoredLocal++;
            return;
        }
        if (known && NameShape.reversedAddress(d, reg)) {
            ignoredLookup++;
            return;
        }
        // the part in front of the zone: [0, subEnd); the whole name when grouped by server
        int subEnd = known ? d.labelStart(reg) - 1 : d.length();
        long t = e.tsNanos;
        if (t > watermark) watermark = t;
        states.expire(watermark);

        probe.host.set(e.clientIpHi, e.clientIpLo, e.clientMac);
        if (e.attribution == Attribution.RESOLVED) probe.host.setProcess(e.pid, e.processStartNanos, null);
        probe.zone = known ? d.suffixHash(reg) : BY_SERVER ^ e.serverIpHi * 0x9E3779B97F4A7C15L ^ e.serverIpLo;
        ZoneActivity z = states.get(probe);
        if (z == null) {
            z = new ZoneActivity(t);
            z.byServer = !known;
            z.serverHi = e.serverIpHi;
            z.serverLo = e.serverIpLo;
            int from = known ? d.labelStart(reg) : 0;
            z.zoneLen = Math.min(d.length() - from, ZoneActivity.SAMPLE_BYTES);
            System.arraycopy(d.bytes(), d.length() - z.zoneLen, z.zone, 0, z.zoneLen);
            states.put(probe.copy(), z);
        }
        z.gap(t);
        ZoneWindow w = z.current(Math.max(t, z.gen[z.cur].start), windowNanos);
        w.queries++;
        w.addName(d.suffixHash(d.labelCount() - 1));
        if (subEnd > 0) {
            w.nameBytes += subEnd;
            if (encodedLabels(d, known ? reg : -1)) {
                w.encodedNames++;
                if (z.samples < ZoneActivity.SAMPLES) z.addSample(d.bytes(), d.length());
            }
        }
        int q = e.qtype;
        boolean rare = q == QTYPE_NULL || (q >= 65280 && q <= 65534);
        if (rare || q == QTYPE_TXT || q == QTYPE_CNAME || q == QTYPE_MX) w.tunnelTypes++;
        if (rare) w.rareTypes++;
        if (e.responded && (rare || q == QTYPE_TXT || q == QTYPE_CNAME || q == QTYPE_MX)) {
            w.answered++;
            w.answerBytes += e.answerDataLen;
        }
        for (int i = 0; i < e.answerCount; i++) {
            if (e.answerType[i] != QTYPE_TXT || e.answerEncoding[i] != DnsEvent.RDATA_RAW) continue;
            int off = e.answerOffset[i], len = e.answerLength[i];
            if (NameShape.encodedTxt(e.answerData, off, len, cfg.encodedTxtLength, cfg.encodedSwitchRate)) {
                w.encodedTxt++;
                w.addTxtAnswer(hash(e.answerData, off, len));
            }
        }
        evaluate(z, t, out);
    }

    /** Any label in front of the zone (all labels when grouped by server) that looks like encoded data. */
    private boolean encodedLabels(DomainName d, int reg) {
        int first = reg < 0 ? 0 : reg + 1;
        for (int k = first; k < d.labelCount(); k++) {
            if (NameShape.encoded(d.bytes(), d.labelStart(k), d.labelEnd(k), cfg.encodedLabelLength,
                    cfg.encodedSwitchRate)) return true;
        }
        return false;
    }

    private static boolean isLocal(DomainName d) {
        for (String tld : LOCAL_TLDS) if (d.endsWithLabel(tld)) return true;
        return false;
    }

    /** The counts of both generations still in range, summed. */
    private static final class Totals {
        int queries, unique, encoded, types, rare, answered, encodedTxt, uniqueTxt;
        long nameBytes, answerBytes;
    }

    private final Totals totals = new Totals();

    private Totals totals(ZoneActivity z, long t) {
        Totals s = totals;
        ZoneWindow c = z.gen[z.cur], p = z.previous(t, windowNanos);
        s.queries = c.queries; s.encoded = c.encodedNames; s.types = c.tunnelTypes; s.rare = c.rareTypes;
        s.answered = c.answered; s.encodedTxt = c.encodedTxt; s.nameBytes = c.nameBytes; s.answerBytes = c.answerBytes;
        int zeros = 0;
        long txt = c.txtAnswers;
        for (int i = 0; i < c.names.length; i++) {
            long bits = p == null ? c.names[i] : c.names[i] | p.names[i];
            zeros += 64 - Long.bitCount(bits);
        }
        if (p != null) {
            s.queries += p.queries; s.encoded += p.encodedNames; s.types += p.tunnelTypes; s.rare += p.rareTypes;
            s.answered += p.answered; s.encodedTxt += p.encodedTxt; s.nameBytes += p.nameBytes;
            s.answerBytes += p.answerBytes;
            txt |= p.txtAnswers;
        }
        s.unique = Math.min(s.queries, ZoneWindow.estimate(zeros, ZoneWindow.BITS));
        s.uniqueTxt = Math.min(s.encodedTxt, ZoneWindow.estimate(64 - Long.bitCount(txt), 64));
        return s;
    }

    private void evaluate(ZoneActivity z, long t, AlertSink out) {
        if (z.alerted != null && t - z.lastAlert > 2 * windowNanos) z.alerted = null; // a new episode
        Totals s = totals(z, t);
        int points = 0;
        boolean content = false;
        boolean tunnel = s.unique >= cfg.minUniqueNames;
        if (tunnel) {
            if (s.encoded >= cfg.encodedShare * s.queries) { points++; content = true; }
            if (s.types >= cfg.tunnelTypeShare * s.queries) { points++; content = true; }
            if (s.rare >= cfg.minRareTypes) { points++; content = true; }
            if (s.nameBytes >= (long) cfg.longNameBytes * s.queries) points++;
            if (s.answered > 0 && s.answerBytes >= (long) cfg.largeAnswerBytes * s.answered) points++;
            if (s.unique >= 4 * cfg.minUniqueNames) points++;
        }
        boolean txtChannel = s.uniqueTxt >= cfg.minEncodedTxt;
        Severity sev;
        if (content && points >= 2) {
            sev = points >= 4 ? Severity.CRITICAL : points == 3 ? Severity.HIGH : Severity.MEDIUM;
        } else if (txtChannel) {
            sev = Severity.MEDIUM;
            points = 2;
        } else {
            return;
        }
        if (z.alerted != null && sev.compareTo(z.alerted) <= 0) return;
        z.alerted = sev;
        z.lastAlert = t;
        alerts++;
        out.onAlert(alert(z, s, t, sev, points, txtChannel));
    }

    private Alert alert(ZoneActivity z, Totals s, long t, Severity sev, int points, boolean txtChannel) {
        Alert.Draft a = new Alert.Draft();
        a.detector = DetectorKind.DNS_TUNNEL;
        a.severity = sev;
        a.score = Math.min(1, 0.35 + 0.15 * points);
        a.hostIp = probe.host.ipText();
        a.hostMac = probe.host.macText();
        String zone = z.byServer ? null : new String(z.zone, 0, z.zoneLen, StandardCharsets.ISO_8859_1);
        String server = z.serverHi == 0 && z.serverLo == 0 ? null : Ip.toString(z.serverHi, z.serverLo);
        if (z.byServer) {
            a.remoteIp = server;
            a.remotePort = 53;
        }
        a.firstSeenNanos = z.firstSeen;
        a.lastSeenNanos = t;
        a.count = s.queries;
        Map<String, Object> ev = a.evidence;
        ev.put(AlertIds.SUBJECT, z.byServer ? "server:" + server : zone);
        if (zone != null) ev.put("zone", zone);
        else ev.put("zone", "(no known top-level domain; grouped by the server asked)");
        if (server != null) ev.put("server", server);
        ev.put("window_minutes", cfg.window.toMinutes());
        ev.put("queries", s.queries);
        ev.put("unique_names", s.unique);
        ev.put("encoded_names", s.encoded);
        ev.put("tunnel_type_queries", s.types);
        ev.put("null_or_private_type_queries", s.rare);
        ev.put("mean_name_bytes", s.queries == 0 ? 0 : Math.round(s.nameBytes / (double) s.queries));
        ev.put("mean_answer_bytes", s.answered == 0 ? 0 : Math.round(s.answerBytes / (double) s.answered));
        ev.put("encoded_txt_answers", s.uniqueTxt);
        double span = (t - z.firstSeen) / 1e9;
        ev.put("queries_per_minute", span <= 0 ? s.queries : Math.round(600.0 * z.gaps / span) / 10.0);
        double cv = z.gapCv();
        if (cv >= 0) ev.put("interval_cv", Math.round(cv * 100) / 100.0);
        List<String> samples = new ArrayList<>(z.samples);
        for (int i = 0; i < z.samples; i++) {
            samples.add(new String(z.sample[i], 0, z.sampleLen[i], StandardCharsets.ISO_8859_1));
        }
        ev.put("sample_names", samples);
        String where = zone != null ? "under " + zone : "with no known TLD to " + server;
        if (!txtChannel || s.unique >= cfg.minUniqueNames) {
            a.summary = String.format(Locale.ROOT,
                    "DNS tunnel: %d distinct names %s in %d min (%d%% encoded, %d%% TXT/NULL/CNAME/MX, mean name %d B)",
                    s.unique, where, cfg.window.toMinutes(), pct(s.encoded, s.queries), pct(s.types, s.queries),
                    s.queries == 0 ? 0 : s.nameBytes / s.queries);
        } else {
            a.summary = String.format(Locale.ROOT, "DNS C2: %d distinct encoded TXT answers %s in %d min",
                    s.uniqueTxt, where, cfg.window.toMinutes());
        }
        return a.build();
    }

    private static int pct(int part, int whole) {
        return whole == 0 ? 0 : Math.round(100f * part / whole);
    }

    private static long hash(byte[] b, int off, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = off; i < off + len; i++) h = (h ^ (b[i] & 0xFF)) * 0x100000001b3L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    /** The common metrics and {@code detector.dns_tunnel.*}: events seen, ignored by reason, bad names. */
    @Override
    public void register(Metrics m) {
        states.register(m, kind(), () -> alerts);
        m.count("detector.dns_tunnel.events", () -> events);
        m.count(Metrics.name("detector.dns_tunnel.ignored", "reason", "inbound"), () -> ignoredInbound);
        m.count(Metrics.name("detector.dns_tunnel.ignored", "reason", "local"), () -> ignoredLocal);
        m.count(Metrics.name("detector.dns_tunnel.ignored", "reason", "service"), () -> ignoredService);
        m.count(Metrics.name("detector.dns_tunnel.ignored", "reason", "lookup_service"), () -> ignoredLookup);
        m.count(Metrics.name("detector.dns_tunnel.ignored", "reason", "cdn"), () -> ignoredCdn);
        m.count("detector.dns_tunnel.bad_names", () -> badNames);
    }
}
