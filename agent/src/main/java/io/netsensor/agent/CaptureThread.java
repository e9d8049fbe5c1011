package io.netsensor.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the capture side (source → pipeline → journal) on its own thread while the caller pumps the
 * journal to consumers; remembers a failure so the caller can rethrow it after the pump has drained.
 */
public final class CaptureThread {
    /** The capture work; may throw anything (I/O on the source, a bug in a tracker). */
    public interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean done;

    private CaptureThread(Body body) {
        thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done = true;
            }
        }, "netsensor-capture");
    }

    public static CaptureThread start(Body body) {
        CaptureThread c = new CaptureThread(body);
        c.thread.start();
        return c;
    }

    /** True once the capture work has returned (normally or not): the pump may stop at the journal's end. */
    public boolean done() {
        return done;
    }

    public boolean failed() {
        return failure.get() != null;
    }

    public void join() throws InterruptedException {
        thread.join();
    }

    /**
     * Rethrows what ended the capture work as it was (an UncheckedIOException as its IOException), so the
     * command's error handler tells an I/O failure from a bug; a checked non-I/O exception is wrapped.
     */
    public void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof UncheckedIOException u) throw u.getCause();
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }
}
