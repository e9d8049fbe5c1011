package io.netsensor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.agent.Sensor;
import io.netsensor.capture.decode.LinkTypes;
import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.source.PacketSource;
import io.netsensor.capture.source.PcapFileSource;
import io.netsensor.testkit.pcap.Frames;
import io.netsensor.testkit.pcap.PcapWriter;
import io.netsensor.config.SettingsLoader;
import io.netsensor.events.ConnEvent;
import io.netsensor.events.DnsEvent;
import io.netsensor.events.EventHandler;
import io.netsensor.events.TelemetryRow;
import io.netsensor.format.CefEncoder;
import io.netsensor.format.EncoderContext;
import io.netsensor.format.OcsfEncoder;
import io.netsensor.journal.Journal;
import io.netsensor.journal.JournalReader;
import io.netsensor.sinks.encode.EcsJsonEncoder;
import io.netsensor.telemetry.RollupSettings;
import io.netsensor.telemetry.Rollups;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figure of issue 9: bytes a SIEM receives per hour from a busy host, every connection and DNS record as a
 * raw ECS event vs the summarized telemetry (Rollups, default 60 s interval and caps), each as the sinks frame
 * them (one document per line). Not a timed test: it decodes, rolls up, encodes and prints; the figure is in
 * the README. Two captures of one hour of event time each:
 * <ul>
 *   <li>the bench's gateway mix (SyntheticCapture, `netsensor bench`'s 2,000,000 packets) spread over an hour
 *       (its packets are 1-2 µs apart; stretched, it is ~67 new flows a second). Every flow in it has a new
 *       client/server/port tuple (the generator counts addresses up), the worst case for rollups: they can only
 *       merge a flow's OPEN and END records;</li>
 *   <li>a busy host: 25 TCP sessions a second to 400 peers and 5 lookups a second of 300 names, each drawn
 *       log-uniformly (a few peers get most of the traffic, as on real hosts), and NTP.</li>
 * </ul>
 * It writes ~1.2 GB of captures and takes a minute or more, so it runs only when asked (-Dnetsensor.figure=true):
 * {@code mvn -B -o -q -pl agent -am verify -Dnetsensor.figure=true -Dtest=TelemetryVolumeFigureTest
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}; the table is on stdout.
 */
class TelemetryVolumeFigureTest {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z, SyntheticCapture's start

    @TempDir
    Path dir;

    record Volume(String capture, long records, long rows, long ecsRaw, long ecsRollup, long ocsfRaw, long ocsfRollup,
                  long cefRaw, long cefRollup, long rows5m, long ecsRollup5m, long hours) {
        double ratio(long raw, long rollup) {
            return (double) raw / rollup;
        }

        String line() {
            return String.format("%-36s %7d records/h %7d rows/h | ECS %6.1f MiB/h raw, %6.2f MiB/h rollups: %5.1fx | OCSF %5.1fx | CEF %5.1fx"
                            + " | 300 s rollups: %6d rows/h, ECS %5.1fx",
                    capture, records / hours, rows / hours, ecsRaw / (double) hours / (1 << 20), ecsRollup / (double) hours / (1 << 20),
                    ratio(ecsRaw, ecsRollup), ratio(ocsfRaw, ocsfRollup), ratio(cefRaw, cefRollup), rows5m / hours, ratio(ecsRaw, ecsRollup5m));
        }
    }

    @Test
    void rawEventsVersusRollupsPerHour() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("netsensor.figure"), "the figure runs with -Dnetsensor.figure=true");
        Path bench = dir.resolve("bench.pcap");
        new SyntheticCapture(42).write(bench, 2_000_000);
        Path stretched = stretch(bench, dir.resolve("bench-hour.pcap"), HOUR);
        Volume gateway = measure("bench gateway mix, stretched to 1 h", stretched);
        Volume busy = measure("busy host, 1 h", busyHost(dir.resolve("busy.pcap")));
        System.out.println("bytes forwarded per hour: raw events vs summarized telemetry (60 s rollups)");
        System.out.println(gateway.line());
        System.out.println(busy.line());
        // what the figure rests on, not its size: both kinds were counted, and rollups are never the larger
        assertThat(gateway.records()).isGreaterThan(200_000);
        assertThat(busy.records()).isGreaterThan(100_000);
        assertThat(gateway.ecsRollup()).isLessThan(gateway.ecsRaw());
        assertThat(busy.ratio(busy.ecsRaw(), busy.ecsRollup())).isGreaterThan(gateway.ratio(gateway.ecsRaw(), gateway.ecsRollup()));
    }

    /** Decodes the capture into a journal (as `bench`'s full path does), then encodes every record and every rollup row. */
    private Volume measure(String name, Path pcap) throws Exception {
        Path data = Files.createTempDirectory(dir, "journal");
        try (Sensor sensor = Sensor.open(SettingsLoader.defaults(), data, List.of()); PacketSource src = PcapFileSource.open(pcap)) {
            src.run(sensor.pipeline);
            sensor.pipeline.finish(sensor.pipeline.lastTimestamp());
        }
        EcsJsonEncoder ecs = new EcsJsonEncoder("gw-1");
        OcsfEncoder ocsf = new OcsfEncoder(EncoderContext.of("gw-1"));
        CefEncoder cef = new CefEncoder(EncoderContext.of("gw-1"));
        long[] n = new long[10]; // records, rows, ecs raw, ecs rollup, ocsf raw, ocsf rollup, cef raw, cef rollup, 300 s rows, ecs
        RollupSettings d = RollupSettings.defaults();
        EcsJsonEncoder ecs5 = new EcsJsonEncoder("gw-1");
        Rollups fiveMinutes = new Rollups(new RollupSettings(java.time.Duration.ofSeconds(300), d.maxRows(), d.maxNames(), d.nameCacheSize()),
                (TelemetryRow r) -> {
                    n[8]++;
                    n[9] += ecs5.telemetry(r).length + 1;
                });
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        Rollups rollups = new Rollups(RollupSettings.defaults(), (TelemetryRow r) -> {
            n[1]++;
            n[3] += ecs.telemetry(r).length + 1; // + the newline that frames a document
            n[5] += ocsf.telemetry(r).length + 1;
            n[7] += cef.telemetry(r).length() + 1;
        });
        EventHandler h = new EventHandler() {
            @Override
            public void onConn(ConnEvent e) {
                n[0]++;
                n[2] += ecs.conn(e).length + 1;
                n[4] += ocsf.conn(e).length + 1;
                n[6] += cef.conn(e).length() + 1;
                span[0] = Math.min(span[0], e.startNanos);
                span[1] = Math.max(span[1], e.endNanos);
                rollups.onConn(e);
                fiveMinutes.onConn(e);
            }

            @Override
            public void onDns(DnsEvent e) {
                n[0]++;
                n[2] += ecs.dns(e).length + 1;
                n[4] += ocsf.dns(e).length + 1;
                n[6] += cef.dns(e).length() + 1;
                rollups.onDns(e);
                fiveMinutes.onDns(e);
            }
        };
        try (Journal journal = Sensor.openJournal(SettingsLoader.defaults(), data, false); JournalReader r = journal.reader()) {
            while (r.poll(h, 4096) > 0) {
                // to the end of the journal
            }
        }
        rollups.finish();
        fiveMinutes.finish();
        long hours = Math.max(1, Math.round((span[1] - span[0]) / (double) HOUR));
        return new Volume(name, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], hours);
    }

    /** A copy of a nanosecond pcap whose packet times are spread linearly over {@code length} from the first one. */
    static Path stretch(Path in, Path out, long length) throws IOException {
        long first = -1, last = 0;
        try (DataInputStream s = new DataInputStream(new BufferedInputStream(Files.newInputStream(in), 1 << 20))) {
            s.skipNBytes(24);
            byte[] h = new byte[16];
            while (read(s, h)) {
                ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
                long ts = (b.getInt(0) & 0xFFFFFFFFL) * 1_000_000_000L + b.getInt(4);
                if (first < 0) first = ts;
                last = ts;
                s.skipNBytes(b.getInt(8));
            }
        }
        double factor = (double) length / Math.max(1, last - first);
        try (DataInputStream s = new DataInputStream(new BufferedInputStream(Files.newInputStream(in), 1 << 20));
             OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            byte[] fileHeader = new byte[24];
            s.readFully(fileHeader);
            o.write(fileHeader);
            byte[] h = new byte[16];
            byte[] frame = new byte[65_536];
            while (read(s, h)) {
                ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
                long ts = (b.getInt(0) & 0xFFFFFFFFL) * 1_000_000_000L + b.getInt(4);
                long t = first + Math.round((ts - first) * factor);
                b.putInt(0, (int) (t / 1_000_000_000L)).putInt(4, (int) (t % 1_000_000_000L));
                int len = b.getInt(8);
                s.readFully(frame, 0, len);
                o.write(h);
                o.write(frame, 0, len);
            }
        }
        return out;
    }

    private static boolean read(InputStream s, byte[] h) throws IOException {
        try {
            new DataInputStream(s).readFully(h);
            return true;
        } catch (EOFException e) {
            return false;
        }
    }

    /**
     * One hour of a busy host, 10.0.0.5, in 10 ms ticks (each conversation fits in its tick): a TCP session every
     * 4th tick (25/s) to one of 400 peers on 443 (85 %), 80 (10 %) or SSH to one of 5 LAN hosts; an A lookup every
     * 20th (5/s) of one of 300 names under 60 domains; NTP every 64 s.
     */
    static Path busyHost(Path file) throws IOException {
        SplittableRandom rnd = new SplittableRandom(9);
        String host = "10.0.0.5";
        int port = 40_000;
        try (PcapWriter w = PcapWriter.pcap(file, LinkTypes.ETHERNET)) {
            for (long tick = 0; tick < HOUR / 10_000_000L; tick++) {
                long t = T0 + tick * 10_000_000L;
                if (++port > 60_000) port = 40_000;
                if (tick % 4 == 0) {
                    int u = rnd.nextInt(100);
                    int rank = logUniform(rnd, 400);
                    String peer = u < 95 ? "198.18." + rank / 200 + "." + (1 + rank % 200) : "10.0.1." + (1 + rnd.nextInt(5));
                    int service = u < 85 ? 443 : u < 95 ? 80 : 22;
                    session(w, t, host, port, peer, service, 200 + rnd.nextInt(800), 500 + rnd.nextInt(20_000));
                } else if (tick % 20 == 2) {
                    int name = logUniform(rnd, 300);
                    dns(w, t, host, port, "10.0.0.1", "n" + name + ".d" + (name % 60) + ".example", (int) (tick & 0xFFFF), name);
                } else if (tick % 6400 == 3) {
                    w.write(t, Frames.ipv4(host, "192.0.2.123").udp(123, 123).payload(new byte[48]).build());
                    w.write(t + 2_000_000, Frames.ipv4("192.0.2.123", host).udp(123, 123).payload(new byte[48]).build());
                }
            }
        }
        return file;
    }

    /** 0..n-1, small values far likelier (log-uniform, roughly Zipf's 1/rank). */
    private static int logUniform(SplittableRandom rnd, int n) {
        return Math.min(n - 1, (int) Math.floor(Math.pow(n + 1, rnd.nextDouble())) - 1);
    }

    private static void session(PcapWriter w, long t, String c, int cp, String s, int sp, int sent, int received) {
        long cs = 1000, ss = 5000, ms = 1_000_000;
        w.write(t, Frames.ipv4(c, s).tcp(cp, sp).flags(PacketView.SYN).seq(cs).build());
        w.write(t + ms, Frames.ipv4(s, c).tcp(sp, cp).flags(PacketView.SYN | PacketView.ACK).seq(ss).ack(cs + 1).build());
        w.write(t + 2 * ms, Frames.ipv4(c, s).tcp(cp, sp).flags(PacketView.ACK).seq(cs + 1).ack(ss + 1).build());
        w.write(t + 3 * ms, Frames.ipv4(c, s).tcp(cp, sp).flags(PacketView.PSH | PacketView.ACK).seq(cs + 1).ack(ss + 1).payload(new byte[sent]).build());
        long c1 = cs + 1 + sent;
        // the response in full-size segments, as a server sends it
        long s1 = ss + 1;
        int left = received;
        long at = t + 4 * ms;
        while (left > 0) {
            int seg = Math.min(1460, left);
            w.write(at, Frames.ipv4(s, c).tcp(sp, cp).flags(PacketView.PSH | PacketView.ACK).seq(s1).ack(c1).payload(new byte[seg]).build());
            s1 += seg;
            left -= seg;
            at += 100_000;
        }
        w.write(at + ms, Frames.ipv4(c, s).tcp(cp, sp).flags(PacketView.FIN | PacketView.ACK).seq(c1).ack(s1).build());
        w.write(at + 2 * ms, Frames.ipv4(s, c).tcp(sp, cp).flags(PacketView.FIN | PacketView.ACK).seq(s1).ack(c1 + 1).build());
        w.write(at + 3 * ms, Frames.ipv4(c, s).tcp(cp, sp).flags(PacketView.ACK).seq(c1 + 1).ack(s1 + 1).build());
    }

    /** An A lookup answered with one address, built on the wire by hand (format and agent tests share no DNS builder). */
    private static void dns(PcapWriter w, long t, String c, int cp, String resolver, String name, int id, int addr) {
        ByteBuffer q = ByteBuffer.allocate(512);
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) q.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        q.put((byte) 0).putShort((short) 1).putShort((short) 1);
        int qlen = q.position();
        byte[] query = java.util.Arrays.copyOf(q.array(), qlen);
        ByteBuffer r = ByteBuffer.allocate(512);
        r.put(query);
        r.putShort(2, (short) 0x8180).putShort(6, (short) 1);
        r.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(300).putShort((short) 4)
                .put(new byte[] {(byte) 198, 18, (byte) (addr / 200), (byte) (1 + addr % 200)});
        byte[] response = java.util.Arrays.copyOf(r.array(), r.position());
        w.write(t, Frames.ipv4(c, resolver).udp(cp, 53).payload(query).build());
        w.write(t + 3_000_000, Frames.ipv4(resolver, c).udp(53, cp).payload(response).build());
    }
}
