package io.netsensor.capture.pipeline;

/**
 * Keeps one bad timestamp from moving the trackers' clock. The trackers run on packet time and their
 * clock only goes forward, so a single far-future packet would end every open flow and then make each
 * later packet a flow of its own (one such packet turned 61,554 connection records into 199,981); a
 * far-past one would do the same once believed.
 *
 * <p>A frame more than {@link #MAX_STEP_NANOS} from the running clock (either way) is held, copied, until
 * the frames after it decide: when {@value #CONFIRMING} more follow it (not back near the old clock), the
 * clock really stepped (a pause in the capture, files hours apart, a device that set its clock) and the
 * held frames go on with their own timestamps, in order; when one comes back near the old clock, the held
 * frames were outliers and go on at the running clock, counted as time jumps. A confirmed step back
 * restarts the trackers' clocks (open flows end first) rather than leave them in the future. Live capture
 * decides at the next idle tick by the wall clock. At the end of input a lone held frame is believed if it
 * is later than the clock by at most a day, else it is an outlier.
 *
 * <p>Holding costs nothing for frames within the step (nearly all); held frames are copied into buffers
 * grown on first use. Single-threaded, as the pipeline.
 */
final class TimeGuard {
    /** Below the trackers' shortest idle timeout (DNS, 10 s): a smaller error ends no flow early. */
    static final long MAX_STEP_NANOS = 10_000_000_000L;
    /** Frames after a step that confirm it. */
    static final int CONFIRMING = 2;
    private static final long END_GAP_NANOS = 86_400_000_000_000L;

    /** Where frames go once their time is decided. */
    interface Target {
        void deliver(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen);

        /** The clock stepped back: end what is open and forget the old time. */
        void restartClock();
    }

    private final Target target;
    private long clock = Long.MIN_VALUE; // the latest time believed: delivered frames, idle ticks
    private final long[] heldTs = new long[CONFIRMING + 1];
    private final int[] heldLink = new int[CONFIRMING + 1], heldCap = new int[CONFIRMING + 1], heldWire = new int[CONFIRMING + 1];
    private final byte[][] heldData = new byte[CONFIRMING + 1][];
    private int held;
    private long jumps, restarts;

    TimeGuard(Target target) {
        this.target = target;
    }

    void onFrame(long ts, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        if (held > 0) {
            if (near(ts, clock) || ts < minus(heldTs[held - 1], MAX_STEP_NANOS)) {
                reject();
            } else {
                hold(ts, linkType, buf, off, capLen, wireLen);
                if (held > CONFIRMING) confirm();
                return;
            }
        }
        if (clock == Long.MIN_VALUE || near(ts, clock)) {
            deliver(ts, linkType, buf, off, capLen, wireLen);
        } else {
            hold(ts, linkType, buf, off, capLen, wireLen);
        }
    }

    /** Live capture's idle tick: the wall clock decides a pending step and is believed itself. */
    void onIdle(long nowNanos) {
        if (held > 0) {
            if (near(heldTs[held - 1], nowNanos)) confirm();
            else reject();
        }
        if (nowNanos > clock) clock = nowNanos;
    }

    /** End of input: decides a pending step without frames after it. */
    void finish() {
        if (held == 0) return;
        long gap = heldTs[0] - clock;
        if (held > 1 || (heldTs[0] >= clock && gap >= 0 && gap <= END_GAP_NANOS)) confirm();
        else reject();
    }

    /** Frames handled at the running clock because their own time was far from it and nothing confirmed it. */
    long jumps() {
        return jumps;
    }

    /** Confirmed steps back in time, each of which restarted the trackers' clocks. */
    long restarts() {
        return restarts;
    }

    private void deliver(long ts, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        if (ts > clock) clock = ts;
        target.deliver(ts, linkType, buf, off, capLen, wireLen);
    }

    private void hold(long ts, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        int i = held++;
        if (heldData[i] == null || heldData[i].length < capLen) heldData[i] = new byte[Math.max(capLen, 2048)];
        System.arraycopy(buf, off, heldData[i], 0, capLen);
        heldTs[i] = ts;
        heldLink[i] = linkType;
        heldCap[i] = capLen;
        heldWire[i] = wireLen;
    }

    private void confirm() {
        int n = held;
        held = 0;
        if (heldTs[0] < clock) {
            restarts++;
            target.restartClock();
            clock = Long.MIN_VALUE;
        }
        for (int i = 0; i < n; i++) deliver(heldTs[i], heldLink[i], heldData[i], 0, heldCap[i], heldWire[i]);
    }

    private void reject() {
        int n = held;
        held = 0;
        for (int i = 0; i < n; i++) {
            jumps++;
            deliver(clock, heldLink[i], heldData[i], 0, heldCap[i], heldWire[i]);
        }
    }

    /** |a - b| <= MAX_STEP_NANOS without overflow (a file's timestamps can be any 64-bit value). */
    private static boolean near(long a, long b) {
        long d = a - b;
        if (((a ^ b) & (a ^ d)) < 0) return false;
        return d <= MAX_STEP_NANOS && d >= -MAX_STEP_NANOS;
    }

    private static long minus(long a, long d) {
        long r = a - d;
        return r > a ? Long.MIN_VALUE : r;
    }
}
