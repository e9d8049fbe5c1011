package io.netsensor.capture.pipeline;

import io.netsensor.capture.decode.DecodeResult;
import io.netsensor.capture.decode.FrameDecoder;
import io.netsensor.capture.decode.PacketView;
import io.netsensor.capture.dns.DnsTracker;
import io.netsensor.capture.source.FrameHandler;
import io.netsensor.capture.track.ConnTracker;
import io.netsensor.metrics.Metrics;
import java.util.function.LongConsumer;

/**
 * The per-packet path: frame -> flyweight decode (every tunnel layer, as Zeek) -> connection tracking and
 * DNS transactions -> events to the trackers' handler (the journal writer). Single-threaded and
 * allocation-free; timers advance on packet time so a replay behaves as the original traffic did.
 */
public final class PacketPipeline implements FrameHandler {
    /** Trackers are asked to expire idle state at most this often in event time. */
    private static final long EXPIRY_TICK_NANOS = 1_000_000_000L;

    private final FrameDecoder decoder;
    private final ConnTracker conns;
    private final DnsTracker dns;
    private final PacketView view = new PacketView();
    private long frames;
    private long nextExpiry = Long.MIN_VALUE;
    private long lastTs = Long.MIN_VALUE;
    private long timeRegressions;
    private LongConsumer ticker;
    private final TimeGuard guard = new TimeGuard(new TimeGuard.Target() {
        @Override
        public void deliver(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen) {
            track(tsNanos, linkType, buf, off, capLen, wireLen);
        }

        @Override
        public void restartClock() {
            restart();
        }
    });

    public PacketPipeline(FrameDecoder decoder, ConnTracker conns, DnsTracker dns) {
        this.decoder = decoder;
        this.conns = conns;
        this.dns = dns;
        dns.setResolvedNames(conns.resolvedNames()); // connections learn their names from the answers
    }

    /**
     * Sets who is told the capture clock after every frame, on idle ticks, and {@code Long.MAX_VALUE} after
     * {@link #finish} (process attribution releases records it held while a lookup finished).
     */
    public void setTicker(LongConsumer ticker) {
        this.ticker = ticker;
    }

    /** Every frame passes the time guard first: a timestamp far from the running clock waits for confirmation. */
    @Override
    public void onFrame(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        frames++;
        guard.onFrame(tsNanos, linkType, buf, off, capLen, wireLen);
    }

    private void track(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        if (tsNanos < lastTs) {
            timeRegressions++; // multi-queue capture or a spliced file: trackers tolerate it, we count it
        } else {
            lastTs = tsNanos;
        }
        DecodeResult r = decoder.decode(view, tsNanos, linkType, buf, off, capLen, wireLen);
        if (r.hasIp()) {
            process(view);
            while (decoder.nextLayer(view)) process(view);
        }
        if (lastTs >= nextExpiry) advance(lastTs);
        if (ticker != null) ticker.accept(lastTs);
    }

    @Override
    public void onIdle(long nowNanos) {
        guard.onIdle(nowNanos);
        if (nowNanos >= nextExpiry) advance(nowNanos);
        else if (ticker != null) ticker.accept(Math.max(nowNanos, lastTs));
    }

    private void process(PacketView v) {
        if (v.protocol == 6 || v.protocol == 17) {
            conns.onPacket(v);
            dns.onPacket(v);
        }
    }

    /**
     * Moves the trackers' clock forward without a packet: live capture calls this with the wall clock when
     * the wire is idle, so quiet flows still time out. Replays never need it.
     */
    public void advance(long nowNanos) {
        if (nowNanos < lastTs) nowNanos = lastTs;
        conns.expire(nowNanos);
        dns.expire(nowNanos);
        nextExpiry = nowNanos + EXPIRY_TICK_NANOS;
        if (ticker != null) ticker.accept(nowNanos);
    }

    /** A confirmed step back in time: open flows and queries end at the old time, then the clocks start over. */
    private void restart() {
        if (lastTs != Long.MIN_VALUE) {
            conns.flush(lastTs);
            dns.flush(lastTs);
        }
        conns.restartClock();
        dns.restartClock();
        lastTs = Long.MIN_VALUE;
        nextExpiry = Long.MIN_VALUE;
    }

    /** End of input (or shutdown): every open flow and pending query becomes an event. */
    public void finish(long nowNanos) {
        guard.finish();
        long t = Math.max(nowNanos, lastTs == Long.MIN_VALUE ? nowNanos : lastTs);
        conns.flush(t);
        dns.flush(t);
        if (ticker != null) ticker.accept(Long.MAX_VALUE);
    }

    public long lastTimestamp() {
        return lastTs;
    }

    public long frames() {
        return frames;
    }

    public FrameDecoder decoder() {
        return decoder;
    }

    /**
     * Registers the per-packet path's metrics: {@code capture.frames}, {@code capture.time_regressions} (frames
     * earlier than the one before), {@code capture.time_jumps} and {@code capture.time_restarts} (see
     * {@link TimeGuard}), and
     * those of the decoder ({@code capture.decode.*}), the reassembler ({@code capture.fragments.*}) and the
     * trackers ({@code conn.*}, {@code dns.*}). All read the components' own counters: nothing per packet.
     */
    public void register(Metrics m) {
        m.count("capture.frames", () -> frames);
        m.count("capture.time_regressions", () -> timeRegressions);
        m.count("capture.time_jumps", guard::jumps);
        m.count("capture.time_restarts", guard::restarts);
        decoder.stats().register(m);
        decoder.reassembler().register(m);
        conns.register(m);
        dns.register(m);
    }
}
