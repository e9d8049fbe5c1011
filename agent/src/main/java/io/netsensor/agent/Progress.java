package io.netsensor.agent;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long replay on stderr: on a terminal a progress bar (rate and ETA, redrawn in place by
 * the progressbar library); otherwise (a pipe, a file, journald) a plain line every interval, so a log
 * never receives carriage returns or escape codes. Nothing is shown for a replay shorter than the first
 * interval. The capture thread adds bytes; a daemon thread draws.
 */
public final class Progress implements AutoCloseable {
    /** Seconds between plain lines (and before the first); a system property so tests can shorten it. */
    public static final String INTERVAL_PROPERTY = "netsensor.progress.seconds";
    private final PrintStream err;
    private final long total;
    private final boolean terminal;
    private final long intervalNanos;
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean closed;
    private ProgressBar bar;

    Progress(PrintStream err, long totalBytes, boolean terminal, double intervalSeconds) {
        this.err = err;
        this.total = Math.max(1, totalBytes);
        this.terminal = terminal;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.thread = new Thread(this::loop, "netsensor-progress");
        this.thread.setDaemon(true);
    }

    /** For a replay of {@code totalBytes} of capture files, on System.err. */
    public static Progress start(long totalBytes) {
        double interval = Double.parseDouble(System.getProperty(INTERVAL_PROPERTY, "10"));
        Progress p = new Progress(System.err, totalBytes, stderrIsTerminal(), interval);
        p.thread.start();
        return p;
    }

    /** Bytes of the files consumed so far (the capture thread). */
    public void add(long bytes) {
        done.addAndGet(bytes);
    }

    private void loop() {
        long next = startNanos + (terminal ? Math.min(intervalNanos, 1_000_000_000L) : intervalNanos);
        while (!closed) {
            try {
                Thread.sleep(terminal ? 200 : Math.max(10, intervalNanos / 1_000_000 / 10));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (now < next || closed) continue;
            synchronized (this) {
                if (closed) return;
                if (terminal) {
                    if (bar == null) bar = newBar();
                    bar.stepTo(Math.min(total, done.get()) >> 10);
                } else {
                    err.println(line(now));
                    next = now + intervalNanos;
                }
            }
        }
    }

    private ProgressBar newBar() {
        return new ProgressBarBuilder().setTaskName("replay").setInitialMax(total >> 10).setUnit(" MiB", 1024)
                .showSpeed().setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(err)).startsFrom(Math.min(total, done.get()) >> 10, java.time.Duration.ofNanos(System.nanoTime() - startNanos))
                .build();
    }

    /** "netsensor replay: 45 % (120 of 265 MiB) at 38.2 MiB/s, about 4s left". */
    String line(long now) {
        long d = Math.min(total, done.get());
        double secs = (now - startNanos) / 1e9;
        double rate = secs > 0 ? d / secs : 0;
        String eta = rate > 0 ? ", about " + duration((long) ((total - d) / rate)) + " left" : "";
        return String.format(Locale.ROOT, "netsensor replay: %d %% (%d of %d MiB) at %.1f MiB/s%s",
                100 * d / total, d >> 20, total >> 20, rate / (1 << 20), eta);
    }

    private static String duration(long s) {
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + String.format(Locale.ROOT, "%02ds", s % 60)
                : s / 3600 + "h" + String.format(Locale.ROOT, "%02dm", s % 3600 / 60);
    }

    @Override
    public synchronized void close() {
        closed = true;
        thread.interrupt();
        if (bar != null) {
            bar.stepTo(total >> 10);
            bar.close(); // ends the bar's line, so the summary starts on its own
        }
    }

    private interface CLib extends Library {
        int isatty(int fd);
    }

    /** Whether file descriptor 2 is a terminal (System.console() looks at stdin and stdout, not stderr). */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) return false;
        try {
            return Native.load("c", CLib.class).isatty(2) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // no libc through JNA: plain lines are always safe
        }
    }
}
